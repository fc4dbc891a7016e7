"""The AVX-512 loops' logic on any x86-64 CPU: tests/csrc/avx512_emulated.c
compiles them against SIMDe's portable AVX-512 (Debian's ``libsimde-dev``,
which ``.ci/run`` installs) and compares them bit for bit with the scalar
loops. A CPU with AVX-512 also runs the compiled loops themselves
(tests/test_native.py, ``RELU_NATIVE_SIMD=avx512``)."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "csrc" / "avx512_emulated.c"


def _simde() -> str | None:
    for base in ("/usr/include", "/usr/local/include"):
        if (Path(base) / "simde" / "x86" / "avx512.h").exists():
            return base
    return None


def test_avx512_loops_match_the_scalar_loops_bit_for_bit(tmp_path):
    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("the AVX-512 loops are compiled on x86-64 only")
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    include = _simde()
    if cc is None or include is None:
        reason = "needs a C compiler and SIMDe's headers (apt-get install libsimde-dev)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, so .ci/run must have installed them")
        pytest.skip(reason)
    exe = tmp_path / "avx512_emulated"
    build = subprocess.run(
        [
            cc,
            "-O1",
            "-std=gnu11",
            "-Wall",
            "-Wno-unused-function",
            "-Wno-psabi",
            f"-I{sysconfig.get_paths()['include']}",
            f"-I{ROOT / 'src' / 'relu' / '_csrc'}",
            f"-I{include}",
            str(SOURCE),
            "-o",
            str(exe),
            "-lm",
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:]
    found = re.search(r"(\d+) comparisons, (\d+) differ", run.stdout)
    assert found, run.stdout
    assert int(found[2]) == 0 and int(found[1]) > 100_000
