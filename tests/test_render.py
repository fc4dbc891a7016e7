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


def _result(method, rounds, mode="out", size=1000, dtype="float32"):
    ordered = sorted(rounds)
    median = ordered[len(ordered) // 2]
    return {
        "method": method,
        "mode": mode,
        "dtype": dtype,
        "size": size,
        "times_ns": {"median": float(median)},
        "round_medians_ns": [float(r) for r in rounds],
    }


def test_a_slow_spell_on_both_sides_of_a_round_cancels_in_the_paired_ratio():
    from relu_docs.versus import paired_ratio

    # the machine is slow (x10) in rounds 3 to 5, for both methods
    ours = _result("relu", [10, 10, 100, 100, 100, 10, 10])
    theirs = _result("peer", [11, 11, 110, 110, 110, 11, 11])
    assert paired_ratio(ours, theirs) == pytest.approx(10 / 11)
    # a spell that begins between the two sides of one round moves that round only
    late = _result("peer", [11, 11, 110, 110, 110, 110, 11])
    assert paired_ratio(ours, late) == pytest.approx(10 / 11)
    with pytest.raises(ValueError, match="no round"):
        paired_ratio(ours, _result("zero", [0] * 7))


def test_each_comparison_takes_the_peer_with_the_smallest_median_over_the_run():
    """numba has the smaller median over the run; torch wins two rounds of three. The
    comparison is with numba, round by round, and gives the rounds' quartiles."""
    from relu_docs import versus

    ours = _result("relu", [2, 2, 2])
    torch = _result("torch.clamp_min", [1, 1, 8])
    torch["times_ns"]["median"] = 5.0
    numba = _result("numba.prange", [4, 4, 1])
    numba["times_ns"]["median"] = 3.0
    data = {"config": {"dtypes": ["float32"], "sizes": [1000]}, "results": [ours, torch, numba]}
    (row,) = [r for r in versus.comparisons(data) if r["what"] == "out"]
    assert row["peer"] == "numba.prange"
    assert row["ratio"] == 0.5  # rounds: 2/4, 2/4, 2/1
    assert (row["q1"], row["q3"]) == (0.5, 1.25)
    assert row["pooled"] == pytest.approx(2 / 3)


def test_pooled_medians_can_disagree_where_rounds_agree():
    """Two methods equal in every round but timed in different shares of a two-speed
    machine: the pooled medians land on different speeds, the paired ratio is 1."""
    from relu_docs import versus

    ours = _result("relu", [10, 10, 10, 50, 50])
    theirs = _result("torch.clamp_min", [10, 10, 10, 50, 50])
    theirs["times_ns"]["median"] = 50.0  # its calls fell more in the slow rounds
    data = {"config": {"dtypes": ["float32"], "sizes": [1000]}, "results": [ours, theirs]}
    (row,) = [r for r in versus.comparisons(data) if r["what"] == "out"]
    assert row["ratio"] == 1.0 and row["pooled"] == 0.2 and row["peer"] == "torch.clamp_min"


def test_the_published_versus_run_compares_every_case_round_by_round():
    from relu_docs import versus

    data = versus.load()
    rows = versus.comparisons()
    whats = {*versus.PEERS, *versus.DERIVATIVES}
    assert len(rows) == len(data["config"]["sizes"]) * len(data["config"]["dtypes"]) * len(whats)
    peers = {**versus.PEERS, **{k: (v,) for k, v in versus.DERIVATIVES.items()}}
    assert all(r["peer"] in peers[r["what"]] for r in rows)
    rounds = data["config"]["rounds"]
    assert all(len(r["round_medians_ns"]) == rounds for r in data["results"])


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


@pytest.mark.parametrize("alternate", [True, False, None])
def test_the_versus_order_is_said_as_the_run_recorded_it(monkeypatch, alternate):
    from relu_docs import versus

    config = {} if alternate is None else {"alternate_rounds": alternate}
    monkeypatch.setattr(versus, "load", lambda: {"config": config})
    text = versus.order(None)
    assert text.startswith("each of `relu`'s calls right before its peers")
    assert ("every other round in the reverse order" in text) is bool(alternate)


def test_the_verdict_names_the_cases_above_the_target_only_when_pooled(monkeypatch):
    from relu_docs import versus

    def row(what, size, ratio, pooled):
        keys = dict(what=what, dtype="float64", size=size, peer="torch.relu_")
        return {**keys, "ratio": ratio, "pooled": pooled, "q1": ratio, "q3": ratio}

    data = {"config": {"sizes": [1000, 300000], "dtypes": ["float64"], "rounds": 5}}
    monkeypatch.setattr(versus, "load", lambda: data)
    rows = [row("inplace", 1000, 0.9, 0.9), row("inplace", 300000, 1.0, 1.25)]
    monkeypatch.setattr(versus, "comparisons", lambda: rows)
    text = versus.verdict(None)
    assert "1 of the 2 are at most 1.05" in text
    assert text.endswith(
        "Round by round it is above the target nowhere; pooled, in: "
        "`relu(x, out=x)`, float64, 300,000 elements, 1.25."
    )
    rows[1]["pooled"] = 1.0
    assert versus.verdict(None).endswith("It is above the target nowhere.")


@pytest.mark.parametrize(
    "chosen, said",
    [
        ({}, ""),
        ({"keep_min_bytes": 0, "keep_max_bytes": 0}, "; no memory kept for reuse"),
        (
            {"keep_min_bytes": 32 << 20, "keep_max_bytes": 3 << 29},
            "; freed results' memory reused from 32 MiB (at most 1.5 GiB kept)",
        ),
    ],
)
def test_the_machine_table_says_what_memory_relu_kept(chosen, said):
    from relu_docs import versus

    assert versus._keep_words(chosen) == said


def test_the_floor_text_says_which_allocating_results_took_kept_memory():
    """float32 at 10M elements is 40 MB, over a 32 MiB cut-off; 1M is not. Only the
    allocating rows over it are named, with their range of ratios."""
    from relu_docs import versus

    def row(mode, size, ratio):
        return {"mode": mode, "dtype": "float32", "size": size, "ratio": ratio}

    rows = [row("allocating", 1_000_000, 1.0), row("allocating", 10_000_000, 0.5)]
    rows += [row("allocating", 30_000_000, 0.4), row("out", 30_000_000, 0.9)]
    data = {"machine": {"relu": {"keep_min_bytes": 32 << 20}}}
    text = versus._kept_words(rows, data)
    assert text.startswith(". `relu(x)`'s result does not pay for that from 32 MiB up")
    assert text.endswith("at 0.40 to 0.50")
    assert versus._kept_words(rows, {"machine": {"relu": {}}}) == (
        ", as they are for `relu(x)`'s result"
    )


def test_relu_x_is_also_held_to_the_copy_into_a_buffer():
    """From 10M up, relu(x) against the faster of the two out= all-core copies (by
    median over the run), round by round; smaller sizes are left out."""
    from relu_docs import versus

    big = 10_000_000
    data = {
        "config": {"dtypes": ["float32"], "sizes": [1000, big]},
        "results": [
            _result("relu", [4, 4, 4], mode="allocating", size=big),
            _result("floor_copy_cores", [2, 2, 2], size=big),
            _result("floor_copy_cores_stream", [5, 5, 5], size=big),
            _result("floor_new_cores", [1, 1, 1], mode="allocating", size=big),
            _result("relu", [4, 4, 4], mode="allocating", size=1000),
            _result("floor_copy_cores", [2, 2, 2], size=1000),
        ],
    }
    (row,) = versus.buffer_floor_ratios(data)
    assert (row["size"], row["floor"], row["ratio"]) == (big, "floor_copy_cores", 2.0)


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
