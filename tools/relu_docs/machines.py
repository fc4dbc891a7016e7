"""Renderers of the committed ``relu-bench --versus --publish`` runs, one folder
per machine kind (`relu.bench.published_runs`): relu against the fastest of
its peers, np.maximum included, on equal terms.

Two views per machine: every library on one thread (``relu(x, threads=1)``,
torch with ``set_num_threads(1)``, numexpr and numba on one thread, NumPy's
ufuncs), and every library on its default threads (all cores for relu, torch,
numexpr and numba; NumPy's ufuncs have one). Each comparison is relu's median
in a round over its peer's median in the same round; the verdict comes from
the middle half of those round ratios, the run's own spread: *faster* when
even its upper quartile is under 1, *slower* when even its lower quartile is
over 1, *level* otherwise.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from relu.bench import VIEWS, published_runs, validate
from relu_docs.tables import markdown_table, size_text

#: The peers of relu's call in each mode, np.maximum first.
PEERS = {
    "allocating": ("maximum", "torch.relu"),
    "out": ("relu_numpy", "torch.clamp_min", "numexpr.where", "numba.prange"),
    "inplace": ("relu_numpy", "torch.relu_"),
    "relu_grad": ("torch.gt_to",),
    "relu_backward": ("torch.threshold_backward",),
}
#: How each compared call is written on the page.
CALLS = {
    ("relu", "allocating"): "relu(x)",
    ("relu", "out"): "relu(x, out=buf)",
    ("relu", "inplace"): "relu(x, out=x)",
    ("maximum", "allocating"): "np.maximum(x, 0)",
    ("relu_numpy", "out"): "np.maximum(x, 0, out=buf)",
    ("relu_numpy", "inplace"): "np.maximum(x, 0, out=x)",
}
MODES = ("allocating", "out", "inplace")
MODE_NAMES = {
    "allocating": "new array",
    "out": "`out=buf`",
    "inplace": "in place",
    "relu_grad": "`relu_grad`",
    "relu_backward": "`relu_backward`",
}
SIMD_NAMES = {"avx512": "AVX-512", "avx2": "AVX2", "sse2": "SSE2"}
MARKS = {"faster": "", "level": " =", "slower": " ▲"}
VIEW_NAMES = {"one-thread": "one thread each", "all-cores": "default threads"}


def numeric(table: str) -> str:
    """A table of short cells: on a phone its columns shrink to fit (relu.css)."""
    return f'<div class="relu-fit" markdown>\n\n{table}\n</div>'


@cache
def runs() -> dict[str, dict[str, dict]]:
    found = published_runs()
    for views in found.values():
        for data in views.values():
            validate(data)
    if not found:
        raise RuntimeError("no committed machine runs under relu/bench/data/machines/")
    return found


def _entries(data: dict) -> dict[tuple, dict]:
    return {(r["method"], r["mode"], r["dtype"], r["size"]): r for r in data["results"]}


def compare(data: dict, what: str) -> list[dict]:
    """relu's call ``what`` (a mode, or ``relu_grad``/``relu_backward``) against the
    fastest peer of each dtype and size: the peer with the smallest median over the
    run, then the round-by-round ratios and their quartiles."""
    found = _entries(data)
    method, mode = (what, "allocating") if what.startswith("relu_") else ("relu", what)
    rows = []
    for dtype in data["config"]["dtypes"]:
        for size in data["config"]["sizes"]:
            ours = found.get((method, mode, dtype, size))
            peers = [found.get((p, mode, dtype, size)) for p in PEERS[what]]
            peers = [p for p in peers if p is not None]
            if ours is None or not peers:
                continue
            peer = min(peers, key=lambda p: p["times_ns"]["median"])
            ratios = np.array(ours["round_medians_ns"]) / np.array(peer["round_medians_ns"])
            q1, median, q3 = np.percentile(ratios, [25, 50, 75])
            verdict = "faster" if q3 < 1 else "slower" if q1 > 1 else "level"
            rows.append(
                {
                    "dtype": dtype,
                    "size": size,
                    "peer": CALLS.get((peer["method"], mode), peer["expression"]),
                    "ours_ns": ours["times_ns"]["median"],
                    "peer_ns": peer["times_ns"]["median"],
                    "ratio": float(median),
                    "q1": float(q1),
                    "q3": float(q3),
                    "verdict": verdict,
                }
            )
    return rows


def _size(n: int) -> str:
    exponent = int(np.log10(n))
    return f"1e{exponent}" if 10**exponent == n else f"{n / 10**exponent:g}e{exponent}"


def counts(rows: list[dict]) -> str:
    """``faster in 36 of 48, level in 8, slower in 4``."""
    n = {v: sum(r["verdict"] == v for r in rows) for v in ("faster", "level", "slower")}
    level = f", level in {n['level']}" if n["level"] else ""
    return f"faster in {n['faster']} of {len(rows)}{level}, slower in {n['slower'] or 'none'}"


def summary(rows: list[dict]) -> str:
    """``faster in 12 of 16, level in 3, slower at float32 1e5 (1.4×)``: the slower cases named."""
    slower = sorted((r for r in rows if r["verdict"] == "slower"), key=lambda r: -r["ratio"])
    if not slower:
        return counts(rows)
    n_level = sum(r["verdict"] == "level" for r in rows)
    parts = [f"faster in {sum(r['verdict'] == 'faster' for r in rows)} of {len(rows)}"]
    if n_level:
        parts.append(f"level in {n_level}")
    named = ", ".join(f"{r['dtype']} {_size(r['size'])} ({r['ratio']:.2f}×)" for r in slower[:3])
    more = f" and {len(slower) - 3} more" if len(slower) > 3 else ""
    parts.append(f"slower at {named}{more}")
    return ", ".join(parts)


def worst(rows: list[dict]) -> dict:
    return max(rows, key=lambda r: r["ratio"])


def machine_name(data: dict) -> str:
    """``AMD EPYC (family 26, model 2), 2 cores, AVX-512, 1 MiB L2``: one label for a
    results file's machine on every page, from what the file recorded."""
    m = data["machine"]
    cpu = m.get("cpu_id", {})
    ident = f" (family {cpu['family']}, model {cpu['model']})" if "family" in cpu else ""
    simd = m.get("relu", {}).get("simd") or data["versions"].get("relu_loops", "")
    simd = next((name for key, name in SIMD_NAMES.items() if key in simd), "")
    l2 = m.get("relu", {}).get("caches", {}).get("L2")
    parts = (f"{m['cpu']}{ident}", f"{m['usable_cores']} cores", simd, l2 and f"{size_text(l2)} L2")
    return ", ".join(p for p in parts if p)


def table(ctx) -> str:
    """Every committed machine's verdicts, per view and mode: a row each."""
    rows = []
    for views in runs().values():
        for view in VIEWS:
            data = views[view]
            modes = MODES if view == "one-thread" else (*MODES, "relu_grad", "relu_backward")
            for what in modes:
                found = compare(data, what)
                if not found:
                    continue
                w = worst(found)
                counts = " · ".join(
                    str(sum(r["verdict"] == v for r in found))
                    for v in ("faster", "level", "slower")
                )
                rows.append(
                    [
                        machine_name(data).split(" (")[0] if len(runs()) > 1 else "",
                        "1" if view == "one-thread" else "all",
                        MODE_NAMES[what],
                        counts,
                        f"{w['ratio']:.2f} ({w['dtype'].replace('float', 'f')} {_size(w['size'])})",
                    ]
                )
    header = ["machine", "threads", "call", "faster · level · slower", "worst"]
    if len(runs()) == 1:
        header, rows = header[1:], [r[1:] for r in rows]
    return numeric(markdown_table(header, rows))


def sizes_table(ctx, view: str = "all-cores", dtype: str = "float32") -> str:
    """relu ÷ fastest peer at each size, one column per mode, for one machine (the newest)."""
    data = newest()[view]
    by_mode = {
        what: {r["size"]: r for r in compare(data, what) if r["dtype"] == dtype} for what in MODES
    }
    mark = MARKS
    rows = []
    for size in data["config"]["sizes"]:
        cells = [_size(size)]
        for what in MODES:
            r = by_mode[what].get(size)
            cells.append(f"{r['ratio']:.2f}{mark[r['verdict']]}" if r else "")
        rows.append(cells)
    names = {"allocating": "new", "out": "out=", "inplace": "in place"}
    return numeric(markdown_table(["size", *(names[m] for m in MODES)], rows, align="lrrr"))


def newest() -> dict[str, dict]:
    """The views of the most recent committed run."""
    return max(runs().values(), key=lambda v: v["all-cores"]["date"])


def record(ctx) -> str:
    """Each committed machine, its date and versions, and the command that measured it."""
    n = len(runs())
    lines = [
        f"The committed run{'s' if n > 1 else ''} ({n} machine kind{'s' if n > 1 else ''}):",
        "",
    ]
    for views in runs().values():
        data = views["all-cores"]
        v = data["versions"]
        peers = ", ".join(f"{p} {v[p]}" for p in ("torch", "numexpr", "numba") if v.get(p))
        lines.append(
            f"- **{machine_name(data)}**, {data['date'][:10]}: Python {v['python']}, "
            f"NumPy {v['numpy']}, {peers}. Command: "
            f"`{data['command'].split('  #')[0]}`."
        )
    return "\n".join(lines)


def verdict(ctx, view: str = "all-cores", *modes: str) -> str:
    """relu against the fastest peer in ``view``: one sentence per machine and mode."""
    modes = modes or MODES
    out = []
    for views in runs().values():
        data = views[view]
        out += [f"On the {machine_name(data)}, with {VIEW_NAMES[view]}:", ""]
        out += [f"- {MODE_NAMES[m]}: {summary(compare(data, m))}." for m in modes]
        out.append("")
    return "\n".join(out)


def plot(ctx) -> str:
    """relu ÷ fastest peer against size, one panel per mode, both views and dtypes."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    from relu_docs import figures
    from relu_docs.bench import _fig

    views = newest()
    fig, axes = _fig(3, 1, width=3.7, height=1.7, sharex=True, sharey=True)
    lines = []
    for ax, what in zip(axes, MODES):
        i = 0
        for view in VIEWS:
            for dtype in views[view]["config"]["dtypes"]:
                pts = [
                    (r["size"], r["ratio"])
                    for r in compare(views[view], what)
                    if r["dtype"] == dtype
                ]
                style = figures.style(i)
                short = "1 thread" if view == "one-thread" else "all cores"
                (line,) = ax.plot(*zip(*pts), label=f"{short}, {dtype}", **style)
                lines.append(line)
                i += 1
        ax.axhline(1, color=figures.FG, linewidth=1)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(FixedLocator([0.1, 0.2, 0.5, 1, 2]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_title(MODE_NAMES[what].strip("`"), fontsize=10, loc="left")
        ax.grid(True, which="major")
    axes[-1].set_xlabel("elements")
    axes[1].set_ylabel("relu ÷ fastest peer")
    fig.legend(
        handles=lines[:4],
        loc="lower center",
        ncol=2,
        fontsize=9,
        frameon=False,
        bbox_to_anchor=(0.5, -0.02),
    )
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    placeholder = ctx.figure(
        fig,
        "bench-machines",
        "relu's time over the fastest peer's, round by round, median over the rounds, against "
        f"size; one panel per mode; {machine_name(views['all-cores'])}",
    )
    return (
        f"{placeholder}\n\nBelow the line at 1, `relu` takes less time than the fastest peer. "
        f"Both axes are logarithmic. Measured on the {machine_name(views['all-cores'])}, "
        f"{views['all-cores']['date'][:10]}."
    )


def headline(ctx) -> str:
    """For Home and "Which one": relu against the fastest peer (np.maximum included) in
    both views, every mode counted, its worst case named; one list per machine."""
    out = []
    for views in runs().values():
        data = views["all-cores"]
        cores = data["machine"]["usable_cores"]
        out.append(
            f"On the {machine_name(data)}, {data['date'][:10]}, over 3 modes × "
            f"{len(data['config']['sizes'])} sizes × {len(data['config']['dtypes'])} "
            "dtypes, against the fastest peer:"
        )
        out.append("")
        for view, who in (
            ("one-thread", "every library on one thread, `relu(x, threads=1)`"),
            ("all-cores", f"every library on its default threads (`relu` on all {cores} cores)"),
        ):
            rows = [r | {"mode": m} for m in MODES for r in compare(views[view], m)]
            w = worst(rows)
            out.append(
                f"- {who}: {counts(rows)}; worst {w['ratio']:.2f}× ({MODE_NAMES[w['mode']]}, "
                f"{w['dtype']} {_size(w['size'])})."
            )
        out.append("")
    return "\n".join(out)


#: The all-core copies of each mode (`relu.bench.cases.CORE_FLOORS`): the smaller
#: median of ordinary and streaming stores at each size is the limit.
def limits(ctx, min_size: float = 1e7) -> str:
    """relu on every core against every core copying the same bytes, from ``min_size`` up."""
    from relu.bench.cases import CORE_FLOORS

    lines = []
    for views in runs().values():
        data = views["all-cores"]
        found = _entries(data)
        parts = []
        for mode in MODES:
            ratios = []
            for dtype in data["config"]["dtypes"]:
                for size in data["config"]["sizes"]:
                    ours = found.get(("relu", mode, dtype, size))
                    floors = [found.get((f, mode, dtype, size)) for f in CORE_FLOORS[mode]]
                    floors = [f for f in floors if f]
                    if size < min_size or ours is None or not floors:
                        continue
                    best = min(f["times_ns"]["median"] for f in floors)
                    ratios.append(ours["times_ns"]["median"] / best)
            if ratios:
                parts.append(f"{MODE_NAMES[mode]} {min(ratios):.2f}–{max(ratios):.2f}×")
        lines.append(
            f"On the {machine_name(data)} (all {data['machine']['usable_cores']} cores), from "
            f"{_size(int(min_size))} elements up, relu takes " + ", ".join(parts) + " its time."
        )
    return " ".join(lines)


def rule(ctx) -> str:
    """The verdict rule of `compare`, in words: one place for it."""
    return (
        "Each row counts the sizes and dtypes where `relu` is *faster* than the fastest peer "
        "of that mode, *level* with it, or *slower*. Faster: the middle half of its "
        "round-by-round ratios is under 1. Slower: over 1. Level: neither. *Worst* is its "
        "largest ratio; *threads* is 1 for one thread each, all for each library's default."
    )


def marks(ctx) -> str:
    """What the per-size tables' marks mean."""
    return (
        "*relu ÷ fastest peer*, the median over the rounds; "
        + ", ".join(f"`{m.strip()}` marks *{v}*" for v, m in MARKS.items() if m.strip())
        + "; no mark, *faster*. *Level* means relu took less time in some rounds and more in "
        "others, so a median under 1 can still be level."
    )


def largest_gap(ctx) -> str:
    """The case where relu's lead is largest, with both medians: the reader checks it."""
    out = []
    for views in runs().values():
        data = views["all-cores"]
        rows = [r | {"mode": m} for m in MODES for r in compare(data, m)]
        best = min(rows, key=lambda r: r["ratio"])
        out.append(
            f"The largest gap on the {machine_name(data)} is {MODE_NAMES[best['mode']]}, "
            f"{best['dtype']} {_size(best['size'])}, on default threads: relu "
            f"{best['ours_ns'] / 1e6:.2f} ms, `{best['peer']}` {best['peer_ns'] / 1e6:.2f} ms "
            f"({best['ratio']:.2f}×)."
        )
    return " ".join(out)
