"""The reference thread's benchmarks, as its text gives them: one place for each number.

The site argues with a Q&A thread, "How to implement the ReLU function in
Numpy" (ten answers), and two articles that repeat it. Every number the site
quotes from them is here, with who measured it and how; pages render them
(``thread.table``) or quote them in sentences marked ``<!-- claim: thread -->``,
which the build checks against this module. ``tests/test_claims.py`` checks
this module against the thread's text where the reference material is at
hand (``../shared/seeds``).
"""

from __future__ import annotations

from dataclasses import dataclass

from relu_docs.tables import markdown_table

QUESTION_URL = "https://stackoverflow.com/questions/32109319"
TITLE = "How to implement the ReLU function in Numpy"
# The one answer address the thread's text carries (Tobias's answer, linked from a comment).
TOBIAS_URL = "https://stackoverflow.com/a/46837904"
ANSWERS = 10


@dataclass(frozen=True)
class Benchmark:
    """One answer's benchmark: how it timed, on what, and the numbers it printed."""

    key: str
    who: str
    timer: str
    setup: str
    results: dict[str, float]  # expression -> ms per call, as printed
    what_it_measured: str


BENCHMARKS = [
    Benchmark(
        "first",
        "the first answer (timings added by IVlad, August 2015)",
        "`%timeit -n10`, best of 3",
        "one 5000×5000 float64 array `np.random.random((5000, 5000)) - 0.5`, made once; every "
        "call allocates its result",
        {"np.maximum(x, 0)": 239, "x * (x > 0)": 145, "(abs(x) + x) / 2": 288},
        "allocating calls on the same array, each writing a new 200 MB result, on one machine "
        "and the NumPy of 2015",
    ),
    Benchmark(
        "mohn",
        "the revised answer (an earlier version of it is attributed to Richard Möhn)",
        "`time.time()` around 20 calls, once per method",
        "a fresh (20, 5000, 5000) float64 array per method, made before the clock starts; call "
        "`i` gets slice `x[i]`",
        {
            "np.maximum(x, 0)": 126,
            "np.maximum(x, 0, x)": 107,
            "x * (x > 0)": 136,
            "(abs(x) + x) / 2": 86,
            "x[x < 0] = 0": 132,
        },
        "one reading of the wall clock around 20 calls per method, with no repetition, so one "
        "slow or fast spell decides the order",
    ),
    Benchmark(
        "tobias",
        "Tobias's answer",
        "`%timeit -n10`, mean of 7 runs",
        "one 5000×5000 float64 array made once and shared by all five statements, in this order",
        {
            "np.maximum(x, 0)": 241,
            "np.maximum(x, 0, x)": 38.5,
            "x * (x > 0)": 162,
            "(abs(x) + x) / 2": 181,
            "x[x < 0] = 0": 20.3,
        },
        "in-place statements on an array they had already fixed: after the first in-place call "
        "`x` has no "
        "negatives left, so the later statements, the fancy index included, ran on non-negative "
        "data",
    ),
    Benchmark(
        "ivanpp",
        "ivanpp's answer",
        "`%timeit -n10`, best of 3",
        "each timed function first makes its own `np.random.random((5000, 5000)) - 0.5`",
        {
            "baseline (generation only)": 425,
            "x * (x > 0)": 596,
            "np.maximum(x, 0)": 682,
            "np.maximum(x, 0, x)": 602,
        },
        "mostly the random generator: the 'baseline' that only generated the input took 425 ms",
    ),
]

# Numbers quoted from comments: n1k31t4 timed the generator alone.
COMMENTS = {"generation alone (n1k31t4's comment)": 273}


def numbers() -> set[float]:
    """Every millisecond figure the thread prints."""
    found = {ms for b in BENCHMARKS for ms in b.results.values()}
    return found | set(COMMENTS.values())


def _ms(v: float) -> str:
    return f"{v:g} ms"


def table(ctx) -> str:
    """The thread's four benchmarks: who, how it timed, what it printed."""
    rows = []
    for b in BENCHMARKS:
        printed = "; ".join(f"`{e}` {_ms(v)}" for e, v in b.results.items())
        rows.append([b.who, b.timer, b.setup, printed])
    return markdown_table(["answer", "timer", "input", "printed (ms per call)"], rows)


def link(ctx) -> str:
    """The thread's title as a link."""
    return f"[{TITLE}]({QUESTION_URL})"
