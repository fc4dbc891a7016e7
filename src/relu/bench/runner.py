"""Run the grid of cases and return the results as a JSON-ready dict.

The schema of that dict (and of the file ``relu-bench --output`` writes) is
documented in [`relu.bench`][relu.bench] and checked by [`validate`][relu.bench.runner.validate].
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
import platform
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .. import __version__
from ..core import hardware
from .cases import (
    DEFAULT_DTYPES,
    DEFAULT_SIZES,
    DTYPES,
    PEERS,
    RELU_THREADS,
    VERSUS_ORDER,
    build_cases,
    load_peers,
    select_methods,
)
from .timing import measure, progress_bar, summarize

__all__ = [
    "SCHEMA_VERSION",
    "make_input",
    "machine_info",
    "versions",
    "set_peer_threads",
    "peer_threads",
    "run_benchmark",
    "validate",
]

SCHEMA_VERSION = 2
"""Version of the results format; bumped on any incompatible change."""


def make_input(size: int, dtype: str, seed: int = 0) -> np.ndarray:
    """The benchmark input: ``size`` standard-normal values, half of them negative.

    Parameters
    ----------
    size : int
        Number of elements.
    dtype : str
        NumPy dtype name, such as ``"float64"``.
    seed : int, default 0
        Seed of NumPy's default generator.

    Returns
    -------
    numpy.ndarray
        One-dimensional, C-contiguous, of the given dtype.

    Examples
    --------
    >>> x = make_input(1000, "float32")
    >>> x.dtype, x.shape, 400 < int((x < 0).sum()) < 600
    (dtype('float32'), (1000,), True)
    """
    rng = np.random.default_rng(seed)
    return rng.standard_normal(size, dtype=np.float64).astype(dtype)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _cpu_id() -> dict[str, str]:
    """Vendor, family, model and stepping from /proc/cpuinfo (empty elsewhere):
    what tells CPUs apart when the model name is generic ("AMD EPYC")."""
    found: dict[str, str] = {}
    names = {
        "vendor_id": "vendor",
        "cpu family": "family",
        "model": "model",
        "stepping": "stepping",
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                if not line.strip():
                    break  # the first processor only
                if key.strip() in names:
                    found[names[key.strip()]] = value.strip()
    except OSError:
        pass
    return found


def machine_key(machine: dict[str, Any]) -> str:
    """A file-name-safe name for a machine kind: vendor, family/model, the loops'
    ISA, one core's L2 and the cores, such as ``amd-f26m2-avx512-l2-1m-2c``.

    Examples
    --------
    >>> machine_key({"cpu_id": {"vendor": "AuthenticAMD", "family": "25", "model": "17"},
    ...              "usable_cores": 2,
    ...              "relu": {"simd": "avx512", "caches": {"L2": 1 << 20}}})
    'amd-f25m17-avx512-l2-1m-2c'
    """
    cpu = machine.get("cpu_id", {})
    vendor = {"AuthenticAMD": "amd", "GenuineIntel": "intel"}.get(cpu.get("vendor", ""), "cpu")
    l2 = machine["relu"].get("caches", {}).get("L2", 0)
    l2_text = f"{l2 >> 20}m" if l2 >= 1 << 20 and l2 % (1 << 20) == 0 else f"{l2 >> 10}k"
    return (
        f"{vendor}-f{cpu.get('family', 'x')}m{cpu.get('model', 'x')}-{machine['relu']['simd']}"
        f"-l2-{l2_text}-{machine.get('usable_cores')}c"
    )


def machine_info() -> dict[str, Any]:
    """CPU model and identity (vendor, family, model, stepping), logical cores
    (total and usable), architecture, OS, and what ``relu`` found and chose on
    it ([`relu.hardware`][relu.hardware]); ``key`` names the machine kind.

    Examples
    --------
    >>> sorted(machine_info())
    ['arch', 'cpu', 'cpu_id', 'key', 'logical_cores', 'os', 'relu', 'usable_cores']
    """
    usable: int | None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    info = {
        "cpu": _cpu_model(),
        "cpu_id": _cpu_id(),
        "logical_cores": os.cpu_count(),
        "usable_cores": usable,
        "arch": platform.machine(),
        "os": platform.platform(),
        "relu": hardware(),
    }
    return {**info, "key": machine_key(info)}


def versions(peers: dict[str, Any]) -> dict[str, str | None]:
    """Python, NumPy, relu and each peer's version (``None`` if not installed).

    ``relu_loops`` says which loops ``relu`` ran ([`relu.loops`][relu.loops]).

    Examples
    --------
    >>> v = versions({})
    >>> v["numpy"] == np.__version__, v["torch"]
    (True, None)
    """
    from ..core import loops

    info: dict[str, str | None] = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "relu": __version__,
        "relu_loops": loops(),
    }
    for name in PEERS:
        module = peers.get(name)
        info[name] = getattr(module, "__version__", None) if module is not None else None
    return info


def set_peer_threads(peers: dict[str, Any], threads: int) -> None:
    """Ask every loaded peer to use ``threads`` threads."""
    if "torch" in peers:
        peers["torch"].set_num_threads(threads)
    if "numexpr" in peers:
        peers["numexpr"].set_num_threads(threads)
    if "numba" in peers:
        peers["numba"].set_num_threads(threads)


def peer_threads(peers: dict[str, Any]) -> dict[str, int | None]:
    """Threads each peer uses (NumPy's ufuncs always use 1).

    Examples
    --------
    >>> peer_threads({})
    {'numpy': 1, 'torch': None, 'numexpr': None, 'numba': None}
    """
    get = {
        "torch": lambda m: m.get_num_threads(),
        "numexpr": lambda m: m.get_num_threads() if hasattr(m, "get_num_threads") else m.nthreads,
        "numba": lambda m: m.get_num_threads(),
    }
    out: dict[str, int | None] = {"numpy": 1}
    for name in PEERS:
        out[name] = int(get[name](peers[name])) if name in peers else None
    return out


def _refresh(work: np.ndarray, x: np.ndarray) -> None:
    """Restore an in-place method's work array from the pristine input (never timed)."""
    np.copyto(work, x)


def _result_array(value, target):
    """The array a call produced: its return value, or ``target`` if it returned None."""
    if value is None:
        return target
    return np.asarray(value)


def _verify(method, value, x, target) -> None:
    """Check a method's first result against ``np.maximum(x, 0)``, or its own
    ``expected``, untimed."""
    got = _result_array(value, target)
    if method.check is not None:
        if not method.check(got, x):
            raise AssertionError(
                f"{method.name} ({method.mode}) differs from its reference formula"
            )
        return
    want = np.maximum(x, 0) if method.expected is None else method.expected(x)
    if got.shape != want.shape or not np.array_equal(got, want):
        raise AssertionError(f"{method.name} ({method.mode}) computed a wrong ReLU")


@contextlib.contextmanager
def _threads(loaded: dict[str, Any], threads: int | None):
    """``threads`` for relu's calls and the peers during a run; their own counts after."""
    before = peer_threads(loaded)
    if threads is not None:
        set_peer_threads(loaded, threads)
    token = RELU_THREADS.set(threads)
    try:
        yield
    finally:
        RELU_THREADS.reset(token)
        for name, n in before.items():
            if name in loaded and n is not None:
                set_peer_threads({name: loaded[name]}, n)


def run_benchmark(
    *,
    sizes: Iterable[int] = DEFAULT_SIZES,
    dtypes: Iterable[str] = DEFAULT_DTYPES,
    methods: Iterable[str] | None = None,
    repeats: int = 7,
    min_time: float = 0.1,
    max_repeats: int = 2000,
    warmup: int = 1,
    warmup_time: float = 0.01,
    rounds: int = 3,
    seed: int = 0,
    threads: int | None = None,
    peers: Iterable[str] = PEERS,
    importer: Callable[[str], Any] | None = None,
    clock: Callable[[], int] | None = None,
    progress: bool | None = None,
    command: str | None = None,
    kind: str = "sweep",
    settle: float = 0.02,
) -> dict[str, Any]:
    """Measure every selected method over ``dtypes x sizes``; return the results.

    Inputs are made once per dtype and size; in-place methods get a fresh copy
    before every call, untimed; each method's first result is checked. The
    calls are taken in ``rounds`` through every method, so a slow spell of the
    machine falls on all of them. See [Methodology](../benchmarks/methodology.md).

    Parameters
    ----------
    sizes, dtypes : iterable
        Element counts, and dtype names (``"float16"``, ``"float32"``, ``"float64"``).
    methods : iterable of str, optional
        Method or peer names (all when ``None``); the one-core copies always run.
    repeats, min_time, max_repeats : int, float, int
        Timed calls per case: at least ``repeats``, more until ``min_time``
        seconds, at most ``max_repeats`` ([`measure`][relu.bench.measure]).
    warmup, warmup_time : int, float
        Untimed calls before each round's share, lasting at least ``warmup_time`` s.
    rounds : int
        Rounds per dtype and size.
    seed : int
        Seed of the input data.
    threads : int, optional
        Threads for the peers and ``relu``'s ``threads=``; their defaults when ``None``.
    peers : iterable of str
        Peers to import; ``()`` for NumPy only.
    importer, clock : callable, optional
        Replace `importlib.import_module` and `time.perf_counter_ns` (tests).
    progress : bool or None
        A progress bar on stderr; ``None``: only on a terminal.
    command : str, optional
        The command line to record.
    kind : str
        ``"sweep"``, or ``"versus"``: every other round in the reverse order.
    settle : float
        Seconds of idle after each method's share, so that spinning threads
        of one library do not take a core from the next.

    Returns
    -------
    dict
        See the schema in [`relu.bench`][relu.bench].

    Raises
    ------
    ValueError
        For an unknown dtype or method name, or a size below 1.
    RuntimeError
        If a registry implementation has no benchmark case.

    Examples
    --------
    >>> out = run_benchmark(sizes=[1000], dtypes=["float32"], methods=["relu"],
    ...                     repeats=2, min_time=0, peers=(), progress=False)
    >>> [(r["method"], r["mode"]) for r in out["results"]]  # doctest: +NORMALIZE_WHITESPACE
    [('floor_copy', 'out'), ('floor_inplace', 'inplace'), ('relu', 'allocating'),
     ('relu', 'out'), ('relu', 'inplace')]
    """
    sizes = [int(s) for s in sizes]
    dtypes = list(dtypes)
    if any(s < 1 for s in sizes):
        raise ValueError(f"sizes must be at least 1, got {sizes}")
    bad = [d for d in dtypes if d not in DTYPES]
    if bad:
        raise ValueError(f"unsupported dtype(s) {bad}; choose from {list(DTYPES)}")
    selected = select_methods(methods)
    wanted_peers = [p for p in peers if any(m.peer == p for m in selected)]
    loaded, missing = load_peers(wanted_peers, **({"importer": importer} if importer else {}))
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    cases = build_cases(selected, dtypes, sizes, loaded)
    with _threads(loaded, threads):
        per_round = -(-repeats // rounds)
        timing: dict[str, Any] = {
            "repeats": per_round,
            "warmup": warmup,
            "warmup_ns": int(warmup_time * 1e9),
            "max_repeats": max(per_round, -(-max_repeats // rounds)),
            "min_time_ns": int(min_time * 1e9) // rounds,
        }
        if clock is not None:
            timing["clock"] = clock

        results: list[dict[str, Any]] = []
        skipped: dict[tuple, dict[str, Any]] = {}
        bar = progress_bar(
            rounds * sum(c.skip is None for c in cases),
            "case",
            None if progress is None else not progress,
        )
        with bar:
            for dtype in dtypes:
                for size in sizes:
                    here = [c for c in cases if c.dtype == dtype and c.size == size]
                    x = make_input(size, dtype, seed)
                    work = np.empty_like(x)
                    buf = np.empty_like(x)
                    # (method, call, prepare, samples, round medians) of each case to time
                    ready: list[tuple[Any, Any, Any, list[int], list[float]]] = []
                    for case in here:
                        method = case.method
                        if case.skip is not None:
                            skipped.setdefault(
                                (method.name, method.mode, dtype),
                                {
                                    "method": method.name,
                                    "mode": method.mode,
                                    "dtype": dtype,
                                    "reason": case.skip,
                                },
                            )
                            continue
                        module = loaded.get(method.peer) if method.peer else None
                        if method.mode == "inplace":
                            call = method.bind(work, None, module)
                            prepare = functools.partial(_refresh, work, x)
                            target = work
                        else:
                            call = method.bind(x, buf, module)
                            prepare = None
                            target = buf
                        if method.group != "floor":
                            if prepare is not None:
                                prepare()
                            _verify(method, call(), x, target)
                        ready.append((method, call, prepare, [], []))
                    if kind == "versus":  # each comparison's two sides one after the other
                        rank = {key: i for i, key in enumerate(VERSUS_ORDER)}
                        ready.sort(key=lambda r: rank.get((r[0].name, r[0].mode), len(rank)))
                    for k in range(rounds):
                        # versus: every other round in the reverse order, so that each side of
                        # a comparison follows the other as often as it precedes it
                        order = ready[::-1] if kind == "versus" and k % 2 else ready
                        for method, call, prepare, samples, medians in order:
                            bar.set_description(f"{dtype} {size:>10,} {method.label}")
                            share = measure(call, prepare=prepare, **timing)
                            samples.extend(share)
                            medians.append(float(np.median(share)))
                            bar.update()
                            if settle > 0:
                                time.sleep(settle)
                    floors: dict[str, float] = {}
                    for method, _, _, samples, medians in ready:
                        stats = summarize(samples)
                        if method.group == "floor":
                            floors[method.name] = stats["median"]
                        results.append(
                            {
                                "method": method.name,
                                "mode": method.mode,
                                "group": method.group,
                                "expression": method.expression,
                                "peer": method.peer,
                                "dtype": dtype,
                                "size": size,
                                "nbytes": int(x.nbytes),
                                "floor": method.floor,
                                "passes": method.passes,
                                "times_ns": stats,
                                "round_medians_ns": medians,
                            }
                        )
                    for entry in results:
                        if entry["dtype"] == dtype and entry["size"] == size:
                            median = entry["times_ns"]["median"]
                            floor = floors.get(entry["floor"])
                            entry["ratio_to_floor"] = median / floor if floor else None
                            # bytes read + bytes written, per ns = GB/s
                            moved = entry["passes"] * entry["nbytes"]
                            entry["gbps"] = moved / median if median > 0 else None
                    del x, work, buf
        head = header(kind, command, loaded, missing)
    return {
        **head,
        "config": {
            "sizes": sizes,
            "dtypes": dtypes,
            "methods": None if methods is None else list(methods),
            "repeats": repeats,
            "min_time_s": min_time,
            "max_repeats": max_repeats,
            "warmup": warmup,
            "warmup_s": warmup_time,
            "rounds": rounds,
            "alternate_rounds": kind == "versus",
            "settle_s": settle,
            "seed": seed,
            "relu_threads": threads,
        },
        "results": results,
        "skipped": list(skipped.values()),
        "flawed": [],
    }


def header(kind: str, command: str | None, loaded: dict, missing: list) -> dict[str, Any]:
    """The fields every results file starts with: what, when, where, with which versions."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": kind,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "machine": machine_info(),
        "versions": versions(loaded),
        "threads": peer_threads(loaded),
        "missing_peers": missing,
    }


_TOP = {
    "schema_version": int,
    "kind": str,
    "date": str,
    "command": (str, type(None)),
    "machine": dict,
    "versions": dict,
    "threads": dict,
    "missing_peers": list,
    "config": dict,
    "results": list,
    "skipped": list,
    "flawed": list,
}
_RESULT = {
    "method": str,
    "mode": str,
    "group": str,
    "expression": str,
    "peer": (str, type(None)),
    "dtype": str,
    "size": int,
    "nbytes": int,
    "floor": str,
    "passes": int,
    "times_ns": dict,
    "ratio_to_floor": (float, type(None)),
    "gbps": (float, type(None)),
}
_STATS = ("n", "min", "q1", "median", "q3", "max")
_FLAWED = {
    "pitfall": str,
    "title": str,
    "method": str,
    "expression": str,
    "dtype": str,
    "size": int,
    "flawed_setup": str,
    "correct_setup": str,
    "flawed": dict,
    "correct": dict,
    "factor": float,
}


def validate(data: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless ``data`` follows the documented schema.

    Checks the keys and types of the top level, of every result, of every
    flawed entry and of every statistics block, and that the statistics are
    ordered (``min <= q1 <= median <= q3 <= max``).

    Examples
    --------
    >>> validate({"schema_version": 1})
    Traceback (most recent call last):
    ...
    ValueError: top level: missing keys ['command', 'config', 'date', 'flawed', 'kind', 'machine',
    'missing_peers', 'results', 'skipped', 'threads', 'versions']
    """

    def check(obj, spec, where):
        if not isinstance(obj, dict):
            raise ValueError(f"{where}: expected an object")
        missing = sorted(set(spec) - set(obj))
        if missing:
            raise ValueError(f"{where}: missing keys {missing}")
        for key, kind in spec.items():
            value = obj[key]
            if isinstance(value, bool) or not isinstance(value, kind):
                if not (
                    kind is float or (isinstance(kind, tuple) and float in kind)
                ) or not isinstance(value, int):
                    raise ValueError(f"{where}: {key!r} has type {type(value).__name__}")

    def check_stats(stats, where):
        missing = [k for k in _STATS if k not in stats]
        if missing:
            raise ValueError(f"{where}: missing statistics {missing}")
        values = [stats[k] for k in _STATS[1:]]
        if stats["n"] < 1 or values != sorted(values):
            raise ValueError(f"{where}: statistics are not ordered: {stats}")

    check(data, _TOP, "top level")
    if data["schema_version"] != SCHEMA_VERSION:
        raise ValueError(f"schema_version {data['schema_version']} is not {SCHEMA_VERSION}")
    for key in ("cpu", "logical_cores", "os"):
        if key not in data["machine"]:
            raise ValueError(f"machine: missing {key!r}")
    for key in ("python", "numpy", *PEERS):
        if key not in data["versions"]:
            raise ValueError(f"versions: missing {key!r}")
    for key in ("sizes", "dtypes", "repeats"):
        if key not in data["config"]:
            raise ValueError(f"config: missing {key!r}")
    datetime.datetime.fromisoformat(data["date"])
    for i, entry in enumerate(data["results"]):
        check(entry, _RESULT, f"results[{i}]")
        check_stats(entry["times_ns"], f"results[{i}].times_ns")
        if entry["mode"] not in ("allocating", "out", "inplace"):
            raise ValueError(f"results[{i}]: unknown mode {entry['mode']!r}")
        medians = entry.get("round_medians_ns")
        if medians is not None:
            rounds = data["config"].get("rounds")
            if (
                not isinstance(medians, list)
                or (rounds is not None and len(medians) != rounds)
                or not all(isinstance(m, (int, float)) and m >= 0 for m in medians)
            ):
                raise ValueError(
                    f"results[{i}]: round_medians_ns must be {rounds} durations, got {medians!r}"
                )
    for i, entry in enumerate(data["flawed"]):
        check(entry, _FLAWED, f"flawed[{i}]")
        check_stats(entry["flawed"], f"flawed[{i}].flawed")
        check_stats(entry["correct"], f"flawed[{i}].correct")
