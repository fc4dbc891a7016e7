"""The site's length budget, counted on the built pages as a reader meets them
(`relu_docs.wordcount`: the article's text without figures, scripts, styles
and code blocks): a reader finishes each page, and the whole site."""

from __future__ import annotations

import pytest

from relu_docs.wordcount import pages, words

#: The most words a page may have; every page not named here has `PAGE`.
PAGE = 2_000
BUDGETS = {
    "benchmarks/results/": 2_000,
    "benchmarks/methodology/": 1_800,
    "reference/api/": 5_000,
}
#: All pages but the API reference, together.
SITE = 10_000


@pytest.fixture(scope="module")
def counts(built_site):
    return pages(built_site)


def test_the_count_skips_code_figures_and_scripts():
    html = (
        "<html><nav>menu words</nav><article><h1>Two words</h1><pre>code not counted</pre>"
        "<svg><text>axis label</text></svg><script>var x</script><style>p{}</style>"
        "<table><tr><td>a cell</td></tr></table></article></html>"
    )
    assert words(html) == 4  # "Two words" and "a cell"


def test_every_page_is_within_its_budget(counts):
    assert "benchmarks/results/" in counts and "" in counts  # the pages were found
    over = {page: n for page, n in counts.items() if n > BUDGETS.get(page, PAGE)}
    assert not over, f"pages over their word budget: {over}"


def test_the_site_without_the_api_reference_is_within_its_budget(counts):
    total = sum(n for page, n in counts.items() if not page.startswith("reference/"))
    assert total <= SITE, f"{total} words outside the API reference (budget {SITE})"


#: The pages whose sentences must stay short enough to read on a phone.
SHORT_SENTENCES = ("benchmarks/results/", "benchmarks/methodology/")
LONGEST = 40


def sentences(html: str) -> list[str]:
    """The sentences of an article's paragraphs and list items (code, figures left out)."""
    import re

    from bs4 import BeautifulSoup

    article = BeautifulSoup(html, "html.parser").find("article")
    for tag in article.find_all(["svg", "script", "style", "pre", "table"]):
        tag.decompose()
    found = []
    for block in article.find_all(["p", "li"]):
        if block.find(["p", "li"]):
            continue  # the innermost blocks only
        text = " ".join(block.get_text(" ").split())
        found += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z*`(])", text) if s]
    return found


def test_sentences_are_short_where_the_numbers_are(built_site):
    long = [
        f"{page}: {len(s.split())} words: {s[:120]}"
        for page in SHORT_SENTENCES
        for s in sentences((built_site / page / "index.html").read_text(encoding="utf-8"))
        if len(s.split()) > LONGEST
    ]
    assert not long, "sentences over 40 words:\n" + "\n".join(long)


def test_the_library_is_small():
    """Issue 25: the library (src/relu without the benchmark and relu.nn), Python and C,
    in at most 4,000 lines: a package to read in an afternoon."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "src" / "relu"
    files = [
        f
        for f in root.rglob("*")
        if f.suffix in (".py", ".c", ".h") and "bench" not in f.parts and f.name != "nn.py"
    ]
    assert len(files) >= 14  # the sources were found
    lines = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
    assert lines <= 4_000, f"the library has {lines} lines"
