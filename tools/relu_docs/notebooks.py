"""Each page with runnable code, as a Jupyter notebook and a Python script.

Built from the page's own Markdown while the site builds, so the downloads
hold exactly the code the page shows and the tests run: every bare
``python`` fence that pytest-codeblocks runs becomes a code cell (blocks it
skips stay text), the prose becomes Markdown cells, links point to the site.
The page asks for its links with ``<!-- render: notebooks.downloads PATH -->``,
``PATH`` being the page's own path under ``docs/`` (a test checks it), and
receives them as ``data:`` links, which need no file next to the page and
work alike under MkDocs and Zensical. ``tests/test_notebooks.py`` executes
every notebook with nbclient and compares its output with the page's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field

SITE_URL = "https://relu-dev.github.io/relu/"

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*)$")
CODEBLOCKS = re.compile(r"^\s*<!--\s*pytest-codeblocks:\s*([\w-]+)\s*-->\s*$")
MARK = re.compile(r"^\s*<!--[-\s]*pytest\.mark\.(\w+).*-->\s*$")
BLOCK_MARKER = re.compile(r"^\s*<!--\s*render:\s*([\w.]+)(.*?)-->\s*$")
INLINE_MARKER = re.compile(r"<!--\s*render:\s*([\w.]+)(.*?)-->")
CLAIM = re.compile(r"\s*<!--\s*claim:[^>]*-->")
LINK = re.compile(r"\]\((?!https?:|#|mailto:|data:)([^)\s]+)\)")


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    lines: list[str] = field(default_factory=list)
    expected_output: str | None = None
    continues: bool = False  # pytest-codeblocks:cont: runs with the previous cell


def strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def cells(text: str, page: str) -> list[Cell]:
    """The page as cells, in order."""
    lines = strip_front_matter(text).splitlines()
    out: list[Cell] = []
    pending: list[str] = []  # pytest-codeblocks keywords and marks before the next fence
    i = 0

    def text_cell() -> Cell:
        if not out or out[-1].kind != "markdown":
            out.append(Cell("markdown"))
        return out[-1]

    while i < len(lines):
        line = lines[i]
        m = CODEBLOCKS.match(line) or MARK.match(line)
        if m:
            pending.append(m.group(1))
            i += 1
            continue
        fence = FENCE.match(line)
        if fence:
            indent, marker, info = fence.groups()
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
                i += 1
            i += 1
            if "expected-output" in pending:
                code = next((c for c in reversed(out) if c.kind == "code"), None)
                if code is not None:
                    code.expected_output = "\n".join(body) + "\n"
            elif info == "python" and "skip" not in pending:
                out.append(Cell("code", body, continues="cont" in pending))
            else:
                cell = text_cell()
                cell.lines += [f"```{info}", *body, "```"]
            pending = []
            continue
        pending = [] if line.strip() else pending
        text_cell().lines.append(_prose(line, page))
        i += 1
    for c in out:
        while c.lines and not c.lines[-1].strip():
            c.lines.pop()
        while c.lines and not c.lines[0].strip():
            c.lines.pop(0)
    return [c for c in out if c.lines]


def _prose(line: str, page: str) -> str:
    """A line of the page for a Markdown cell: markers resolved, links absolute."""
    if BLOCK_MARKER.match(line):
        name = BLOCK_MARKER.match(line).group(1)
        if name.startswith("notebooks."):
            return ""
        return (
            f"*(A table or figure computed while the site builds: see [the page]({_url(page)}).)*"
        )
    from relu_docs.render import call

    line = INLINE_MARKER.sub(lambda m: call(None, m.group(1), m.group(2)).strip(), line)
    line = CLAIM.sub("", line)
    line = re.sub(r"^(#+ .*?)\s*\{[^}]*\}\s*$", r"\1", line)  # heading attributes
    line = re.sub(
        r"^(\s*)(!!!|\?\?\?\+?|===)\s*(\w*)\s*(\"[^\"]*\")?\s*$",
        lambda m: f"{m.group(1)}**{(m.group(4) or m.group(3) or '').strip(chr(34))}**",
        line,
    )
    return LINK.sub(lambda m: f"]({_resolve(page, m.group(1))})", line)


def _url(page: str) -> str:
    path = page[: -len(".md")]
    path = (
        "" if path == "index" else path[: -len("index")] if path.endswith("/index") else path + "/"
    )
    return SITE_URL + path


def _resolve(page: str, target: str) -> str:
    path, _, anchor = target.partition("#")
    if not path.endswith(".md"):
        return target
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return _url(resolved) + (f"#{anchor}" if anchor else "")


def notebook(text: str, page: str) -> dict:
    """The page as an nbformat 4.5 notebook (a dict, ready for ``json.dumps``)."""
    nb_cells = []
    for n, c in enumerate(cells(text, page)):
        source = "\n".join(_dedent_blocks(c.lines) if c.kind == "markdown" else c.lines)
        cell_id = hashlib.sha1(f"{page}:{n}".encode()).hexdigest()[:8]
        if c.kind == "markdown":
            nb_cells.append(
                {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}
            )
        else:
            meta = {"relu": {"continues": c.continues, "expected_output": c.expected_output}}
            nb_cells.append(
                {
                    "cell_type": "code",
                    "id": cell_id,
                    "metadata": meta,
                    "source": source,
                    "execution_count": None,
                    "outputs": [],
                }
            )
    return {
        "cells": nb_cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "source": _url(page),
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _dedent_blocks(lines: list[str]) -> list[str]:
    """Content indented under an admonition or tab title, dedented for plain Markdown."""
    out = []
    for line in lines:
        out.append(line[4:] if line.startswith("    ") else line)
    return out


def script(text: str, page: str) -> str:
    """The page as a Python script: prose as comments, code as code."""
    parts = [
        f"# {_url(page)}",
        "#",
        "# Generated from the page. The tests run every code block below;",
        "# the blocks they skip are comments.",
        "",
    ]
    for c in cells(text, page):
        if c.kind == "markdown":
            parts += [("# " + line).rstrip() for line in _dedent_blocks(c.lines)]
        else:
            parts += [*c.lines]
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _stem(page: str) -> str:
    stem = posixpath.splitext(page)[0].replace("/", "-")
    return "relu-home" if stem == "index" else f"relu-{stem}"


def _data_uri(mime: str, payload: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload.encode('utf-8')).decode('ascii')}"


def downloads(ctx, page: str) -> str:
    """Links that download this page as a notebook and as a script."""
    text = "\n".join(ctx.lines)
    nb = json.dumps(notebook(text, page), indent=1, ensure_ascii=False) + "\n"
    py = script(text, page)
    stem = _stem(page)
    html = (
        '<p class="relu-downloads">This page\'s code: '
        f'<a download="{stem}.ipynb" href="{_data_uri("application/x-ipynb+json", nb)}">'
        "notebook</a>"
        f' · <a download="{stem}.py" href="{_data_uri("text/x-python", py)}">script</a>.</p>'
    )
    return ctx.html(html)
