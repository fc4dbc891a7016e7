"""Renderers that describe the package's registry."""

from __future__ import annotations

import relu
from relu_docs.tables import markdown_table, size_text


def implementations(ctx) -> str:
    """Table of ``relu.IMPLEMENTATIONS``: name, expression, in place, summary."""
    rows = [
        [f"`{impl.name}`", f"`{impl.expression}`", "yes" if impl.inplace else "no", impl.summary]
        for impl in relu.IMPLEMENTATIONS.values()
    ]
    return markdown_table(["name", "expression", "in place", "summary"], rows)


def counterexamples(ctx) -> str:
    rows = [
        [f"`{impl.name}`", f"`{impl.expression}`", impl.summary]
        for impl in relu.COUNTEREXAMPLES.values()
    ]
    return markdown_table(["name", "expression", "why not"], rows)


_size = size_text


def one_thread_below(ctx) -> str:
    """The sizes below which ``relu`` stays on the calling thread, in elements."""
    from relu import _kernel

    limit = _kernel.PARALLEL_MIN_BYTES
    return (
        f"With `threads=None`, the compiled loops run on the calling thread while a call "
        f"touches less than {_size(limit)} on the machine that built this page (out of place "
        f"{limit // 8:,} float32 or {limit // 16:,} float64 elements, in place twice as many), "
        "and on every usable core from there (the same size on every machine)."
    )


def _caches() -> str:
    import relu

    info = relu.hardware()
    if not info["caches"]:
        return info["caches_from"]
    return ", ".join(f"{name} {_size(size)}" for name, size in info["caches"].items())


def benchmark_machine(ctx) -> str:
    """What relu chose on the machine of the published results, where the run recorded it."""
    from relu.bench import published

    data = published()
    chosen = data["machine"].get("relu")
    if chosen is None:
        return (
            f"The published run ({data['machine']['cpu']}, {data['date'][:10]}) predates the "
            "record of these choices; a run of `relu-bench` now stores them, with the caches "
            "found, under `machine.relu` in its JSON."
        )
    stream, parallel = _size(chosen["stream_min_bytes"]), _size(chosen["parallel_min_bytes"])
    spin = chosen.get("spin_us")
    return (
        f"On the machine of the published run ({data['machine']['cpu']}): streaming stores from "
        f"{stream}, every core from {parallel}"
        + (f", helpers spinning {spin} µs after a call." if spin is not None else ".")
    )


def kernel_constants(ctx) -> str:
    """The sizes at which ``relu``'s fast paths change strategy, read from the package."""
    from relu import _kernel

    rows = [
        [
            "`_kernel.STREAM_MIN_BYTES`",
            _size(_kernel.STREAM_MIN_BYTES),
            "compiled",
            "out-of-place results from this size on are written with streaming stores "
            "(half of the last-level cache: " + _caches() + ")",
        ],
        [
            "`_kernel.PARALLEL_MIN_BYTES`",
            _size(_kernel.PARALLEL_MIN_BYTES),
            "compiled",
            "calls that touch this many bytes (inputs, and the result unless in place) use "
            "every usable core (with `threads=None`): PyTorch's grain of 32,768 float32 elements, "
            "out of place",
        ],
    ]
    if _kernel._native is not None:
        rows.append(
            [
                "`_native.SPIN_US`",
                f"{_kernel._native.SPIN_US} µs",
                "compiled",
                "after a threaded call the helpers spin this long before they sleep, so the "
                "next call finds them awake (`RELU_SPIN_US`; 0: never spin)",
            ]
        )
        rows.append(
            [
                "`_native.PIECE_BYTES`",
                _size(_kernel._native.PIECE_BYTES),
                "compiled",
                "large threaded results are cut into pieces at multiples of this "
                "(a huge page of memory), which the threads take in turn",
            ]
        )
    return markdown_table(["`relu.` constant", "value", "path", "what changes there"], rows)
