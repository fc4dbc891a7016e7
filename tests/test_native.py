"""The compiled loops of relu/_native.c, called directly: every bit pattern,
every alignment, the layouts they decline, and their arguments."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_kernel import require_native

import relu
from relu import _kernel
from relu import variants as V

BITS = {np.float32: np.uint32, np.float64: np.uint64}


@pytest.fixture(scope="module")
def native():
    require_native()
    return _kernel._native


def from_bits(bits, dtype):
    """Floats with the given bit patterns: NaNs with payloads, both zeros, subnormals."""
    return np.asarray(bits, BITS[dtype]).view(dtype)


float_dtypes = st.sampled_from([np.float32, np.float64])


@settings(max_examples=150, deadline=None)
@given(data=st.data(), dtype=float_dtypes, stream=st.booleans(), offset=st.integers(0, 3))
def test_every_bit_pattern_matches_numpy(native, data, dtype, stream, offset):
    bits = data.draw(hnp.arrays(BITS[dtype], st.integers(0, 300)))
    x = from_bits(bits, dtype)
    # Offsets make the destination unaligned to 16 bytes, so the streaming
    # loop's scalar head and tail run too.
    store = np.full(x.size + offset, 7, dtype)
    dst = store[offset:]
    assert native.relu(x, dst, None, stream) is dst
    assert dst.tobytes() == np.maximum(x, 0).tobytes()
    grad = np.empty_like(x)
    native.relu_grad(x, grad)
    assert grad.tobytes() == (x > 0).astype(dtype).tobytes()
    dout = from_bits(bits[::-1].copy(), dtype)
    back = np.empty_like(x)
    native.relu_backward(dout, x, back)
    assert back.tobytes() == np.where(x > 0, dout, dtype(0)).tobytes()


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    dtype=float_dtypes,
    threads=st.integers(1, 9),
    stream=st.booleans(),
    inplace=st.booleans(),
)
def test_threads_split_the_work_without_changing_a_bit(
    native, data, dtype, threads, stream, inplace
):
    # Sizes around the cache-line-rounded part lengths, and fewer elements than threads.
    x = from_bits(data.draw(hnp.arrays(BITS[dtype], st.integers(0, 700))), dtype)
    g = from_bits(data.draw(hnp.arrays(BITS[dtype], x.size)), dtype)
    expected = np.maximum(x, 0).tobytes()
    dst = x.copy() if inplace else np.full_like(x, 3)
    assert native.relu(dst if inplace else x, dst, threads, stream) is dst
    assert dst.tobytes() == expected
    grad = np.empty_like(x)
    native.relu_grad(x, grad, threads)
    assert grad.tobytes() == (x > 0).astype(dtype).tobytes()
    back = np.empty_like(x)
    native.relu_backward(g, x, back, threads)
    assert back.tobytes() == np.where(x > 0, g, dtype(0)).tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_in_place_and_special_values(native, dtype):
    x = np.array([np.nan, -np.nan, -np.inf, np.inf, -0.0, 0.0, -1.0, 2.5], dtype)
    x = np.concatenate([x, from_bits([1, (BITS[dtype](1) << (8 * x.itemsize - 1)) | 1], dtype)])
    expected = np.maximum(x, 0).tobytes()
    native.relu(x, x)
    assert x.tobytes() == expected
    assert not np.signbit(x[4:7]).any()  # -0.0, +0.0 and -1.0 all give +0.0


def test_backward_may_write_over_its_upstream_gradient(native):
    x = np.array([-1.0, 2.0, np.nan, 3.0])
    g = np.array([10.0, 20.0, 30.0, -0.0])
    native.relu_backward(g, x, g)
    assert g.tobytes() == np.array([0.0, 20.0, 0.0, -0.0]).tobytes()


@pytest.mark.parametrize(
    "args",
    [
        (np.zeros(3, np.float16), np.zeros(3, np.float16)),
        (np.zeros(3, np.int64), np.zeros(3, np.int64)),
        (np.zeros(3), np.zeros(4)),
        (np.zeros(4), np.zeros((2, 2))),
        (np.zeros(3), np.zeros(3, np.float32)),
        (np.zeros(3), np.zeros(3), 0),  # threads
        (np.zeros(3), np.zeros(3), "2"),
        (np.zeros(3), np.zeros(3), True),  # a bool is not a thread count
        (np.zeros(3), np.zeros(3), None, 1),  # stream: True, False or None
        (np.array(-1.0), np.zeros(())),  # 0-d
        (b"abcdefgh", bytearray(8)),
    ],
)
def test_other_arguments_are_declined_with_nothing_written(native, args):
    before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args[:2]]
    assert native.relu(*args) is None
    for a, b in zip(args[:2], before):
        assert not isinstance(a, np.ndarray) or a.tobytes() == b.tobytes()


def test_argument_counts_are_checked(native):
    with pytest.raises(TypeError, match="wrong number of arguments"):
        native.relu(np.zeros(3), np.zeros(3), 1, True, 2)
    with pytest.raises(TypeError, match="wrong number of arguments"):
        native.relu_backward(np.zeros(2))
    with pytest.raises(TypeError, match="wrong number of arguments"):
        native.copy(np.zeros(2))


def test_read_only_destination_is_declined(native):
    dst = np.zeros(3)
    dst.flags.writeable = False
    assert native.relu(np.ones(3), dst) is None
    assert not dst.any()


def unaligned(n, dtype):
    """A contiguous array whose data starts one byte past an item boundary."""
    raw = np.zeros(n * np.dtype(dtype).itemsize + 1, np.uint8)
    return raw[1:].view(dtype)


def layouts_the_flat_loop_refuses():
    """(inputs..., output) of one dtype and shape that a flat loop would get wrong."""
    base = np.arange(-5.0, 5.0)
    grid = np.arange(-6.0, 6.0).reshape(3, 4)
    return {
        "partial overlap": (base[:8], base[1:9]),
        "strided input": (np.arange(-4.0, 4.0)[::2], np.zeros(4)),
        "strided output": (np.ones(4), np.zeros(8)[::2]),
        "C into Fortran": (grid, np.zeros((3, 4), order="F")),
        "unaligned": (unaligned(4, np.float64), np.zeros(4)),
    }


@pytest.mark.parametrize("case", sorted(layouts_the_flat_loop_refuses()))
@pytest.mark.parametrize("name", ["relu", "relu_grad"])
def test_layouts_a_flat_loop_would_get_wrong_are_declined(native, name, case):
    src, dst = layouts_the_flat_loop_refuses()[case]
    before = dst.copy()
    assert getattr(native, name)(src, dst) is None
    np.testing.assert_array_equal(dst, before)  # nothing was written


def test_both_orders_and_n_dimensional_buffers_are_taken(native):
    grid = np.arange(-6.0, 6.0).reshape(3, 4)
    for order in "CF":
        src = np.array(grid, order=order)
        dst = np.zeros_like(src)  # same order
        assert native.relu(src, dst) is dst
        np.testing.assert_array_equal(dst, np.maximum(grid, 0))


def test_backward_overlap_is_declined(native):
    base = np.zeros(10)
    assert native.relu_backward(base[:8], np.ones(8), base[2:]) is None
    assert not base.any()


SELF_CHECK = """
import numpy as np, relu._native as native
rng = np.random.default_rng(5)
for dtype, bits in [(np.float32, np.uint32), (np.float64, np.uint64)]:
    for n in (0, 1, 7, 8, 9, 31, 1000):
        x = rng.integers(0, np.iinfo(bits).max, n, dtype=bits, endpoint=True).view(dtype)
        g = rng.integers(0, np.iinfo(bits).max, n, dtype=bits, endpoint=True).view(dtype)
        for offset in range(4):
            for stream in (False, True):
                d = np.full(n + offset, 7, dtype)[offset:]
                assert native.relu(x, d, None, stream) is d
                assert d.tobytes() == np.maximum(x, 0).tobytes()
        d = np.empty_like(x); native.relu_grad(x, d)
        assert d.tobytes() == (x > 0).astype(dtype).tobytes()
        d = np.empty_like(x); native.relu_backward(g, x, d)
        assert d.tobytes() == np.where(x > 0, g, dtype(0)).tobytes()
        for stream in (False, True):
            d = np.empty_like(x); native.copy(x, d, None, stream)
            assert d.tobytes() == x.tobytes()
        d = np.empty_like(x); native.two_slopes(x, d, 0.0, 0.01, 1.0)
        with np.errstate(all="ignore"):
            want = x * np.where(x > 0, dtype(1), dtype(0.01))
        assert d.tobytes() == want.tobytes()
print(native.SIMD)
"""


LEVELS = ("sse2", "avx2", "avx512")


def runs_here(native, level):
    """Whether this CPU runs ``level``: every level up to the one chosen at import."""
    return native.SIMD in LEVELS and LEVELS.index(level) <= LEVELS.index(native.SIMD)


@pytest.mark.parametrize("forced", [None, *LEVELS])
def test_each_instruction_set_gives_the_same_bits(native, forced):
    """The loops chosen at import (the widest this CPU runs) and each level
    that ``RELU_NATIVE_SIMD`` forces, each in a fresh process. AVX-512 runs
    only on a CPU that has it; tests/test_avx512_emulated.py runs the same
    loop bodies through SIMDe's portable AVX-512 on any x86 CPU."""
    if forced and not runs_here(native, forced):
        pytest.skip(f"this CPU does not run {forced} (its widest level: {native.SIMD})")
    env = {k: v for k, v in os.environ.items() if k != "RELU_NATIVE_SIMD"}
    if forced:
        env["RELU_NATIVE_SIMD"] = forced
    run = subprocess.run(
        [sys.executable, "-c", SELF_CHECK], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    simd = run.stdout.strip()
    assert simd == (forced or native.SIMD)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as m:
        yield m


slopes = st.sampled_from([0.0, 1.0, 0.01, -0.5, 2.0, 1e30])
thresholds = st.sampled_from([0.0, -0.0, 0.5, 0.1, -1.0, 1e-45, 3.5e38, -np.inf, np.inf])


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    dtype=float_dtypes,
    threshold=thresholds,
    below=slopes,
    above=slopes,
    derivative=st.booleans(),
    threads=st.integers(1, 3),
)
def test_two_slopes_match_the_numpy_path_bit_for_bit(
    native, monkeypatch_module, data, dtype, threshold, below, above, derivative, threads
):
    bits = data.draw(hnp.arrays(BITS[dtype], st.integers(0, 200)))
    x = from_bits(bits, dtype)
    lo, hi = dtype(below), dtype(above)  # as the callers pass them: scalars of x's dtype
    got = np.full_like(x, 7)
    assert native.two_slopes(x, got, threshold, float(lo), float(hi), derivative, threads) is got
    # the activation's one formula, bound to NumPy: value, or derivative
    formula = V._piecewise_linear_grad if derivative else V._piecewise_linear
    kw = {"threshold": threshold, "slope_below": float(lo), "slope_above": float(hi)}
    expected = relu._xp.numpy(formula, x, **kw)
    assert got.tobytes() == expected.tobytes()


def test_two_slopes_threshold_between_two_float32_values(native):
    # 0.1 is not a float32: x > 0.1 must hold for the float32 just above 0.1
    # and fail for the one just below, as comparing in float64 does.
    above_t = np.float32(0.1)  # rounds up: 0.1000000015
    below_t = np.nextafter(above_t, np.float32(0))  # 0.0999999940
    x = np.array([below_t, above_t], np.float32)
    d = np.empty_like(x)
    native.two_slopes(x, d, 0.1, 0.0, 1.0, True)
    assert d.tolist() == [0.0, 1.0]
    with pytest.raises(ValueError, match="threshold is NaN"):
        native.two_slopes(x, d, float("nan"), 0.0, 1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("mebibytes", "threads", "offset"), [(3.3, 3, 0), (3.3, 8, 1), (17, 2, 0), (17, 2, 3)]
)
def test_threads_take_pieces_of_large_arrays(native, dtype, mebibytes, threads, offset):
    # Below 4 pieces of 2 MiB per thread, one piece per thread; above, pieces
    # cut at 2 MiB boundaries of the output (an offset makes the first one
    # short), taken by the threads in turn. Every operation gives NumPy's bytes.
    rng = np.random.default_rng(threads)
    n = int(mebibytes * 2**20) // np.dtype(dtype).itemsize + 5
    x = rng.integers(0, np.iinfo(BITS[dtype]).max, n, dtype=BITS[dtype], endpoint=True).view(dtype)
    g = rng.standard_normal(n).astype(dtype)
    for stream in (False, True):
        d = np.empty(n + offset, dtype)[offset:]
        assert native.relu(x, d, threads, stream) is d
        assert d.tobytes() == np.maximum(x, 0).tobytes()
    d = np.empty_like(x)
    native.relu_grad(x, d, threads)
    assert d.tobytes() == (x > 0).astype(dtype).tobytes()
    native.relu_backward(g, x, d, threads)
    assert d.tobytes() == np.where(x > 0, g, dtype(0)).tobytes()
    with np.errstate(invalid="ignore", over="ignore"):
        native.two_slopes(x, d, 0.5, 0.1, 2.0, False, threads)
        expected = np.where(x > 0.5, x * dtype(2.0), x * dtype(0.1))
    assert d.tobytes() == expected.tobytes()


FORK_CHECK = """
import os, numpy as np, relu._native as native
x = np.linspace(-1, 1, 1 << 20)
expected = np.maximum(x, 0).tobytes()
d = np.empty_like(x)
assert native.relu(x, d, 2, False) is d and d.tobytes() == expected  # starts the helpers
pid = os.fork()
if pid == 0:  # the child has no helpers: its threaded calls must start their own
    d = np.empty_like(x)
    ok = all(native.relu(x, d, 2, False) is d and d.tobytes() == expected for _ in range(3))
    os._exit(0 if ok else 1)
d = np.empty_like(x)
assert native.relu(x, d, 2, False) is d and d.tobytes() == expected  # the parent keeps its helpers
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork exists on POSIX only")
def test_threaded_calls_work_in_a_forked_child(native):
    run = subprocess.run(
        [sys.executable, "-c", FORK_CHECK], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "0"


def test_concurrent_threaded_calls_share_or_start_helpers(native):
    # Several Python threads in threaded calls at once: one uses the helpers,
    # the others start threads of their own; every result is NumPy's.
    import threading

    rng = np.random.default_rng(11)
    inputs = [rng.standard_normal(50_000 + 17 * i) for i in range(8)]
    errors = []

    def work(x):
        try:
            expected = np.maximum(x, 0).tobytes()
            for threads in (2, 3, 5) * 10:
                d = np.empty_like(x)
                assert native.relu(x, d, threads, False) is d and d.tobytes() == expected
        except Exception as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(x,)) for x in inputs]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not errors, errors[:3]
    assert not any(w.is_alive() for w in workers)


def _loops_with(value):
    env = {**os.environ, "RELU_NATIVE_SIMD": value}
    code = "import relu; print(relu.loops())"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


@pytest.mark.parametrize("value", ["avx1024", "avx512f", "SSE3", "none ", "bogus"])
def test_an_unknown_simd_level_is_an_error_at_import(native, value):
    if native.SIMD == "none" and value.strip() == "none":
        pytest.skip("'none' is the level of a build for a CPU other than x86")
    run = _loops_with(value)
    assert run.returncode != 0
    assert f"ValueError: RELU_NATIVE_SIMD={value} is not a level" in run.stderr


@pytest.mark.parametrize("level", ["avx2", "avx512"])
def test_a_level_this_cpu_lacks_is_an_error_at_import(native, level):
    if native.SIMD == "none":
        pytest.skip("not an x86 CPU: its one level is 'none'")
    run = _loops_with(level.upper())
    if runs_here(native, level):
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == f"compiled ({level})"
    else:
        assert run.returncode != 0
        assert f"RELU_NATIVE_SIMD={level.upper()}, but this CPU" in run.stderr


@pytest.mark.parametrize("value", ["sse2", "SSE2", ""])
def test_known_simd_levels_in_any_case(native, value):
    if native.SIMD == "none":
        pytest.skip("not an x86 CPU: its one level is 'none'")
    run = _loops_with(value)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ("compiled (sse2)" if value else f"compiled ({native.SIMD})")
