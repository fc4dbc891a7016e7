"""Comparative sentences: rendered from the benchmark results, or checked against them.

A sentence on the site that says faster, slower, level, ahead, N× or
"costs more" is one of two kinds:

* rendered: a function here writes it from the results (``<!-- render:
  claims.compare ... -->``), naming the sizes and dtypes where it holds, so
  new results give a new, still true sentence;
* hand-written and followed by ``<!-- claim: name -->``: the check ``name`` in
  ``CHECKS`` runs at build time against the same results, and a false claim
  stops the build with the numbers that contradict it.

``tests/test_claims.py`` finds every sentence of the pages that uses such words
and fails when it is neither rendered nor checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from relu_docs import thread
from relu_docs.bench import load
from relu_docs.tables import duration as format_time

LEVEL = 0.10
"""Within ±10 % two medians are called level: this machine's run-to-run noise."""


class ClaimError(RuntimeError):
    """A hand-written claim that the data contradict."""


# ------------------------------------------------------------------ data access


def rows(data, **where):
    return [r for r in data["results"] if all(r.get(k) == v for k, v in where.items())]


def median(data, method: str, mode: str, dtype: str, size: int) -> float:
    found = rows(data, method=method, mode=mode, dtype=dtype, size=size)
    if not found:
        raise KeyError(f"no result for {method} ({mode}) {dtype} at {size:,}")
    return found[0]["times_ns"]["median"]


def fastest(data, group: str, mode: str, dtype: str, size: int) -> dict:
    """The result with the lowest median among ``group`` in ``mode``."""
    found = rows(data, group=group, mode=mode, dtype=dtype, size=size)
    if not found:
        raise KeyError(f"no {group} result in mode {mode} for {dtype} at {size:,}")
    return min(found, key=lambda r: r["times_ns"]["median"])


def verdict(ratio: float) -> str:
    """``ratio`` is subject / other: below 1 the subject is faster."""
    if ratio < 1 - LEVEL:
        return "faster"
    if ratio > 1 + LEVEL:
        return "slower"
    return "level"


def _n(size: int) -> str:
    return f"{size:,}"


def spans(sizes: list[int], all_sizes: list[int]) -> str:
    """Sizes as ranges of the measured grid: "at 1,000 to 100,000 and 25,000,000 elements"."""
    idx = sorted(all_sizes.index(s) for s in sizes)
    if len(idx) == len(all_sizes):
        return "at every measured size"
    groups: list[list[int]] = []
    for i in idx:
        if groups and i == groups[-1][-1] + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    parts = []
    for g in groups:
        lo, hi = all_sizes[g[0]], all_sizes[g[-1]]
        parts.append(_n(lo) if len(g) == 1 else f"{_n(lo)} to {_n(hi)}")
    if len(groups) == 1 and groups[0][-1] == len(all_sizes) - 1 and len(groups[0]) > 1:
        return f"from {_n(all_sizes[groups[0][0]])} elements up"
    return "at " + " and ".join(parts) + " elements"


def series(data, subject: tuple[str, str], other: tuple[str, str] | str, dtype: str):
    """(size, subject median / other median) at each size. ``other`` is a
    (method, mode) pair, or a group name: the fastest of that group in the
    subject's mode."""
    out = []
    for size in data["config"]["sizes"]:
        try:
            a = median(data, *subject, dtype, size)
            if isinstance(other, str):
                b = fastest(data, other, subject[1], dtype, size)["times_ns"]["median"]
            else:
                b = median(data, *other, dtype, size)
        except KeyError:
            continue
        out.append((size, a / b))
    return out


def describe(points, all_sizes) -> str:
    """ "faster from 10,000,000 elements up (0.40× to 0.56× the time), slower at ..."."""
    by: dict[str, list[tuple[int, float]]] = {}
    for size, r in points:
        by.setdefault(verdict(r), []).append((size, r))
    parts = []
    for word in ("faster", "level", "slower"):
        if word in by:
            sizes = [s for s, _ in by[word]]
            ratios = [r for _, r in by[word]]
            parts.append(f"{word} {spans(sizes, all_sizes)} ({_range(ratios)} the time)")
    return ", ".join(parts)


def _range(ratios: list[float]) -> str:
    lo, hi = min(ratios), max(ratios)
    return f"{lo:.2f}×" if f"{lo:.2f}" == f"{hi:.2f}" else f"{lo:.2f}× to {hi:.2f}×"


# ------------------------------------------------------------------ renderers

_SUBJECTS = {
    "relu": ("relu", "`relu.relu`"),
    "relu_numpy": ("relu_numpy", "`relu.relu` on its NumPy path"),
    "maximum": ("maximum", "`np.maximum(x, 0)`"),
    "maximum_inplace": ("maximum_inplace", "`np.maximum(x, 0, out=x)`"),
    "multiply": ("multiply", "`x * (x > 0)`"),
    "abs": ("abs", "`(abs(x) + x) / 2`"),
}
_MODE_WORDS = {"allocating": "allocating", "out": "with `out=`", "inplace": "in place"}


def _name(data, method: str, mode: str) -> str:
    found = rows(data, method=method, mode=mode)
    return f"`{found[0]['expression']}`" if found else f"`{method}`"


def compare(ctx, subject: str, mode: str, other: str, other_mode: str | None = None) -> str:
    """One sentence per dtype: where ``subject`` in ``mode`` is faster, level or
    slower than ``other`` (a method, or ``peer``: the fastest peer in that mode)."""
    data = load("sweep")
    sizes = data["config"]["sizes"]
    subject_name = _name(data, subject, mode)
    if other == "peer":
        target: tuple[str, str] | str = "peer"
        peers = sorted({r["method"] for r in rows(data, group="peer", mode=mode)})
        other_name = "the fastest peer in that mode (of " + ", ".join(f"`{p}`" for p in peers) + ")"
    else:
        target = (other, other_mode or mode)
        other_name = _name(data, *target)
    parts = []
    for dtype in data["config"]["dtypes"]:
        pts = series(data, (subject, mode), target, dtype)
        parts.append(f"{dtype} {describe(pts, sizes)}")
    return (
        f"{subject_name} against {other_name}: "
        + "; ".join(parts)
        + f". Level means within {LEVEL:.0%}."
    )


def compare_short(ctx, subject: str, mode: str, other: str, other_mode: str | None = None) -> str:
    """Where ``subject`` is faster than ``other``, in a few words (for a table cell)."""
    data = load("sweep")
    sizes = data["config"]["sizes"]
    target: tuple[str, str] | str = "peer" if other == "peer" else (other, other_mode or mode)
    faster_everywhere = None
    for dtype in data["config"]["dtypes"]:
        pts = series(data, (subject, mode), target, dtype)
        here = {s for s, r in pts if verdict(r) == "faster"}
        faster_everywhere = here if faster_everywhere is None else faster_everywhere & here
    if not faster_everywhere:
        return "not faster at any measured size"
    return f"faster {spans(sorted(faster_everywhere), sizes)}"


def modes_vs_peers(ctx) -> str:
    """A list: for each mode, relu against the fastest peer, per dtype."""
    lines = []
    for mode in ("allocating", "out", "inplace"):
        lines.append(f"- **{_MODE_WORDS[mode]}**: {compare(ctx, 'relu', mode, 'peer')}")
    return "\n".join(lines) + "\n"


def under_floor(ctx) -> str:
    """Which methods finish under the one-core floor of their mode at the largest size."""
    data = load("sweep")
    size = max(data["config"]["sizes"])
    parts = []
    for dtype in data["config"]["dtypes"]:
        rs = [
            r
            for r in rows(data, dtype=dtype, size=size)
            if r["group"] in ("recommended", "peer", "registry")
        ]
        below = sorted(
            (r for r in rs if r["ratio_to_floor"] < 1), key=lambda r: r["ratio_to_floor"]
        )
        above_peers = [r for r in rs if r["group"] == "peer" and r["ratio_to_floor"] >= 1]
        text = (
            ", ".join(f"`{r['expression']}` ({r['ratio_to_floor']:.2f}×)" for r in below) or "none"
        )
        extra = ""
        if above_peers:
            extra = "; peers at or above it: " + ", ".join(
                f"`{r['expression']}` ({r['ratio_to_floor']:.2f}×)" for r in above_peers
            )
        parts.append(f"{dtype}: {text}{extra}")
    return (
        f"At {_n(size)} elements, under the one-core floor of their mode: " + "; ".join(parts) + "."
    )


def generation_vs_relu(ctx) -> str:
    """Methodology, pitfall 2: what generating the input costs against the ReLUs themselves."""
    flawed = load("flawed")
    gen = [f for f in flawed["flawed"] if f["pitfall"] == "generation_in_timer"]
    costs = [f["flawed"]["median"] - f["correct"]["median"] for f in gen]
    cost = sum(costs) / len(costs)
    size = gen[0]["size"]
    dtype = gen[0]["dtype"]
    sweep = load("sweep")
    timed = {}
    for r in rows(sweep, dtype=dtype, size=size):
        if r["group"] == "registry":
            timed[r["expression"]] = r["times_ns"]["median"]
    for f in flawed["flawed"]:  # the correct set-ups of the flawed run, same machine, same run
        timed.setdefault(f["expression"], f["correct"]["median"])
    cheaper = sorted((e for e, t in timed.items() if t < cost), key=timed.get)
    dearer = sorted((e for e, t in timed.items() if t >= cost), key=timed.get)
    text = (
        f"On this site's machine, generating the thread's input took about {format_time(cost)} "
        f"(the flawed median minus the correct one, {dtype}, {_n(size)} elements): more than "
        + ", ".join(f"`{e}` ({format_time(timed[e])})" for e in cheaper)
    )
    if dearer:
        text += ", but less than " + ", ".join(f"`{e}` ({format_time(timed[e])})" for e in dearer)
    return text + "."


def numpy_floor_ratio(ctx, method: str, mode: str, dtype: str = "float32") -> str:
    """``method``'s ratio to its floor at the largest size, e.g. "3.44×"."""
    data = load("sweep")
    size = max(data["config"]["sizes"])
    return (
        f"{rows(data, method=method, mode=mode, dtype=dtype, size=size)[0]['ratio_to_floor']:.2f}×"
    )


# ------------------------------------------------------------------ checked claims

CHECKS: dict[str, Callable[[], tuple[bool, str]]] = {}


def check(name: str):
    def register(func):
        CHECKS[name] = func
        return func

    return register


def verify(name: str, text: str = "") -> None:
    """Run the check ``name``; raise ClaimError with its numbers when it fails.

    ``text`` is the paragraph up to the marker; the ``thread`` check reads the
    numbers quoted in it (after the previous marker).
    """
    if name == "thread":
        ok, detail = thread_numbers_in(re.split(r"<!--\s*claim:[^>]*-->", text)[-1])
        if not ok:
            raise ClaimError(f"claim 'thread' is contradicted by the thread: {detail}")
        return
    if name not in CHECKS:
        raise ClaimError(
            f"no claim check named {name!r} (known: thread, {', '.join(sorted(CHECKS))})"
        )
    ok, detail = CHECKS[name]()
    if not ok:
        raise ClaimError(f"claim {name!r} is contradicted by the data: {detail}")


def _largest(data) -> int:
    return max(data["config"]["sizes"])


def _at_large(data):
    """The sizes the site calls large: from 10 million elements up."""
    return [s for s in data["config"]["sizes"] if s >= 10_000_000]


@check("inplace-floor-below-copy-floor")
def _inplace_floor():
    data = load("sweep")
    bad = [
        (d, s)
        for d in data["config"]["dtypes"]
        for s in _at_large(data)
        if median(data, "floor_inplace", "inplace", d, s) >= median(data, "floor_copy", "out", d, s)
    ]
    return not bad, f"in-place floor not below the copy floor at {bad}"


@check("maximum-inplace-fastest-numpy-large")
def _maximum_inplace():
    data = load("sweep")
    bad = []
    for d in data["config"]["dtypes"]:
        for s in _at_large(data):
            best = min(
                rows(data, group="registry", dtype=d, size=s), key=lambda r: r["times_ns"]["median"]
            )
            if best["method"] != "maximum_inplace":
                bad.append((d, s, best["method"]))
    return not bad, f"another registry entry is fastest: {bad}"


@check("relu-inplace-faster-than-maximum-inplace-large")
def _relu_inplace():
    data = load("sweep")
    bad = [
        (d, s)
        for d in data["config"]["dtypes"]
        for s in _at_large(data)
        if verdict(
            median(data, "relu", "inplace", d, s) / median(data, "maximum_inplace", "inplace", d, s)
        )
        != "faster"
    ]
    return not bad, f"relu(x, out=x) not faster than np.maximum(x, 0, out=x) at {bad}"


@check("maximum-beats-multiply-large")
def _maximum_multiply():
    data = load("sweep")
    size = _largest(data)
    bad = [
        d
        for d in data["config"]["dtypes"]
        if median(data, "maximum", "allocating", d, size)
        >= median(data, "multiply", "allocating", d, size)
    ]
    return not bad, f"np.maximum(x, 0) not faster than x * (x > 0) at {size:,} for {bad}"


@check("boolean-index-slowest-large")
def _boolean_index_slowest():
    data = load("sweep")
    size = _largest(data)
    bad = []
    for d in data["config"]["dtypes"]:
        worst = max(
            rows(data, group="registry", dtype=d, size=size), key=lambda r: r["times_ns"]["median"]
        )
        if worst["method"] != "boolean_index":
            bad.append((d, worst["method"]))
    return not bad, f"another registry entry is slowest: {bad}"


@check("streaming-under-copy-floor")
def _streaming():
    data = load("sweep")
    size = _largest(data)
    bad = [
        d
        for d in data["config"]["dtypes"]
        if rows(data, method="relu", mode="out", dtype=d, size=size)[0]["ratio_to_floor"] >= 1
    ]
    return not bad, f"relu(x, out=buf) not under the copy floor for {bad}"


def floor_dtype_ratios(ctx) -> str:
    """The floors' float64 / float32 time ratios at the largest size, as a phrase."""
    data = load("sweep")
    size = _largest(data)
    parts = []
    for m, mode, what in (
        ("floor_copy", "out", "the copy"),
        ("floor_inplace", "inplace", "the in-place pass"),
    ):
        r = median(data, m, mode, "float64", size) / median(data, m, mode, "float32", size)
        parts.append(f"{r:.2f} for {what}")
    return f"{' and '.join(parts)} at {size:,} elements"


@check("two-slope-variants-under-baseline")
def _variants():
    data = load("sweep")
    size = _largest(data)
    bad = [
        (r["method"], r["dtype"], round(r["ratio_to_floor"], 2))
        for r in rows(data, group="variant", size=size)
        if r["method"] in ("leaky_relu", "prelu", "piecewise_linear") and r["ratio_to_floor"] >= 1
    ]
    return not bad, f"two-slope variants not under one np.maximum: {bad}"


@check("boolean-index-slower-with-negatives")
def _boolean_index():
    flawed = load("flawed")
    f = next(f for f in flawed["flawed"] if f["method"] == "boolean_index")
    return f["factor"] < 1, f"x[x < 0] = 0 on its fixed array / on fresh input = {f['factor']:.2f}"


MS = re.compile(r"(\d+(?:\.\d+)?)\s*ms\b")


def thread_numbers_in(sentence: str) -> tuple[bool, str]:
    """Every "N ms" of a sentence marked ``claim: thread`` is a number the thread prints."""
    quoted = [float(v) for v in MS.findall(sentence)]
    unknown = [v for v in quoted if v not in thread.numbers()]
    return bool(quoted) and not unknown, f"numbers not in the thread: {unknown} (quoted {quoted})"


@check("allocation-most-of-allocating-call")
def _allocation_share():
    flawed = load("flawed")
    f = next(f for f in flawed["flawed"] if f["pitfall"] == "allocation")
    share = 1 - 1 / f["factor"]
    return share > 0.5, f"allocation is {share:.0%} of the allocating call"


def _peak(name: str) -> float:
    import relu
    from relu_docs import correctness

    impls = {**relu.IMPLEMENTATIONS, **relu.COUNTEREXAMPLES}
    return correctness.allocation(impls[name].func)[1]


@check("peak-memory-mask")
def _peak_mask():
    peaks = {n: _peak(n) for n in ("multiply", "where")}
    ok = all(1.05 <= p <= 1.15 for p in peaks.values())
    return ok, f"peak memory of the masked forms, in input sizes: {peaks}"


@check("peak-memory-abs")
def _peak_abs():
    p = _peak("abs")
    return 0.95 <= p <= 1.05, f"peak memory of (abs(x) + x) / 2: {p:.2f} input sizes"


@check("relu-all-cores-under-one-core-copy-large")
def _under_one_core_copy():
    """On every committed machine, from 1e7 elements up, relu(x, out=buf) on every core
    takes less time than one core copying the same bytes (the Results page)."""
    from relu_docs import machines

    bad = []
    for key, views in machines.runs().items():
        data = views["all-cores"]
        for d in data["config"]["dtypes"]:
            for s in (s for s in data["config"]["sizes"] if s >= 10_000_000):
                ours = median(data, "relu", "out", d, s)
                if ours >= median(data, "floor_copy", "out", d, s):
                    bad.append((key, d, s))
    return not bad, f"relu(x, out=buf) not under the one-core copy at {bad}"
