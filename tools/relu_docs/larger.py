"""Renderers of the "Arrays larger than memory" page, from the measured run
``relu.bench.published("larger")`` (``python -m relu.bench.larger``)."""

from __future__ import annotations

from typing import Any

from relu.bench import published
from relu_docs.tables import markdown_table

GIB = 1 << 30
_SCHEDULERS = {"threads": "threaded scheduler", "distributed": "local cluster (dask.distributed)"}


def _data() -> dict[str, Any]:
    return published("larger")


def _case(data: dict, scheduler: str, with_relu: bool) -> dict:
    return next(c for c in data["dask"] if c["scheduler"] == scheduler and c["relu"] == with_relu)


def machine(ctx) -> str:
    """The machine and the sizes of the run."""
    d = _data()
    m = d["machine"]
    big = d["dask"][0]["nbytes"]
    return (
        f"{m['cpu']}, {m['usable_cores']} cores, {m['memory_bytes'] / GIB:.1f} GiB of memory "
        f"({m['available_bytes'] / GIB:.1f} GiB available at the start); NumPy "
        f"{d['versions']['numpy']}, Dask {d['versions']['dask']}, distributed "
        f"{d['versions']['distributed']}. The Dask array: {big / GIB:.1f} GiB of float32, "
        f"{big / m['memory_bytes']:.2f} times the machine's memory, in "
        f"{d['dask'][0]['chunks']} chunks of {d['config']['chunk_bytes'] >> 20} MiB."
    )


def table(ctx) -> str:
    """Every case of the run: time, throughput and peak memory."""
    d = _data()
    rows = []
    for scheduler, name in _SCHEDULERS.items():
        for with_relu in (True, False):
            c = _case(d, scheduler, with_relu)
            what = "relu(x).sum()" if with_relu else "x.sum(), no ReLU"
            rows.append(
                [
                    name,
                    f"`{what}`",
                    f"{c['nbytes'] / GIB:.1f} GiB",
                    f"{c['seconds']:.1f} s",
                    f"{c['gbps']:.2f} GB/s",
                    f"{c['peak_bytes'] / GIB:.2f} GiB",
                ]
            )
    mem = d["in_memory"]
    rows.append(
        [
            "in memory, NumPy",
            "`relu(x)`",
            f"{mem['nbytes'] / GIB:.1f} GiB",
            f"{mem['seconds']:.2f} s",
            f"{mem['gbps']:.2f} GB/s",
            "the array and its result",
        ]
    )
    header = ["run", "computes", "size", "time", "throughput", "peak memory"]
    return markdown_table(header, rows, "llrrrr")


def summary(ctx) -> str:
    """The run in sentences, every number from the data."""
    d = _data()
    parts = []
    for scheduler, name in _SCHEDULERS.items():
        with_relu, without = _case(d, scheduler, True), _case(d, scheduler, False)
        parts.append(
            f"with the {name}, `relu(x).sum()` took {with_relu['seconds']:.1f} s and the same "
            f"pipeline without ReLU {without['seconds']:.1f} s, with a peak memory of "
            f"{with_relu['peak_bytes'] / GIB:.2f} GiB"
        )
    threads, cluster = _case(d, "threads", False), _case(d, "distributed", False)
    spread = abs(threads["seconds"] - cluster["seconds"])
    mem = d["in_memory"]
    return (
        "On this machine, "
        + "; ".join(parts)
        + f". Each case ran once: the same work without ReLU took {spread:.1f} s more on one "
        "scheduler than on the other, so the difference with and without ReLU is an estimate "
        f"of what ReLU adds, not a measurement of it. In memory, `relu(x)` on a "
        f"{mem['nbytes'] / GIB:.1f} GiB array ran at {mem['gbps']:.2f} GB/s (median of "
        f"{mem['rounds']} calls)."
    )
