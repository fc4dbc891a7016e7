"""What the machine has, read once at import, and the sizes derived from it:
the one place for every number that depends on the machine.

The caches come from Linux's sysfs (``/sys/devices/system/cpu/cpu0/cache``);
where that is missing (other systems, some containers) the defaults below are
used and `relu.hardware` says so. Usable cores are the process's CPU affinity.

Derived:

* **streaming stores** (compiled out-of-place ReLU) from a result as large as
  the last-level cache: skipping the read of each destination line saves a
  third of the memory traffic once the data lives in memory. On the AMD EPYC
  Zen 5 (32 MiB L3, 2 threads, one session), against ordinary stores: 1.5x
  slower at 16 MB of output, 0.86-1.17x at 24 MB (the machine's state
  decided), 0.88x at 32 MB, 0.72-0.81x from 40 MB.
* **threads** (compiled loops, ``threads=None``) once the bytes a call
  touches (its inputs, and its result where that is not an input) reach
  `PARALLEL_MIN_BYTES`, 256 KiB: PyTorch's grain of 32,768 elements for a
  float32 result out of place. One size for every CPU, not one derived from
  its L2: derived from a 1 MiB L2, relu stayed on one core up to 1 MiB and
  lost to PyTorch at 1e5 elements on an AMD EPYC Zen 4. Measured on the AMD
  EPYC Zen 5 (AVX-512, 1 MiB L2) in one run, two threads against one at
  256 KiB touched: 0.73-0.86x out of place and in place, float32 and
  float64; one thread won at 128 KiB out of place (1.09-1.19x).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = [
    "caches",
    "stream_min_bytes",
    "PARALLEL_MIN_BYTES",
    "DEFAULT_LAST_LEVEL",
    "summary",
]

SYSFS = Path("/sys/devices/system/cpu/cpu0/cache")

#: The last-level cache assumed where none can be read.
DEFAULT_LAST_LEVEL = 32 << 20

#: From this many bytes touched by a call up (inputs and a distinct result),
#: ``threads=None`` runs the compiled loops on every usable core.
PARALLEL_MIN_BYTES = 256 << 10


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
    """Output bytes from which streaming stores pay: the last-level cache's size."""
    return last or DEFAULT_LAST_LEVEL


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


CACHES = caches()
LAST_LEVEL = last_level(CACHES)
STREAM_MIN_BYTES = stream_min_bytes(LAST_LEVEL)


def summary() -> dict[str, Any]:
    """The facts found and the sizes chosen from them (see `relu.hardware`)."""
    return {
        "usable_cores": usable_cores(),
        "caches": dict(CACHES),
        "caches_from": "sysfs" if CACHES else f"unknown: {DEFAULT_LAST_LEVEL >> 20} MiB L3 assumed",
        "stream_min_bytes": STREAM_MIN_BYTES,
        "parallel_min_bytes": PARALLEL_MIN_BYTES,
    }
