"""The machine-dependent sizes come from the machine: caches read from sysfs,
a documented default where there is none, and relu.hardware() reports the
values the fast paths use."""

from __future__ import annotations

import pytest

import relu
from relu import _hardware, _kernel


def fake_sysfs(tmp_path, entries):
    for i, (kind, level, size) in enumerate(entries):
        d = tmp_path / f"index{i}"
        d.mkdir()
        (d / "type").write_text(kind + "\n")
        (d / "level").write_text(f"{level}\n")
        (d / "size").write_text(size + "\n")
    return tmp_path


@pytest.mark.parametrize(
    ("entries", "expected", "stream"),
    [
        # the AMD EPYC of the published results: 32 MiB of L3
        (
            [
                ("Data", 1, "32K"),
                ("Instruction", 1, "32K"),
                ("Unified", 2, "512K"),
                ("Unified", 3, "32768K"),
            ],
            {"L1d": 32 << 10, "L2": 512 << 10, "L3": 32 << 20},
            32 << 20,
        ),
        # a Xeon with 2 MiB of L2 per core and 300 MiB of L3
        (
            [("Data", 1, "48K"), ("Unified", 2, "2048K"), ("Unified", 3, "307200K")],
            {"L1d": 48 << 10, "L2": 2 << 20, "L3": 300 << 20},
            300 << 20,
        ),
        # no L3 (some ARM cores): the largest level found
        (
            [("Data", 1, "64K"), ("Unified", 2, "1M")],
            {"L1d": 64 << 10, "L2": 1 << 20},
            1 << 20,
        ),
        # a tiny L2
        (
            [("Data", 1, "16K"), ("Unified", 2, "64K")],
            {"L1d": 16 << 10, "L2": 64 << 10},
            64 << 10,
        ),
        ([("Unified", 2, "32M")], {"L2": 32 << 20}, 32 << 20),
    ],
)
def test_caches_and_the_derived_sizes_follow_the_machine(tmp_path, entries, expected, stream):
    found = _hardware.caches(fake_sysfs(tmp_path, entries))
    assert found == expected
    assert _hardware.stream_min_bytes(_hardware.last_level(found)) == stream


def test_no_sysfs_gives_the_documented_default(tmp_path):
    found = _hardware.caches(tmp_path / "missing")
    assert found == {}
    assert _hardware.stream_min_bytes(_hardware.last_level(found)) == _hardware.DEFAULT_LAST_LEVEL


def test_a_malformed_entry_is_skipped(tmp_path):
    root = fake_sysfs(tmp_path, [("Data", 1, "32K"), ("Unified", 3, "lots")])
    assert _hardware.caches(root) == {"L1d": 32 << 10}


def test_hardware_reports_what_the_fast_paths_use():
    info = relu.hardware()
    assert info["stream_min_bytes"] == _kernel.STREAM_MIN_BYTES
    assert info["parallel_min_bytes"] == _kernel.PARALLEL_MIN_BYTES
    assert info["parallel_min_bytes"] == 256 << 10  # the same on every machine
    assert info["spin_us"] == (0 if _kernel._native is None else _kernel._native.SPIN_US)
    assert info["usable_cores"] == _kernel.default_threads()
    assert relu.loops() == ("numpy" if info["simd"] == "numpy" else f"compiled ({info['simd']})")
