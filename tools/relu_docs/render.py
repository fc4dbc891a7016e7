"""Python-Markdown extension: fill ``<!-- render: module.function args -->`` markers.

Tables, figures and comparative sentences on the site are computed while the
site builds, from the package itself or from the benchmark results it ships;
nothing numeric is typed into a page. A marker names a function in a module
of this package (``bench.headline`` is ``relu_docs.bench.headline``); the
function receives a [Context][relu_docs.render.Context] and the marker's
arguments and returns Markdown.

It is a Markdown extension, not an MkDocs hook, so MkDocs and Zensical run it
alike (both read ``markdown_extensions`` from ``mkdocs.yml``). Figures are
inlined as SVG whose colours are CSS variables, so one figure follows the
light and the dark scheme and needs no file next to the page. A marker that
names no renderer, or whose renderer fails, stops the build.

Besides markers, the extension wraps every table in a keyboard-scrollable
region, so wide tables scroll on a phone instead of being cut off.
"""

from __future__ import annotations

import importlib
import re
import shlex
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

MARKER = re.compile(r"^([ \t]*)<!--\s*render:\s*([\w.]+)(.*?)-->\s*$")
INLINE = re.compile(r"<!--\s*render:\s*([\w.]+)(.*?)-->")
CLAIM = re.compile(r"\s*<!--\s*claim:\s*([\w.-]+)\s*-->")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
EXPECTED = re.compile(
    r"^\s*<!--\s*pytest-codeblocks:expected-output(-ignore-whitespace)?\s*-->\s*$"
)


class RenderError(RuntimeError):
    """A marker that cannot be rendered; raised so that the build fails."""


class Context:
    """What a renderer may use: the page's own Markdown and the Markdown instance.

    ``lines`` is the page as the generator hands it to Markdown (front matter
    removed), so a renderer can build something from the page itself (its
    notebook, its script). ``html`` stores raw HTML and returns the placeholder
    to put in the Markdown, which survives indentation inside tabs.
    """

    def __init__(self, md, lines: list[str]):
        self.md = md
        self.lines = lines

    def html(self, text: str) -> str:
        return self.md.htmlStash.store(text)

    def figure(self, fig, name: str, alt: str, caption: str | None = None) -> str:
        """Inline a matplotlib figure as themed SVG; return its placeholder."""
        from relu_docs import figures

        return self.html(figures.to_html(fig, name, alt, caption))


def resolve(dotted: str):
    module_name, _, func_name = dotted.rpartition(".")
    if not module_name:
        raise RenderError(f"render marker {dotted!r} names no module (write module.function)")
    try:
        module = importlib.import_module(f"relu_docs.{module_name}")
    except ModuleNotFoundError as error:
        raise RenderError(
            f"render marker {dotted!r}: no renderer module relu_docs.{module_name}"
        ) from error
    func = getattr(module, func_name, None)
    if func is None or func_name.startswith("_") or not callable(func):
        raise RenderError(
            f"render marker {dotted!r}: relu_docs.{module_name} has no renderer {func_name!r}"
        )
    return func


class MarkerPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        ctx = Context(self.md, lines)
        fence = None
        paragraph: list[str] = []
        output_next = False
        for line in lines:
            paragraph = [] if not line.strip() else paragraph + [line]
            if EXPECTED.match(line):
                output_next = True
            m = FENCE.match(line)
            if m:
                if fence is None:
                    fence = m.group(1)
                    if output_next and "title=" not in line:
                        # What the block before prints: titled, so it does not read as code to run.
                        line = line.rstrip() + ' title="Output"'
                    output_next = False
                elif line.strip().startswith(fence):
                    fence = None
            if fence is not None:
                out.append(line)
                continue
            match = MARKER.match(line)
            if match is None:
                out.append(self.inline(ctx, line, " ".join(paragraph[:-1])))
                continue
            indent, dotted, args = match.group(1), match.group(2), match.group(3)
            text = call(ctx, dotted, args)
            # Inside a tab or admonition every line needs the marker's indentation.
            out += [indent + piece if piece else piece for piece in text.splitlines()]
        return out

    def inline(self, ctx, line: str, before: str) -> str:
        """Markers inside a line give one line of text; claims are checked, then removed.

        ``before`` is the paragraph's text above this line: a claim check
        reads the text that precedes its own marker.
        """
        for m in CLAIM.finditer(line):
            from relu_docs import claims

            claims.verify(m.group(1), f"{before} {line[: m.start()]}")

        def sub(m: re.Match) -> str:
            text = call(ctx, m.group(1), m.group(2)).strip()
            if "\n" in text:
                raise RenderError(f"inline render marker {m.group(0)!r} gave more than one line")
            return text

        line = INLINE.sub(sub, line)
        if re.search(r"<!--\s*render\b", line):
            raise RenderError(f"malformed render marker: {line.strip()!r}")
        if re.search(r"<!--\s*claim\b", CLAIM.sub("", line)):
            raise RenderError(f"malformed claim marker: {line.strip()!r}")
        return CLAIM.sub("", line)


def call(ctx, dotted: str, args: str) -> str:
    func = resolve(dotted)
    try:
        return func(ctx, *shlex.split(args))
    except Exception as error:
        raise RenderError(f"render marker {dotted!r} failed: {error!r}") from error


class ScrollableTables(Treeprocessor):
    """Wrap each table in a focusable region that scrolls sideways when too wide."""

    def run(self, root):
        count = 0
        for parent in list(root.iter()):
            for i, child in enumerate(list(parent)):
                if child.tag == "table" and parent.get("class") != "relu-table":
                    count += 1
                    wrapper = etree.Element(
                        "div",
                        {
                            "class": "relu-table",
                            "tabindex": "0",
                            "role": "region",
                            "aria-label": f"table {count}: {_table_label(child)}",
                        },
                    )
                    parent.remove(child)
                    wrapper.append(child)
                    parent.insert(i, wrapper)


def _table_label(table) -> str:
    head = table.find("thead")
    cells = [] if head is None else ["".join(th.itertext()).strip() for th in head.iter("th")]
    cells = [c for c in cells if c]
    return ", ".join(cells[:4]) if cells else "no header"


class RenderExtension(Extension):
    def extendMarkdown(self, md):
        # After whitespace normalisation (30), before superfences (25) and the
        # HTML-block preprocessor (20) stash fences and comments.
        md.preprocessors.register(MarkerPreprocessor(md), "relu_render", 29)
        md.treeprocessors.register(ScrollableTables(md), "relu_tables", 0)


def makeExtension(**kwargs):
    return RenderExtension(**kwargs)
