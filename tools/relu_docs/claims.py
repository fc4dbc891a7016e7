"""Comparative sentences: rendered from the benchmark results, or checked against them.

A sentence on the site that says faster, slower, level, ahead, N× or
"costs more" is one of two kinds:

* rendered: a renderer writes it from the results (``relu_docs.machines``
  for relu against its peers), naming where it holds, so new results give
  a new, still true sentence;
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
