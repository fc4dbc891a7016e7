"""The site's Markdown extension: markers rendered, typos and false claims stop the build."""

from __future__ import annotations

import re

import markdown
import pytest

from relu_docs import claims, figures
from relu_docs.render import RenderError, RenderExtension


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "pymdownx.superfences", RenderExtension()])


def test_a_marker_is_replaced_by_its_renderers_markdown():
    html = render("<!-- render: registry.implementations -->\n")
    assert "<table>" in html and "np.maximum(x, 0)" in html and "render:" not in html


def test_an_inline_marker_gives_text_inside_the_sentence():
    html = render(
        "relu, allocating: <!-- render: claims.compare_short relu allocating maximum -->.\n"
    )
    assert re.search(r"<p>relu, allocating: (faster|not faster) [^<]+\.</p>", html)


@pytest.mark.parametrize(
    "marker",
    [
        "<!-- render: bench.no_such_renderer -->",
        "<!-- render: nosuchmodule.table -->",
        "<!-- render: headline -->",
        "<!-- render bench.headline -->",
        "<!-- claim: no-such-check -->",
        "text <!-- claim no-colon --> text",
    ],
)
def test_a_mistyped_marker_stops_the_build(marker):
    with pytest.raises((RenderError, claims.ClaimError)):
        render(marker + "\n")


def test_markers_inside_code_fences_are_left_alone():
    html = render("```text\n<!-- render: bench.no_such_renderer -->\n```\n")
    assert "no_such_renderer" in html


def test_a_false_claim_stops_the_build(monkeypatch):
    monkeypatch.setitem(claims.CHECKS, "always-false", lambda: (False, "the numbers say no"))
    with pytest.raises(claims.ClaimError, match="the numbers say no"):
        render("relu is faster. <!-- claim: always-false -->\n")
    assert "faster" in render("relu is faster. <!-- claim: streaming-under-copy-floor -->\n")


def test_markers_keep_the_indentation_of_a_tab():
    text = '=== "float32"\n\n    <!-- render: bench.largest float32 -->\n'
    html = markdown.markdown(
        text, extensions=["tables", "pymdownx.superfences", "pymdownx.tabbed", RenderExtension()]
    )
    assert html.count("<table>") == 1 and "render:" not in html


def test_tables_scroll_inside_a_focusable_labelled_region():
    html = render("| a | b |\n| - | - |\n| 1 | 2 |\n")
    assert re.search(
        r'<div aria-label="table 1: a, b" class="relu-table" role="region" tabindex="0">\s*<table>',
        html,
    )


def test_figures_are_inline_svg_in_the_pages_colours():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], **figures.style(0))
    ax.set_title("t")
    html = figures.to_html(fig, "demo", 'a "line"')
    assert html.startswith('<figure class="relu-figure"') and "<svg" in html
    assert 'aria-label="a &quot;line&quot;"' in html and 'role="img"' in html
    assert "var(--relu-fg)" in html and "var(--relu-c0)" in html
    assert not re.search(r"#f[de]00", html), "a placeholder colour was left in the SVG"
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert ids and all(i.startswith(("demo-", "figure-demo")) for i in ids)


def test_each_thread_claim_reads_its_own_sentence():
    """Two thread claims in one paragraph: the second is checked on the text after the first."""
    ok = "It printed 145 ms. <!-- claim: thread --> Then 239 ms. <!-- claim: thread -->\n"
    assert "239 ms" in render(ok)
    wrong = "It printed 145 ms. <!-- claim: thread -->\nThen 240 ms. <!-- claim: thread -->\n"
    with pytest.raises(claims.ClaimError, match="240"):
        render(wrong)
