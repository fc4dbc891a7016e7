"""``relu-bench`` / ``python -m relu.bench``: the command line of the harness."""

from __future__ import annotations

import argparse
import math
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .cases import (
    DEFAULT_DTYPES,
    DEFAULT_SIZES,
    DTYPES,
    QUICK_SIZES,
    VERSUS_METHODS,
    VERSUS_SIZES,
)
from .flawed import FLAWED_SIZE
from .report import format_flawed, format_summary, save

DEFAULT_MIN_TIME = 0.1
"""Seconds of timed calls per case of a plain ``relu-bench``."""
QUICK_MIN_TIME = 0.01
"""The same with ``--quick``."""


def _size(text: str) -> int:
    """An element count: ``25000000``, ``25_000_000``, ``2.5e7`` or ``5000x5000``."""
    try:
        if "x" in text:
            value = 1
            for part in text.split("x"):
                value *= int(part)
        else:
            number = float(text.replace("_", ""))
            value = int(number)
            if value != number:
                raise ValueError
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"not a whole number of elements: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"size must be at least 1, got {text!r}")
    return value


def _memory_bytes() -> int | None:
    """The machine's physical memory, where the OS says it."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def check_fits(sizes, dtypes, memory: int | None) -> str | None:
    """Why the largest case cannot run here, or None: a case holds up to three arrays
    of its size (input, its copy, the result). Without ``memory``, what no machine holds.

    >>> print(check_fits([10**12], ["float32", "float64"], 16 * 2**30))
    size 1e+12 float64: its three arrays need 24,000,000,000,000 bytes;
    this machine has 17,179,869,184
    >>> check_fits([10**6], ["float64"], 2**34) is None
    True
    """
    n = max(sizes)
    dtype = max(dtypes, key=lambda d: np.dtype(d).itemsize)
    need = 3 * n * np.dtype(dtype).itemsize
    if need <= (sys.maxsize if memory is None else memory):
        return None
    has = "more than any machine has" if memory is None else f"this machine has {memory:,}"
    return f"size {n:g} {dtype}: its three arrays need {need:,} bytes; {has}"


def check_output(path: str) -> str | None:
    """Why ``path`` cannot take the results, or None; checked before the run."""
    p = Path(path)
    if p.is_dir():
        return f"--output {path}: is a directory; give a file name"
    parent = p.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"--output {path}: {parent} is a file, not a directory"
    if not os.access(parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        return f"--output {path}: not writable"
    return None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds >= 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relu-bench",
        description=(
            "Time every ReLU of the relu package (and torch, numexpr, numba when installed) "
            "against the hardware floor: a copy of the same bytes, and an in-place read and "
            "write. Inputs are prepared untimed; in-place methods get a fresh copy before "
            "every call."
        ),
    )
    sizes = " ".join(f"{s:g}" for s in DEFAULT_SIZES)
    parser.add_argument(
        "--sizes",
        nargs="+",
        type=_size,
        metavar="N",
        help=f"element counts, e.g. 1000 2.5e7 5000x5000 (default: {sizes})",
    )
    parser.add_argument(
        "--dtypes",
        nargs="+",
        choices=DTYPES,
        metavar="DTYPE",
        help=f"of {', '.join(DTYPES)} (default: {' '.join(DEFAULT_DTYPES)})",
    )
    parser.add_argument(
        "--methods",
        nargs="+",
        metavar="NAME",
        help="only these methods (e.g. relu maximum torch); the floors are always timed",
    )
    parser.add_argument(
        "--repeats",
        type=_positive_int,
        metavar="N",
        help="minimum timed calls per case (default: 7, --quick: 3)",
    )
    parser.add_argument(
        "--min-time",
        type=_seconds,
        metavar="SECONDS",
        help="time to spend in timed calls per case, up to 2000 calls "
        "(default: 0.1, --quick: 0.01)",
    )
    parser.add_argument(
        "--rounds",
        type=_positive_int,
        default=3,
        metavar="N",
        help="take each size's timed calls in N rounds through all methods, "
        "so a slow spell of the machine hits every method alike (default: 3)",
    )
    parser.add_argument(
        "--threads",
        type=_positive_int,
        metavar="N",
        help="threads for the peers (default: each library's own)",
    )
    parser.add_argument("--no-peers", action="store_true", help="NumPy only: do not import peers")
    parser.add_argument("--seed", type=int, default=0, help="seed of the input data (default: 0)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke test: sizes {' '.join(f'{s:g}' for s in QUICK_SIZES)}, "
        "fewer calls (sizes and repeats can still be given)",
    )
    parser.add_argument(
        "--flawed",
        action="store_true",
        help="reproduce the flawed %%timeit set-ups of the Stack Overflow thread 'How to "
        "implement the ReLU function in Numpy' (stackoverflow.com/questions/32109319) beside "
        "the correct ones "
        f"(default size {FLAWED_SIZE:g} float64, --quick: 1e6)",
    )
    parser.add_argument(
        "--versus",
        action="store_true",
        help="relu against every peer at every size from 1e2 to 1e8 "
        f"({' '.join(f'{s:g}' for s in VERSUS_SIZES)}), with the one-core and all-core "
        "floors and the CPU cost of the helpers' spinning (sizes and methods can still be given)",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="with --versus: run both views (every library on one thread, then on its default "
        "threads) and write them to relu/bench/data/machines/<machine>/, beside other "
        "machines' runs",
    )
    parser.add_argument("--output", "-o", metavar="PATH", help="write the results as JSON to PATH")
    parser.add_argument("--list", action="store_true", help="list the methods and exit")
    from relu import __version__

    parser.add_argument("--version", action="version", version=f"relu-bench {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Output piped into a program that stops reading early (``relu-bench
    --list | head``) ends the command quietly, as Unix tools do.
    """
    try:
        return _main(argv)
    except BrokenPipeError:
        # Send what is still buffered nowhere, so that the interpreter's own
        # flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: list[str] | None) -> int:
    from .cases import select_methods
    from .flawed import run_flawed

    parser = build_parser()
    args = parser.parse_args(argv)
    raw = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join(["relu-bench", *raw])

    if args.list:
        for m in select_methods():
            peer = f"  [{m.peer}]" if m.peer else ""
            print(f"{m.name:<16} {m.mode:<11} {m.expression}{peer}")
        return 0

    if args.sizes:  # the defaults fit any machine that runs the benchmark's largest case
        problem = check_fits(args.sizes, args.dtypes or DEFAULT_DTYPES, _memory_bytes())
    else:
        problem = None
    if args.output and problem is None:
        problem = check_output(args.output)
    if problem:
        parser.error(problem)
    repeats = args.repeats or (3 if args.quick else 7)
    min_time = (
        args.min_time
        if args.min_time is not None
        else (QUICK_MIN_TIME if args.quick else DEFAULT_MIN_TIME)
    )
    start = time.perf_counter()
    if args.flawed:
        data = run_flawed(
            sizes=args.sizes or ([1_000_000] if args.quick else [FLAWED_SIZE]),
            dtypes=args.dtypes or ["float64"],
            repeats=repeats,
            min_time=min_time,
            seed=args.seed,
            command=command,
        )
        print(format_flawed(data))
    elif args.versus and args.publish:
        from .report import VIEWS
        from .runner import machine_info

        folder = Path(__file__).with_name("data") / "machines" / machine_info()["key"]
        for view, threads in zip(VIEWS, (1, args.threads)):
            data = _run(args, parser, command, repeats, min_time, threads, view)
            print(f"{view}:\n{format_summary(data)}")
            print(f"saved {save(data, folder / f'{view}.json')}")
    else:
        data = _run(args, parser, command, repeats, min_time, args.threads, None)
        print(format_summary(data))
    print(f"\ntook {time.perf_counter() - start:.1f} s")
    if args.output:
        try:
            print(f"saved {save(data, args.output)}")
        except OSError as error:
            kept = save(data, Path(tempfile.mkdtemp(prefix="relu-bench-")) / "results.json")
            print(
                f"relu-bench: cannot write {args.output} ({error}); kept the results in {kept}",
                file=sys.stderr,
            )
            return 1
    return 0


def versus_methods(threads: int | None) -> list[str]:
    """What ``--versus`` times: everything, or on one thread everything but the all-core
    floors and the derivatives (which have no ``threads=``); np.maximum in every view."""
    if threads != 1:
        return list(VERSUS_METHODS)
    return [
        m for m in VERSUS_METHODS if "_cores" not in m and m not in ("relu_grad", "relu_backward")
    ]


def _run(args, parser, command, repeats, min_time, threads, view):
    """One benchmark run of the command line's settings; ``threads`` for every library."""
    from .runner import run_benchmark

    default_sizes = VERSUS_SIZES if args.versus else DEFAULT_SIZES
    methods = args.methods or (versus_methods(threads) if args.versus else None)
    try:
        data = run_benchmark(
            sizes=args.sizes or (QUICK_SIZES if args.quick else default_sizes),
            dtypes=args.dtypes or DEFAULT_DTYPES,
            methods=methods,
            kind="versus" if args.versus else "sweep",
            repeats=repeats,
            min_time=min_time,
            rounds=args.rounds,
            seed=args.seed,
            threads=threads,
            peers=() if args.no_peers else ("torch", "numexpr", "numba"),
            command=command if view is None else f"{command}  # view: {view}",
        )
    except ValueError as error:
        parser.error(str(error))
    if args.versus and threads != 1:
        from .spin import spin_cost

        data["spin"] = spin_cost()
    return data


if __name__ == "__main__":
    sys.exit(main())
