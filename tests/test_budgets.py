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
