"""The site's Markdown extension: markers rendered, typos and false claims stop the build."""

from __future__ import annotations

import re

import markdown
import pytest

from relu_docs import claims, figures
from relu_docs.render import RenderError, RenderExtension


def render(text: str) -> str:
    # md_in_html as in mkdocs.yml: some tables come wrapped in <div markdown> (relu-fit)
    extensions = ["tables", "md_in_html", "pymdownx.superfences", RenderExtension()]
    return markdown.markdown(text, extensions=extensions)


def test_a_marker_is_replaced_by_its_renderers_markdown():
    html = render("<!-- render: registry.implementations -->\n")
    assert "<table>" in html and "np.maximum(x, 0)" in html and "render:" not in html


def test_an_inline_marker_gives_text_inside_the_sentence():
    html = render("The thread, <!-- render: thread.link -->, has ten answers.\n")
    assert re.search(r'<p>The thread, <a href="[^"]+">[^<]+</a>, has ten answers\.</p>', html)


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
    assert "faster" in render("relu is faster. <!-- claim: maximum-beats-multiply-large -->\n")


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


@pytest.mark.parametrize(
    "command, shown",
    [
        ("relu-bench --versus --rounds 41 --output /tmp/v.json", "relu-bench --versus --rounds 41"),
        ("relu-bench -o results.json --rounds 5", "relu-bench --rounds 5"),
        ("relu-bench --output=results.json --min-time 0.3", "relu-bench --min-time 0.3"),
        ("relu-bench --quick", "relu-bench --quick"),
    ],
)
def test_a_published_command_is_shown_without_where_it_was_first_written(command, shown):
    from relu_docs import bench

    assert bench.run_command({"command": command}) == shown


def test_the_warm_up_is_described_from_the_run_config():
    from relu_docs import bench

    assert bench.warm_up({"warmup": 1, "warmup_s": 0.01}) == (
        "untimed warm-up calls for at least 10 ms"
    )
    assert bench.warm_up({"warmup": 1}) == "1 untimed warm-up call"
    assert bench.warm_up({"warmup": 3, "warmup_s": 0}) == "3 untimed warm-up calls"


# -- the renderers of the guide and tutorial pages ------------------------------------------


class _Figures:
    """A render context that keeps each figure's HTML."""

    def __init__(self):
        self.html = {}

    def figure(self, fig, name, alt, caption=None):
        self.html[name] = figures.to_html(fig, name, alt, caption)
        return name


def test_the_dead_units_figure_labels_its_log_axes_in_plain_numbers():
    """No mathtext powers (6×10⁻¹ as separate tspans) and no minor tick labels under it."""
    from relu_docs import nn

    ctx = _Figures()
    nn.dead_units_over_training(ctx)
    svg = ctx.html["nn-dead-units"]
    texts = [" ".join(t.split()) for t in re.findall(r"<text\b.*?</text>", svg, re.S)]
    assert not any("×" in t or "tspan" in t for t in texts)
    assert "0.1" in svg and "0.5" in svg


def test_llms_full_keeps_a_pipe_inside_a_table_cell():
    from bs4 import BeautifulSoup
    from markdownify import markdownify

    from relu_docs import llmstxt

    soup = BeautifulSoup(
        "<table><tr><th>expression</th><th>summary</th></tr>"
        "<tr><td><code>abs</code></td><td>(|x| + x) / 2; integers become float64</td></tr></table>",
        "html.parser",
    )
    llmstxt.preprocess(soup, "llms-full.txt")
    row = [line for line in markdownify(str(soup)).splitlines() if "abs" in line][0]
    assert row.count(" | ") == 1 and r"(\|x\| + x) / 2; integers become float64" in row


def test_the_larger_than_memory_throughput_counts_read_plus_write():
    from relu.bench import published
    from relu_docs import larger

    mem = published("larger")["in_memory"]
    text = larger.summary(None)
    gbps = 2 * mem["nbytes"] / mem["seconds"] / 1e9
    assert f"{gbps:.1f} GB/s, counting bytes read plus bytes written" in text
    assert f"{mem['gbps']:.2f} GB/s" not in text  # the one-direction figure
    machine = larger.machine(None)
    assert published("larger")["date"][:10] in machine and "another machine" in machine


def test_the_downloads_line_makes_no_claim_about_skipped_blocks():
    from relu_docs import notebooks

    page = (
        "```python\nprint(1)\n```\n\n"
        '<!--pytest.mark.skip(reason="slow")-->\n```python\nprint(2)\n```\n'
    )
    script = notebooks.script(page, "guide/x.md")
    assert "print(1)" in script and "# print(2)" in script
    assert "blocks they skip are comments" in script
