"""Larger than memory: ReLU over a Dask array that does not fit in this
machine's memory, with Dask's threaded scheduler and with a
``dask.distributed`` local cluster (worker processes on the loopback
interface), against in-memory [`relu.relu`][relu.relu] on an array of 0.4
times the available memory (with its result, 80 % of it).

The array is generated chunk by chunk (``x = rng.random(n) - 0.5``), so it
never exists as a whole; each case reduces the result with ``.sum()``. Each
Dask case is timed once with ReLU and once without (generation and sum only),
so the difference is what ReLU adds. Peak memory is the largest sum of the
resident set sizes of this process and its children (the cluster's workers),
sampled every 50 ms.

Run it as ``python -m relu.bench.larger --output src/relu/bench/data/larger.json``
(it needs Dask, the ``dask`` extra: ``pip install -e '.[dask]'`` in a clone; it takes a few
minutes).
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..core import relu
from .runner import machine_info

GIB = 1 << 30


class PeakMemory:
    """The peak resident memory of this process and its children while it runs."""

    def __init__(self, interval: float = 0.05):
        import psutil

        self._me = psutil.Process()
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _rss(self) -> int:
        total = 0
        for p in [self._me, *self._me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except Exception:  # noqa: BLE001 - a worker that just exited
                pass
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


def lazy_sum(nbytes: int, chunk_bytes: int, with_relu: bool, seed: int = 0) -> Any:
    """The Dask expression: ``relu(rng.random(n) - 0.5).sum()``, float32, lazily."""
    import dask.array as da

    n = nbytes // 4
    x = da.random.default_rng(seed).random(n, chunks=chunk_bytes // 4, dtype=np.float32) - 0.5
    return (relu(x) if with_relu else x).sum()


def _timed(compute: Callable[[], Any]) -> tuple[float, float, int]:
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        value = float(compute())
        seconds = time.perf_counter() - t0
    return seconds, value, mem.peak


def _result_of(client: Any, expr: Any) -> Callable[[], Any]:
    return lambda: client.compute(expr).result()


def run_dask(nbytes: int, chunk_bytes: int, workers: int) -> list[dict[str, Any]]:
    """The four Dask cases: threaded and distributed, with and without ReLU."""
    import dask
    from dask.distributed import Client, LocalCluster

    cases = []
    for scheduler in ("threads", "distributed"):
        for with_relu in (True, False):
            expr = lazy_sum(nbytes, chunk_bytes, with_relu)
            if scheduler == "threads":
                with dask.config.set(scheduler="threads", num_workers=workers):
                    seconds, value, peak = _timed(expr.compute)
            else:
                with (
                    LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                    ) as cluster,
                    Client(cluster) as client,
                ):
                    seconds, value, peak = _timed(_result_of(client, expr))
            cases.append(
                {
                    "scheduler": scheduler,
                    "relu": with_relu,
                    "nbytes": nbytes,
                    "chunks": -(-nbytes // chunk_bytes),
                    "seconds": seconds,
                    "gbps": nbytes / seconds / 1e9,
                    "peak_bytes": peak,
                    "sum": value,
                }
            )
            print(
                f"{scheduler:12} relu={with_relu!s:5} {seconds:7.2f} s  peak {peak / GIB:.2f} GiB"
            )
    return cases


def run_in_memory(nbytes: int, rounds: int = 5) -> dict[str, Any]:
    """relu(x) on a float32 array of ``nbytes`` that fits: median of ``rounds`` calls."""
    x = np.random.default_rng(0).random(nbytes // 4, dtype=np.float32)
    x -= np.float32(0.5)  # in place: only the array and one result are ever in memory
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        y = relu(x)
        times.append(time.perf_counter() - t0)
        del y
    seconds = float(np.median(times))
    return {"nbytes": nbytes, "seconds": seconds, "gbps": nbytes / seconds / 1e9, "rounds": rounds}


def run(scale: float = 1.25, chunk_bytes: int = 64 << 20, fit_fraction: float = 0.4) -> dict:
    """Measure on this machine: a Dask array of ``scale`` times its memory, and
    an in-memory array of ``fit_fraction`` of its available memory (0.4: the
    array and its result fit with room to spare)."""
    import dask
    import distributed
    import psutil

    vm = psutil.virtual_memory()
    machine = machine_info()
    workers = machine["usable_cores"]
    big = int(vm.total * scale) // chunk_bytes * chunk_bytes
    small = int(vm.available * fit_fraction) // chunk_bytes * chunk_bytes
    return {
        "kind": "larger-than-memory",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {**machine, "memory_bytes": vm.total, "available_bytes": vm.available},
        "versions": {
            "numpy": np.__version__,
            "dask": dask.__version__,
            "distributed": distributed.__version__,
        },
        "config": {
            "scale": scale,
            "chunk_bytes": chunk_bytes,
            "workers": workers,
            "dtype": "float32",
        },
        "in_memory": run_in_memory(small),
        "dask": run_dask(big, chunk_bytes, workers),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=1.25, help="array size / memory")
    args = parser.parse_args(argv)
    data = run(scale=args.scale)
    args.output.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
