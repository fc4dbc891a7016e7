"""Renderers for the benchmark pages: tables and plots from committed result JSON.

Every number on the Benchmarks pages comes from ``src/relu/bench/data/*.json``
(written by ``relu-bench --output``) through these functions, at build time.
"""

from __future__ import annotations

import shlex
from functools import cache

from relu.bench import published, validate
from relu.bench.flawed import describe_factor
from relu_docs.tables import duration as format_time
from relu_docs.tables import markdown_table

PEER_NAMES = ("torch", "numexpr", "numba")


def warm_up(config: dict) -> str:
    """The untimed calls before each round's share of a run with this config."""
    if config.get("warmup_s"):
        return f"untimed warm-up calls for at least {config['warmup_s'] * 1e3:g} ms"
    n = config["warmup"]
    return f"{n} untimed warm-up call{'' if n == 1 else 's'}"


def run_command(data: dict) -> str:
    """The command of a published run as a reader would repeat it: without the
    ``--output`` path it was first written to (the page says where the file is)."""
    words = shlex.split(data["command"])
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in ("--output", "-o"):
            skip = True
        elif not word.startswith("--output="):
            kept.append(word)
    return shlex.join(kept)


@cache
def load(kind: str = "sweep") -> dict:
    """The published results of ``kind`` (``relu.bench.published``), validated."""
    data = published(kind)
    validate(data)
    return data


def _label(r: dict) -> str:
    return f"{r['method']} ({r['mode']})" if r["method"] in ("relu", "relu_numpy") else r["method"]


def _rows(data, *, dtype=None, size=None, groups=None):
    return [
        r
        for r in data["results"]
        if (dtype is None or r["dtype"] == dtype)
        and (size is None or r["size"] == size)
        and (groups is None or r["group"] in groups)
    ]


def _largest(data) -> int:
    return max(data["config"]["sizes"])


def _series(data, dtype, label):
    pts = sorted((r["size"], r) for r in _rows(data, dtype=dtype) if _label(r) == label)
    return [p[0] for p in pts], [p[1] for p in pts]


RELU_FLOORS = ("floor_copy", "floor_inplace")


def _labels(data, groups):
    """Labels of the methods in ``groups``; of the floors, only ReLU's two (the
    gradients' floors belong to their own table)."""
    return list(
        dict.fromkeys(
            _label(r)
            for r in _rows(data, groups=groups)
            if r["group"] != "floor" or r["method"] in RELU_FLOORS
        )
    )


def _log_axes(ax, title: str, ylabel: str) -> None:
    ax.set_xscale("log")
    ax.set_xlabel("elements")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)


def _mb(nbytes: int) -> str:
    return f"{nbytes / 1e6:,.1f} MB" if nbytes >= 1e6 else f"{nbytes / 1e3:,.0f} kB"


# ------------------------------------------------------------------ text


_LOOPS = {
    "compiled (avx512)": "compiled, AVX-512 (`relu._native`)",
    "compiled (avx2)": "compiled, AVX2 (`relu._native`)",
    "compiled (sse2)": "compiled, SSE2 (`relu._native`)",
    "compiled (none)": "compiled, plain C (`relu._native`)",
    "numpy": "NumPy only (built without the compiled loops)",
}


def machine(ctx) -> str:
    """Where and how the numbers were measured: CPU, cores, versions, threads, command."""
    data = load("sweep")
    m, v, t = data["machine"], data["versions"], data.get("threads", {})
    peers = ", ".join(
        f"{p} {v[p]} ({t.get(p)} threads)" if v.get(p) else f"{p} not installed" for p in PEER_NAMES
    )
    rows = [
        ["CPU", f"{m['cpu']}, {m['logical_cores']} logical cores ({m.get('usable_cores')} usable)"],
        ["OS", m["os"]],
        ["Python / NumPy / relu", f"{v['python']} / {v['numpy']} / {v.get('relu')}"],
        ["relu's loops", _LOOPS.get(v.get("relu_loops"), v.get("relu_loops") or "not recorded")],
        ["Peers", peers if data["kind"] == "sweep" else "not measured in this run"],
        ["Date", data["date"]],
        ["Command", f"`{run_command(data)}`" if data.get("command") else "not recorded"],
        [
            "Calls per case",
            f"at least {data['config']['repeats']}, more until "
            f"{data['config']['min_time_s']} s (at most {data['config']['max_repeats']}); "
            f"{warm_up(data['config'])} before each round's share",
        ],
    ]
    return markdown_table(["measured on", "value"], rows)


def largest(ctx, dtype: str = "float32", which: str = "numpy") -> str:
    """Table at the largest size: median, quartiles, ratio to the one-core copy, GB/s;
    ``which="numpy"``: the thread's expressions and the copies only (one core each)."""
    data = load("sweep")
    size = _largest(data)
    rows = []
    groups = (
        {"floor", "registry"} if which == "numpy" else {"floor", "registry", "recommended", "peer"}
    )
    for r in _rows(data, dtype=dtype, size=size, groups=groups):
        if r["group"] == "floor" and r["method"] not in RELU_FLOORS:
            continue  # the gradients' floors are in the gradients table
        t = r["times_ns"]
        rows.append(
            [
                f"`{r['expression']}`",
                r["mode"],
                format_time(t["median"]),
                f"{format_time(t['q1'])} to {format_time(t['q3'])}",
                f"{r['ratio_to_floor']:.2f}",
                f"{r['gbps']:.1f}",
            ]
        )
    caption = (
        f"{dtype}, {size:,} elements ({_mb(size * (4 if dtype == 'float32' else 8))} in, "
        f"as much out); {data['machine']['cpu']}, {data['date'][:10]}, one core each. "
        "*x copy*: the median over that of the one-core copy of its mode.\n\n"
    )
    return caption + markdown_table(
        ["expression", "mode", "median", "middle half", "x copy", "GB/s"], rows, "llrrrr"
    )


def dtypes_table(ctx) -> str:
    """float64 time over float32 time at the largest size, per method."""
    data = load("sweep")
    size = _largest(data)
    by = {(_label(r), r["dtype"]): r for r in _rows(data, size=size)}
    rows = []
    for label in _labels(data, None):
        a, b = by.get((label, "float32")), by.get((label, "float64"))
        if a and b:
            ma, mb = a["times_ns"]["median"], b["times_ns"]["median"]
            rows.append(
                [
                    f"`{label}`",
                    format_time(ma),
                    format_time(mb),
                    f"{mb / ma:.2f}",
                    f"{a['ratio_to_floor']:.2f}",
                    f"{b['ratio_to_floor']:.2f}",
                ]
            )
    return markdown_table(
        ["method", "float32", "float64", "float64 / float32", "x floor (f32)", "x floor (f64)"],
        rows,
        "lrrrrr",
    )


def peers(ctx) -> str:
    """Peers beside NumPy's best in the same mode, at the largest size."""
    data = load("sweep")
    size = _largest(data)
    notes = []
    if data["missing_peers"]:
        notes.append(f"Not installed on the measuring machine: {', '.join(data['missing_peers'])}.")
    peer_rows = _rows(data, size=size, groups={"peer"})
    if not peer_rows:
        return " ".join(notes + ["No peer was measured in this run."]) + "\n"
    threads = data["threads"]
    rows = []
    for r in peer_rows:
        numpy_same_mode = [
            x
            for x in _rows(data, dtype=r["dtype"], size=size, groups={"registry", "recommended"})
            if x["mode"] == r["mode"] or (r["mode"] == "out" and x["mode"] == "allocating")
        ]
        best = min(numpy_same_mode, key=lambda x: x["times_ns"]["median"])
        rows.append(
            [
                f"`{r['expression']}`",
                r["dtype"],
                str(threads.get(r["peer"])),
                r["mode"],
                format_time(r["times_ns"]["median"]),
                f"{r['ratio_to_floor']:.2f}",
                f"`{_label(best)}` {format_time(best['times_ns']['median'])}",
            ]
        )
    table = markdown_table(
        [
            "peer",
            "dtype",
            "threads",
            "mode",
            "median",
            "x floor",
            "fastest NumPy, same or allocating mode",
        ],
        rows,
        "llrlrrl",
    )
    return table + ("\n" + " ".join(notes) + "\n" if notes else "")


def recommended(ctx, dtype: str = "float32") -> str:
    """``relu.relu`` in each mode, and its NumPy path, against the floor and
    the fastest peer in that mode (each peer's threads are in the machine table)."""
    data = load("sweep")
    size = _largest(data)
    at = _rows(data, dtype=dtype, size=size)
    rows = []
    for r in (x for x in at if x["group"] in ("recommended", "fallback")):
        peers_same = [x for x in at if x["group"] == "peer" and x["mode"] == r["mode"]]
        best = min(peers_same, key=lambda x: x["times_ns"]["median"], default=None)
        median = r["times_ns"]["median"]
        path = "compiled" if r["group"] == "recommended" else "NumPy path"
        rows.append(
            [
                f"{path}, {r['mode']}",
                format_time(median),
                f"{r['ratio_to_floor']:.2f}",
                f"`{best['method']}`" if best else "none measured",
                format_time(best["times_ns"]["median"]) if best else "",
                f"{median / best['times_ns']['median']:.2f}" if best else "",
            ]
        )
    return f"{dtype}, {size:,} elements.\n\n" + markdown_table(
        ["relu.relu", "median", "x floor", "fastest peer", "its median", "relu / peer"],
        rows,
        "lrrlrr",
    )


def gradients(ctx, group: str = "gradient") -> str:
    """Each method of ``group`` (``gradient`` or ``variant``) against its own floor."""
    data = load("sweep")
    size = _largest(data)
    at = _rows(data, size=size)
    floors = {(r["method"], r["dtype"]): r for r in at if r["group"] == "floor"}
    rows = []
    for r in (x for x in at if x["group"] == group):
        f = floors[(r["floor"], r["dtype"])]
        rows.append(
            [
                f"`{r['expression']}`",
                r["dtype"],
                format_time(r["times_ns"]["median"]),
                f"`{f['expression']}` {format_time(f['times_ns']['median'])}",
                f"{r['ratio_to_floor']:.2f}",
            ]
        )
    return f"{size:,} elements.\n\n" + markdown_table(
        ["function", "dtype", "median", "floor", "x floor"], rows, "llrlr"
    )


def allocation(ctx, dtype: str = "float32") -> str:
    """What allocating costs in ``dtype``: ``relu(x)`` minus ``relu(x, out=buf)``, per
    size, beside a copy into a new array minus a copy into a buffer (the one-core floors)."""
    data = load("sweep")
    rows = []

    def signed(ns: float) -> str:
        return ("+" if ns >= 0 else "-") + format_time(abs(ns))

    by = {
        (r["method"], r["mode"], r["size"]): r
        for r in _rows(data, dtype=dtype)
        if r["method"] in ("relu", "floor_copy_new", "floor_copy")
    }
    for size in data["config"]["sizes"]:
        a, o = by.get(("relu", "allocating", size)), by.get(("relu", "out", size))
        if a and o:
            ta, to = a["times_ns"]["median"], o["times_ns"]["median"]
            new, kept = (
                by.get(("floor_copy_new", "allocating", size)),
                by.get(("floor_copy", "out", size)),
            )
            copy = (
                signed(new["times_ns"]["median"] - kept["times_ns"]["median"])
                if new and kept
                else ""
            )
            rows.append(
                [
                    f"{size:,}",
                    _mb(a["nbytes"]),
                    format_time(ta),
                    format_time(to),
                    signed(ta - to),
                    copy,
                ]
            )
    return markdown_table(
        [
            "elements",
            "result",
            "relu(x)",
            "out=buf",
            "difference",
            "a copy's",
        ],
        rows,
        "rrrrrr",
    )


def flawed(ctx) -> str:
    """The thread's set-ups beside the correct ones: medians and how far off."""
    data = load("flawed")
    rows = [
        [
            f["title"],
            f"`{f['expression']}`",
            f["flawed_setup"],
            format_time(f["flawed"]["median"]),
            f["correct_setup"],
            format_time(f["correct"]["median"]),
            describe_factor(f["factor"]),
        ]
        for f in data["flawed"]
    ]
    sizes = sorted({f["size"] for f in data["flawed"]})
    dtypes = sorted({f["dtype"] for f in data["flawed"]})
    caption = (
        f"{', '.join(dtypes)}, {', '.join(f'{s:,}' for s in sizes)} elements; "
        f"medians of at least {data['config']['repeats']} timed calls. "
        f"Measured on {data['machine']['cpu']}, {data['date'][:10]}.\n\n"
    )
    return caption + markdown_table(
        ["pitfall", "expression", "flawed set-up", "flawed", "correct set-up", "correct", "off by"],
        rows,
        "lllrlrl",
    )


def noise(ctx) -> str:
    """Per size: how far apart the fastest and slowest timed calls of one case are."""
    data = load("sweep")
    rows = []
    for size in data["config"]["sizes"]:
        rs = _rows(data, size=size)
        spreads = sorted(r["times_ns"]["max"] / r["times_ns"]["min"] for r in rs)
        iqr = sorted(
            (r["times_ns"]["q3"] - r["times_ns"]["q1"]) / r["times_ns"]["median"] for r in rs
        )
        calls = sorted(r["times_ns"]["n"] for r in rs)
        mid = len(rs) // 2
        rows.append(
            [
                f"{size:,}",
                f"{calls[0]} to {calls[-1]}",
                f"{spreads[mid]:.2f}",
                f"{spreads[-1]:.2f}",
                f"{iqr[mid]:.0%}",
            ]
        )
    return markdown_table(
        [
            "elements",
            "timed calls per case",
            "slowest / fastest call, median case",
            "worst case",
            "middle half / median, median case",
        ],
        rows,
        "rrrrr",
    )


# ------------------------------------------------------------------ plots
#
# Every series has its own colour, line style and marker (figures.style), the
# same one in every figure, so "relu (out)" looks the same wherever it is
# drawn. Legends sit below the axes, where they cover nothing.

from relu_docs import figures  # noqa: E402


def _fig(nrows=1, ncols=1, width=6.4, height=3.8, **kw):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, **kw
    )
    return fig, [ax for row in axes for ax in row]


def _style(label: str, labels: list[str]) -> dict:
    """Series ``label`` among the ``labels`` of one figure: each has its own colour,
    marker and dash there (figures.style); the floors are drawn in the text colour."""
    s = figures.style(
        [lab for lab in labels if not lab.startswith("floor")].index(label)
        if not label.startswith("floor")
        else 0
    )
    s["linewidth"] = (
        2.4 if label.startswith("relu (") else 1.8 if label.startswith("floor") else 1.3
    )
    if label.startswith("floor"):
        s.update(color=figures.FG, marker=None)
        s["linestyle"] = "--" if "inplace" in label or label == "floor_inplace" else (0, (1, 1.5))
    return s


def _legend_below(fig, axes, ncol=3) -> None:
    handles = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    fig.legend(
        list(handles.values()),
        list(handles),
        fontsize=8,
        loc="upper center",
        ncol=ncol,
        bbox_to_anchor=(0.5, 0.0),
        frameon=False,
    )


def _log_axes(ax, title: str, ylabel: str) -> None:
    ax.set_xscale("log")
    ax.set_xlabel("elements")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="major")


def sweep(ctx, dtype: str = "float32") -> str:
    """Effective GB/s against size: out-of-place and in-place panels, log x."""
    data = load("sweep")
    fig, (left, right) = _fig(1, 2, width=4.2, height=3.6)
    groups = {"floor", "registry", "recommended"}
    labels = _labels(data, groups)
    for label in labels:
        sizes, rs = _series(data, dtype, label)
        if not rs:
            continue
        ax = right if rs[0]["mode"] == "inplace" else left
        ax.plot(sizes, [r["gbps"] for r in rs], label=label, **_style(label, labels))
    for ax, title in ((left, "out of place (allocating and out=)"), (right, "in place")):
        _log_axes(ax, f"{title}, {dtype}", "effective GB/s (read + write)")
    _legend_below(fig, [left, right], ncol=3)
    return ctx.figure(
        fig,
        f"bench-sweep-{dtype}",
        f"Effective bandwidth against array size for each method, {dtype}",
    )


def _per_dtype(data, groups, value: str, restyle=None):
    """One panel per dtype, one line per method of ``groups``: ``value`` against size."""
    fig, axes = _fig(1, 2, width=4.2, height=3.6, sharey=True)
    labels = _labels(data, groups)
    for ax, dtype in zip(axes, data["config"]["dtypes"]):
        for label in labels:
            sizes, rs = _series(data, dtype, label)
            if rs:
                style = _style(label, labels)
                if restyle:
                    restyle(style, rs[0])
                ax.plot(sizes, [r[value] for r in rs], label=label, **style)
    return fig, axes


def ratios(ctx) -> str:
    """Median over the floor against size, float32 and float64 side by side, log-log."""
    data = load("sweep")

    def by_mode(style, first):  # dotted in place, as the page's caption says
        style["linestyle"] = ":" if first["mode"] == "inplace" else "-"

    fig, axes = _per_dtype(data, {"registry", "recommended", "fallback"}, "ratio_to_floor", by_mode)
    for ax, dtype in zip(axes, data["config"]["dtypes"]):
        ax.axhline(1, color=figures.FG, linestyle="--", linewidth=1)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("elements")
        ax.set_title(dtype, fontsize=10)
        ax.grid(True, which="major")
    axes[0].set_ylabel("median / floor of its mode (1 = the floor)")
    _legend_below(fig, axes, ncol=3)
    return ctx.figure(
        fig,
        "bench-ratios",
        "Each method's time divided by the floor of its mode, against array size",
    )


def dtypes_plot(ctx) -> str:
    """Median time at the largest size, float32 and float64 bars per method."""
    import numpy as np

    data = load("sweep")
    size = _largest(data)
    by = {(_label(r), r["dtype"]): r["times_ns"]["median"] / 1e6 for r in _rows(data, size=size)}
    labels = [
        lab for lab in _labels(data, None) if (lab, "float32") in by and (lab, "float64") in by
    ]
    fig, (ax,) = _fig(1, 1, width=6.4, height=0.3 * len(labels) + 1.4)
    y = np.arange(len(labels))
    ax.barh(
        y - 0.2, [by[(lab, "float32")] for lab in labels], 0.4, label="float32", color=figures.C[0]
    )
    ax.barh(
        y + 0.2,
        [by[(lab, "float64")] for lab in labels],
        0.4,
        label="float64",
        color=figures.C[1],
        hatch="//",
        edgecolor=figures.BG,
        linewidth=0,
    )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(f"median ms at {size:,} elements")
    ax.grid(True, axis="x")
    ax.legend(loc="lower right")
    return ctx.figure(
        fig, "bench-dtypes", "Median time per method at the largest size, float32 against float64"
    )


def peers_plot(ctx) -> str:
    """GB/s against size for the peers beside relu and the floors, both dtypes."""
    data = load("sweep")
    if not _rows(data, groups={"peer"}):
        return ""
    fig, axes = _per_dtype(data, {"peer", "floor", "recommended"}, "gbps")
    for ax, dtype in zip(axes, data["config"]["dtypes"]):
        _log_axes(ax, f"peers and relu, {dtype}", "effective GB/s")
    _legend_below(fig, axes, ncol=3)
    return ctx.figure(
        fig,
        "bench-peers",
        "Effective bandwidth of torch, numexpr and numba beside relu and the floors",
    )


_GROUPS = {
    "recommended": ("relu.relu", 0),
    "registry": ("plain NumPy", 1),
    "peer": ("torch / numexpr / numba", 2),
}
_MODE_TITLES = {
    "allocating": "allocating: a new result",
    "out": "into a buffer: out=buf",
    "inplace": "in place: out=x",
}
_FLOOR_OF = {"allocating": "floor_copy", "out": "floor_copy", "inplace": "floor_inplace"}


def _wrap(text: str, width: int = 30) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def headline(ctx) -> str:
    """Landing-page plot: the thread's expressions (plain NumPy, one core each) at the
    largest size, float32, one panel per mode with that mode's one-core copy."""
    from matplotlib.patches import Patch

    data = load("sweep")
    size = _largest(data)
    dtype = "float32"
    at = _rows(data, dtype=dtype, size=size)
    modes = [
        m
        for m in ("allocating", "out", "inplace")
        if any(r["mode"] == m and r["group"] == "registry" for r in at)
    ]
    per_mode = {
        m: sorted(
            (r for r in at if r["mode"] == m and r["group"] == "registry"),
            key=lambda r: r["times_ns"]["median"],
        )
        for m in modes
    }
    import matplotlib.pyplot as plt

    heights = [len(per_mode[m]) + 1.2 for m in modes]
    fig, axes = plt.subplots(
        len(modes),
        1,
        figsize=(4.0, 0.36 * sum(heights) + 1.5),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
    )
    axes = list(axes) if len(modes) > 1 else [axes]
    top = max(r["times_ns"]["median"] for rs in per_mode.values() for r in rs) / 1e6
    for ax, mode in zip(axes, modes):
        rs = per_mode[mode]
        ms = [r["times_ns"]["median"] / 1e6 for r in rs]
        colors = [figures.C[1] for r in rs]
        ax.barh(range(len(rs)), ms, color=colors, height=0.7)
        ax.set_yticks(range(len(rs)), [_wrap(r["expression"], 24) for r in rs], fontsize=10)
        for i, v in enumerate(ms):
            ax.text(
                v + top * 0.015,
                i,
                f"{v:.1f}",
                va="center",
                fontsize=8.5,
                zorder=3,
                bbox={"facecolor": figures.BG, "edgecolor": "none", "pad": 0.6},
            )
        floor = next(r for r in at if r["method"] == _FLOOR_OF[mode])
        ax.axvline(floor["times_ns"]["median"] / 1e6, color=figures.FG, linestyle="--", linewidth=1)
        ax.invert_yaxis()
        ax.set_title(_MODE_TITLES[mode], fontsize=10, loc="left")
        ax.grid(True, axis="x")
        ax.set_xlim(0, top * 1.12)
    axes[-1].set_xlabel(f"median ms, {dtype}, {size:,} elements", fontsize=9)
    legend = [Patch(color=figures.C[1], label="plain NumPy, one core")]
    legend.append(plt.Line2D([], [], color=figures.FG, linestyle="--", label="one core copying"))
    fig.legend(
        handles=legend,
        loc="upper center",
        ncol=2,
        fontsize=9,
        frameon=False,
        bbox_to_anchor=(0.5, 1.0 + 0.6 / fig.get_figheight()),
    )
    fig.tight_layout()
    return ctx.figure(
        fig,
        "bench-headline",
        f"Median time of each of the thread's ReLUs at {size:,} {dtype} elements, one core "
        f"each, one panel per mode, each with a one-core copy of the same bytes; "
        f"{data['machine']['cpu']}, {data['date'][:10]}",
    )


def protocol(ctx) -> str:
    """How the committed sweep sampled each case (from its own config and command),
    and the defaults a plain ``relu-bench`` uses (from its argument parser)."""
    from relu.bench.__main__ import DEFAULT_MIN_TIME, build_parser

    data = load("sweep")
    c = data["config"]
    rounds = c.get("rounds", 1)
    defaults = build_parser().parse_args([])
    default_rounds = defaults.rounds
    per_round = -(-c["repeats"] // rounds)
    warm = warm_up(c)
    return (
        f"For the committed results (`{run_command(data)}`), each case's calls were taken in "
        f"{rounds} rounds. Each round's share began with {warm}, then made at least "
        f"{per_round} timed calls ({rounds * per_round} per case in all) and kept going until "
        f"the case's timed calls added up to {c['min_time_s']:g} s (about {c['max_repeats']:,} "
        f"calls at most). A plain `relu-bench` takes {DEFAULT_MIN_TIME:g} s per case in "
        f"{default_rounds} rounds; "
        "`--min-time` and `--rounds` change both."
    )


def default_ms(ctx, name: str) -> str:
    """A duration default of `relu.bench.run_benchmark`, in ms: ``20 ms``."""
    import inspect

    from relu.bench import run_benchmark

    seconds = inspect.signature(run_benchmark).parameters[name].default
    return f"{seconds * 1e3:g} ms"
