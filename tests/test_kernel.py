"""The fast paths of relu.relu and its gradients: bitwise identical to the
plain NumPy expressions, thread-safe, lazy, on both backends.

Most tests run twice, through the ``backend`` fixture: once with the compiled
loops of ``relu/_native.c`` and once with them hidden, so the NumPy paths
(what a build without a C compiler runs) are held to the same bits.
"""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from reference import hide_native

from relu import _kernel, relu

FAST_DTYPES = [np.float32, np.float64, np.int8, np.int32, np.int64, np.uint16, np.uint64]


def require_native():
    """Skip without the compiled loops, or fail when ``CI`` is set: CI builds
    them (its machines have a C compiler), so they must be tested there."""
    if _kernel._native is not None:
        return
    reason = "relu._native was not built (no C compiler when the package was installed)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the compiled loops must be built and tested")
    pytest.skip(reason)


@pytest.fixture(params=["native", "numpy"])
def backend(request, monkeypatch):
    """Run the test with the compiled loops, then with the NumPy paths only."""
    if request.param == "native":
        require_native()
    else:
        hide_native(monkeypatch)
    return request.param


@pytest.fixture
def tiny_blocks(backend):
    """Shrink the compiled calls' cut-offs so that small arrays take the threaded and
    (out of place, from 256 bytes) streaming paths; the machine's come back after."""
    native = _kernel._native
    if backend == "native":
        native.configure(np.ndarray, np.empty_like, 256, 1)
    yield backend
    if backend == "native":
        stream, parallel = _kernel.STREAM_MIN_BYTES, _kernel.PARALLEL_MIN_BYTES
        native.configure(np.ndarray, np.empty_like, stream, parallel)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


layouts = st.sampled_from(["C", "F", "strided"])


def make(arr, layout):
    if layout == "F":
        return np.asfortranarray(arr)
    if layout == "strided" and arr.ndim:
        return arr[::2]
    return arr


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # the fixture only sets constants
@given(
    arr=hnp.arrays(
        st.sampled_from(FAST_DTYPES), hnp.array_shapes(min_dims=1, max_dims=3, max_side=40)
    ),
    layout=layouts,
    threads=st.one_of(st.none(), st.integers(1, 5)),
    mode=st.sampled_from(["alloc", "out", "inplace"]),
)
def test_bitwise_identical_to_np_maximum(tiny_blocks, arr, layout, threads, mode):
    x = make(arr, layout)
    expected = np.maximum(x, 0)
    if mode == "alloc":
        got = relu(x, threads=threads)
    elif mode == "out":
        got = relu(x, out=np.full_like(x, 7), threads=threads)
    else:
        x = x.copy(order="K")
        got = relu(x, out=x, threads=threads)
        assert got is x
    assert same_bits(np.asarray(got), expected)


def taken(call):
    """How many calls the compiled loops took while ``call`` ran."""
    before = _kernel._native.fast_counts()[0]
    call()
    return _kernel._native.fast_counts()[0] - before


def test_numpy_takes_what_the_compiled_loops_cannot():
    require_native()
    x = np.linspace(-1, 1, 64)
    base = np.arange(-8.0, 8.0)
    awkward = {
        "strided": lambda: relu(x[::2]),
        "float16": lambda: relu(x.astype(np.float16)),
        "int32": lambda: relu(x.astype(np.int32)),
        "float32 into float64": lambda: relu(x.astype(np.float32), out=np.empty(64)),
        "0-d": lambda: relu(np.float64(-1.0)),
        "partial overlap": lambda: relu(base[:-2], out=base[2:]),
        "C into Fortran": lambda: relu(np.ones((4, 4), order="F"), out=np.ones((4, 4))),
    }
    for name, call in awkward.items():
        assert taken(call) == 0, name
    np.testing.assert_array_equal(base[2:], np.maximum(np.arange(-8.0, 6.0), 0))
    one_order = np.ones((4, 4), order="F")
    assert taken(lambda: relu(one_order, out=np.ones((4, 4), order="F"))) == 1
    assert taken(lambda: relu(x, out=x.view(Sub))) == 1  # a subclass's data, as a plain view


class Sub(np.ndarray):
    pass


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=30),
    x_dtype=st.sampled_from(FAST_DTYPES + [np.float16]),
    dout_dtype=st.sampled_from([np.float16, np.float32, np.float64, np.int32]),
    layout=layouts,
    threads=st.one_of(st.none(), st.integers(1, 4)),
)
def test_gradients_bitwise_identical_to_numpy_expressions(
    tiny_blocks, data, shape, x_dtype, dout_dtype, layout, threads
):
    from relu import relu_backward, relu_grad

    x = make(data.draw(hnp.arrays(x_dtype, shape)), layout)
    dout = make(data.draw(hnp.arrays(dout_dtype, shape)), layout)
    grad_dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    assert same_bits(relu_grad(x), (x > 0).astype(grad_dtype))
    assert same_bits(relu_backward(dout, x), np.where(x > 0, dout, dout.dtype.type(0)))


def test_concurrent_callers_with_different_thread_counts(tiny_blocks):
    # Concurrent callers of the compiled pool, each with its own thread count.
    x = np.linspace(-1, 1, 4000)
    expected = np.maximum(x, 0)
    errors = []

    def work(k):
        try:
            for it in range(30):
                assert same_bits(relu(x, threads=2 + (k * 7 + it) % 30), expected)
        except Exception as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors[:3]


@pytest.mark.parametrize("slopes", [(0.1, 2.0), (0.0, 3.0), (-1.0, 0.0)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_piecewise_linear_blocked_and_threaded_matches_whole_array(tiny_blocks, slopes, dtype):
    import relu as r

    below, above = slopes
    x = np.random.default_rng(3).standard_normal(1001).astype(dtype) * 3
    x[::97] = np.nan
    x[1::89] = -np.inf
    x[2::83] = -0.0
    got = r.piecewise_linear(x, 0.5, below, above)
    grad = r.piecewise_linear_grad(x, 0.5, below, above)
    t = x.dtype.type
    with np.errstate(invalid="ignore"):
        expected = np.where(x > 0.5, x * t(above), x * t(below))
    if above == 0:
        expected[x > 0.5] = 0
    if below == 0:
        expected[~(x > 0.5)] = 0
    expected[np.isnan(x)] = np.nan
    np.testing.assert_array_equal(got, expected)
    finite = ~np.isnan(got)
    np.testing.assert_array_equal(np.signbit(got[finite]), np.signbit(expected[finite]))
    assert same_bits(grad, np.where(x > 0.5, t(above), t(below)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 4)])
def test_empty_arrays_on_every_path_and_thread_count(backend, dtype, shape):
    import relu as r

    x = np.empty(shape, dtype)
    for threads in (None, 1, 2, 7):
        assert relu(x, threads=threads).shape == shape
        assert relu(x, out=np.empty_like(x), threads=threads).shape == shape
    assert r.relu_grad(x).shape == r.relu_backward(x, x).shape == shape
    assert r.leaky_relu(x).shape == r.piecewise_linear(x, 0.5, 0.1, 2.0).shape == shape


def test_flush_to_zero_gives_the_same_bytes_whatever_the_threads():
    """Issue 26, item 12: with flush-to-zero set on the calling thread, every thread
    count gives the caller's results, on the compiled pool (aligned) and on the
    plain NumPy path (unaligned: one thread whatever is asked)."""
    torch = pytest.importorskip("torch")
    tiny = np.float64(np.finfo(np.float64).smallest_subnormal)
    raw = np.empty(4_000_000 * 8 + 1, np.uint8)
    unaligned = raw[1:].view(np.float64)  # not aligned to 8 bytes: the NumPy path
    aligned = np.empty(4_000_000)
    for x in (unaligned, aligned):
        x[:] = tiny
        x[::3] = -1.0
    assert not unaligned.flags.aligned
    if not torch.set_flush_denormal(True):
        pytest.skip("this CPU has no flush-to-zero mode")
    try:
        for x in (unaligned, aligned):
            results = [relu(x, threads=t) for t in (1, 2, 3)]
            assert all(same_bits(r, results[0]) for r in results[1:])
            expected = np.maximum(x, 0)  # NumPy on the calling thread, in the same mode
            assert same_bits(results[0], expected)
    finally:
        torch.set_flush_denormal(False)
