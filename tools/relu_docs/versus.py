"""Renderers of the Results page's every-size comparison: ``relu`` against the
fastest peer from 1e2 to 1e8 elements, its derivatives against torch's, the
all-core floors, and what the helpers' spinning costs.

Everything comes from ``src/relu/bench/data/versus.json``, written by
``relu-bench --versus --output ...`` (`relu.bench.published("versus")`).
"""

from __future__ import annotations

from functools import cache

from relu.bench import format_time, published, validate
from relu.bench.cases import CORE_FLOORS
from relu_docs.tables import markdown_table

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


@cache
def load() -> dict:
    data = published("versus")
    validate(data)
    return data


def _median(data, method, mode, dtype, size):
    for r in data["results"]:
        if (r["method"], r["mode"], r["dtype"], r["size"]) == (method, mode, dtype, size):
            return r["times_ns"]["median"]
    return None


def comparisons(data=None) -> list[dict]:
    """One entry per (what, dtype, size): relu's median over the fastest peer's.

    ``what`` is a mode of ``relu`` or one of its derivatives; ``peer`` names
    the fastest peer measured there.
    """
    data = data or load()
    rows = []
    for dtype in data["config"]["dtypes"]:
        for size in data["config"]["sizes"]:
            cases = [("relu", mode, peers) for mode, peers in PEERS.items()]
            cases += [(name, "allocating", (peer,)) for name, peer in DERIVATIVES.items()]
            for method, mode, peers in cases:
                ours = _median(data, method, mode, dtype, size)
                theirs = {p: t for p in peers if (t := _median(data, p, mode, dtype, size))}
                if ours is None or not theirs:
                    continue
                peer = min(theirs, key=theirs.__getitem__)
                rows.append(
                    {
                        "what": mode if method == "relu" else method,
                        "dtype": dtype,
                        "size": size,
                        "ratio": ours / theirs[peer],
                        "peer": peer,
                    }
                )
    return rows


def core_floor_ratios(data=None) -> list[dict]:
    """relu's median over the faster all-core floor of its mode, from `FLOOR_FROM` up."""
    data = data or load()
    rows = []
    for dtype in data["config"]["dtypes"]:
        for size in data["config"]["sizes"]:
            if size < FLOOR_FROM:
                continue
            for mode, floors in CORE_FLOORS.items():
                ours = _median(data, "relu", mode, dtype, size)
                times = [t for f in floors if (t := _median(data, f, mode, dtype, size))]
                if ours and times:
                    rows.append(
                        {"mode": mode, "dtype": dtype, "size": size, "ratio": ours / min(times)}
                    )
    return rows


def _size(n: int) -> str:
    return f"{n:.0e}".replace("e+0", "e") if n >= 1000 else str(n)


def overhead(ctx) -> str:
    """relu(x) against np.maximum(x, 0) at the smallest size, where the call is all there is."""
    data = load()
    size = min(data["config"]["sizes"])
    parts = []
    for dtype in data["config"]["dtypes"]:
        ours = _median(data, "relu", "allocating", dtype, size)
        numpy = _median(data, "maximum", "allocating", dtype, size)
        inplace = _median(data, "relu", "inplace", dtype, size)
        torch_ = _median(data, "torch.relu_", "inplace", dtype, size)
        if ours and numpy:
            text = (
                f"{dtype}: `relu(x)` {format_time(ours)} against `np.maximum(x, 0)` "
                f"{format_time(numpy)} ({ours / numpy:.2f}×)"
            )
            if inplace and torch_:
                text += (
                    f", `relu(x, out=x)` {format_time(inplace)} against `torch.relu_(t)` "
                    f"{format_time(torch_)} ({inplace / torch_:.2f}×)"
                )
            parts.append(text)
    return f"At {size} elements, where the call is nearly all the work: " + "; ".join(parts) + "."


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
        ["caches", ", ".join(f"{k} {s >> 10} KiB" for k, s in chosen.get("caches", {}).items())],
        [
            "relu chose",
            f"{chosen.get('simd')} loops; every core from {parallel >> 10} KiB; streaming "
            f"stores from {stream >> 20} MiB; helpers spin {chosen.get('spin_us')} µs",
        ],
        ["Python / NumPy / relu", f"{v['python']} / {v['numpy']} / {v.get('relu')}"],
        ["peers", peers],
        ["date", data["date"]],
        ["command", f"`{data['command']}`"],
    ]
    return markdown_table(["measured on", "value"], rows)


def verdict(ctx) -> str:
    """Where relu is within the target of the fastest peer, and where it is not."""
    rows = comparisons()
    slow = [r for r in rows if r["ratio"] > TARGET]
    worst = max(rows, key=lambda r: r["ratio"])
    best = min(rows, key=lambda r: r["ratio"])
    sizes = load()["config"]["sizes"]
    text = (
        f"Of the {len(rows)} comparisons (sizes {_size(min(sizes))} to {_size(max(sizes))}, "
        f"float32 and float64, three modes and two derivatives), relu's median is at most "
        f"{TARGET}× the fastest peer's in {len(rows) - len(slow)}. "
    )
    if slow:
        where = "; ".join(
            f"{r['what']} {r['dtype']} at {r['size']:,} ({r['ratio']:.2f}× {r['peer']})"
            for r in sorted(slow, key=lambda r: -r["ratio"])
        )
        text += f"It is above that in {len(slow)}: {where}. "
    else:
        text += "It is above that nowhere. "
    text += (
        f"The widest lead is {1 / best['ratio']:.1f}× ({best['what']}, {best['dtype']}, "
        f"{best['size']:,} elements, against {best['peer']}); the worst case is "
        f"{worst['ratio']:.2f}× ({worst['what']}, {worst['dtype']}, {worst['size']:,})."
    )
    return text


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
        "relu's median time divided by the fastest peer's, against array size, per mode",
    )
    return (
        f"{placeholder}\n\nBelow the solid line at 1, `relu` takes less time than the fastest "
        f"peer; the dotted line is the target, {TARGET}×. Both axes are logarithmic."
    )


def table(ctx) -> str:
    """The ratios behind the plot, a row per size."""
    rows = comparisons()
    whats = list(dict.fromkeys(r["what"] for r in rows))
    dtypes = list(dict.fromkeys(r["dtype"] for r in rows))
    by = {(r["what"], r["dtype"], r["size"]): r for r in rows}
    body = []
    for size in sorted({r["size"] for r in rows}):
        cells = [f"{size:,}"]
        for dtype in dtypes:
            for what in whats:
                r = by.get((what, dtype, size))
                cells.append("" if r is None else f"{r['ratio']:.2f}")
        body.append(cells)
    short = {"allocating": "alloc.", "out": "out=", "inplace": "in place"}
    header = ["elements"] + [f"f{d[5:]} {short.get(w, w)}" for d in dtypes for w in whats]
    return (
        "relu's median over the fastest peer's (below 1: relu is faster). "
        "`f32`/`f64`: float32/float64.\n\n" + markdown_table(header, body, "r" * len(header))
    )


def floors(ctx) -> str:
    """relu against the machine's limit, every core copying, at the largest sizes."""
    rows = core_floor_ratios()
    if not rows:
        return "This run has no all-core floor (the compiled loops were not built)."
    body = [
        [r["dtype"], f"{r['size']:,}", MODE_TITLE[r["mode"]], f"{r['ratio']:.2f}"] for r in rows
    ]
    over = [r for r in rows if r["ratio"] > FLOOR_TARGET]
    text = (
        f"From {FLOOR_FROM:,} elements up, relu against the faster all-core floor of its mode "
        f"(every core copying its share with ordinary or with streaming stores, or rewriting it "
        f"in place): within {FLOOR_TARGET}× in {len(rows) - len(over)} of {len(rows)} cases."
    )
    return (
        text + "\n\n" + markdown_table(["dtype", "elements", "mode", "relu / floor"], body, "lrlr")
    )


def spin(ctx) -> str:
    """What the helpers' spinning buys and costs, from the run's ``spin`` record."""
    s = load().get("spin")
    if not s:
        return "This run did not measure the spinning."
    off, on = s["settings"]

    def extra(ns: float) -> str:
        if ns <= 0:
            return f"no measurable extra CPU time (the difference came out at {ns / 1e3:.0f} µs)"
        return f"{format_time(ns)} of CPU time more than on one thread"

    return (
        f"Measured in the same run, `relu(x, out=buf)` on {s['size']:,} float32 elements on "
        f"{on['threads']} threads: back to back, {format_time(on['wall_ns'])} a call with the "
        f"default spin of {on['spin_us']} µs and {format_time(off['wall_ns'])} with "
        f"`RELU_SPIN_US=0`, where every call wakes sleeping helpers. The price is CPU time: "
        f"with calls {s['gap_s'] * 1e3:g} ms apart, each call cost {extra(on['extra_cpu_ns'])} "
        f"with the spin, and {extra(off['extra_cpu_ns'])} without (the process's CPU clock, "
        "the middle of three runs)."
    )
