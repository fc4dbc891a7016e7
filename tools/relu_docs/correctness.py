"""The correctness matrix: every implementation run against every edge case.

Nothing in the table is typed: :func:`evaluate` calls each function on small
probe arrays while the site builds and describes what came back. The tests in
``tests/test_correctness.py`` pin the meaning of the cells, so a change in
NumPy or in the package shows up as a failing test, not as a silently
different page.
"""

from __future__ import annotations

import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import relu
from relu_docs.tables import markdown_table

OK, BAD, ODD, INFO = "ok", "bad", "odd", "info"
SYMBOL = {OK: "✓ ", BAD: "✗ ", ODD: "~ ", INFO: ""}

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
SMALL_FLOATS = [np.float16, np.float32]
ZERO_FLOATS = [np.float16, np.float32, np.float64]
ALLOC_SIZE = 1 << 20  # float64 elements: 8 MiB, far above NumPy's fixed-size buffers


@dataclass(frozen=True)
class Cell:
    """One cell: a short text and a verdict (ok, bad, odd or info)."""

    text: str
    verdict: str = INFO

    def markdown(self) -> str:
        return SYMBOL[self.verdict] + self.text


@dataclass(frozen=True)
class Candidate:
    """A row: a function and where the site explains it."""

    key: str
    expression: str
    func: Callable
    link: str  # a page relative to docs/guide/, or "[identifier]" for an API cross-reference
    inplace: bool = False

    def label(self) -> str:
        target = self.link if self.link.startswith("[") else f"({self.link})"
        return f"[`{self.expression}`]{target}"


@dataclass
class Outcome:
    """What one call did: its result or exception, warnings, the argument afterwards."""

    arg_before: np.ndarray
    arg_after: np.ndarray
    result: object = None
    error: BaseException | None = None
    warned: list[str] = field(default_factory=list)


def candidates() -> list[Candidate]:
    """The rows: ``relu.relu``, every registry entry, the ``abs(x) * (x > 0)`` counterexample."""
    rows = [Candidate("relu", "relu.relu(x)", relu.relu, "[relu.relu]")]
    for impl in relu.IMPLEMENTATIONS.values():
        rows.append(
            Candidate(
                impl.name,
                impl.expression,
                impl.func,
                f"implementations.md#{impl.name}",
                impl.inplace,
            )
        )
    bad = relu.COUNTEREXAMPLES["abs_multiply"]
    rows.append(
        Candidate(bad.name, bad.expression, bad.func, "implementations.md#two-answers-not-to-copy")
    )
    return rows


def call(func: Callable, x: np.ndarray) -> Outcome:
    """Call ``func`` on a copy of ``x``, recording the result or exception and any warnings."""
    arg = x.copy()
    out = Outcome(arg_before=x.copy(), arg_after=arg)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out.result = func(arg)
        except Exception as error:  # reported in the table, not raised
            out.error = error
    out.warned = [str(w.message) for w in caught]
    return out


def _float(v) -> str:
    v = float(v)
    if np.isnan(v):
        return "NaN"
    if v == 0:
        return "-0.0" if np.signbit(v) else "0.0"
    return repr(v)


def _error(outcome: Outcome) -> str:
    return type(outcome.error).__name__


def special(func: Callable, value: float, expected: float) -> Cell:
    """One float64 special value in, one value out, compared with ``expected``."""
    outcome = call(func, np.array([value]))
    if outcome.error is not None:
        return Cell(_error(outcome), BAD)
    got = np.asarray(outcome.result, dtype=np.float64)[0]
    text = _float(got)
    same = (np.isnan(got) and np.isnan(expected)) or (
        got == expected and np.signbit(got) == np.signbit(expected)
    )
    if same:
        return Cell(text, OK)
    if got == expected:  # only the sign of zero differs
        return Cell(text, ODD)
    return Cell(text + (", warns" if outcome.warned else ""), BAD)


def negative_zero(func: Callable) -> Cell:
    """``-0.0`` in float16, float32 and float64: which dtypes keep the minus sign."""
    kept = []
    for dtype in ZERO_FLOATS:
        outcome = call(func, np.array([-0.0], dtype=dtype))
        if outcome.error is not None:
            return Cell(_error(outcome), BAD)
        if np.signbit(np.asarray(outcome.result)[0]):
            kept.append(np.dtype(dtype).name)
    if not kept:
        return Cell("0.0", OK)
    if len(kept) == len(ZERO_FLOATS):
        return Cell("-0.0", ODD)
    return Cell("-0.0 in " + ", ".join(kept), ODD)


def dtypes_kept(func: Callable, dtypes) -> Cell:
    """Whether every dtype in ``dtypes`` comes back unchanged; else the dtypes it becomes."""
    changed = []
    for dtype in dtypes:
        x = np.array([-3, 0, 4] if np.dtype(dtype).kind != "u" else [0, 4], dtype=dtype)
        outcome = call(func, x)
        if outcome.error is not None:
            return Cell(_error(outcome), BAD)
        got = np.asarray(outcome.result).dtype
        if got != np.dtype(dtype):
            changed.append(got.name)
    if not changed:
        return Cell("kept", OK)
    return Cell(", ".join(sorted(set(changed))), BAD)


BOOL_INPUT = np.array([True, False])
COMPLEX_INPUT = np.array([-1 + 2j, 1j, 2 - 1j])


def boolean(func: Callable) -> Cell:
    """A bool array: an exception, a silent promotion with right values, or wrong values."""
    outcome = call(func, BOOL_INPUT)
    if outcome.error is not None:
        return Cell(_error(outcome), OK)
    result = np.asarray(outcome.result)
    if result.astype(np.float64).tolist() == [1.0, 0.0]:
        return Cell(result.dtype.name, INFO)
    return Cell(f"{result.dtype.name}: True → {result.tolist()[0]}", BAD)


def complex_(func: Callable) -> Cell:
    """A complex array: any result is silently meaningless; an exception is the right answer."""
    outcome = call(func, COMPLEX_INPUT)
    if outcome.error is not None:
        return Cell(_error(outcome), OK)
    return Cell(np.asarray(outcome.result).dtype.name, BAD)


def mutates(func: Callable) -> Cell:
    """Whether the caller's array is different after the call."""
    outcome = call(func, np.array([-1.0, 2.0, -3.0]))
    if np.array_equal(outcome.arg_before, outcome.arg_after):
        return Cell("no", OK)
    return Cell("yes", BAD)


def allocation(func: Callable) -> tuple[bool, float]:
    """(result is a new array, peak bytes allocated during the call / input bytes).

    Measured with :mod:`tracemalloc`, which sees NumPy's array buffers, on a
    float64 array of :data:`ALLOC_SIZE` elements, half of them negative.
    """
    x = np.linspace(-1.0, 1.0, ALLOC_SIZE)
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = func(x)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return not np.shares_memory(result, x), peak / x.nbytes


def returns(func: Callable) -> Cell:
    new, _ = allocation(func)
    return Cell("new array" if new else "x itself", INFO)


def peak_memory(func: Callable) -> Cell:
    _, ratio = allocation(func)
    return Cell("0" if ratio < 0.005 else f"{ratio:.2g}×", INFO)


COLUMNS: list[tuple[str, str, str, Callable[[Callable], Cell]]] = [
    ("nan", "NaN", "values", lambda f: special(f, np.nan, np.nan)),
    ("neg_inf", "-inf", "values", lambda f: special(f, -np.inf, 0.0)),
    ("pos_inf", "+inf", "values", lambda f: special(f, np.inf, np.inf)),
    ("neg_zero", "-0.0", "values", negative_zero),
    ("int", "int dtypes", "dtypes", lambda f: dtypes_kept(f, INT_DTYPES)),
    ("float", "float16/32", "dtypes", lambda f: dtypes_kept(f, SMALL_FLOATS)),
    ("bool", "bool", "dtypes", boolean),
    ("complex", "complex", "dtypes", complex_),
    ("mutates", "mutates x", "memory", mutates),
    ("returns", "returns", "memory", returns),
    ("peak", "peak memory", "memory", peak_memory),
]
"""(key, header, table, probe): each probe takes the function and returns its :class:`Cell`.

The columns are shown as three tables (special values, dtypes, memory) with
the same rows, so that each fits the page's width.
"""
GROUPS = ["values", "dtypes", "memory"]


def evaluate(func: Callable) -> dict[str, Cell]:
    """Every column's cell for one function."""
    return {key: probe(func) for key, _, _, probe in COLUMNS}


def compute() -> dict[str, dict[str, Cell]]:
    """The whole matrix: candidate key to its cells."""
    return {c.key: evaluate(c.func) for c in candidates()}


def matrix(ctx, group: str) -> str:
    """The Markdown table of one column group of :func:`compute`, one row per candidate."""
    if group not in GROUPS:
        raise ValueError(f"unknown column group {group!r}; expected one of {GROUPS}")
    cells = compute()
    columns = [(key, header) for key, header, g, _ in COLUMNS if g == group]
    rows = [
        [c.label()] + [cells[c.key][key].markdown() for key, _ in columns] for c in candidates()
    ]
    from relu_docs.machines import numeric as fit

    return fit(
        markdown_table(["implementation"] + [h for _, h in columns], rows, "l" + "c" * len(columns))
    )


def probes(ctx) -> str:
    """The probe inputs, in one paragraph, so the page says what each column fed in."""
    ints = ", ".join(np.dtype(d).name for d in INT_DTYPES)
    return (
        "The probes: NaN and the infinities as one-element float64 arrays, and `[-0.0]` in "
        + ", ".join(np.dtype(d).name for d in ZERO_FLOATS)
        + f". `[-3, 0, 4]` (`[0, 4]` if unsigned) in {ints}, "
        + " and ".join(np.dtype(d).name for d in SMALL_FLOATS)
        + f". Bool `{BOOL_INPUT.tolist()}`, complex `{COMPLEX_INPUT.tolist()}`. For memory, a "
        f"float64 array of {ALLOC_SIZE:,} elements ({ALLOC_SIZE * 8 // 2**20} MiB), half "
        "negative, traced with `tracemalloc`.\n"
    )
