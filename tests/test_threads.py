"""The process-wide thread cap: RELU_NUM_THREADS, relu.set_num_threads, threadpoolctl,
and concurrent callers sharing the cap instead of multiplying it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import relu
from relu import _kernel

native = _kernel._native
needs_threads = pytest.mark.skipif(
    native is None or not native.THREADED or relu.hardware()["usable_cores"] < 2,
    reason="the cap limits the compiled loops' threads: needs them and 2 cores",
)


@pytest.fixture
def restore_cap():
    before = relu.get_num_threads()
    yield
    relu.set_num_threads(before)


def test_the_default_is_every_usable_core():
    assert relu.get_num_threads() == relu.hardware()["usable_cores"]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2", None])
def test_a_bad_cap_is_refused(bad, restore_cap):
    with pytest.raises((TypeError, ValueError)):
        relu.set_num_threads(bad)
    assert relu.get_num_threads() == relu.hardware()["usable_cores"]


def test_set_and_get(restore_cap):
    relu.set_num_threads(1)
    assert relu.get_num_threads() == 1
    relu.set_num_threads(3)
    assert relu.get_num_threads() == 3


def test_without_the_compiled_loops_the_cap_is_kept(monkeypatch, restore_cap):
    monkeypatch.setattr(_kernel, "_native", None)
    relu.set_num_threads(1)
    assert relu.get_num_threads() == 1


@needs_threads
@pytest.mark.parametrize("threads", [None, 2, 4])
def test_every_call_honours_the_cap(threads, restore_cap):
    x = np.linspace(-1, 1, 1 << 21, dtype=np.float32)  # 8 MiB: threaded by default
    native.peak_helpers()
    before = native.fast_counts()[1]
    relu.set_num_threads(1)
    assert np.array_equal(relu.relu(x, threads=threads), np.maximum(x, 0))
    assert native.fast_counts()[1] == before  # not run on more than one thread
    assert native.peak_helpers() == 0
    relu.set_num_threads(2)
    relu.relu(x, threads=threads)
    assert native.fast_counts()[1] == before + 1
    assert native.peak_helpers() == 1


@needs_threads
def test_concurrent_callers_share_the_cap(restore_cap):
    relu.set_num_threads(2)
    x = np.linspace(-1, 1, 1 << 21, dtype=np.float64)
    expected = np.maximum(x, 0)
    wrong = []

    def work():
        for _ in range(20):
            if not np.array_equal(relu.relu(x), expected):
                wrong.append(1)

    native.peak_helpers()
    callers = [threading.Thread(target=work) for _ in range(4)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    assert not wrong
    # each caller works on its own thread; of the cap of 2, one helper is left at most
    # (four callers each starting their own helper would make 4)
    assert native.peak_helpers() <= 1


@needs_threads
def test_threadpoolctl_lists_and_limits_relu(restore_cap):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    (info,) = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "relu"]
    assert info["num_threads"] == relu.get_num_threads()
    assert info["filepath"] == native.__file__
    with threadpoolctl.threadpool_limits(1):
        assert relu.get_num_threads() == 1
    assert relu.get_num_threads() == relu.hardware()["usable_cores"]
    with threadpoolctl.threadpool_limits(1, user_api="blas"):  # someone else's limit
        assert relu.get_num_threads() == relu.hardware()["usable_cores"]


def _import_with(value: str) -> subprocess.CompletedProcess:
    code = "import relu; print(relu.get_num_threads())"
    env = {**os.environ, "RELU_NUM_THREADS": value}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


@pytest.mark.skipif(native is None, reason="read by the compiled loops at import")
def test_relu_num_threads_sets_the_cap_at_import():
    done = _import_with("1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    for bad in ("0", "two", "-1", "100000"):
        done = _import_with(bad)
        assert done.returncode != 0
        assert f"RELU_NUM_THREADS={bad}: give the most threads" in done.stderr
