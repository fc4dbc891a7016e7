"""Renderers of the Results page's every-size comparison: ``relu`` against the
fastest peer from 1e2 to 1e8 elements, its derivatives against torch's, the
all-core floors, and what the helpers' spinning costs.

Everything comes from ``src/relu/bench/data/versus.json``, written by
``relu-bench --versus --output ...`` (`relu.bench.published("versus")`).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from relu.bench import published, validate
from relu.bench.cases import CORE_FLOORS
from relu_docs.bench import run_command
from relu_docs.tables import duration, markdown_table, size_text

#: The peers relu is compared with in each mode, and its derivatives' counterparts.
PEERS = {
    "allocating": ("torch.relu",),
    "out": ("torch.clamp_min", "numba.prange", "numexpr.where"),
    "inplace": ("torch.relu_",),
}
DERIVATIVES = {"relu_grad": "torch.gt_to", "relu_backward": "torch.threshold_backward"}
#: The target of the comparison: at most this many times the fastest peer.
TARGET = 1.05
#: The target against the all-core floor, from `FLOOR_FROM` elements up.
FLOOR_TARGET = 1.10
FLOOR_FROM = 10_000_000
TICKS = (0.05, 0.1, 0.2, 0.5, 1, 2, 5)
MODE_TITLE = {"allocating": "allocating: relu(x)", "out": "relu(x, out=buf)", "inplace": "in place"}
SHORT = {"allocating": "relu(x)", "out": "out=buf", "inplace": "out=x"}
WHAT_LABEL = {
    "allocating": "`relu(x)`",
    "out": "`relu(x, out=buf)`",
    "inplace": "`relu(x, out=x)`",
    "relu_grad": "`relu_grad(x)`",
    "relu_backward": "`relu_backward(dout, x)`",
}


@cache
def load() -> dict:
    data = published("versus")
    validate(data)
    return data


def _entry(data, method, mode, dtype, size):
    for r in data["results"]:
        if (r["method"], r["mode"], r["dtype"], r["size"]) == (method, mode, dtype, size):
            return r
    return None


def round_ratios(ours: dict, theirs: dict) -> list[float]:
    """``ours``'s median in each round divided by ``theirs``'s in the same round, sorted."""
    pairs = zip(ours["round_medians_ns"], theirs["round_medians_ns"])
    ratios = sorted(a / b for a, b in pairs if b > 0)
    if not ratios:
        raise ValueError("no round has a duration on both sides")
    return ratios


def paired_ratio(ours: dict, theirs: dict) -> float:
    """The median, over the run's rounds, of ``ours``'s median in a round divided
    by ``theirs``'s median in the same round.

    Every round times each method for a share of its calls, one method after
    another, so a slow spell of the machine that lasts longer than the time
    between the two sides of a ratio falls on both. The median of the rounds'
    ratios sets aside the rounds where a spell began or ended between them; a
    ratio of medians pooled over all rounds would not. Shorter spells still
    move single rounds, which the quartiles of `round_ratios` show.
    """
    return float(np.median(round_ratios(ours, theirs)))


def _smallest(entries: list[dict]) -> dict:
    """The entry with the smallest median over all of the run's calls."""
    return min(entries, key=lambda t: t["times_ns"]["median"])


def _row(ours: dict, theirs: dict, **keys) -> dict:
    q1, median, q3 = np.percentile(round_ratios(ours, theirs), [25, 50, 75]).tolist()
    return {
        **keys,
        "ratio": median,
        "q1": q1,
        "q3": q3,
        "pooled": ours["times_ns"]["median"] / theirs["times_ns"]["median"],
    }


def comparisons(data=None) -> list[dict]:
    """One entry per (what, dtype, size): relu against the fastest peer.

    ``what`` is a mode of ``relu`` or one of its derivatives; ``peer`` names
    the peer with the smallest median over the run. ``ratio`` is the
    `paired_ratio` against it, ``q1`` and ``q3`` the quartiles of the rounds'
    ratios, and ``pooled`` the ratio of the two medians over all calls.
    """
    data = data or load()
    rows = []
    for dtype in data["config"]["dtypes"]:
        for size in data["config"]["sizes"]:
            cases = [("relu", mode, peers) for mode, peers in PEERS.items()]
            cases += [(name, "allocating", (peer,)) for name, peer in DERIVATIVES.items()]
            for method, mode, peers in cases:
                ours = _entry(data, method, mode, dtype, size)
                theirs = [t for p in peers if (t := _entry(data, p, mode, dtype, size))]
                if ours is None or not theirs:
                    continue
                fastest = _smallest(theirs)
                what = mode if method == "relu" else method
                rows.append(
                    _row(ours, fastest, what=what, dtype=dtype, size=size, peer=fastest["method"])
                )
    return rows


def core_floor_ratios(data=None) -> list[dict]:
    """relu against the all-core floor of its mode, from `FLOOR_FROM` up, as
    `paired_ratio`; where a mode has two floors (ordinary and streaming
    stores), the one with the smaller median over the run at that size."""
    data = data or load()
    rows = []
    for dtype in data["config"]["dtypes"]:
        for size in data["config"]["sizes"]:
            if size < FLOOR_FROM:
                continue
            for mode in PEERS:
                ours = _entry(data, "relu", mode, dtype, size)
                floors = [
                    r
                    for r in data["results"]
                    if r["method"] in CORE_FLOORS[mode] and (r["dtype"], r["size"]) == (dtype, size)
                ]
                if ours and floors:
                    floor = _smallest(floors)
                    rows.append(
                        _row(ours, floor, mode=mode, dtype=dtype, size=size, floor=floor["method"])
                    )
    return rows


def buffer_floor_ratios(data=None) -> list[dict]:
    """``relu(x)`` against the all-core copy into a buffer (the ``out=`` floor, which
    has no fresh pages to fault), from `FLOOR_FROM` up, as in `core_floor_ratios`."""
    data = data or load()
    rows = []
    for dtype in data["config"]["dtypes"]:
        for size in data["config"]["sizes"]:
            ours = _entry(data, "relu", "allocating", dtype, size)
            floors = [
                r
                for r in data["results"]
                if r["method"] in CORE_FLOORS["out"] and (r["dtype"], r["size"]) == (dtype, size)
            ]
            if size >= FLOOR_FROM and ours and floors:
                floor = _smallest(floors)
                rows.append(
                    _row(
                        ours,
                        floor,
                        mode="allocating",
                        dtype=dtype,
                        size=size,
                        floor=floor["method"],
                    )
                )
    return rows


_bytes = size_text


def sizes(ctx) -> str:
    """The run's sizes, as words: ``13 sizes from 100 to 100,000,000 elements``."""
    got = load()["config"]["sizes"]
    return f"{len(got)} sizes from {min(got):,} to {max(got):,} elements"


def noise(ctx) -> str:
    """How much one case's median moves between the two published runs (sweep and versus)."""
    versus, sweep = load(), published("sweep")

    def key(r):
        return r["method"], r["mode"], r["dtype"], r["size"]

    theirs = {key(r): r["times_ns"]["median"] for r in sweep["results"]}
    factors = sorted(
        max(a, b) / min(a, b)
        for r in versus["results"]
        if (b := theirs.get(key(r))) and (a := r["times_ns"]["median"]) > 0
    )
    if not factors:
        return ""
    mid = factors[len(factors) // 2]
    cores = versus["machine"].get("usable_cores")
    return (
        f"The same case measured in both files, on the same {cores}-core machine, differs "
        f"between them by a median of {100 * (mid - 1):.0f} % and by up to {factors[-1]:.1f}× "
        f"({len(factors)} cases in common), so a ratio within that spread of 1 does not tell "
        "two methods apart, and the sweep's comparison with the peers below can read "
        "differently at the same size."
    )


def overhead(ctx) -> str:
    """relu(x) against np.maximum(x, 0) at the smallest size, where the call is all there is."""
    data = load()
    size = min(data["config"]["sizes"])
    parts = []
    pairs = [
        ("`relu(x)`", "relu", "allocating", "`np.maximum(x, 0)`", "maximum"),
        ("`relu(x, out=x)`", "relu", "inplace", "`torch.relu_(t)`", "torch.relu_"),
    ]
    for dtype in data["config"]["dtypes"]:
        said = []
        for label, method, mode, other_label, other in pairs:
            ours = _entry(data, method, mode, dtype, size)
            theirs = _entry(data, other, mode, dtype, size)
            if ours and theirs:
                said.append(
                    f"{label} {duration(ours['times_ns']['median'])} against {other_label} "
                    f"{duration(theirs['times_ns']['median'])} "
                    f"({paired_ratio(ours, theirs):.2f}× round by round)"
                )
        if said:
            parts.append(f"{dtype}: " + ", ".join(said))
    return (
        f"At {size} elements, where the call is nearly all the work (medians of all calls, and "
        "the ratio as on the plot): " + "; ".join(parts) + "."
    )


def order(ctx) -> str:
    """In which order the published run took each round's methods."""
    text = (
        "each of `relu`'s calls right before its peers and its floors (the order is "
        "`relu.bench.cases.VERSUS_ORDER`)"
    )
    if load()["config"].get("alternate_rounds"):
        return text + ", and every other round in the reverse order, right after them."
    return text + "."


def _keep_words(chosen: dict) -> str:
    """The kept memory of large results, for the machine table (absent in older runs)."""
    if "keep_min_bytes" not in chosen:
        return ""
    if not chosen["keep_min_bytes"]:
        return "; no memory kept for reuse"
    return (
        f"; freed results' memory reused from {_bytes(chosen['keep_min_bytes'])} "
        f"(at most {chosen['keep_max_bytes'] / (1 << 30):.1f} GiB kept)"
    )


def machine(ctx) -> str:
    """The run's machine, versions and what relu chose there."""
    data = load()
    m, v, t = data["machine"], data["versions"], data.get("threads", {})
    chosen = m.get("relu") or {}
    parallel, stream = chosen.get("parallel_min_bytes", 0), chosen.get("stream_min_bytes", 0)
    peers = ", ".join(
        f"{p} {v[p]} ({t.get(p)} threads)" if v.get(p) else f"{p} not installed"
        for p in ("torch", "numexpr", "numba")
    )
    rows = [
        ["CPU", f"{m['cpu']}, {m.get('usable_cores')} usable cores"],
        ["caches", ", ".join(f"{k} {_bytes(b)}" for k, b in chosen.get("caches", {}).items())],
        [
            "relu chose",
            f"{chosen.get('simd')} loops; every core from {_bytes(parallel)}; streaming "
            f"stores from {_bytes(stream)}; helpers spin {chosen.get('spin_us')} µs"
            + _keep_words(chosen),
        ],
        ["Python / NumPy / relu", f"{v['python']} / {v['numpy']} / {v.get('relu')}"],
        ["peers", peers],
        ["date", data["date"]],
        ["command", f"`{run_command(data)}`"],
    ]
    return markdown_table(["measured on", "value"], rows)


def verdict(ctx) -> str:
    """Where relu is within the target of the fastest peer, and where it is not."""
    data = load()
    rows = comparisons()
    slow = sorted((r for r in rows if r["ratio"] > TARGET), key=lambda r: -r["ratio"])
    best = min(rows, key=lambda r: r["ratio"])
    sizes_ = data["config"]["sizes"]
    dtypes = " and ".join(data["config"]["dtypes"])
    whats = ", ".join(WHAT_LABEL[w] for w in dict.fromkeys(r["what"] for r in rows))
    pooled_slow = sum(r["pooled"] > TARGET for r in rows)
    text = (
        f"Of the {len(rows)} comparisons ({len(sizes_)} sizes from {min(sizes_):,} to "
        f"{max(sizes_):,} elements, {dtypes}, each of {whats}), the ratio is at most "
        f"{TARGET} in {len(rows) - len(slow)}; the widest lead is "
        f"{1 / best['ratio']:.1f}× ({WHAT_LABEL[best['what']]}, {best['dtype']}, "
        f"{best['size']:,} elements, against `{best['peer']}`). Divided instead as medians "
        f"of all {data['config']['rounds']} rounds' calls together, {len(rows) - pooled_slow} "
        f"of the {len(rows)} are at most {TARGET}."
    )
    if not slow:
        pooled = [r for r in rows if r["pooled"] > TARGET]
        if not pooled:
            return text + " It is above the target nowhere."
        listed = "; ".join(
            f"{WHAT_LABEL[r['what']]}, {r['dtype']}, {r['size']:,} elements, {r['pooled']:.2f}"
            for r in pooled
        )
        return text + f" Round by round it is above the target nowhere; pooled, in: {listed}."

    def shown(ratio: float) -> str:  # enough digits to tell it from the target
        return f"{ratio:.2f}" if round(ratio, 2) > TARGET else f"{ratio:.3f}"

    lines = [
        f"- {WHAT_LABEL[r['what']]}, {r['dtype']}, {r['size']:,} elements: {shown(r['ratio'])}× "
        f"`{r['peer']}` (half of the rounds between {r['q1']:.2f} and {r['q3']:.2f})"
        for r in slow
    ]
    straddle = sum(r["q1"] <= 1 <= r["q3"] for r in slow)
    text += f" Above the target, {len(slow)}:\n\n" + "\n".join(lines)
    if not straddle:
        return text
    if len(slow) == 1:
        which = "For it"
    elif straddle == len(slow):
        which = "In each of them"
    else:
        which = f"In {straddle} of them"
    return (
        f"{text}\n\n{which}, the middle half of the rounds' ratios reaches 1 or below: there "
        "the rounds do not agree on which of the two takes less time."
    )


def plot(ctx) -> str:
    """relu ÷ fastest peer against size: one panel per mode and one for the derivatives."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    from relu_docs import figures
    from relu_docs.bench import _fig

    rows = comparisons()
    panels = [*PEERS, "derivatives"]
    fig, axes = _fig(2, 2, width=4.2, height=3.2, sharex=True, sharey=True)
    series = {}
    for r in rows:
        panel = r["what"] if r["what"] in PEERS else "derivatives"
        label = r["dtype"] if panel != "derivatives" else f"{r['what']} {r['dtype']}"
        series.setdefault((panel, label), []).append((r["size"], r["ratio"]))
    for ax, panel in zip(axes, panels):
        labels = [lab for (p, lab) in series if p == panel]
        for i, label in enumerate(labels):
            pts = sorted(series[(panel, label)])
            style = figures.style(i)
            ax.plot([p[0] for p in pts], [p[1] for p in pts], label=label, **style)
        ax.axhline(1, color=figures.FG, linewidth=1)
        ax.axhline(TARGET, color=figures.FG, linewidth=0.8, linestyle=":")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(FixedLocator(TICKS))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_title(MODE_TITLE.get(panel, "relu_grad, relu_backward vs torch"), fontsize=10)
        ax.grid(True, which="major")
        ax.legend(fontsize=7)
    for ax in axes[2:]:
        ax.set_xlabel("elements")
    for ax in axes[::2]:
        ax.set_ylabel("relu / fastest peer")
    placeholder = ctx.figure(
        fig,
        "bench-versus",
        "relu's median time divided by the fastest peer's in the same round, the median over "
        "the rounds, against array size, per mode",
    )
    return (
        f"{placeholder}\n\nBelow the solid line at 1, `relu` takes less time than the fastest "
        f"peer; the dotted line is the target, {TARGET}×. Both axes are logarithmic."
    )


def table(ctx, dtype: str = "float32") -> str:
    """The ratios behind the plot for one dtype, a row per size."""
    rows = [r for r in comparisons() if r["dtype"] == dtype]
    whats = list(dict.fromkeys(r["what"] for r in rows))
    by = {(r["what"], r["size"]): r for r in rows}
    body = []
    for size in sorted({r["size"] for r in rows}):
        cells = [f"{size:,}"]
        for what in whats:
            r = by.get((what, size))
            cells.append("" if r is None else f"{r['ratio']:.2f}")
        body.append(cells)
    header = ["elements"] + [SHORT.get(w, w) for w in whats]
    return (
        f"{dtype}: the median over the rounds of `relu`'s median over the fastest peer's "
        "(below 1: `relu` takes less time).\n\n" + markdown_table(header, body, "r" * len(header))
    )


def _kept_words(rows: list[dict], data=None) -> str:
    """How ``relu(x)``'s result came by its memory in the run, for `floors`."""
    data = data or load()
    keep = (data["machine"].get("relu") or {}).get("keep_min_bytes", 0)
    kept = [
        r
        for r in rows
        if r["mode"] == "allocating" and keep and r["size"] * np.dtype(r["dtype"]).itemsize >= keep
    ]
    if not kept:
        return ", as they are for `relu(x)`'s result"
    return (
        f". `relu(x)`'s result does not pay for that from {_bytes(keep)} up: it takes the "
        "memory of the result freed before it (the run drops each result before the next "
        "call; see `relu.hardware()['keep_min_bytes']`), which is why it can finish under this "
        f"floor, at {min(r['ratio'] for r in kept):.2f} to {max(r['ratio'] for r in kept):.2f}"
    )


def floors(ctx) -> str:
    """relu against every core copying, at the largest sizes."""
    rows = core_floor_ratios()
    if not rows:
        return "This run has no all-core floor (the compiled loops were not built)."
    modes = list(PEERS)
    by = {(r["dtype"], r["size"], r["mode"]): r for r in rows}
    buffer = {(r["dtype"], r["size"]): r for r in buffer_floor_ratios()}
    body = []
    for dtype, size in dict.fromkeys((r["dtype"], r["size"]) for r in rows):
        cells = [dtype, f"{size:,}"]
        for mode in modes:
            r = by.get((dtype, size, mode))
            cells.append("" if r is None else f"{r['ratio']:.2f}")
        r = buffer.get((dtype, size))
        cells.append("" if r is None else f"{r['ratio']:.2f}")
        body.append(cells)
    over_buffer = [r for r in buffer.values() if r["ratio"] > FLOOR_TARGET]
    over = [r for r in rows if r["ratio"] > FLOOR_TARGET]
    text = (
        f"From {FLOOR_FROM:,} elements up, `relu` against an all-core copy through its own "
        "pool: every core copying its share, with ordinary or with streaming stores, "
        "whichever has the smaller median at that size. For `out=buf` the copy goes into a "
        "buffer; for `relu(x)` into a new array, whose pages the operating system must find "
        f"and clear as they are first written{_kept_words(rows)}; in place, "
        "every core rewrites its share, with ordinary stores. Each figure is the median over "
        f"the rounds of the two medians' ratio: at most {FLOOR_TARGET:.2f} in "
        f"{len(rows) - len(over)} of {len(rows)} cases. Below 1, `relu` took less time than "
        "the copy. The last column holds `relu(x)` to the stricter floor of `out=buf`, the "
        "copy into a buffer, which has no pages to fault: at most "
        f"{FLOOR_TARGET:.2f} in {len(buffer) - len(over_buffer)} of {len(buffer)} cases."
    )
    header = ["dtype", "elements"] + [SHORT[m] for m in modes] + ["relu(x) ÷ out= floor"]
    return text + "\n\n" + markdown_table(header, body, "ll" + "r" * (len(modes) + 1))


def spin(ctx) -> str:
    """What the helpers' spinning buys and costs, from the run's ``spin`` record."""
    s = load().get("spin")
    if not s:
        return "This run did not measure the spinning."
    off, on = s["settings"]

    def extra(ns: float) -> str:
        if ns <= 0:
            return f"no measurable extra CPU time (the difference came out at {ns / 1e3:.0f} µs)"
        return f"{duration(ns)} more CPU time than the same call on one thread"

    return (
        f"Measured in the same run, `relu(x, out=buf, threads={on['threads']})` on "
        f"{s['size']:,} float32 elements, back to back (the best of five runs of {s['calls']} "
        f"calls): {duration(on['wall_ns'])} a call with the default spin of {on['spin_us']} µs, "
        f"{duration(off['wall_ns'])} with `RELU_SPIN_US=0`, where every call wakes sleeping "
        f"helpers. The price is CPU time: with the calls {s['gap_s'] * 1e3:g} ms apart, each "
        f"threaded call cost {extra(on['extra_cpu_ns'])} with the spin, and "
        f"{extra(off['extra_cpu_ns'])} without (the process's CPU clock, the middle of three "
        "runs)."
    )
