"""The measurement core: time one call at a time, with preparation left out.

Everything the harness reports comes from [`measure`][relu.bench.timing.measure]. It is written so
that tests can check its logic without looking at a single duration: the
clock is a parameter, and ``prepare`` and ``call`` are plain callables, so a
fake clock and a recording function show what ran inside the timed region.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["measure", "summarize"]


def measure(
    call: Callable[[], Any],
    *,
    prepare: Callable[[], Any] | None = None,
    repeats: int = 7,
    warmup: int = 1,
    warmup_ns: int = 0,
    min_time_ns: int = 0,
    max_repeats: int = 2000,
    clock: Callable[[], int] = time.perf_counter_ns,
) -> list[int]:
    """Time ``call()`` repeatedly; return one duration per timed call, in ns.

    Only ``call()`` is between the two clock reads: ``prepare()`` runs before
    each call, untimed, and the result is released after the second read.
    Untimed warm-up calls come first; garbage collection is off while timing.
    At least ``repeats`` calls, then more until they add up to
    ``min_time_ns``, at most ``max_repeats``. See
    [Methodology](../benchmarks/methodology.md).

    Parameters
    ----------
    call : callable
        Zero-argument callable: the operation being measured, and nothing else.
    prepare : callable, optional
        Zero-argument callable run before every call (warm-up and timed),
        never timed. In-place methods use it to copy a pristine input into
        the array they are about to overwrite.
    repeats : int, default 7
        Minimum number of timed calls.
    warmup : int, default 1
        Number of untimed calls before the first timed one.
    warmup_ns : int, default 0
        Keep making untimed calls (with their preparation) until this many ns
        have passed on ``clock`` since the first, and at least ``warmup``.
    min_time_ns : int, default 0
        Keep adding timed calls until their total reaches this many ns.
    max_repeats : int, default 2000
        Upper bound on the number of timed calls.
    clock : callable, default time.perf_counter_ns
        Returns the current time in integer nanoseconds.

    Returns
    -------
    list of int
        The duration of each timed call, in clock units (ns).

    Raises
    ------
    ValueError
        If ``repeats`` is below 1, ``warmup`` or ``warmup_ns`` is negative, or
        ``max_repeats`` is below ``repeats``.

    Examples
    --------
    A fake clock that ticks by 1 on every read shows that each timed call
    lies between two consecutive reads, and that ``prepare`` runs outside:

    >>> from itertools import count
    >>> ticks = count()
    >>> log = []
    >>> def clock():
    ...     log.append("clock")
    ...     return next(ticks)
    >>> measure(lambda: log.append("call"), prepare=lambda: log.append("prepare"),
    ...         repeats=2, warmup=1, clock=clock)
    [1, 1]
    >>> log
    ['prepare', 'call', 'prepare', 'clock', 'call', 'clock', 'prepare', 'clock', 'call', 'clock']
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    if warmup < 0:
        raise ValueError(f"warmup must be non-negative, got {warmup}")
    if warmup_ns < 0:
        raise ValueError(f"warmup_ns must be non-negative, got {warmup_ns}")
    if max_repeats < repeats:
        raise ValueError(f"max_repeats ({max_repeats}) must be at least repeats ({repeats})")
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        started, warmed = clock() if warmup_ns else 0, 0
        while warmed < warmup or (warmup_ns and clock() - started < warmup_ns):
            if prepare is not None:
                prepare()
            call()
            warmed += 1
        times: list[int] = []
        spent = 0
        while len(times) < repeats or (spent < min_time_ns and len(times) < max_repeats):
            if prepare is not None:
                prepare()
            start = clock()
            result = call()
            stop = clock()
            del result
            times.append(stop - start)
            spent += stop - start
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


def summarize(times_ns) -> dict[str, float]:
    """Order statistics of a list of durations: n, min, q1, median, q3, max.

    The median is the headline figure: unlike the mean it ignores the odd
    call interrupted by the operating system, and unlike the minimum it
    does not reward a lucky cache state. The quartiles give the spread.

    Parameters
    ----------
    times_ns : sequence of int
        Durations in ns, at least one.

    Returns
    -------
    dict
        ``{"n", "min", "q1", "median", "q3", "max"}``; ``n`` is an int, the
        others are ns as floats (quartiles interpolate linearly).

    Raises
    ------
    ValueError
        If ``times_ns`` is empty.

    Examples
    --------
    >>> summarize([5, 1, 3, 2, 4])
    {'n': 5, 'min': 1.0, 'q1': 2.0, 'median': 3.0, 'q3': 4.0, 'max': 5.0}
    """
    values = np.asarray(times_ns, dtype=np.float64)
    if values.size == 0:
        raise ValueError("no durations to summarize")
    lo, q1, med, q3, hi = np.percentile(values, [0, 25, 50, 75, 100])
    return {
        "n": int(values.size),
        "min": float(lo),
        "q1": float(q1),
        "median": float(med),
        "q3": float(q3),
        "max": float(hi),
    }


class _Counter:
    """The progress line without tqdm: ``12/40 cases`` on stderr, rewritten in place."""

    def __init__(self, total: int, unit: str, disable: bool | None) -> None:
        self.total, self.unit, self.done = total, unit, 0
        self.show = sys.stderr.isatty() if disable is None else not disable

    def __enter__(self) -> _Counter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.show:
            print(file=sys.stderr)

    def set_description(self, text: str) -> None:
        self.text = text

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.show:
            print(f"\r{self.done}/{self.total} {self.unit}s", end="", file=sys.stderr, flush=True)


def progress_bar(total: int, unit: str, disable: bool | None) -> Any:
    """tqdm's bar on stderr where tqdm is installed (the ``bench`` extra), else a counter;
    ``disable=None`` shows it only on a terminal."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _Counter(total, unit, disable)
    return tqdm(total=total, disable=disable, unit=unit, file=sys.stderr, leave=False)
