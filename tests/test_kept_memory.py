"""Kept memory for large results (``_csrc/blocks.h``): a freed result of
``KEEP_MIN_BYTES`` or more gives its memory to the next result of that size.

What must hold: the same bytes as the checked path, a result laid out as
``np.empty_like`` lays it out, memory still in use (by a view) never given
out twice, a bounded list (``KEEP_BLOCKS`` mappings, ``RELU_KEEP_MIB``), an
error for a bad ``RELU_KEEP_MIB``, and kept memory that works after fork().
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from test_fast_call import checked
from test_kernel import require_native

from relu import _kernel, relu, relu_backward, relu_grad

KEEP_BLOCKS = 4  # _csrc/blocks.h


@pytest.fixture
def native():
    require_native()
    native = _kernel._native
    if native.KEEP_MIN_BYTES == 0:
        pytest.skip("no kept memory on this system (Linux only, or RELU_KEEP_MIB=0)")
    native.drop_kept()
    yield native
    native.drop_kept()


def large(native, dtype, extra=0, seed=0):
    """A random array of just over ``KEEP_MIN_BYTES``, with NaN, ±0 and ±inf in it."""
    n = native.KEEP_MIN_BYTES // np.dtype(dtype).itemsize + 4096 + extra
    x = np.random.default_rng(seed).standard_normal(n).astype(dtype)
    x[:6] = [np.nan, -0.0, 0.0, np.inf, -np.inf, -1.0]
    return x


def reused(native):
    return native.kept()[3]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", ["C", "F"])
def test_large_results_are_in_kept_memory_and_give_the_checked_paths_bytes(native, dtype, order):
    flat = large(native, dtype)
    x = np.reshape(flat[: flat.size // 8 * 8], (-1, 8), order=order)
    dout = np.reshape(large(native, dtype, seed=1)[: x.size], x.shape, order=order)
    for func, args in [(relu, (x,)), (relu_grad, (x,)), (relu_backward, (dout, x))]:
        for _ in range(2):  # a new mapping, then the freed one again
            got, want = func(*args), checked(func, *args)
            assert type(got.base) is native.Block
            assert got.tobytes(order="A") == want.tobytes(order="A")
            like = np.empty_like(x)
            assert (got.flags.c_contiguous, got.flags.f_contiguous) == (
                like.flags.c_contiguous,
                like.flags.f_contiguous,
            )
            assert got.flags.writeable and got.strides == like.strides
            assert memoryview(got.base).nbytes == got.nbytes
            del got
    assert reused(native) >= 3


def test_a_freed_result_gives_its_memory_to_the_next_one_of_its_size(native):
    x, other = large(native, np.float64), large(native, np.float64, seed=2)
    y = relu(x)
    address = y.ctypes.data
    del y
    before = reused(native)
    z = relu(other)
    assert reused(native) == before + 1
    assert z.ctypes.data == address
    assert z.tobytes() == checked(relu, other).tobytes()
    # A size in another 2 MiB class does not take it.
    del z
    bigger = large(native, np.float64, extra=(4 << 20) // 8)
    w = relu(bigger)
    assert w.ctypes.data != address and reused(native) == before + 1


def test_memory_still_viewed_is_not_given_out_again(native):
    x = large(native, np.float32)
    y = relu(x)
    view = y[10:]
    kept = view.copy()
    del y  # the view keeps the result's memory
    z = relu(-x)
    assert not np.shares_memory(z, view)
    assert view.tobytes() == kept.tobytes()
    assert z.tobytes() == checked(relu, -x).tobytes()


def test_the_kept_list_is_bounded(native):
    x = large(native, np.float64)
    results = [relu(x) for _ in range(KEEP_BLOCKS + 2)]
    mapped = {r.ctypes.data for r in results}
    assert len(mapped) == KEEP_BLOCKS + 2
    del results
    count, nbytes, most, _, _ = native.kept()
    assert count == KEEP_BLOCKS
    assert 0 < nbytes <= most
    assert nbytes == KEEP_BLOCKS * (-(-x.nbytes // (2 << 20)) * (2 << 20))
    native.drop_kept()
    assert native.kept()[:2] == (0, 0)


def test_results_below_the_cut_off_come_from_numpy(native):
    x = np.ones(native.KEEP_MIN_BYTES // 8 - 1)
    y = relu(x)
    assert y.base is None and y.flags.owndata


KEEP_SCRIPT = textwrap.dedent(
    """
    import numpy as np
    from relu import _kernel, relu
    native = _kernel._native
    small = relu(np.ones((40 << 20) // 8))
    big = relu(np.ones((80 << 20) // 8))
    owned = big.base is None  # more than may be kept: no Block at all
    del small, big
    print(native.KEEP_MIN_BYTES, *native.kept()[:3], owned)
    """
)


def _run_keep(value, script=KEEP_SCRIPT):
    env = {**os.environ, "RELU_KEEP_MIB": value}
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )


def test_relu_keep_mib_sets_the_most_kept(native):
    run = _run_keep("64")
    assert run.returncode == 0, run.stderr
    *numbers, owned = run.stdout.split()
    # The 40 MiB result is kept; the 80 MiB one is more than may be kept.
    assert list(map(int, numbers)) == [native.KEEP_MIN_BYTES, 1, 40 << 20, 64 << 20]
    assert owned == "True"


@pytest.mark.parametrize("value", ["0", "31"])
def test_relu_keep_mib_under_the_cut_off_keeps_nothing(native, value):
    run = _run_keep(value)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "0", "0", str(int(value) << 20), "True"]


@pytest.mark.parametrize("value", ["-1", "lots", "1.5", "64 MiB", " 64", "+64", "64 ", "0x40"])
def test_a_bad_relu_keep_mib_is_an_error_at_import(native, value):
    run = _run_keep(value)
    assert run.returncode != 0
    assert f"RELU_KEEP_MIB={value}: expected a whole number of MiB" in run.stderr


FORK_SCRIPT = textwrap.dedent(
    """
    import os
    import numpy as np
    from relu import _kernel, relu
    x = np.random.default_rng(0).standard_normal((40 << 20) // 8)
    y = relu(x)
    del y
    pid = os.fork()
    if pid == 0:
        z = relu(-x)
        ok = _kernel._native.kept()[3] == 1 and np.array_equal(z, np.maximum(-x, 0))
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    z = relu(x)
    print(os.waitstatus_to_exitcode(status), np.array_equal(z, np.maximum(x, 0)))
    """
)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
def test_kept_memory_works_in_a_fork_child_and_its_parent(native):
    run = _run_keep("", FORK_SCRIPT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "True"]


def test_by_default_a_sixteenth_of_the_physical_memory_may_be_kept(native):
    script = "import relu; i = relu.hardware(); print(i['keep_min_bytes'], i['keep_max_bytes'])"
    env = {k: v for k, v in os.environ.items() if k != "RELU_KEEP_MIB"}
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    physical = os.sysconf("SC_PHYS_PAGES") // 16 * os.sysconf("SC_PAGESIZE")
    assert run.stdout.split() == [str(32 << 20), str(physical)]


def test_a_result_in_kept_memory_refuses_resize_in_place_as_documented(native):
    y = relu(large(native, np.float32))
    with pytest.raises(ValueError, match="does not own its data"):
        y.resize(10)
    assert np.resize(y, 10).tobytes() == y[:10].tobytes()


def test_release_memory_gives_back_what_was_kept(native):
    import relu as package

    x = large(native, np.float32)
    y = relu(x)
    del y
    nbytes = native.kept()[1]
    assert nbytes >= x.nbytes
    assert package.release_memory() == nbytes
    assert native.kept()[:2] == (0, 0) and package.release_memory() == 0


LIMIT_SCRIPT = textwrap.dedent(
    """
    import resource
    import numpy as np
    from relu import _kernel, relu
    x = np.ones((100 << 20) // 8)
    for mib in (34, 36, 38, 40):  # four sizes, each result kept when it goes
        del_me = relu(x[: (mib << 20) // 8])
        del del_me
    kept = _kernel._native.kept()[0]
    used = sum(int(line.split()[1]) for line in open("/proc/self/status")
               if line.startswith("VmSize"))
    limit = (used << 10) + (20 << 20)  # no room for a 42 MiB mapping until the kept ones go
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    y = relu(x[: (42 << 20) // 8])
    print(kept, _kernel._native.kept()[0], type(y.base).__name__, bool((y == 1).all()))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS as Linux has it")
def test_a_refused_mapping_gives_back_the_kept_memory_and_tries_again(native):
    run = _run_keep("", LIMIT_SCRIPT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["4", "0", "Block", "True"]
