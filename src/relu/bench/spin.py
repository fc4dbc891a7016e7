"""What the helpers' spinning costs: ``relu-bench --versus`` measures it.

After a threaded call the compiled loops' helper threads spin for up to
``RELU_SPIN_US`` microseconds before they sleep, so that the next call finds
them awake. That buys speed for back-to-back calls and costs CPU time, which
this module measures: in a fresh process per setting (the value is read at
import), the wall time per call of back-to-back calls, and the CPU time of the
whole process (every thread) per call when the calls are spaced far enough
apart that the helpers spin their full time and fall asleep before the next,
minus the same spaced calls on one thread (which spin nothing): the CPU time
the helpers add per call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

__all__ = ["spin_cost", "SPIN_SETTINGS"]

#: The settings compared: never spin, and the default.
SPIN_SETTINGS = ("0", "")

_SCRIPT = """
import json, sys, time
import numpy as np
import relu
from relu import _kernel
size, calls, gap = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
x = np.random.default_rng(0).standard_normal(size).astype(np.float32)
out = np.empty_like(x)
threads = max(2, _kernel.default_threads())
for _ in range(20):
    relu.relu(x, out=out, threads=threads)
def back_to_back():
    t = time.perf_counter_ns()
    for _ in range(calls):
        relu.relu(x, out=out, threads=threads)
    return (time.perf_counter_ns() - t) / calls
wall = min(back_to_back() for _ in range(5))
def spaced(n):
    cpu = time.process_time_ns()
    for _ in range(calls):
        relu.relu(x, out=out, threads=n)
        time.sleep(gap)
    return (time.process_time_ns() - cpu) / calls
extra = [spaced(threads) - spaced(1) for _ in range(3)]
print(json.dumps({"spin_us": relu.hardware()["spin_us"], "threads": threads,
                  "wall_ns": wall, "extra_cpu_ns": sorted(extra)[1]}))
"""


def spin_cost(size: int = 100_000, calls: int = 100, gap_s: float = 0.02) -> dict[str, Any]:
    """Measure each of `SPIN_SETTINGS` in a fresh process; see the module.

    Parameters
    ----------
    size : int
        float32 elements per call (``relu(x, out=buf)`` on every usable core,
        at least 2 threads).
    calls : int
        Calls per measurement.
    gap_s : float
        Seconds of sleep between the spaced calls (longer than the default spin).

    Returns
    -------
    dict
        ``size``, ``calls``, ``gap_s`` and ``settings``: per setting,
        ``spin_us``, ``threads``, ``wall_ns`` (per call, the best of five
        back-to-back runs) and ``extra_cpu_ns`` (CPU time of the process per
        spaced call on ``threads`` threads minus on one, the middle of three).
    """
    settings = []
    for value in SPIN_SETTINGS:
        env = {k: v for k, v in os.environ.items() if k != "RELU_SPIN_US"}
        if value:
            env["RELU_SPIN_US"] = value
        run = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(size), str(calls), str(gap_s)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        settings.append(json.loads(run.stdout))
    return {"size": size, "calls": calls, "gap_s": gap_s, "settings": settings}
