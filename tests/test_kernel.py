"""The fast path of relu.relu: bitwise identical to np.maximum, thread-safe, lazy."""

from __future__ import annotations

import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relu import _kernel, relu

FAST_DTYPES = [np.float32, np.float64, np.int8, np.int32, np.int64, np.uint16, np.uint64]


@pytest.fixture
def tiny_blocks(monkeypatch):
    """Shrink the thresholds so that small arrays take the blocked, threaded path."""
    monkeypatch.setattr(_kernel, "BLOCK_BYTES", 64)
    monkeypatch.setattr(_kernel, "BLOCKED_MIN_BYTES", 1)
    monkeypatch.setattr(_kernel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(_kernel, "_zeros", {})


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


layouts = st.sampled_from(["C", "F", "strided"])


def make(arr, layout):
    if layout == "F":
        return np.asfortranarray(arr)
    if layout == "strided" and arr.ndim:
        return arr[::2]
    return arr


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # the fixture only sets constants
@given(
    arr=hnp.arrays(st.sampled_from(FAST_DTYPES), hnp.array_shapes(min_dims=1, max_dims=3, max_side=40)),
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


def test_fast_path_is_taken_and_splits_into_chunks(tiny_blocks, monkeypatch):
    calls = []
    real_run = _kernel._run

    def recording_run(body, n, block, threads):
        def recorded(i, j):
            calls.append((j - i, threading.get_ident()))
            body(i, j)

        real_run(recorded, n, block, threads)

    monkeypatch.setattr(_kernel, "_run", recording_run)
    x = np.linspace(-1, 1, 1000)
    y = relu(x, threads=3)
    assert same_bits(y, np.maximum(x, 0))
    # 1000 float64 = 125 rows of one 64-byte zeros block, cut into 3 chunks of rows.
    assert sorted(size for size, _ in calls) == [41, 42, 42]
    assert len({ident for _, ident in calls}) >= 2  # the caller and the pool


def test_special_values_on_the_fast_path(tiny_blocks):
    x = np.tile(np.array([np.nan, -np.inf, np.inf, -0.0, -1.0, 2.0]), 50)
    y = relu(x, threads=2)
    assert same_bits(y, np.maximum(x, 0))
    assert not np.signbit(y[3::6]).any()


def test_partial_overlap_falls_back_to_numpy(tiny_blocks):
    base = np.arange(-50.0, 50.0)
    expected = np.maximum(base[:-10], 0)
    relu(base[:-10], out=base[10:], threads=2)
    np.testing.assert_array_equal(base[10:], expected)


def test_many_threads_calling_at_once(tiny_blocks):
    rng = np.random.default_rng(1)
    inputs = [rng.standard_normal(2000 + i) for i in range(16)]
    results = [None] * len(inputs)
    errors = []

    def work(i):
        try:
            for _ in range(20):
                results[i] = relu(inputs[i], threads=2)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    for x, y in zip(inputs, results):
        assert same_bits(y, np.maximum(x, 0))


def test_no_pool_and_no_threads_at_import():
    code = (
        "import threading, relu, relu._kernel as k;"
        "print(k._pool is None, threading.active_count())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "1"]


def test_large_array_default_path_matches():
    x = np.random.default_rng(2).standard_normal(_kernel.PARALLEL_MIN_BYTES // 8 + 123)
    assert same_bits(relu(x), np.maximum(x, 0))
    buf = np.empty_like(x)
    assert relu(x, out=buf) is buf and same_bits(buf, np.maximum(x, 0))


@pytest.mark.parametrize("bad", [0, -1])
def test_threads_must_be_positive(bad):
    with pytest.raises(ValueError, match="at least 1"):
        relu(np.zeros(3), threads=bad)


@pytest.mark.parametrize("bad", [1.5, "2", True])
def test_threads_must_be_an_int(bad):
    with pytest.raises(TypeError, match="threads"):
        relu(np.zeros(3), threads=bad)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=30),
    x_dtype=st.sampled_from(FAST_DTYPES + [np.float16]),
    dout_dtype=st.sampled_from([np.float16, np.float32, np.float64, np.int32]),
    layout=layouts,
    threads=st.one_of(st.none(), st.integers(1, 4)),
)
def test_gradients_bitwise_identical_to_numpy_expressions(tiny_blocks, data, shape, x_dtype, dout_dtype, layout, threads):
    from relu import relu_backward, relu_grad

    x = make(data.draw(hnp.arrays(x_dtype, shape)), layout)
    dout = make(data.draw(hnp.arrays(dout_dtype, shape)), layout)
    grad_dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    assert same_bits(relu_grad(x), (x > 0).astype(grad_dtype))
    assert same_bits(relu_backward(dout, x), np.where(x > 0, dout, dout.dtype.type(0)))


def test_concurrent_callers_with_different_thread_counts(tiny_blocks):
    # Growing the shared pool while others submit to the old one must not fail.
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


def test_thread_count_is_capped():
    assert _kernel._threads_for(1 << 30, 10_000) == 4 * _kernel.default_threads()


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
