"""What the machine has, read once at import, and the sizes derived from it:
the one place for every number that depends on the machine.

The caches come from Linux's sysfs (``/sys/devices/system/cpu/cpu0/cache``);
where that is missing (other systems, some containers) the defaults below are
used and `relu.hardware` says so. Usable cores are the process's CPU affinity.

Derived:

* **streaming stores** (compiled out-of-place ReLU) from three quarters of
  the last-level cache up: there the input and the result no longer fit in
  that cache together, and skipping the read of each destination line saves
  a third of the memory traffic. On a 32 MiB L3 this is 24 MiB, where the
  measured crossover was (slower at 16 MB of output, faster from 32 MB).
* **threads** from `PARALLEL_MIN_BYTES` of input up. It is the cost of
  waking a helper (tens of microseconds) against the work, measured, not
  derived: see the Results page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["caches", "stream_min_bytes", "PARALLEL_MIN_BYTES", "DEFAULT_LAST_LEVEL", "summary"]

SYSFS = Path("/sys/devices/system/cpu/cpu0/cache")

#: The last-level cache assumed where none can be read.
DEFAULT_LAST_LEVEL = 32 << 20

#: From this many bytes of input up, ``threads=None`` uses every usable core.
#: Handing a chunk to a helper cost 50-100 us on the 2-core machine measured,
#: so smaller inputs stay on the calling thread (the NumPy path of
#: ``relu(x, out=buf)`` broke even at 4 MiB of float32; the compiled loops
#: between 4 and 16 MiB).
PARALLEL_MIN_BYTES = 1 << 23


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
    """Output bytes from which streaming stores pay: three quarters of the last-level cache."""
    return 3 * (last or DEFAULT_LAST_LEVEL) // 4


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
