"""The site builds the same with Zensical, Material for MkDocs' successor.

Both generators read ``mkdocs.yml`` and run the site's Markdown extension
(``tools/relu_docs``), so every page must come out with the same text (numbers,
tables, code and its output) and the same figures. Where Zensical still
differs, ``KNOWN_DIFFERENCES`` names it (README.md says so too), and the pages
are compared with that difference normalised away, not skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

KNOWN_DIFFERENCES = {
    "reference/api/index.html": (
        "signatures: under MkDocs, mkdocstrings formats them with ruff (line breaks, double "
        "quotes, trailing commas); Zensical prints them on one line as written",
        lambda text: re.sub(r",\)", ")", re.sub(r"\s+", "", text).replace("'", '"')),
    ),
}


class Article(HTMLParser):
    """The text and figure names of a page's ``<article>``: what a reader reads."""

    SKIP = {"script", "style", "svg"}
    BREAK = {"p", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "pre", "dt", "dd", "figcaption"}

    def __init__(self):
        super().__init__()
        self.inside = self.skip = 0
        self.parts: list[str] = []
        self.figures: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.inside += 1
        if not self.inside:
            return
        if tag in self.SKIP:
            self.skip += 1
        if tag == "figure" and "data-figure" in attrs:
            self.figures.append(attrs["data-figure"])
        if tag == "table":
            self.tables += 1
        if tag in self.BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside -= 1
        elif self.inside and tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.parts.append(data)


def read(path: Path) -> Article:
    article = Article()
    article.feed(path.read_text(encoding="utf-8"))
    return article


def text_of(article: Article) -> str:
    lines = (
        re.sub(r"\s+", " ", line).strip()
        for line in "".join(article.parts).replace("¶", "").splitlines()
    )
    return "\n".join(line for line in lines if line)


def pages(site: Path) -> list[str]:
    return sorted(
        str(p.relative_to(site)) for p in site.rglob("index.html") if "404" not in p.parts
    )


def test_both_builds_have_the_same_pages(built_site, zensical_site):
    assert pages(built_site) == pages(zensical_site)
    assert len(pages(built_site)) >= 10


def test_every_page_reads_the_same(built_site, zensical_site):
    different = {}
    for rel in pages(built_site):
        ours, theirs = read(built_site / rel), read(zensical_site / rel)
        a, b = text_of(ours), text_of(theirs)
        if rel in KNOWN_DIFFERENCES:
            normalise = KNOWN_DIFFERENCES[rel][1]
            a, b = normalise(a), normalise(b)
        if a != b:
            first = (
                next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
                if a[: len(b)] != b[: len(a)]
                else min(len(a), len(b))
            )
            different[rel] = (
                f"MkDocs: {a[max(0, first - 80) : first + 80]!r}\n"
                f"Zensical: {b[max(0, first - 80) : first + 80]!r}"
            )
        assert ours.figures == theirs.figures, rel
        assert ours.tables == theirs.tables, rel
        assert "render:" not in a and "claim:" not in a, rel
    assert not different, "\n\n".join(f"{k}:\n{v}" for k, v in different.items())


def test_zensical_renders_every_figure_and_table(zensical_site):
    figures = sum(len(read(zensical_site / rel).figures) for rel in pages(zensical_site))
    assert figures >= 18
    for rel in pages(zensical_site):
        html = (zensical_site / rel).read_text(encoding="utf-8")
        assert "<!-- render:" not in html and "<!-- claim:" not in html, rel


@pytest.mark.parametrize("rel", sorted(KNOWN_DIFFERENCES))
def test_known_differences_are_in_the_readme(rel):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "Zensical" in readme and "signatures" in readme
