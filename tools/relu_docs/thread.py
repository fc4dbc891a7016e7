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
COMMENTS = {
    "generation alone (n1k31t4's comment)": 273,
    "Richard Möhn's np.maximum(x, 0, x), as ivanpp quotes it": 38.4,
    "Richard Möhn's np.maximum(x, 0), as ivanpp quotes it": 238,
}


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


# The thread at a glance: each timed claim, what it timed, its flaw, and the
# harness's number for the same calls on a named machine, one results file per row.


def _sweep_ms(data: dict, method: str) -> float:
    for r in data["results"]:
        if r["method"] == method and r["dtype"] == "float64" and r["size"] == 25_000_000:
            return r["times_ns"]["median"] / 1e6
    raise KeyError(method)


def _flawed_ms(data: dict, pitfall: str, method: str) -> tuple[float, float]:
    for e in data["flawed"]:
        if e["pitfall"] == pitfall and e["method"] == method:
            return e["flawed"]["median"] / 1e6, e["correct"]["median"] / 1e6
    raise KeyError((pitfall, method))


def _where(data: dict) -> str:
    from relu_docs.machines import machine_name

    return f"{machine_name(data)}, {data['date'][:10]}"


def _row(claim: str, timed: str, flaw: str, here: str) -> str:
    return (
        f'<div class="thread-row"><p><strong>{claim}</strong></p>'
        f"<p><em>Timed:</em> {timed}</p><p><em>Flaw:</em> {flaw}</p>"
        f"<p><em>Measured here:</em> {here}</p></div>"
    )


def card(ctx) -> str:
    """Every timed claim of the thread, its flaw, and the corrected number."""
    import html

    from relu.bench import published

    sweep, flawed = published(), published("flawed")
    c = lambda text: f"<code>{html.escape(text)}</code>"  # noqa: E731
    ms = lambda v: f"{v:g} ms"  # noqa: E731
    names = {
        "np.maximum(x, 0)": "maximum",
        "np.maximum(x, 0, x)": "maximum_inplace",
        "x * (x > 0)": "multiply",
        "(abs(x) + x) / 2": "abs",
        "x[x < 0] = 0": "boolean_index",
    }

    def printed(b: Benchmark) -> str:
        return ", ".join(f"{c(e)} {ms(v)}" for e, v in b.results.items())

    def harness(b: Benchmark) -> str:
        got = {e: _sweep_ms(sweep, names[e]) for e in b.results if e in names}
        best = min(got, key=got.__getitem__)
        listed = ", ".join(f"{c(e)} {v:.0f} ms" for e, v in got.items())
        return f"{listed}. Fastest: {c(best)}. One core each, {_where(sweep)}."

    first, revised, tobias, ivanpp = BENCHMARKS
    fixed, fresh = _flawed_ms(flawed, "mutated_input", "boolean_index")
    gen_bad, gen_good = _flawed_ms(flawed, "generation_in_timer", "maximum")
    mohn = list(COMMENTS.values())[1:]
    rows = [
        _row(
            f"First answer (IVlad, 2015): {printed(first)}",
            "new 200 MB results from one 5000×5000 float64 array, best of 3 rounds",
            "none in the set-up; one machine and the NumPy of 2015",
            harness(first),
        ),
        _row(
            f"Richard Möhn's first result, as ivanpp quotes it: {c('np.maximum(x, 0, x)')} "
            f"{ms(mohn[0])} against {c('np.maximum(x, 0)')} {ms(mohn[1])}",
            "an in-place call against an allocating one",
            "the in-place call skips allocating a 200 MB result: another mode, not a "
            "faster ReLU (pitfall 3)",
            f"{_sweep_ms(sweep, 'maximum_inplace'):.0f} ms in place, "
            f"{_sweep_ms(sweep, 'maximum'):.0f} ms allocating ({_where(sweep)})",
        ),
        _row(
            f"The revised answer: {printed(revised)}",
            "one wall-clock reading around 20 calls per method",
            "one sample per method, so one slow or fast spell sets the order (pitfall 4)",
            harness(revised),
        ),
        _row(
            f"Tobias: {c('x[x < 0] = 0')} {ms(tobias.results['x[x < 0] = 0'])}",
            "%timeit on one shared array",
            "the first call removed every negative, so later calls had nothing to do "
            "(pitfall 1); Tobias's edit says so",
            f"{fixed:.0f} ms on the already-ReLU'd array, {fresh:.0f} ms on a fresh copy each call "
            f"({_where(flawed)})",
        ),
        _row(
            f"ivanpp: {printed(ivanpp)}",
            "each call first generated its own random 5000×5000 input",
            "the generator is most of every number (pitfall 2)",
            f"{c('np.maximum(x, 0)')} {gen_bad:.0f} ms with the generation, {gen_good:.0f} ms "
            f"without ({_where(flawed)})",
        ),
    ]
    return '<div class="thread-card">' + "".join(rows) + "</div>"


def runs_differ(ctx) -> str:
    """The same call in the two results files the card uses: how far two runs differ."""
    from relu.bench import published

    sweep, flawed = published(), published("flawed")
    a = _sweep_ms(sweep, "maximum")
    b = _flawed_ms(flawed, "generation_in_timer", "maximum")[1]
    return (
        f"Rows from different runs differ: `np.maximum(x, 0)` on the same input took {a:.0f} ms "
        f"in the {sweep['date'][:10]} run and {b:.0f} ms in the {flawed['date'][:10]} run, on "
        "machines of the same kind. Compare numbers within a row."
    )
