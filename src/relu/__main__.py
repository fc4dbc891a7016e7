"""``python -m relu``: what a bug report needs, in one paste."""

from __future__ import annotations

import platform
import sys

import numpy as np

import relu


def report() -> str:
    """relu's version, its loops and what it found about the machine, and the versions
    of NumPy, Python and the platform."""
    hardware = relu.hardware()
    lines = [
        f"relu {relu.__version__}",
        f"loops: {relu.loops()}",
        f"threads: {relu.get_num_threads()} (usable cores: {hardware['usable_cores']})",
        *(f"{key}: {value}" for key, value in hardware.items() if key != "usable_cores"),
        f"numpy {np.__version__}",
        f"python {sys.version.split()[0]} ({platform.python_implementation()})",
        f"platform: {platform.platform()} {platform.machine()}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
