"""The calls decided in C (``_native.relu``, ``relu_grad``,
``relu_backward``): the same bytes as the checked path for every input it
takes, None (and nothing written) for every input it does not, the machine's
cut-offs for threads and streaming stores, and the helpers' spin setting
(``RELU_SPIN_US``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from reference import hide_native
from test_kernel import require_native

from relu import _kernel, relu, relu_backward, relu_grad


@pytest.fixture
def native():
    require_native()
    return _kernel._native


@pytest.fixture
def configured(native):
    """Lets a test change the fast calls' cut-offs; puts the machine's back after."""

    def configure(stream=_kernel.STREAM_MIN_BYTES, parallel=_kernel.PARALLEL_MIN_BYTES):
        native.configure(np.ndarray, np.empty_like, stream, parallel)

    yield configure
    configure()


def checked(func, *args, **kwargs):
    """``func`` on its checked path: NumPy paths and no fast call."""
    with pytest.MonkeyPatch.context() as m:
        hide_native(m)
        return func(*args, **kwargs)


finite_or_special = st.floats(allow_nan=True, allow_infinity=True, width=32)


@st.composite
def arrays(draw, dtype=None):
    dtype = dtype or draw(st.sampled_from([np.float32, np.float64]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=7))
    x = draw(hnp.arrays(dtype, shape, elements=finite_or_special))
    kind = draw(st.sampled_from(["as is", "strided", "fortran", "swapped"]))
    if kind == "strided" and x.ndim:
        x = x[..., ::2]
    elif kind == "fortran":
        x = np.asfortranarray(x)
    elif kind == "swapped":
        x = x.astype(x.dtype.newbyteorder())
    return x


@settings(max_examples=300, deadline=None)
@given(arrays())
def test_relu_gives_the_checked_paths_bytes(x):
    before = x.tobytes()
    got, want = relu(x), checked(relu, x)
    assert type(got) is type(want)
    assert got.dtype == want.dtype and np.shape(got) == np.shape(want)
    assert np.asarray(got).tobytes() == np.asarray(want).tobytes()
    assert x.tobytes() == before  # the input is never written


@settings(max_examples=200, deadline=None)
@given(arrays(), st.booleans())
def test_relu_out_gives_the_checked_paths_bytes(x, in_place):
    out = x if in_place else np.full_like(x, 7)
    ref_x = x.copy()
    ref_out = ref_x if in_place else np.full_like(x, 7)
    got = relu(x, out=out)
    want = checked(relu, ref_x, out=ref_out)
    assert got is out and want is ref_out
    assert out.tobytes() == ref_out.tobytes()


@settings(max_examples=200, deadline=None)
@given(arrays(), st.data())
def test_grad_and_backward_give_the_checked_paths_bytes(x, data):
    got, want = relu_grad(x), checked(relu_grad, x)
    assert got.dtype == want.dtype and np.asarray(got).tobytes() == np.asarray(want).tobytes()
    dout = data.draw(hnp.arrays(x.dtype, x.shape, elements=finite_or_special))
    got, want = relu_backward(dout, x), checked(relu_backward, dout, x)
    assert got.dtype == want.dtype and np.asarray(got).tobytes() == np.asarray(want).tobytes()


class Sub(np.ndarray):
    pass


@pytest.mark.parametrize(
    "make",
    [
        lambda: [1.0, -2.0],  # not an array
        lambda: np.float64(-1.0),  # a scalar
        lambda: np.array(-1.0),  # 0-d: relu gives a scalar
        lambda: np.arange(-4.0, 4.0)[::2],  # strided
        lambda: np.arange(-4.0, 4.0).astype(">f8"),  # byte-swapped
        lambda: np.arange(-4, 4, dtype=np.float16),  # float16
        lambda: np.arange(-4, 4),  # integers
        lambda: np.arange(-4.0, 4.0).view(Sub),  # a subclass
    ],
)
def test_other_inputs_are_left_to_the_checked_path(native, make):
    x = make()
    assert native.relu(x) is None
    assert native.relu_grad(x) is None
    assert native.relu_backward(x, x) is None


def test_outputs_it_cannot_write_are_left_to_the_checked_path(native):
    x = np.linspace(-1, 1, 8)
    read_only = np.empty_like(x)
    read_only.flags.writeable = False
    for out in (read_only, np.empty(9), np.empty(8, np.float32), x.view(Sub), x[::-1]):
        assert native.relu(x, out) is None
    assert native.relu_backward(x, x.astype(np.float32)) is None
    assert native.relu_backward(x, x[:4]) is None
    with pytest.raises(ValueError, match="read-only"):
        relu(x, out=read_only)
    with pytest.raises(ValueError, match="shape"):
        relu(x, out=np.empty(9))


def test_threads_and_streaming_stores_follow_the_cut_offs(native, configured):
    x = np.linspace(-1, 1, 4096, dtype=np.float32)
    out = np.empty_like(x)

    def counts(call):
        before = native.fast_counts()
        call()
        return tuple(a - b for a, b in zip(native.fast_counts(), before))

    configured(stream=1 << 40, parallel=1 << 40)
    assert counts(lambda: relu(x)) == (1, 0, 0)
    configured(stream=1 << 40, parallel=x.nbytes)
    cores = _kernel.default_threads() if native.THREADED else 1  # no threads: one core
    assert counts(lambda: relu(x, out=out)) == (1, int(cores > 1), 0)
    configured(stream=x.nbytes, parallel=1 << 40)
    assert counts(lambda: relu(x, out=out)) == (1, 0, 1)
    assert counts(lambda: relu(out, out=out)) == (1, 0, 0)  # in place: no streaming stores
    assert counts(lambda: relu_grad(x)) == (1, 0, 0)  # only relu streams
    # threads once the bytes touched (inputs, and the result unless in place) reach the cut-off
    configured(stream=1 << 40, parallel=2 * x.nbytes)
    threaded = int(cores > 1)
    assert counts(lambda: relu(x, out=out)) == (1, threaded, 0)  # x and out: 2 arrays
    assert counts(lambda: relu(out, out=out)) == (1, 0, 0)  # in place: 1 array
    assert counts(lambda: relu_grad(x)) == (1, threaded, 0)
    configured(stream=1 << 40, parallel=2 * x.nbytes + 1)
    assert counts(lambda: relu(x, out=out)) == (1, 0, 0)
    assert counts(lambda: relu_backward(x, x)) == (1, threaded, 0)  # dout, x and the result
    configured(stream=1 << 40, parallel=3 * x.nbytes + 1)
    assert counts(lambda: relu_backward(x, x)) == (1, 0, 0)
    assert counts(lambda: relu(x, threads=1)) == (1, 0, 0)  # one thread: still the fast call
    configured(stream=1 << 40, parallel=0)
    assert counts(lambda: relu(x, threads=1)) == (1, 0, 0)  # whatever the size
    assert counts(lambda: relu(x, threads=2)) == (1, int(native.THREADED), 0)
    assert counts(lambda: relu(x, threads=5)) == (1, int(native.THREADED), 0)
    assert counts(lambda: relu(x, threads=10_000)) == (1, int(native.THREADED), 0)  # capped
    configured(stream=0, parallel=0)
    assert same_bytes(relu(x), np.maximum(x, 0))


def same_bytes(a, b):
    return a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_the_configuration_is_checked(native):
    with pytest.raises(TypeError):
        native.configure(np.ndarray, np.empty_like, 1)
    with pytest.raises(TypeError):
        native.configure(1, np.empty_like, 1, 1)


SPIN_SCRIPT = textwrap.dedent(
    """
    import threading, numpy as np, relu
    from relu import _native
    print(_native.SPIN_US, relu.hardware()["spin_us"])
    rng = np.random.default_rng(0)
    x = rng.standard_normal(300_000).astype(np.float32)
    want = np.maximum(x, 0).tobytes()
    bad = []
    def work():
        for _ in range(200):
            if relu.relu(x, threads=2).tobytes() != want or relu.relu(x).tobytes() != want:
                bad.append(1)
    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads: t.start()
    for t in threads: t.join()
    print("ok" if not bad else "bad")
    """
)


def _run_with_spin(value):
    env = {**os.environ, "RELU_SPIN_US": value}
    return subprocess.run(
        [sys.executable, "-c", SPIN_SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("", 5000), ("250", 250)])
def test_the_spin_time_is_set_by_the_environment(native, value, expected):
    if not native.THREADED:
        pytest.skip("a build without threads has no helpers to spin")
    run = _run_with_spin(value)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(expected), str(expected), "ok"]


@pytest.mark.parametrize("value", ["-1", "1e3", "fast", "1000001", "12 "])
def test_a_bad_spin_time_is_an_error_at_import(native, value):
    if not native.THREADED:
        pytest.skip("a build without threads reads no RELU_SPIN_US")
    run = _run_with_spin(value)
    assert run.returncode != 0
    assert f"ValueError: RELU_SPIN_US={value}:" in run.stderr


def test_no_buffer_is_kept_when_the_dtypes_differ(native):
    """An input or ``out`` of the other float dtype is declined without keeping
    its buffer: the array keeps its reference count and can still be resized."""
    x32 = np.linspace(-1, 1, 64, dtype=np.float32)
    x64 = np.linspace(-1, 1, 64).copy()  # owns its data, so it can be resized
    out64 = np.empty(64)
    before = sys.getrefcount(x64), sys.getrefcount(out64)
    for _ in range(100):
        assert native.relu_backward(x32, x64) is None
        assert native.relu(x32, out64) is None
        relu_backward(x32, x64)
        relu(x32, out=out64)
    assert (sys.getrefcount(x64), sys.getrefcount(out64)) == before
    x64.resize(65, refcheck=False)  # raises BufferError while a buffer is exported
    out64.resize(65, refcheck=False)


def test_helpers_compute_with_the_callers_floating_point_modes(native):
    """A caller that flushes denormals (torch.set_flush_denormal sets the calling
    thread's FTZ/DAZ) gets every piece computed so, whichever thread takes it."""
    torch = pytest.importorskip("torch", reason="torch sets the FTZ/DAZ modes here")
    if native.SIMD == "none" or not native.THREADED:
        pytest.skip("the SSE control register and the helpers are x86 and threaded builds' own")
    x = np.full(1 << 22, 1e-40, dtype=np.float32)  # 16 MiB of subnormals: 8 pieces
    out = np.empty_like(x)
    relu(x, out=out, threads=2)  # the helper exists, started with denormals kept
    if not torch.set_flush_denormal(True):
        pytest.skip("this CPU cannot flush denormals")
    try:
        alone = relu(x, threads=1)
        for _ in range(20):  # back to back: the helper, spinning, takes pieces
            relu(x, out=out, threads=2)
            assert out.tobytes() == alone.tobytes()
    finally:
        torch.set_flush_denormal(False)
    assert not alone.any()  # with denormals as zero, 1e-40 <= 0


def test_a_read_only_out_is_named_on_every_path():
    """Issue 26, item 14: "out is read-only", not the buffer protocol's words, whether the
    call would take the compiled loops (float64, contiguous) or not (int32, strided)."""
    for out in (np.empty(8), np.empty(8, np.int32), np.empty(16)[::2]):
        out.flags.writeable = False
        x = np.zeros(out.shape, out.dtype)
        with pytest.raises(ValueError, match=r"^out is read-only$"):
            relu(x, out=out)
        with pytest.raises(ValueError, match=r"^out is read-only$"):
            relu(x, out=out, threads=1)
