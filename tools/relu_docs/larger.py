"""Renderers of the "Arrays larger than memory" page, from the measured run
``relu.bench.published("larger")`` (``python -m relu.bench.larger``)."""

from __future__ import annotations

from typing import Any

from relu.bench import published
from relu_docs.tables import markdown_table

GIB = 1 << 30
_SCHEDULERS = {"threads": "threaded", "distributed": "local cluster"}


def _data() -> dict[str, Any]:
    return published("larger")


def _case(data: dict, scheduler: str, with_relu: bool) -> dict:
    return next(c for c in data["dask"] if c["scheduler"] == scheduler and c["relu"] == with_relu)


def machine(ctx) -> str:
    """The machine, the date and the sizes of the run."""
    d = _data()
    m = d["machine"]
    big = d["dask"][0]["nbytes"]
    return (
        f"Measured on {m['cpu']}, {m['usable_cores']} cores, {m['memory_bytes'] / GIB:.1f} GiB "
        f"of memory, on {d['date'][:10]}, with NumPy {d['versions']['numpy']} and Dask "
        f"{d['versions']['dask']}; another machine gives other numbers. The Dask array: "
        f"{big / GIB:.1f} GiB of float32, {big / m['memory_bytes']:.2f} times the memory, in "
        f"{d['dask'][0]['chunks']} chunks of {d['config']['chunk_bytes'] >> 20} MiB."
    )


def table(ctx) -> str:
    """Each scheduler's time with and without ReLU, and its peak memory with ReLU."""
    d = _data()
    rows = []
    for scheduler, name in _SCHEDULERS.items():
        with_relu, without = _case(d, scheduler, True), _case(d, scheduler, False)
        rows.append(
            [
                name,
                f"{with_relu['seconds']:.1f} s",
                f"{without['seconds']:.1f} s",
                f"{with_relu['peak_bytes'] / GIB:.2f} GiB",
            ]
        )
    header = ["scheduler", "`relu(x).sum()`", "`x.sum()`, no ReLU", "peak memory"]
    return markdown_table(header, rows, "lrrr")


def read_write_gbps(mem: dict) -> float:
    """GB/s of the in-memory ``relu(x)``, counting the bytes read plus the bytes written."""
    return 2 * mem["nbytes"] / mem["seconds"] / 1e9


def summary(ctx) -> str:
    """The run in sentences, every number from the data."""
    d = _data()
    threads, cluster = _case(d, "threads", False), _case(d, "distributed", False)
    spread = abs(threads["seconds"] - cluster["seconds"])
    mem = d["in_memory"]
    return (
        f"Each case ran once. Without ReLU, the two schedulers differed by {spread:.1f} s, so "
        "the gap with and without ReLU is an estimate of ReLU's cost, not a measurement. For "
        f"scale, `relu(x)` on a {mem['nbytes'] / GIB:.1f} GiB NumPy array in memory took "
        f"{mem['seconds']:.2f} s (median of {mem['rounds']} calls): {read_write_gbps(mem):.1f} "
        "GB/s, counting bytes read plus bytes written, as [Results](../benchmarks/results.md) does."
    )
