"""The benchmark harness: its logic, checked on tiny sizes, never its durations."""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path

import numpy as np
import pytest

import relu
from relu import IMPLEMENTATIONS, Implementation
from relu.bench import (
    DEFAULT_DTYPES,
    DEFAULT_SIZES,
    PITFALLS,
    SCHEMA_VERSION,
    Method,
    build_cases,
    check_registry_covered,
    flawed,
    format_summary,
    load,
    make_input,
    measure,
    run_benchmark,
    run_flawed,
    runner,
    save,
    select_methods,
    summarize,
    validate,
)
from relu.bench.__main__ import _size, main
from relu.bench.cases import REGISTRY_MODES
from relu.implementations import relu_boolean_index, relu_maximum_inplace

ROOT = Path(__file__).resolve().parents[1]
# The published results, wherever the package is installed (they ship with it).
DATA = Path(__import__("relu.bench.report").bench.report.__file__).with_name("data")
TINY = dict(
    sizes=[64],
    dtypes=["float64"],
    repeats=3,
    min_time=0,
    peers=(),
    progress=False,
    settle=0,
    warmup_time=0,
)


class Recorder:
    """A fake in-place ReLU that keeps a copy of every input it receives."""

    def __init__(self):
        self.seen: list[np.ndarray] = []

    def __call__(self, x):
        self.seen.append(x.copy())
        return np.maximum(x, 0, out=x)


def recording_method(recorder, name="recorder"):
    return Method(
        name, "inplace", "registry", "recorder(x)", lambda x, out, module: lambda: recorder(x)
    )


# ---------------------------------------------------------------- measure


def test_measure_reads_the_clock_only_around_the_call():
    log = []
    ticks = count()

    def clock():
        log.append("clock")
        return next(ticks)

    times = measure(
        lambda: log.append("call"),
        prepare=lambda: log.append("prepare"),
        repeats=4,
        warmup=2,
        clock=clock,
    )
    assert times == [1, 1, 1, 1]
    assert log[:4] == ["prepare", "call", "prepare", "call"]  # warm-up: no clock
    timed = log[4:]
    assert timed == ["prepare", "clock", "call", "clock"] * 4


def test_measure_adds_calls_until_min_time_within_max_repeats():
    ticks = count(step=10)  # every timed call "takes" 10 ns
    assert len(measure(lambda: None, repeats=3, min_time_ns=95, clock=lambda: next(ticks))) == 10
    assert (
        len(
            measure(
                lambda: None,
                repeats=3,
                min_time_ns=10**9,
                max_repeats=25,
                clock=lambda: next(ticks),
            )
        )
        == 25
    )
    assert len(measure(lambda: None, repeats=3, min_time_ns=0, clock=lambda: next(ticks))) == 3


def test_measure_keeps_the_result_alive_until_the_clock_is_read():
    events = []

    class Result:
        def __del__(self):
            events.append("freed")

    ticks = count()

    def clock():
        events.append("clock")
        return next(ticks)

    measure(Result, repeats=1, warmup=0, clock=clock)
    assert events == ["clock", "clock", "freed"]


@pytest.mark.parametrize(
    "kwargs", [{"repeats": 0}, {"warmup": -1}, {"repeats": 5, "max_repeats": 4}]
)
def test_measure_rejects_bad_counts(kwargs):
    with pytest.raises(ValueError):
        measure(lambda: None, **kwargs)


def test_summarize_is_ordered_and_rejects_nothing_to_summarize():
    stats = summarize([40, 10, 30, 20, 1000])
    assert stats["n"] == 5 and stats["median"] == 30
    assert stats["min"] <= stats["q1"] <= stats["median"] <= stats["q3"] <= stats["max"]
    with pytest.raises(ValueError):
        summarize([])


# ---------------------------------------------------------------- cases


def test_every_registry_implementation_has_a_case_with_its_mode():
    check_registry_covered()
    assert set(REGISTRY_MODES) == set(IMPLEMENTATIONS)
    for name, impl in IMPLEMENTATIONS.items():
        assert (REGISTRY_MODES[name] == "inplace") == impl.inplace


def test_harness_refuses_to_run_with_an_unbenchmarked_implementation(monkeypatch):
    monkeypatch.setitem(
        IMPLEMENTATIONS,
        "softplus",
        Implementation("softplus", np.logaddexp, False, "not declared", "np.logaddexp(x, 0)"),
    )
    with pytest.raises(RuntimeError, match="softplus"):
        run_benchmark(**TINY)


def test_harness_refuses_a_case_whose_mode_contradicts_the_registry(monkeypatch):
    monkeypatch.setitem(REGISTRY_MODES, "boolean_index", "allocating")
    with pytest.raises(RuntimeError, match="boolean_index"):
        check_registry_covered()


def test_unsupported_combinations_are_skipped_with_a_reason():
    methods = select_methods(["numexpr", "torch"])
    cases = build_cases(methods, ["float16", "float32"], [10], available_peers={"numexpr"})
    skips = {(c.method.name, c.dtype): c.skip for c in cases}
    assert skips[("numexpr.where", "float16")] == "numexpr has no float16"
    assert skips[("numexpr.where", "float32")] is None
    assert "torch is not installed" in skips[("torch.relu", "float32")]
    assert skips[("floor_copy", "float16")] is None


def test_select_methods_always_keeps_the_floors_and_rejects_unknown_names():
    names = [(m.name, m.mode) for m in select_methods(["relu"])]
    assert names == [
        ("floor_copy", "out"),
        ("floor_inplace", "inplace"),
        ("relu", "allocating"),
        ("relu", "out"),
        ("relu", "inplace"),
    ]
    with pytest.raises(ValueError, match="no_such_method"):
        select_methods(["no_such_method"])


def test_inplace_floor_preserves_every_value_bit_for_bit():
    """The floor rewrites x without changing it, so repeating it measures the same work."""
    floor = next(m for m in select_methods() if m.name == "floor_inplace")
    x = np.array([-2.0, -0.0, 0.0, 1.5, np.inf, -np.inf, np.nan, 5e-324])
    before = x.view(np.uint64).copy()
    floor.bind(x, None, None)()
    assert np.array_equal(x.view(np.uint64), before)


# ---------------------------------------------------------------- the runner


def test_inplace_methods_receive_a_fresh_input_before_every_call(monkeypatch):
    recorder = Recorder()
    floors = [m for m in select_methods() if m.group == "floor"]
    monkeypatch.setattr(
        runner, "select_methods", lambda names: floors + [recording_method(recorder)]
    )
    data = run_benchmark(**{**TINY, "repeats": 6})
    pristine = make_input(64, "float64")
    assert (pristine < 0).any()
    # one verification call, then three rounds of one warm-up call and two timed calls
    entry = next(r for r in data["results"] if r["method"] == "recorder")
    assert data["config"]["rounds"] == 3
    assert len(recorder.seen) == 1 + 3 + entry["times_ns"]["n"] == 10
    for received in recorder.seen:
        assert np.array_equal(received, pristine)


def test_rounds_interleave_the_methods(monkeypatch):
    order = []

    def method(name):
        return Method(
            name,
            "out",
            "registry",
            name,
            lambda x, out, module: lambda: order.append(name) or np.maximum(x, 0, out=out),
        )

    floors = [m for m in select_methods() if m.group == "floor"]
    monkeypatch.setattr(runner, "select_methods", lambda names: floors + [method("a"), method("b")])
    data = run_benchmark(**{**TINY, "repeats": 2, "warmup": 0, "rounds": 2})
    # a verification call each, then two rounds of one timed call each, a before b
    assert order == ["a", "b", "a", "b", "a", "b"]
    assert {r["method"]: r["times_ns"]["n"] for r in data["results"]}["a"] == 2
    assert all(len(r["round_medians_ns"]) == 2 for r in data["results"])
    with pytest.raises(ValueError, match="rounds"):
        run_benchmark(**{**TINY, "rounds": 0})


def test_preparation_is_not_timed(monkeypatch):
    """A virtual clock advanced only by the work: refills and input generation cost a lot, calls
    1000.
    """
    now = [0]

    def tick(ns):
        now[0] += ns

    real_refresh, real_make_input = runner._refresh, runner.make_input
    monkeypatch.setattr(runner, "_refresh", lambda work, x: (tick(10**6), real_refresh(work, x)))
    monkeypatch.setattr(runner, "make_input", lambda *a: (tick(10**9), real_make_input(*a))[1])

    class Costly(Recorder):
        def __call__(self, x):
            tick(1000)
            return super().__call__(x)

    floors = [m for m in select_methods() if m.group == "floor"]
    monkeypatch.setattr(
        runner, "select_methods", lambda names: floors + [recording_method(Costly())]
    )
    data = run_benchmark(**TINY, clock=lambda: now[0])
    entry = next(r for r in data["results"] if r["method"] == "recorder")
    assert entry["times_ns"]["min"] == entry["times_ns"]["max"] == 1000


def test_allocating_methods_never_modify_the_input(monkeypatch):
    seen = []

    def spy(x):
        seen.append(x)
        return np.maximum(x, 0)

    method = Method(
        "spy", "allocating", "registry", "spy(x)", lambda x, out, module: lambda: spy(x)
    )
    floors = [m for m in select_methods() if m.group == "floor"]
    monkeypatch.setattr(runner, "select_methods", lambda names: floors + [method])
    run_benchmark(**TINY)
    pristine = make_input(64, "float64")
    assert len({id(x) for x in seen}) == 1
    assert np.array_equal(seen[0], pristine)


def test_a_method_that_computes_the_wrong_thing_is_not_timed(monkeypatch):
    wrong = Method(
        "abs_only", "allocating", "registry", "np.abs(x)", lambda x, out, module: lambda: np.abs(x)
    )
    floors = [m for m in select_methods() if m.group == "floor"]
    monkeypatch.setattr(runner, "select_methods", lambda names: floors + [wrong])
    with pytest.raises(AssertionError, match="abs_only"):
        run_benchmark(**TINY)


def test_a_run_covers_every_registry_method_and_the_three_modes_of_relu():
    data = run_benchmark(
        sizes=[100, 1000],
        dtypes=["float32", "float64"],
        repeats=2,
        min_time=0,
        peers=(),
        progress=False,
    )
    measured = {(r["method"], r["mode"], r["dtype"], r["size"]) for r in data["results"]}
    for dtype in ("float32", "float64"):
        for size in (100, 1000):
            for name, mode in REGISTRY_MODES.items():
                assert (name, mode, dtype, size) in measured
            for mode in ("allocating", "out", "inplace"):
                assert ("relu", mode, dtype, size) in measured
            assert ("floor_copy", "out", dtype, size) in measured
            assert ("floor_inplace", "inplace", dtype, size) in measured


def test_ratio_and_bandwidth_are_derived_from_the_median_and_the_right_floor():
    data = run_benchmark(**{**TINY, "sizes": [1000]})
    floors = {
        r["method"]: r["times_ns"]["median"] for r in data["results"] if r["group"] == "floor"
    }
    own_floor = {
        "relu_grad": "floor_copy_new",
        "relu_backward": "floor_add_new",
        **{
            n: "floor_maximum"
            for n, a in relu.ACTIVATIONS.items()
            if a.linear_pieces and n != "relu"
        },
    }
    assert set(own_floor) <= {r["method"] for r in data["results"]}
    for r in data["results"]:
        expected_floor = own_floor.get(
            r["method"], "floor_inplace" if r["mode"] == "inplace" else "floor_copy"
        )
        assert r["floor"] == expected_floor
        assert r["ratio_to_floor"] == pytest.approx(
            r["times_ns"]["median"] / floors[expected_floor]
        )
        passes = 3 if r["method"] in ("relu_backward", "floor_add_new") else 2
        assert r["passes"] == passes
        assert r["gbps"] == pytest.approx(passes * r["nbytes"] / r["times_ns"]["median"])
        assert r["nbytes"] == 1000 * 8


def test_gradient_cases_are_checked_against_their_own_expected_result(monkeypatch):
    import relu.gradients

    monkeypatch.setattr(relu.gradients, "relu_grad", lambda x: (x >= 0).astype(x.dtype))
    x = make_input(1000, "float64", 0)
    x[0] = 0.0  # where x >= 0 and x > 0 differ
    method = next(m for m in select_methods(["relu_grad"]) if m.name == "relu_grad")
    with pytest.raises(AssertionError, match="relu_grad"):
        runner._verify(method, method.bind(x, None, None)(), x, None)


def test_every_activation_has_a_benchmark_case_checked_against_its_reference(monkeypatch):
    cases = {
        m.name: m
        for m in select_methods(list(relu.ACTIVATIONS))
        if m.group in ("variant", "smooth")
    }
    assert set(cases) == set(relu.ACTIVATIONS) - {"relu"}
    x = make_input(1000, "float32", 0)
    for name, method in cases.items():
        runner._verify(method, method.bind(x, None, None)(), x, None)  # the real function passes
        wrong = method.bind(x, None, None)() * np.float32(1.001) + np.float32(1e-3)
        with pytest.raises(AssertionError, match=name):
            runner._verify(method, wrong, x, None)


def test_missing_peers_are_named_and_their_cases_skipped():
    def importer(name):
        raise ImportError(name)

    data = run_benchmark(**{**TINY, "peers": ("torch", "numexpr", "numba")}, importer=importer)
    assert data["missing_peers"] == ["torch", "numexpr", "numba"]
    assert all(data["versions"][p] is None for p in ("torch", "numexpr", "numba"))
    assert {s["method"] for s in data["skipped"]} == {
        "torch.relu",
        "torch.gt_to",
        "torch.threshold_backward",
        "torch.clamp_min",
        "torch.relu_",
        "numexpr.where",
        "numba.prange",
    }
    assert not any(r["group"] == "peer" for r in data["results"])
    assert "peers not installed: torch, numexpr, numba" in format_summary(data)


@pytest.mark.parametrize("peer", ["torch", "numexpr", "numba"])
def test_installed_peers_are_measured_with_their_thread_count(peer):
    pytest.importorskip(peer)
    data = run_benchmark(**{**TINY, "peers": (peer,), "repeats": 1}, methods=[peer])
    validate(data)
    measured = [r for r in data["results"] if r["peer"] == peer]
    assert measured and data["versions"][peer]
    assert isinstance(data["threads"][peer], int) and data["threads"][peer] >= 1
    assert peer not in data["missing_peers"]


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="dtype"):
        run_benchmark(**{**TINY, "dtypes": ["int32"]})
    with pytest.raises(ValueError, match="sizes"):
        run_benchmark(**{**TINY, "sizes": [0]})


# ---------------------------------------------------------------- schema


def test_results_follow_the_documented_schema_through_a_json_round_trip(tmp_path):
    data = run_benchmark(**TINY, command="relu-bench --test")
    path = save(data, tmp_path / "sub" / "results.json")
    loaded = load(path)
    validate(loaded)
    assert loaded == json.loads(json.dumps(data))
    assert loaded["schema_version"] == SCHEMA_VERSION == 2 and loaded["kind"] == "sweep"
    assert set(loaded["machine"]) >= {"cpu", "logical_cores", "os"}
    assert set(loaded["versions"]) >= {"python", "numpy", "torch", "numexpr", "numba"}
    assert loaded["config"]["sizes"] == [64] and loaded["config"]["dtypes"] == ["float64"]


def test_each_round_keeps_its_own_median(monkeypatch):
    """A clock on which every call of round k lasts k + 1 µs: the pooled median mixes the
    rounds, the round medians keep them apart, in the order they ran."""

    def call():
        return None

    floors = [m for m in select_methods() if m.group == "floor"]
    method = Method("m", "out", "registry", "m", lambda x, out, module: call)
    monkeypatch.setattr(runner, "select_methods", lambda names: floors + [method])
    monkeypatch.setattr(runner, "_verify", lambda *args: None)
    now, state = [0], {"round": -1, "open": False}

    def clock():  # the second read of each pair closes a call of (round + 1) µs
        if state["open"]:
            now[0] += (state["round"] + 1) * 1000
        state["open"] = not state["open"]
        return now[0]

    real_measure = runner.measure

    def measure(timed, **kw):
        if timed is call:
            state["round"] += 1
        return real_measure(timed, **kw)

    monkeypatch.setattr(runner, "measure", measure)
    data = run_benchmark(**{**TINY, "repeats": 6, "rounds": 3}, clock=clock)
    validate(data)
    entry = next(r for r in data["results"] if r["method"] == "m")
    assert entry["round_medians_ns"] == [1000.0, 2000.0, 3000.0]
    assert entry["times_ns"]["median"] == 2000.0 and entry["times_ns"]["n"] == 6


@pytest.mark.parametrize(
    "breakage",
    ["drop_key", "wrong_type", "unordered", "bad_mode", "bad_date", "rounds", "negative_round"],
)
def test_validate_rejects_broken_results(breakage):
    data = json.loads(json.dumps(run_benchmark(**TINY)))
    entry = data["results"][-1]
    if breakage == "drop_key":
        del entry["gbps"]
    elif breakage == "wrong_type":
        entry["size"] = "64"
    elif breakage == "unordered":
        entry["times_ns"]["min"] = entry["times_ns"]["max"] + 1
    elif breakage == "bad_mode":
        entry["mode"] = "sometimes"
    elif breakage == "rounds":
        entry["round_medians_ns"] = entry["round_medians_ns"][:-1]
    elif breakage == "negative_round":
        entry["round_medians_ns"][0] = -1.0
    else:
        data["date"] = "yesterday"
    with pytest.raises(ValueError):
        validate(data)


@pytest.mark.parametrize("name, kind", [("results.json", "sweep"), ("flawed.json", "flawed")])
def test_committed_results_follow_the_schema(name, kind):
    data = load(DATA / name)
    validate(data)
    assert data["kind"] == kind


@pytest.mark.parametrize("name", ["results.json"])
def test_committed_runs_warm_up_and_keep_each_rounds_median(name):
    """Both published runs follow the protocol the methodology page describes:
    warm-up time before each share, and each round's median kept."""
    data = load(DATA / name)
    assert data["config"]["warmup_s"] > 0
    rounds = data["config"]["rounds"]
    assert all(len(r["round_medians_ns"]) == rounds for r in data["results"])


def test_committed_sweep_is_a_full_default_run():
    """The Results page must show what ``relu-bench`` measures by default."""
    data = load(DATA / "results.json")
    assert data["config"]["sizes"] == list(DEFAULT_SIZES)
    assert data["config"]["dtypes"] == list(DEFAULT_DTYPES)
    measured = {(r["method"], r["mode"]) for r in data["results"]}
    assert {(n, m) for n, m in REGISTRY_MODES.items()} <= measured
    assert {("relu", m) for m in ("allocating", "out", "inplace")} <= measured


def test_committed_flawed_run_covers_every_pitfall():
    data = load(DATA / "flawed.json")
    assert [(f["pitfall"], f["method"]) for f in data["flawed"]] == [
        (p.name, p.method) for p in PITFALLS
    ]


# ---------------------------------------------------------------- flawed set-ups


def test_timeit_on_the_mutated_array_only_ever_fixes_negatives_once():
    x = make_input(1000, "float64")
    negatives = []

    def counting(a):
        negatives.append(int((a < 0).sum()))
        return relu_boolean_index(a)

    bad, good = flawed.mutated_input(counting, x, np.empty_like(x))
    measure(bad.call, prepare=bad.prepare, repeats=5, warmup=1)
    assert negatives[0] == int((x < 0).sum()) > 0
    assert negatives[1:] == [0] * 5  # every timed call ran on an already rectified array
    negatives.clear()
    measure(good.call, prepare=good.prepare, repeats=5, warmup=1)
    assert negatives == [int((x < 0).sum())] * 6


def test_generation_in_the_timer_is_inside_the_clock_reads():
    log = []
    ticks = count()

    def clock():
        log.append("clock")
        return next(ticks)

    def generate():
        log.append("generate")
        return make_input(100, "float64")

    x = make_input(100, "float64")
    for inplace, func in [(False, np.negative), (True, relu_maximum_inplace)]:
        bad, good = flawed.generation_in_timer(func, generate, x, np.empty_like(x), inplace)
        log.clear()
        measure(bad.call, prepare=bad.prepare, repeats=2, warmup=0, clock=clock)
        assert log == ["clock", "generate", "clock"] * 2
        log.clear()
        measure(good.call, prepare=good.prepare, repeats=2, warmup=0, clock=clock)
        assert "generate" not in log


def test_allocation_dominated_timing_allocates_a_new_result_every_call():
    x = make_input(1000, "float64")
    buf = np.empty_like(x)
    bad, good = flawed.allocation(
        IMPLEMENTATIONS["maximum"].func, lambda a, b: np.maximum(a, 0, out=b), x, buf
    )
    first, second = bad.call(), bad.call()
    assert not np.shares_memory(first, second) and not np.shares_memory(first, buf)
    assert good.call() is buf and good.call() is buf
    assert np.array_equal(first, buf)


def test_run_flawed_reports_every_pitfall_with_its_factor():
    ticks = count()
    data = run_flawed(sizes=[100], repeats=2, min_time=0, progress=False, clock=lambda: next(ticks))
    validate(data)
    assert data["kind"] == "flawed" and data["results"] == []
    assert [(f["pitfall"], f["method"]) for f in data["flawed"]] == [
        (p.name, p.method) for p in PITFALLS
    ]
    for f in data["flawed"]:
        assert f["factor"] == f["flawed"]["median"] / f["correct"]["median"] == 1.0  # fake clock


# ---------------------------------------------------------------- command line


@pytest.mark.parametrize(
    "text, value",
    [("1000", 1000), ("2.5e7", 25_000_000), ("25_000_000", 25_000_000), ("5000x5000", 25_000_000)],
)
def test_sizes_accept_the_usual_spellings(text, value):
    assert _size(text) == value


def test_command_line_writes_valid_json_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "r.json"
    status = main(
        [
            "--sizes",
            "1000",
            "--dtypes",
            "float32",
            "--methods",
            "maximum",
            "relu",
            "--repeats",
            "2",
            "--min-time",
            "0",
            "--no-peers",
            "--output",
            str(out),
        ]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert "float32, 1,000 elements" in printed and "maximum" in printed
    data = load(out)
    validate(data)
    assert data["command"].startswith("relu-bench --sizes 1000")
    assert {r["method"] for r in data["results"]} == {
        "floor_copy",
        "floor_inplace",
        "maximum",
        "relu",
    }


def test_command_line_flawed_mode(tmp_path, capsys):
    out = tmp_path / "f.json"
    assert (
        main(
            [
                "--flawed",
                "--sizes",
                "1000",
                "--repeats",
                "2",
                "--min-time",
                "0",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "timeit on the mutated array" in printed
    assert "too fast" in printed or "too slow" in printed or "within 5%" in printed
    validate(load(out))


def test_command_line_rejects_an_unknown_method(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--sizes", "10", "--methods", "nope", "--no-peers"])
    assert exc.value.code == 2
    assert "unknown method" in capsys.readouterr().err


def test_command_line_lists_methods(capsys):
    assert main(["--list"]) == 0
    listed = capsys.readouterr().out
    for name in IMPLEMENTATIONS:
        assert name in listed


def test_list_piped_into_a_reader_that_has_gone_ends_quietly():
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "relu.bench", "--list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader is gone before the first line, like `| head -0`
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def test_a_default_run_leaves_the_smooth_activations_to_be_asked_for():
    default = {m.name for m in select_methods(None)}
    smooth = {m.name for m in select_methods(["smooth"]) if m.group == "smooth"}
    assert smooth and not smooth & default
    assert {"gelu", "mish", "silu"} <= smooth
    assert {"leaky_relu", "hardtanh", "threshold"} <= default


def test_versus_measures_relu_against_every_peer_with_the_all_core_floors():
    from relu.bench.cases import CORE_FLOORS, VERSUS_METHODS, VERSUS_SIZES

    assert VERSUS_SIZES[0] == 100 and VERSUS_SIZES[-1] == 100_000_000
    assert all(b / a <= 10 for a, b in zip(VERSUS_SIZES, VERSUS_SIZES[1:]))  # every decade
    names = {m.name for m in select_methods(VERSUS_METHODS)}
    assert {"relu", "relu_grad", "relu_backward", "torch.relu", "torch.threshold_backward"} <= names
    assert {n for floors in CORE_FLOORS.values() for n in floors} <= names
    assert (
        not names & {"floor_copy_cores", "floor_inplace_cores"} & {m.name for m in select_methods()}
    )  # a plain run leaves the all-core floors out
    data = run_benchmark(
        sizes=[1000],
        dtypes=["float64"],
        methods=VERSUS_METHODS,
        repeats=2,
        min_time=0,
        rounds=1,
        peers=(),
        progress=False,
        kind="versus",
    )
    validate(data)
    assert data["kind"] == "versus"
    measured = {r["method"] for r in data["results"]}
    if relu._kernel._native is not None:
        assert {n for floors in CORE_FLOORS.values() for n in floors} <= measured
    else:
        assert "floor_copy_cores" in {s["method"] for s in data["skipped"]}


def test_the_all_core_floors_copy_and_rewrite_exactly():
    methods = {
        m.name: m
        for m in select_methods(
            [
                "floor_copy_cores",
                "floor_copy_cores_stream",
                "floor_new_cores",
                "floor_new_cores_stream",
                "floor_inplace_cores",
            ]
        )
    }
    if relu._kernel._native is None:
        pytest.skip("the all-core floors need the compiled loops")
    x = make_input(100_003, "float32", 1)
    for name in ("floor_copy_cores", "floor_copy_cores_stream"):
        out = np.zeros_like(x)
        methods[name].bind(x, out, None)()
        assert out.tobytes() == x.tobytes()
    for name in ("floor_new_cores", "floor_new_cores_stream"):
        untouched = np.zeros_like(x)
        new = methods[name].bind(x, untouched, None)()
        assert new is not x and new.tobytes() == x.tobytes()
        assert not untouched.any()  # a new array each call, not the buffer
    work = x.copy()
    methods["floor_inplace_cores"].bind(work, None, None)()
    assert work.tobytes() == x.tobytes()


def test_spin_cost_measures_each_setting_in_its_own_process():
    from relu.bench.spin import SPIN_SETTINGS, spin_cost

    if relu._kernel._native is None or not relu._kernel._native.THREADED:
        pytest.skip("spinning is a property of the compiled loops' helpers")
    cost = spin_cost(size=20_000, calls=5, gap_s=0.0)
    spins = [s["spin_us"] for s in cost["settings"]]
    assert len(spins) == len(SPIN_SETTINGS) and spins[0] == 0 and spins[1] > 0
    assert all(s["wall_ns"] > 0 for s in cost["settings"])


def test_warm_up_lasts_at_least_its_time_untimed():
    """A clock advanced only by the calls (5 ns each): 3 warm-up calls cover 12 ns of warm-up
    time, and none of them is among the timed ones."""
    now, log = [0], []

    def call():
        now[0] += 5
        log.append("call")

    times = measure(call, repeats=2, warmup=1, warmup_ns=12, clock=lambda: now[0])
    assert times == [5, 5]
    assert len(log) == 3 + 2
    with pytest.raises(ValueError, match="warmup_ns"):
        measure(call, warmup_ns=-1)


def test_a_versus_round_times_each_comparison_side_by_side(monkeypatch):
    """In a versus run each of relu's calls is timed next to its peer, whatever order the
    methods were selected in: before it in one round, after it in the next."""
    from relu.bench.cases import VERSUS_ORDER

    order = []

    def method(name, mode):
        def bind(x, out, module):
            return lambda: order.append((name, mode)) or np.maximum(x, 0)

        return Method(name, mode, "peer" if "." in name else "registry", name, bind)

    floors = [m for m in select_methods() if m.group == "floor"]
    chosen = [method("torch.relu_", "inplace"), method("torch.relu", "allocating")]
    chosen += [method("relu", "inplace"), method("relu", "allocating")]
    monkeypatch.setattr(runner, "select_methods", lambda names: floors + chosen)
    monkeypatch.setattr(runner, "_verify", lambda *args: None)
    run_benchmark(**{**TINY, "repeats": 3, "warmup": 0, "rounds": 3}, kind="versus")
    timed = order[len(chosen) :]  # after one check call each
    expected = [k for k in VERSUS_ORDER if k in {(m.name, m.mode) for m in chosen}]
    assert expected == [
        ("relu", "allocating"),
        ("torch.relu", "allocating"),
        ("relu", "inplace"),
        ("torch.relu_", "inplace"),
    ]
    floor_names = [(m.name, m.mode) for m in floors]
    timed = [k for k in timed if k not in floor_names]
    assert timed == expected + expected[::-1] + expected


def test_both_versus_views_time_np_maximum_in_every_mode():
    from relu.bench.__main__ import versus_methods

    for threads in (1, None):
        names = versus_methods(threads)
        assert {"maximum", "relu_numpy"} <= set(names)  # np.maximum new, out= and in place
    assert not any("_cores" in m or m in ("relu_grad", "relu_backward") for m in versus_methods(1))
