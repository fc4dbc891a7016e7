"""Renderers for the benchmark pages: tables and plots from committed result JSON.

Every number on the Benchmarks pages comes from ``src/relu/bench/data/*.json``
(written by ``relu-bench --output``) through these functions, at build time.
"""

from __future__ import annotations

import shlex
from functools import cache

from relu.bench import published, validate
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


RELU_FLOORS = ("floor_copy", "floor_inplace")


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


def largest(ctx, dtype: str = "float32") -> str:
    """The thread's expressions and the one-core copies at the largest size: median, and
    ratio to the copy of its mode (one core each)."""
    from relu_docs.machines import machine_name, numeric

    data = load("sweep")
    size = _largest(data)
    names = {"allocating": "new", "out": "out=", "inplace": "in place"}
    rows = [
        [
            f"`{r['expression']}`",
            names[r["mode"]],
            format_time(r["times_ns"]["median"]),
            f"{r['ratio_to_floor']:.2f}",
        ]
        for r in _rows(data, dtype=dtype, size=size, groups={"floor", "registry"})
        if r["group"] != "floor" or r["method"] in RELU_FLOORS
    ]
    caption = (
        f"{dtype}, {size:,} elements ({_mb(size * (4 if dtype == 'float32' else 8))} in, "
        f"as much out), one core each; {machine_name(data)}, {data['date'][:10]}. "
        "*x copy* = this median ÷ the median of one core copying the same bytes "
        "(in place: rewriting them).\n\n"
    )
    table = markdown_table(["expression", "mode", "median", "x copy"], rows, "llrr")
    return caption + numeric(table)


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
    dtype = "float64"  # the thread's dtype
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
        figsize=(3.1, 0.5 * sum(heights) + 1.2),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
    )
    axes = list(axes) if len(modes) > 1 else [axes]
    top = max(r["times_ns"]["median"] for rs in per_mode.values() for r in rs) / 1e6
    for ax, mode in zip(axes, modes):
        rs = per_mode[mode]
        ms = [r["times_ns"]["median"] / 1e6 for r in rs]
        colors = [figures.C[1] for r in rs]
        # Each bar's expression above it, from the axis: no labels to the left, so the
        # figure is as narrow as its axes and fits a phone without scrolling.
        ax.barh(range(len(rs)), ms, color=colors, height=0.45)
        ax.set_yticks([])
        for i, (r, v) in enumerate(zip(rs, ms)):
            ax.text(
                top * 0.005,
                i - 0.3,
                r["expression"],
                va="bottom",
                fontsize=9.5,
                zorder=3,
                bbox={"facecolor": figures.BG, "edgecolor": "none", "pad": 0.4},
            )
            ax.text(
                v + top * 0.015,
                i,
                f"{v:.0f} ms",
                va="center",
                fontsize=9,
                zorder=3,
                bbox={"facecolor": figures.BG, "edgecolor": "none", "pad": 0.6},
            )
        floor = next(r for r in at if r["method"] == _FLOOR_OF[mode])
        ax.axvline(floor["times_ns"]["median"] / 1e6, color=figures.FG, linestyle="--", linewidth=1)
        ax.set_title(_MODE_TITLES[mode], fontsize=10, loc="left")
        ax.grid(True, axis="x")
        ax.set_xlim(0, top * 1.25)
        ax.set_ylim(len(rs) - 0.5, -1.0)
    axes[-1].set_xlabel(f"median ms, {dtype}, {size:,} elements", fontsize=9)
    legend = [Patch(color=figures.C[1], label="plain NumPy, one core")]
    legend.append(plt.Line2D([], [], color=figures.FG, linestyle="--", label="one core copying"))
    fig.legend(
        handles=legend,
        loc="upper center",
        ncol=1,
        fontsize=9,
        frameon=False,
        bbox_to_anchor=(0.5, 1.0 + 0.6 / fig.get_figheight()),
    )
    fig.tight_layout()
    placeholder = ctx.figure(
        fig,
        "bench-headline",
        f"Median time of each of the thread's ReLUs at {size:,} {dtype} elements, one core "
        f"each, one panel per mode, each with a one-core copy of the same bytes; "
        f"{data['machine']['cpu']}, {data['date'][:10]}",
    )
    from relu_docs.machines import machine_name

    return (
        f"{placeholder}\n\nMeasured on the {machine_name(data)}, {data['date'][:10]}; "
        "another machine gives other numbers."
    )
