"""Defects found by trying the package as an adversarial user would; each test failed before its
fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from reference import hide_native

import relu

SWAPPED = (
    [np.dtype(">f8"), np.dtype(">f4")]
    if sys.byteorder == "little"
    else [np.dtype("<f8"), np.dtype("<f4")]
)


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
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
def test_a_forked_child_runs_threaded_numpy_path_calls():
    """The child of a process whose Python pool has run must not wait on the parent's threads."""
    proc = _run(
        """
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
    """,
        timeout=60,
    )
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


def test_longdouble_negative_zero_gives_positive_zero():
    for x in (np.array([-0.0, -1.0, 2.0], dtype=np.longdouble), np.longdouble(-0.0)):
        assert not np.signbit(relu.relu(x)).any()
    assert isinstance(relu.relu(np.longdouble(-0.0)), np.longdouble)


@pytest.mark.parametrize("func", [relu.relu, relu.relu6])
def test_float16_signalling_nan_keeps_its_payload_without_a_warning(func):
    """As np.maximum does: no arithmetic on the NaN, no "invalid value" warning."""
    bits = np.array([0x7D01, 0xFD01, 0x8000, 0x3C00], dtype=np.uint16)
    x = bits.view(np.float16)
    got = func(x).view(np.uint16)  # the test run turns warnings into errors
    assert got.tolist() == [0x7D01, 0xFD01, 0x0000, 0x3C00]


VARIANT_CALLS = {
    "leaky_relu": lambda a: relu.leaky_relu(a, 0.1),
    "prelu": lambda a: relu.prelu(a, 0.25),
    "piecewise_linear": lambda a: relu.piecewise_linear(a, 0.5, 0.1, 2.0),
    "elu": relu.elu,
    "selu": relu.selu,
    "gelu": relu.gelu,
    "gelu_tanh": lambda a: relu.gelu(a, approximate="tanh"),
    "softplus": relu.softplus,
    "silu": relu.silu,
    "elu_grad": relu.elu_grad,
    "gelu_grad": relu.gelu_grad,
    "silu_grad": relu.silu_grad,
    "softplus_grad": relu.softplus_grad,
    "selu_grad": relu.selu_grad,
}


@pytest.mark.parametrize("name", sorted(VARIANT_CALLS))
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_variants_raise_no_warning_on_signalling_nans(name, dtype):
    one = {np.float16: 0x7D01, np.float32: 0x7F800001, np.float64: 0x7FF0000000000001}[dtype]
    uint = {np.float16: np.uint16, np.float32: np.uint32, np.float64: np.uint64}[dtype]
    x = np.array([one, 0], dtype=uint).view(dtype)
    x[1] = 1.5
    got = np.asarray(VARIANT_CALLS[name](x))  # warnings are errors in this test run
    assert np.isnan(got[0]) and np.isfinite(got[1])


@pytest.mark.parametrize(
    "call",
    [
        lambda: relu.leaky_relu([1.0], negative_slope=2**2000),
        lambda: relu.softplus([1.0], beta=2**2000),
        lambda: relu.elu([1.0], alpha=2**2000),
        lambda: relu.piecewise_linear([1.0], 2**2000),
    ],
)
def test_huge_integer_parameters_raise_value_error(call):
    with pytest.raises(ValueError, match="finite"):
        call()


@pytest.mark.parametrize("native", [True, False], ids=["compiled path", "numpy path"])
def test_masked_out_is_refused_and_subclass_out_is_filled_on_both_paths(native, monkeypatch):

    if not native:
        hide_native(monkeypatch)
    x = np.array([-1.0, 0.5, -0.0, 3.0])
    with pytest.raises(TypeError, match="masked"):
        relu.relu(x, out=np.ma.masked_array(np.empty(4), mask=[0, 1, 0, 0]))

    class Tagged(np.ndarray):
        pass

    out = np.empty(4).view(Tagged)
    got = relu.relu(x, out=out)
    assert got is out and type(got) is Tagged
    assert np.asarray(out).tolist() == [0.0, 0.5, 0.0, 3.0]


@pytest.mark.parametrize("dtype", [np.float16, np.longdouble])
def test_zero_dimensional_out_gets_positive_zero_in_place(dtype):
    """Found by the matrix: a 0-d ``out`` was fixed in a copy, not in place."""
    out = np.empty((), dtype=dtype)
    assert relu.relu(np.array(-0.0, dtype=dtype), out=out) is out
    assert not np.signbit(out)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
@pytest.mark.parametrize("dtype", ["float64", "int32"], ids=["compiled pool", "python pool"])
def test_fork_while_another_thread_is_inside_a_threaded_call(dtype):
    """A child forked while a parent thread keeps both pools busy runs its own calls."""
    proc = _run(
        f"""
        import os, threading
        import numpy as np
        import relu
        x = np.arange(-(1 << 22), 1 << 22).astype("{dtype}")
        want = relu.relu(x, threads=1)
        stop = threading.Event()
        def busy():
            while not stop.is_set():
                relu.relu(x, threads=2)
        t = threading.Thread(target=busy)
        t.start()
        codes = []
        for _ in range(5):
            pid = os.fork()
            if pid == 0:
                ok = all(np.array_equal(relu.relu(x, threads=2), want) for _ in range(3))
                os._exit(0 if ok else 3)
            _, status = os.waitpid(pid, 0)
            codes.append(os.waitstatus_to_exitcode(status))
        stop.set()
        t.join()
        print(codes)
    """,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[0, 0, 0, 0, 0]"
