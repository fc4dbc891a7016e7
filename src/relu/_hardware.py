"""What the machine has, read once at import, and the sizes derived from it:
the one place for every number that depends on the machine.

The caches come from Linux's sysfs (``/sys/devices/system/cpu/cpu0/cache``);
where that is missing (other systems, some containers) the defaults below are
used and `relu.hardware` says so. Usable cores are the process's CPU affinity.

Derived:

* **streaming stores** (compiled out-of-place ReLU) from half of the
  last-level cache up: there the input and the result no longer fit in that
  cache together, and skipping the read of each destination line saves a
  third of the memory traffic. On a 32 MiB L3 this is 16 MiB; measured there
  on 2 threads, streaming was level with ordinary stores at 16 MB of output
  and faster from 24 MB (1.15 ms against 1.48 ms at 3e6 float64).
* **threads** (compiled loops, ``threads=None``) once the bytes a call
  touches (its inputs, and its result where that is not an input) reach one
  core's L2: below that they fit in the calling core's L2, where one core
  finishes in a few microseconds and a second would first have to pull its
  half across from the first one's cache; above it the data streams from the
  shared cache or memory, and every core adds bandwidth. Handing a call to
  the helpers costs about a microsecond while they spin (``RELU_SPIN_US``,
  see ``_csrc/pool.h``). On the 2-core EPYC measured (512 KiB L2), out of
  place, one thread won at 117 KiB of float32 input and two at 391 KiB; in
  place, just after the caller wrote the array, one thread took 7.3 us at
  391 KiB and two 17.9 us, while at 781 KiB of float64 the two were level.
* **threads for the NumPy paths** from `NUMPY_PARALLEL_MIN_BYTES` up: their
  Python pool costs 50-100 us a call, measured, not derived.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = [
    "caches",
    "stream_min_bytes",
    "parallel_min_bytes",
    "PARALLEL_MIN_BYTES",
    "NUMPY_PARALLEL_MIN_BYTES",
    "DEFAULT_LAST_LEVEL",
    "DEFAULT_L2",
    "summary",
]

SYSFS = Path("/sys/devices/system/cpu/cpu0/cache")

#: The last-level cache assumed where none can be read.
DEFAULT_LAST_LEVEL = 32 << 20

#: One core's L2 assumed where none can be read.
DEFAULT_L2 = 512 << 10

#: From this many bytes of input up, ``threads=None`` runs the NumPy paths on
#: every usable core. Handing a chunk to the Python pool cost 50-100 us on the
#: 2-core machine measured (the NumPy path of ``relu(x, out=buf)`` broke even
#: at 4 MiB of float32).
NUMPY_PARALLEL_MIN_BYTES = 1 << 23


def _bytes(text: str) -> int:
    """``"32K"``, ``"1M"`` or ``"512"`` as bytes."""
    text = text.strip().upper()
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    return int(text.rstrip("KMG")) * scale


def caches(root: Path = SYSFS) -> dict[str, int]:
    """Data and unified caches of one core, by name (``"L1d"``, ``"L2"``, ``"L3"``), in bytes.

    Empty where sysfs does not describe them.
    """
    found: dict[str, int] = {}
    for index in sorted(root.glob("index*")):
        try:
            kind = (index / "type").read_text().strip()
            level = int((index / "level").read_text())
            size = _bytes((index / "size").read_text())
        except (OSError, ValueError):
            continue
        if kind == "Instruction":
            continue
        found["L1d" if level == 1 else f"L{level}"] = size
    return found


def last_level(found: dict[str, int]) -> int | None:
    """The largest cache level's size, or ``None`` if none was found."""
    levels = [size for name, size in found.items() if name != "L1d"]
    return levels[-1] if levels else found.get("L1d")


def stream_min_bytes(last: int | None) -> int:
    """Output bytes from which streaming stores pay: half of the last-level cache."""
    return (last or DEFAULT_LAST_LEVEL) // 2


def parallel_min_bytes(found: dict[str, int]) -> int:
    """Bytes touched by a call (inputs, and a result that is not one of them)
    from which the compiled loops use every core: one core's L2 (or
    `DEFAULT_L2`), at least 128 KiB and at most 16 MiB."""
    l2 = found.get("L2") or DEFAULT_L2
    return min(max(l2, 128 << 10), 16 << 20)


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


CACHES = caches()
LAST_LEVEL = last_level(CACHES)
STREAM_MIN_BYTES = stream_min_bytes(LAST_LEVEL)
#: From this many bytes touched by a call up (inputs and a distinct result),
#: ``threads=None`` runs the compiled loops on every usable core.
PARALLEL_MIN_BYTES = parallel_min_bytes(CACHES)


def summary() -> dict[str, Any]:
    """The facts found and the sizes chosen from them (see `relu.hardware`)."""
    return {
        "usable_cores": usable_cores(),
        "caches": dict(CACHES),
        "caches_from": "sysfs" if CACHES else f"unknown: {DEFAULT_LAST_LEVEL >> 20} MiB L3 assumed",
        "stream_min_bytes": STREAM_MIN_BYTES,
        "parallel_min_bytes": PARALLEL_MIN_BYTES,
        "numpy_parallel_min_bytes": NUMPY_PARALLEL_MIN_BYTES,
    }
