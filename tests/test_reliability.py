"""Defects found by trying the package as an adversarial user would; each test failed before its fix."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import relu

SWAPPED = [np.dtype(">f8"), np.dtype(">f4")] if sys.byteorder == "little" else [np.dtype("<f8"), np.dtype("<f4")]


@pytest.mark.parametrize("dtype", SWAPPED, ids=str)
def test_byte_swapped_floats_give_the_values_of_the_numpy_path(dtype):
    """The compiled loops take native floats only; other byte orders take the NumPy path."""
    x = np.array([-1.5, -0.0, 0.0, 2.0, np.inf, -np.inf, np.nan], dtype=dtype)
    native = x.astype(dtype.newbyteorder("="))
    calls = {
        "relu": lambda a: relu.relu(a),
        "relu_grad": lambda a: relu.relu_grad(a),
        "relu_backward": lambda a: relu.relu_backward(np.ones_like(a), a),
        "leaky_relu": lambda a: relu.leaky_relu(a, 0.1),
        "prelu": lambda a: relu.prelu(a, 0.25),
        "piecewise_linear": lambda a: relu.piecewise_linear(a, 0.5, 0.1, 2.0),
        "piecewise_linear_grad": lambda a: relu.piecewise_linear_grad(a, 0.5, 0.1, 2.0),
        "relu6": lambda a: relu.relu6(a),
    }
    for name, call in calls.items():
        got, want = call(x), call(native)
        np.testing.assert_array_equal(np.asarray(got, dtype=native.dtype), want, err_msg=name)
    out = np.empty_like(x)
    assert relu.relu(x, out=out) is out
    np.testing.assert_array_equal(out.astype(native.dtype), relu.relu(native))


def _run(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
def test_a_forked_child_runs_threaded_numpy_path_calls():
    """The child of a process whose Python pool has run must not wait on the parent's threads."""
    proc = _run("""
        import os, sys
        import numpy as np
        import relu
        x = np.arange(-(1 << 22), 1 << 22, dtype=np.int32)   # int32: the NumPy path, threaded
        want = relu.relu(x, threads=2)
        pid = os.fork()
        if pid == 0:
            ok = np.array_equal(relu.relu(x, threads=2), want)
            os._exit(0 if ok else 3)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
    """, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"


def test_a_thread_still_calling_after_the_main_script_ends_gets_its_results():
    proc = _run("""
        import threading, time
        import numpy as np
        import relu
        x = np.arange(-(1 << 22), 1 << 22, dtype=np.int32)
        want = relu.relu(x, threads=2)
        def late():
            time.sleep(0.5)   # the main thread has finished by now
            for _ in range(3):
                assert np.array_equal(relu.relu(x, threads=2), want)
            print("late calls ok", flush=True)
        threading.Thread(target=late).start()
    """)
    assert proc.returncode == 0, proc.stderr
    assert "late calls ok" in proc.stdout
