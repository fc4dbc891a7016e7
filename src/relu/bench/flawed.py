"""The thread's three measurement mistakes, reproduced beside the right way.

Each pitfall builds two [`Setup`][relu.bench.flawed.Setup] objects for the same expression: the
*flawed* one, arranged the way one of the thread's benchmarks was, and the
*correct* one, arranged the way the harness measures. Both are timed by the
same [`relu.bench.measure`][relu.bench.measure], so the only difference is the set-up.

``mutated_input``
    ``timeit`` repeats an in-place statement on one array: after the first
    call there is nothing left to fix. Correct: refill the array before
    every call, untimed.
``generation_in_timer``
    the input is generated inside the timed function, so the figure is
    mostly the random number generator. Correct: generate once, outside.
``allocation``
    the timed call allocates and page-faults a fresh result array (200 MB
    for the thread's 5000x5000 float64), so the figure is mostly memory
    management. Correct: write into a preallocated ``out=`` buffer, which
    isolates the ReLU itself; allocation is a real cost of allocating code,
    but it is not a property of the expression.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from ..implementations import IMPLEMENTATIONS
from .runner import header, make_input
from .timing import measure, progress_bar, summarize

__all__ = [
    "Setup",
    "Pitfall",
    "PITFALLS",
    "mutated_input",
    "generation_in_timer",
    "allocation",
    "run_flawed",
    "describe_factor",
]

FLAWED_SIZE = 25_000_000
"""The thread's 5000x5000 array."""


@dataclass(frozen=True)
class Setup:
    """A timed ``call`` and an untimed ``prepare`` (or ``None``), as
    [`measure`][relu.bench.flawed.measure] takes them.
    """

    call: Callable[[], Any]
    prepare: Callable[[], Any] | None
    description: str


def mutated_input(func, x: np.ndarray, work: np.ndarray) -> tuple[Setup, Setup]:
    """Flawed and correct set-ups for an in-place ``func``.

    Flawed: ``work`` is filled from ``x`` once, then every call, warm-up
    included, runs on what the previous call left, as ``%timeit`` does.
    Correct: ``work`` is refilled from ``x`` before every call, untimed.

    Examples
    --------
    >>> import numpy as np
    >>> from relu.implementations import relu_boolean_index
    >>> x = np.array([-1.0, 2.0, -3.0])
    >>> flawed, correct = mutated_input(relu_boolean_index, x, np.empty_like(x))
    >>> flawed.call().tolist(), flawed.call().tolist()
    ([0.0, 2.0, 0.0], [0.0, 2.0, 0.0])
    >>> _ = correct.prepare(); correct.call() is not x
    True
    """
    np.copyto(work, x)
    flawed = Setup(partial(func, work), None, "same array every call (timeit)")
    correct = Setup(
        partial(func, work), partial(np.copyto, work, x), "fresh copy before every call, untimed"
    )
    return flawed, correct


def generation_in_timer(
    func, generate: Callable[[], np.ndarray], x: np.ndarray, work: np.ndarray, inplace: bool
) -> tuple[Setup, Setup]:
    """Flawed and correct set-ups that differ in where the input is made.

    Flawed: every timed call first runs ``generate()`` then ``func`` on its
    result. Correct: ``x`` was generated beforehand; an in-place ``func``
    gets ``work`` refilled from ``x`` before each call, untimed.

    Examples
    --------
    >>> import numpy as np
    >>> made = []
    >>> def generate():
    ...     made.append(1)
    ...     return np.array([-1.0, 1.0])
    >>> x = np.array([-1.0, 1.0])
    >>> flawed, correct = generation_in_timer(np.negative, generate, x, np.empty_like(x), False)
    >>> _ = flawed.call(); _ = correct.call(); len(made)
    1
    """
    flawed = Setup(lambda: func(generate()), None, "random input generated inside the timed call")
    if inplace:
        correct = Setup(
            partial(func, work),
            partial(np.copyto, work, x),
            "input generated once; fresh copy before every call, untimed",
        )
    else:
        correct = Setup(partial(func, x), None, "input generated once, outside the timer")
    return flawed, correct


def allocation(func_allocating, func_out, x: np.ndarray, buf: np.ndarray) -> tuple[Setup, Setup]:
    """Flawed and correct set-ups that differ in where the result goes.

    Flawed: ``func_allocating(x)`` returns a new array each call.
    Correct: ``func_out(x, buf)`` writes into the same preallocated ``buf``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([-1.0, 2.0]); buf = np.empty_like(x)
    >>> flawed, correct = allocation(lambda a: np.maximum(a, 0),
    ...                              lambda a, b: np.maximum(a, 0, out=b), x, buf)
    >>> flawed.call() is flawed.call(), correct.call() is buf
    (False, True)
    """
    flawed = Setup(partial(func_allocating, x), None, "new result array allocated by every call")
    correct = Setup(
        partial(func_out, x, buf), None, "result written into a preallocated out= buffer"
    )
    return flawed, correct


@dataclass(frozen=True)
class Pitfall:
    """One of the thread's mistakes applied to one registry method."""

    name: str
    title: str
    method: str
    expression: str
    build: Callable[[np.ndarray, np.ndarray, np.ndarray, np.random.Generator], tuple[Setup, Setup]]


def _generator(rng, size, dtype):
    # What the thread did: uniform in [-0.5, 0.5), a new array each time.
    return lambda: rng.random(size, dtype=np.dtype(dtype).type) - 0.5


def _maximum_out(x, buf):
    return np.maximum(x, 0, out=buf)


def _pitfalls() -> list[Pitfall]:
    impl = IMPLEMENTATIONS
    return [
        Pitfall(
            "mutated_input",
            "timeit on the mutated array",
            "boolean_index",
            impl["boolean_index"].expression,
            lambda x, work, buf, rng: mutated_input(impl["boolean_index"].func, x, work),
        ),
        Pitfall(
            "mutated_input",
            "timeit on the mutated array",
            "maximum_inplace",
            impl["maximum_inplace"].expression,
            lambda x, work, buf, rng: mutated_input(impl["maximum_inplace"].func, x, work),
        ),
        Pitfall(
            "generation_in_timer",
            "random generation inside the timer",
            "maximum",
            impl["maximum"].expression,
            lambda x, work, buf, rng: generation_in_timer(
                impl["maximum"].func, _generator(rng, x.size, x.dtype), x, work, False
            ),
        ),
        Pitfall(
            "generation_in_timer",
            "random generation inside the timer",
            "maximum_inplace",
            impl["maximum_inplace"].expression,
            lambda x, work, buf, rng: generation_in_timer(
                impl["maximum_inplace"].func, _generator(rng, x.size, x.dtype), x, work, True
            ),
        ),
        Pitfall(
            "allocation",
            "allocation-dominated timing",
            "maximum",
            impl["maximum"].expression,
            lambda x, work, buf, rng: allocation(impl["maximum"].func, _maximum_out, x, buf),
        ),
    ]


PITFALLS: list[Pitfall] = _pitfalls()
"""The pitfalls ``relu-bench --flawed`` measures, in order."""


def describe_factor(factor: float) -> str:
    """``flawed / correct`` median as words.

    Examples
    --------
    >>> describe_factor(0.2), describe_factor(3.0), describe_factor(1.02)
    ('5.0x too fast', '3.0x too slow', 'within 5%')
    """
    if abs(factor - 1) < 0.05:
        return "within 5%"
    if factor < 1:
        return f"{1 / factor:.1f}x too fast"
    return f"{factor:.1f}x too slow"


def run_flawed(
    *,
    sizes=(FLAWED_SIZE,),
    dtypes=("float64",),
    repeats: int = 7,
    min_time: float = 0.1,
    max_repeats: int = 2000,
    warmup: int = 1,
    seed: int = 0,
    pitfalls: list[Pitfall] | None = None,
    clock: Callable[[], int] | None = None,
    progress: bool | None = None,
    command: str | None = None,
) -> dict[str, Any]:
    """Time every pitfall's flawed and correct set-ups; return a results dict.

    The dict has the same schema as [`relu.bench.run_benchmark`][relu.bench.run_benchmark]'s, with
    ``kind`` ``"flawed"``, ``results`` empty and one ``flawed`` entry per
    pitfall, dtype and size, whose ``factor`` is the flawed median divided by
    the correct one (below 1: the flawed set-up flatters the method).

    Examples
    --------
    >>> out = run_flawed(sizes=[1000], repeats=2, min_time=0, progress=False)
    >>> [(f["pitfall"], f["method"]) for f in out["flawed"]]  # doctest: +NORMALIZE_WHITESPACE
    [('mutated_input', 'boolean_index'), ('mutated_input', 'maximum_inplace'),
     ('generation_in_timer', 'maximum'), ('generation_in_timer', 'maximum_inplace'),
     ('allocation', 'maximum')]
    """
    pitfalls = PITFALLS if pitfalls is None else pitfalls
    timing: dict[str, Any] = {
        "repeats": repeats,
        "warmup": warmup,
        "max_repeats": max_repeats,
        "min_time_ns": int(min_time * 1e9),
    }
    if clock is not None:
        timing["clock"] = clock
    entries = []
    sizes, dtypes = [int(s) for s in sizes], list(dtypes)
    bar = progress_bar(
        len(sizes) * len(dtypes) * len(pitfalls),
        "pitfall",
        None if progress is None else not progress,
    )
    with bar:
        for dtype in dtypes:
            for size in sizes:
                x = make_input(size, dtype, seed)
                work, buf = np.empty_like(x), np.empty_like(x)
                rng = np.random.default_rng(seed + 1)
                for pitfall in pitfalls:
                    bar.set_description(f"{pitfall.name} {pitfall.method}")
                    flawed, correct = pitfall.build(x, work, buf, rng)
                    flawed_stats = summarize(measure(flawed.call, prepare=flawed.prepare, **timing))
                    correct_stats = summarize(
                        measure(correct.call, prepare=correct.prepare, **timing)
                    )
                    entries.append(
                        {
                            "pitfall": pitfall.name,
                            "title": pitfall.title,
                            "method": pitfall.method,
                            "expression": pitfall.expression,
                            "dtype": dtype,
                            "size": size,
                            "flawed_setup": flawed.description,
                            "correct_setup": correct.description,
                            "flawed": flawed_stats,
                            "correct": correct_stats,
                            "factor": flawed_stats["median"] / correct_stats["median"],
                        }
                    )
                    bar.update()
                del x, work, buf
    return {
        **header("flawed", command, {}, []),
        "threads": {"numpy": 1},
        "config": {
            "sizes": sizes,
            "dtypes": dtypes,
            "repeats": repeats,
            "min_time_s": min_time,
            "max_repeats": max_repeats,
            "warmup": warmup,
            "seed": seed,
        },
        "results": [],
        "skipped": [],
        "flawed": entries,
    }
