"""The documentation is tested code: every Python fence runs, the site builds strictly."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pytest_codeblocks import extract_from_file

import relu

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")


def fences(path: Path):
    """Yield (line number, info string, code) of every fenced block in a page."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            start, marker, info = i, m.group(2), m.group(3).strip()
            body = []
            i += 1
            while i < len(lines) and not lines[i].lstrip().startswith(marker):
                body.append(lines[i])
                i += 1
            yield start + 1, info, "\n".join(body)
        i += 1


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fence_has_a_language_and_python_fences_are_bare(page):
    for lineno, info, _ in fences(page):
        assert info, (
            f"{page.name}:{lineno}: fence without a language is neither highlighted nor tested"
        )
        if re.match(r"\{?\.?py(thon)?\b", info):
            assert info == "python", (
                f"{page.name}:{lineno}: '{info}' is silently skipped by pytest-codeblocks; use "
                "a bare 'python'"
            )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_python_fence_is_collected(page):
    """All code of all ``python`` fences reaches pytest-codeblocks (cont blocks merge)."""
    written = sum(code.count("\n") + 1 for _, info, code in fences(page) if info == "python")
    collected = sum(b.code.count("\n") for b in extract_from_file(page) if b.syntax == "python")
    assert collected == written


def test_pages_have_python_blocks():
    runnable = {p.name for p in PAGES if any(info == "python" for _, info, _ in fences(p))}
    assert {"index.md", "implementations.md", "README.md"} <= runnable


def test_skipped_blocks_give_a_reason():
    for page in PAGES:
        for mark in re.findall(r"<!--\s*(pytest\.mark\.skip\w*\(.*?\))\s*-->", page.read_text()):
            assert "reason=" in mark, f"{page.name}: {mark} has no reason"


def test_site_builds_strictly(built_site):
    assert (built_site / "index.html").is_file()
    for page in ["guide/implementations", "reference/api"]:
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert "<!-- render:" not in html


def test_implementations_page_runs_every_registry_expression():
    """Each registry entry has a section headed by its expression whose code runs it."""
    page = ROOT / "docs/guide/implementations.md"
    text = page.read_text(encoding="utf-8")
    code = "\n".join(c for _, info, c in fences(page) if info == "python")
    for impl in relu.IMPLEMENTATIONS.values():
        assert f"## `{impl.expression}` {{ #{impl.name} }}" in text, impl.name
    for impl in list(relu.IMPLEMENTATIONS.values()) + list(relu.COUNTEREXAMPLES.values()):
        assert impl.expression in code, impl.expression


class _Text(HTMLParser):
    """The visible prose of a built page: code, scripts, styles and figures left out."""

    SKIP = {"code", "pre", "script", "style", "svg", "textarea"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


LEFTOVERS = {
    "a Sphinx role printed literally": re.compile(
        r":(func|class|data|mod|meth|attr|exc|obj|ref|py:\w+):"
    ),
    "a Markdown cross-reference that did not resolve": re.compile(r"\[[^\]\n]+\]\[[^\]\n]*\]"),
}


def test_built_pages_have_no_leftovers(built_site):
    """No role printed literally, no unresolved ``[x][y]``, no marker left in any built page."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 10
    problems = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for marker in ("<!-- render:", "<!-- claim:", "&lt;!-- render:", "&lt;!-- claim:"):
            if marker in html:
                problems.append(
                    f"{page.relative_to(built_site)}: a {marker!r} marker was not rendered"
                )
        parser = _Text()
        parser.feed(html)
        text = "".join(parser.parts)
        for what, pattern in LEFTOVERS.items():
            for m in pattern.finditer(text):
                problems.append(f"{page.relative_to(built_site)}: {what}: {m.group(0)!r}")
    assert not problems, "\n".join(problems[:40])


def test_each_page_has_its_own_title_and_description(built_site):
    titles, descriptions = {}, {}
    for page in sorted(built_site.rglob("index.html")):
        if page.parent.name == "404":
            continue
        html = page.read_text(encoding="utf-8")
        rel = str(page.relative_to(built_site))
        titles[rel] = re.search(r"<title>([^<]*)</title>", html).group(1)
        found = re.search(r'<meta name="description" content="([^"]*)"', html)
        descriptions[rel] = found.group(1) if found else None
    assert len(set(titles.values())) == len(titles), titles
    assert all(descriptions.values()), [p for p, d in descriptions.items() if not d]
    assert len(set(descriptions.values())) == len(descriptions)


def test_pages_offer_edit_this_page(built_site):
    html = (built_site / "guide" / "choosing" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/relu-dev/relu/edit/main/docs/guide/choosing.md"' in html


def test_llms_txt_lists_every_page_and_holds_their_markdown(built_site):
    index = (built_site / "llms.txt").read_text(encoding="utf-8")
    full = (built_site / "llms-full.txt").read_text(encoding="utf-8")
    for title in (
        "Which one should I use?",
        "Implementations",
        "Correctness",
        "Results",
        "API reference",
    ):
        assert f"[{title}]" in index
    assert "np.maximum(x, 0)" in full and "[Figure: " in full
    assert "base64" not in full, (
        "the downloads' data links belong to the browser, not to llms-full.txt"
    )
