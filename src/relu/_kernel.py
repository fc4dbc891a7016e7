"""The fast paths behind `relu.relu`, `relu.relu_grad`,
`relu.relu_backward` and the piecewise-linear variants: compiled loops
where they are built, cache-blocked NumPy otherwise and, for large arrays,
multi-threaded.

**The compiled loops** (``relu/_native.c``, built when the package is
installed with a C compiler at hand) handle float32 and float64 arrays that
are contiguous, aligned and of one dtype with their output. They read and
write each element once with SIMD compare-and-mask instructions, and
out-of-place ReLU on arrays larger than the cache writes with streaming
stores, which skip reading the destination before overwriting it. For large
arrays they run, with the GIL released, on helper threads of their own,
which take pieces of the work in turn. Without them (no compiler, other dtypes, strided
views) the NumPy paths below give the same bits; `relu.loops` says
which you have.

Why the NumPy paths are faster than the one-line NumPy expressions on large
arrays:

* **A zeros operand instead of a scalar.** NumPy's ``maximum`` loop for an
  array against a broadcast scalar does more work per element than its
  array-against-array loop. A small zeros block, reused for every block of
  the input, gives the fast loop while staying in cache.
* **Cache blocking.** Arrays are processed a block at a time, so the
  temporaries a step needs (a bit mask, the two products of a two-slope
  function) live in the cache and never travel to main memory: each large
  array is read or written once.
* **No branches.** ``np.where`` branches per element and runs several times
  slower than arithmetic on data of mixed signs; `select_greater` picks
  bits through an all-ones/all-zeros mask instead.
* **Both cores.** NumPy's ufunc loops release the GIL, so a persistent pool of
  threads can process disjoint chunks at the same time. The pool is created on
  first use (never at import) and shared; concurrent callers are safe because
  chunks never overlap, the zeros blocks are read-only and scratch buffers are
  per thread.

Every fast path, compiled or not, gives results bitwise identical to its
plain NumPy expression (the tests compare bytes); `relu.relu` then turns float16's ``-0.0``
into ``+0.0``, which ``np.maximum`` keeps for that one dtype. The crossover
sizes come from the machine (`relu._hardware`, reported by `relu.hardware`);
see the Results page.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from . import _hardware

_native: Any  # the module, or None: callers check with native_takes/_native_ready
try:
    from . import _native  # type: ignore[attr-defined, no-redef]  # the optional C extension
except ImportError:  # built without a C compiler: the NumPy paths give the same bits
    _native = None

__all__ = [
    "maximum_zero",
    "positive_indicator",
    "masked_copy",
    "select_greater",
    "two_slopes",
    "piecewise",
    "piecewise_slopes",
    "kinked_at_zero",
    "prelu",
    "positive_zero",
    "default_threads",
]

#: Bytes of the zeros row that ``maximum_zero`` compares against (L1/L2-sized).
BLOCK_BYTES = 1 << 16
#: Bytes per block of ``masked_copy`` and ``two_slopes``: their several ufunc
#: calls per block each cost microseconds of set-up, so the blocks are larger.
MASK_BLOCK_BYTES = 1 << 18
#: Below this many bytes the gradient paths use their plain NumPy expression.
BLOCKED_MIN_BYTES = 1 << 20
#: From this many bytes touched by a call up (its inputs, and its result where
#: that is not an input), ``threads=None`` runs the compiled loops on every
#: usable core: one core's L2 (`relu._hardware.parallel_min_bytes`).
PARALLEL_MIN_BYTES = _hardware.PARALLEL_MIN_BYTES
#: The same for the NumPy paths, whose Python pool costs 50-100 us a call
#: (`relu._hardware.NUMPY_PARALLEL_MIN_BYTES`, measured).
NUMPY_PARALLEL_MIN_BYTES = _hardware.NUMPY_PARALLEL_MIN_BYTES

#: From this many output bytes up, the compiled out-of-place ReLU writes with
#: streaming stores: half of this machine's last-level cache, read
#: at import (`relu._hardware`).
STREAM_MIN_BYTES = _hardware.STREAM_MIN_BYTES

#: Large inputs are cut into pieces of this many bytes (see `cut`); the
#: compiled pool's ``PIECE_BYTES``, and a test checks that the two agree.
PIECE_BYTES = 1 << 21


def not_fast(*arrays: Any) -> None:
    """The fast calls without the compiled loops: always None (take the checked path)."""
    return None


#: The common calls, decided in C (``_native.fast_relu`` and its siblings): a
#: plain float32/float64 ndarray, contiguous, with the default threads. Each
#: returns None for any other input, and the caller takes its checked path.
fast_relu: Callable[..., Any] = not_fast
fast_grad: Callable[..., Any] = not_fast
fast_backward: Callable[..., Any] = not_fast
if _native is not None:
    _native.configure(np.ndarray, np.empty_like, STREAM_MIN_BYTES, PARALLEL_MIN_BYTES)
    fast_relu, fast_grad = _native.fast_relu, _native.fast_grad
    fast_backward = _native.fast_backward


_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()
_zeros: dict[np.dtype, np.ndarray] = {}
_local = threading.local()


def default_threads() -> int:
    """Cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _get_pool(workers: int) -> ThreadPoolExecutor:
    """The shared pool, replaced by a larger one when more workers are asked for.

    A replaced pool is never shut down: a concurrent caller may still be
    submitting to it. Its threads exit once the last reference to it is gone.
    """
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < workers:
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="relu")
            _pool_size = workers
        return _pool


def _reset_after_fork() -> None:
    """In a fork child: forget the parent's pool, whose threads did not come along.

    The child inherits the pool object but none of its threads, so work
    submitted to it would never run; the lock may have been held by a parent
    thread at the moment of the fork. The child starts a pool of its own on
    its first large call.
    """
    global _pool, _pool_size, _pool_lock
    _pool, _pool_size, _pool_lock = None, 0, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _block_len(dtype: np.dtype) -> int:
    return max(1, BLOCK_BYTES // dtype.itemsize)


def _zeros_block(dtype: np.dtype) -> np.ndarray:
    block = _zeros.get(dtype)
    if block is None or block.size != _block_len(dtype):
        block = np.zeros(_block_len(dtype), dtype=dtype)
        block.flags.writeable = False
        _zeros[dtype] = block  # a race only builds an identical block twice
    return block


def _scratch(dtype, size: int, slot: int = 0) -> np.ndarray:
    """A per-thread scratch buffer of ``size`` elements; ``slot`` tells apart
    several buffers of one dtype that a block needs at once."""
    bufs = _local.__dict__.setdefault("bufs", {})
    key = (np.dtype(dtype), slot)
    buf = bufs.get(key)
    if buf is None or buf.size < size:
        buf = bufs[key] = np.empty(size, dtype=key[0])
    return buf[:size]


def cut(n: int, itemsize: int, threads: int) -> list[tuple[int, int]]:
    """The ``[start, stop)`` pieces a call of ``n`` elements is cut into: one rule
    for both pools, this one and the compiled one (``_csrc/pool.h``).

    An input that holds at least four `PIECE_BYTES` pieces per thread is cut
    into such pieces, which the threads take in turn (a thread that starts
    late takes fewer); a smaller one into one piece per thread, each a whole
    number of 64-byte cache lines (except the last), so no two threads write
    to one line. ``itemsize`` is the bytes of one of the ``n`` units.
    """
    if n <= 0:
        return []
    if n * itemsize >= 4 * threads * PIECE_BYTES:
        per = max(1, PIECE_BYTES // itemsize)
    else:
        line = max(1, 64 // itemsize)
        per = -(-n // threads)
        per = -(-per // line) * line
    return [(a, min(a + per, n)) for a in range(0, n, per)]


def _run(
    body: Callable[[int, int], None], n: int, block: int, threads: int, itemsize: int = 1
) -> None:
    """Call ``body(i, j)`` on consecutive ``[i, j)`` pieces of ``range(n)``.

    Pieces are at most ``block`` long. With ``threads > 1`` the range is cut
    by `cut`'s rule; the calling thread and ``threads - 1`` pool threads take
    the pieces in turn.
    """

    def run(a: int, b: int) -> None:
        for i in range(a, b, block):
            body(i, min(i + block, b))

    pieces = cut(n, itemsize, threads) if threads > 1 else [(0, n)]
    if len(pieces) <= 1:
        run(0, n)
        return
    todo = iter(pieces)
    lock = threading.Lock()

    def take() -> None:
        while True:
            with lock:
                piece = next(todo, None)
            if piece is None:
                return
            run(*piece)

    pool = _get_pool(min(threads, len(pieces)) - 1)
    futures = []
    try:
        for _ in range(min(threads, len(pieces)) - 1):
            futures.append(pool.submit(take))
    except RuntimeError:
        # The pool takes no work once the interpreter is shutting down (a
        # non-daemon thread still calling after the main script ended): the
        # calling thread takes every piece itself, with the same results.
        pass
    try:
        take()
    finally:
        for future in futures:
            future.result()


def _threads_for(nbytes: int, threads: int | None, native: bool = True) -> int:
    """Threads to use: the caller's choice, capped at 4 per usable core; by
    default every usable core once ``nbytes`` reaches `PARALLEL_MIN_BYTES`
    for the compiled loops (``native``: pass the bytes the call touches,
    inputs and a distinct result), `NUMPY_PARALLEL_MIN_BYTES` for the NumPy
    paths (pass the input's bytes)."""
    if threads is None:
        limit = PARALLEL_MIN_BYTES if native else NUMPY_PARALLEL_MIN_BYTES
        return default_threads() if nbytes >= limit else 1
    if threads <= 4:  # within the cap whatever the cores: skip asking the system
        return threads
    return min(threads, 4 * default_threads())


def _flat(*arrays: np.ndarray):
    """1-d views of arrays that share one memory order, or None."""
    for a in arrays:
        if not a.flags.c_contiguous:
            break
    else:
        return [a.reshape(-1) for a in arrays]
    if all(a.flags.f_contiguous for a in arrays):
        return [a.T.reshape(-1) for a in arrays]
    return None


def _disjoint_or_same(out: np.ndarray, *inputs: np.ndarray) -> bool:
    """True when ``out`` is one of the inputs exactly or overlaps none of them."""
    for a in inputs:
        if a is out or not np.may_share_memory(a, out):
            continue
        if (
            a.__array_interface__["data"][0] != out.__array_interface__["data"][0]
            or a.strides != out.strides
        ):
            return False
    return True


def _eligible(out: np.ndarray, *inputs: np.ndarray):
    if any(a.shape != out.shape for a in inputs):
        return None
    if not _disjoint_or_same(out, *inputs):
        return None  # partial overlap: NumPy's own buffering handles it
    return _flat(out, *inputs)


def native_takes(arr: np.ndarray) -> bool:
    """True when the compiled loops are built and take ``arr``'s dtype and layout."""
    return (
        _native is not None
        and arr.dtype.char in "fd"
        and arr.dtype.isnative
        and arr.ndim > 0
        and arr.flags.aligned
        and (arr.flags.c_contiguous or arr.flags.f_contiguous)
    )


def _native_ready(out: np.ndarray, *inputs: np.ndarray) -> bool:
    """True when a compiled loop may be asked to compute ``out`` from
    ``inputs``: the loops are built, and all are float32 or float64 arrays of
    one dtype and shape. The loop itself declines (returns False) layouts it
    cannot walk flat: strided, unaligned, mixed orders, partial overlap.

    Pass the result of `_threads_for` as the loop's last argument:
    above `PARALLEL_MIN_BYTES` the loop wakes helper threads of its own
    with the GIL released, which costs less than handing work to the Python
    pool.
    """
    return (
        _native is not None
        and out.ndim > 0
        and out.dtype.char in "fd"
        and out.dtype.isnative
        and all(a.dtype == out.dtype and a.shape == out.shape for a in inputs)
    )


def maximum_zero(src: np.ndarray, dst: np.ndarray | None, threads: int | None, native: bool = True):
    """``np.maximum(src, 0, out=dst)``, bitwise; ``dst`` may be ``src`` or None.

    float32 and float64 arrays that the compiled loops can take go to them,
    split across threads when large (``native=False`` skips them: the
    benchmark measures the NumPy path that way). Otherwise, small arrays (up
    to one zeros block) take ``np.maximum(src, zeros)``: the array-by-array loop is about three
    times faster per element than the
    scalar one, which more than pays for slicing the block. Larger arrays are
    viewed as rows of one block's length, so a single ``np.maximum(rows,
    zeros_row)`` call per thread walks a whole chunk with no Python-level
    loop; the tail that does not fill a row gets its own call.
    """
    dtype = src.dtype
    # _native_ready(out, src), written out: this is the path of every small call.
    if (
        native
        and _native is not None
        and dtype.char in "fd"
        and dtype.isnative
        and src.ndim
        and (dst is None or dst.dtype == dtype)
    ):
        out = np.empty_like(src) if dst is None else dst
        nbytes = src.nbytes
        stream = out is not src and nbytes >= STREAM_MIN_BYTES  # in place gains nothing
        touched = nbytes if out is src else 2 * nbytes
        if _native.relu(src, out, stream, _threads_for(touched, threads)):
            return out
        if dst is None:
            return np.maximum(src, 0, out=out)
    if (
        dtype.kind not in "iuf"
        or dtype.char == "e"
        or not dtype.isnative
        or (dst is not None and dst.dtype != dtype)
    ):
        return np.maximum(src, 0, out=dst)
    zeros = _zeros.get(dtype)
    if zeros is None:
        zeros = _zeros_block(dtype)
    n = src.size
    if n <= zeros.size:
        if n == 0 or src.ndim == 0:
            return np.maximum(src, 0, out=dst)
        z = zeros[:n] if src.ndim == 1 else zeros[:n].reshape(src.shape)
        return np.maximum(src, z, out=dst)
    if dst is None:
        dst = np.empty_like(src)
    flat = _eligible(dst, src)
    if flat is None:
        return np.maximum(src, 0, out=dst)
    d, s = flat
    width = zeros.size
    row = zeros.reshape(1, width)
    rows = n // width

    def body(r0: int, r1: int) -> None:
        a, b = r0 * width, r1 * width
        np.maximum(s[a:b].reshape(-1, width), row, out=d[a:b].reshape(-1, width))

    row_bytes = width * dtype.itemsize
    _run(
        body,
        rows,
        max(1, PIECE_BYTES // row_bytes),
        _threads_for(src.nbytes, threads, native=False),
        row_bytes,
    )
    tail = rows * width
    if tail < n:
        np.maximum(s[tail:], zeros[: n - tail], out=d[tail:])
    return dst


def positive_indicator(src: np.ndarray, dst: np.ndarray, threads: int | None) -> np.ndarray:
    """``dst[...] = (src > 0)`` converted to ``dst``'s floating dtype, bitwise.

    One ``np.greater`` call writes straight into the floating output (NumPy
    casts each buffered chunk of booleans while it is in cache), instead of
    a full boolean array followed by ``astype``; large inputs are split
    across threads.
    """
    if _native_ready(dst, src) and _native.relu_grad(
        src, dst, _threads_for(src.nbytes + dst.nbytes, threads)
    ):
        return dst
    flat = _eligible(dst, src) if dst.nbytes >= BLOCKED_MIN_BYTES else None
    if flat is None:
        np.greater(src, 0, out=dst, casting="unsafe")
        return dst
    d, s = flat
    threads = _threads_for(dst.nbytes, threads, native=False)

    def body(i: int, j: int) -> None:
        np.greater(s[i:j], 0, out=d[i:j], casting="unsafe")

    _run(body, s.size, max(1, PIECE_BYTES // d.itemsize), threads, d.itemsize)
    return dst


def exact_scalar(arr, value: float):
    """``value`` in ``arr``'s dtype when that is exact (so the comparison runs in
    the array's own loop), else as float64 (so it stays exact)."""
    dtype = np.asarray(arr).dtype
    try:
        same = dtype.type(value)
    except (OverflowError, ValueError):
        return np.float64(value)
    return same if float(same) == value else np.float64(value)


def select_greater(where, threshold, upper, lower, out: np.ndarray, word: np.ndarray | None = None):
    """``out[...] = upper`` where ``where > threshold``, else ``lower``: bit for bit
    what ``np.where`` gives, without its per-element branch.

    ``np.where`` runs several times slower than arithmetic on data whose signs
    are mixed. Here the comparison becomes a word of all ones or all zeros
    per element, and ``lower ^ (word & (upper ^ lower))`` picks the bits, so
    NaN, infinities and signed zeros pass through untouched. ``upper`` and
    ``lower`` are arrays broadcastable to ``out`` or scalars, all of
    ``out``'s dtype (a real dtype); the comparison is exact (``threshold`` as
    float64). ``word`` is an optional scratch array of ``out``'s shape and a
    signed integer type of ``out``'s item size.
    """
    size = out.dtype.itemsize
    bits = np.dtype(f"u{size}")
    if word is None:
        word = np.empty(out.shape, np.dtype(f"i{size}"))
    np.greater(where, exact_scalar(where, threshold), out=word, casting="unsafe")  # 1 or 0
    np.negative(word, out=word)  # all bits set, or none
    w, o = word.view(bits), out.view(bits)
    hi = np.asarray(upper, out.dtype).view(bits)
    lo = np.asarray(lower, out.dtype).view(bits)
    if lo.ndim == 0 and lo == 0:  # the common case: upper or zero
        return np.bitwise_and(hi, w, out=o).view(out.dtype)
    np.bitwise_and(w, np.bitwise_xor(hi, lo), out=w)
    return np.bitwise_xor(w, lo, out=o).view(out.dtype)


def two_slopes(
    src: np.ndarray, threshold: float, below, above, threads: int | None, derivative: bool = False
):
    """``above * x`` where ``x > threshold``, else ``below * x``, in ``src``'s dtype.

    Slopes are scalars of ``src``'s dtype; a zero slope gives ``+0.0`` on its
    piece and NaN stays NaN. With ``derivative=True``, the slopes themselves:
    ``above`` where ``x > threshold``, else ``below`` (NaN gives ``below``).
    float32 and float64 arrays go to the compiled loop when it is built.
    Otherwise large contiguous inputs are done a block at a time (the
    products and the select stay in the cache), split across threads; small
    ones in whole-array passes.
    """
    out = np.empty_like(src)
    if _native_ready(out, src) and _native.two_slopes(
        src,
        out,
        float(threshold),
        float(below),
        float(above),
        derivative,
        _threads_for(2 * src.nbytes, threads),
    ):
        return out
    flat = _eligible(out, src) if src.nbytes >= BLOCKED_MIN_BYTES else None
    signed = np.dtype(f"i{src.dtype.itemsize}")

    def pieces(x, o, word, hi, lo):
        if derivative:
            select_greater(x, threshold, above, below, o, word)
            return
        if above != 0 and below != 0:  # pick each element's slope, then one product
            select_greater(x, threshold, above, below, o, word)
            with np.errstate(over="ignore"):
                np.multiply(x, o, out=o)
            return
        with np.errstate(over="ignore"):  # only a result beyond the dtype's range overflows
            upper = np.multiply(x, above, out=hi) if above != 0 else src.dtype.type(0)
            lower = np.multiply(x, below, out=lo) if below != 0 else src.dtype.type(0)
        select_greater(x, threshold, upper, lower, o, word)
        if below == 0 or above == 0:
            np.copyto(o, x, where=np.isnan(x))  # a zero piece would have dropped NaN

    if flat is None:
        pieces(src, out, None, None, None)
        return out
    d, x = flat
    block = max(1, MASK_BLOCK_BYTES // src.dtype.itemsize)

    def body(i: int, j: int) -> None:
        n = j - i
        pieces(
            x[i:j],
            d[i:j],
            _scratch(signed, n),
            _scratch(src.dtype, n, 1),
            _scratch(src.dtype, n, 2),
        )

    _run(body, x.size, block, _threads_for(src.nbytes, threads, native=False), src.dtype.itemsize)
    return out


def masked_copy(
    values: np.ndarray, where: np.ndarray, dst: np.ndarray, threads: int | None
) -> np.ndarray:
    """``dst[...] = np.where(where > 0, values, 0)``, bitwise, for ``values.dtype == dst.dtype``.

    `select_greater` a block at a time, so its scratch word stays in the
    cache; a NaN or inf in ``values`` at an inactive position gives +0.
    """
    if _native_ready(dst, values, where) and _native.relu_backward(
        values, where, dst, _threads_for(3 * dst.nbytes, threads)
    ):
        return dst
    flat = None
    if values.dtype == dst.dtype and values.dtype.kind in "iuf" and dst.nbytes >= BLOCKED_MIN_BYTES:
        flat = _eligible(dst, values, where)
    if flat is None:
        dst[...] = np.where(where > 0, values, values.dtype.type(0))
        return dst
    d, v, w = flat
    size = values.dtype.itemsize
    signed = np.dtype(f"i{size}")
    zero = values.dtype.type(0)
    block = max(1, MASK_BLOCK_BYTES // size)

    def body(i: int, j: int) -> None:
        select_greater(w[i:j], 0, v[i:j], zero, d[i:j], _scratch(signed, j - i))

    _run(body, v.size, block, _threads_for(dst.nbytes, threads, native=False), dst.dtype.itemsize)
    return dst


def positive_zero(result):
    """``-0.0`` as ``+0.0``, every other value untouched, in place when ``result`` is an array.

    NumPy's float16 and longdouble maximum return their first operand when
    both are zero, so ``maximum(-0.0, 0)`` is ``-0.0`` there. No arithmetic:
    float16 bits are compared as integers, so a signalling NaN keeps its
    payload and raises no "invalid value" warning, as with ``np.maximum``.
    """
    is_array = isinstance(result, np.ndarray)
    arr = result if is_array else np.array(result)  # a scalar: work on a 0-d copy
    if arr.dtype.char == "e":
        bits = arr.view(np.uint16)
        bits[bits == 0x8000] = 0
    else:
        with np.errstate(invalid="ignore"):
            np.copyto(arr, 0, where=arr == 0)
    return result if is_array else arr[()]


def piecewise(
    arr: np.ndarray, threshold: float, below: float, above: float, threads: int | None = None
) -> np.ndarray:
    """``above * x`` where ``x > threshold``, else ``below * x``, in ``arr``'s dtype.

    The fast path of the two-slope variants. A zero slope gives exactly
    ``+0.0`` on its piece (so ``-inf`` maps to 0, as in ReLU, instead of
    ``-inf * 0 = nan``); NaN stays NaN. The compiled loop does every case in
    one pass. Without it, with the kink at 0 and non-negative slopes (Leaky
    ReLU, scaled ReLU), the same values come from two or three whole-array
    NumPy passes (`kinked_at_zero`); other cases take `two_slopes`.
    """
    if threshold == 0 and below >= 0 and above > 0 and not native_takes(arr):
        return kinked_at_zero(arr, below, arr.dtype.type(above))
    t = arr.dtype.type
    return two_slopes(arr, threshold, t(below), t(above), threads)


def piecewise_slopes(
    arr: np.ndarray, threshold: float, below: float, above: float, threads: int | None = None
) -> np.ndarray:
    """The derivative of `piecewise`: ``above`` where ``x > threshold``, else ``below``."""
    t = arr.dtype.type
    return two_slopes(arr, threshold, t(below), t(above), threads, derivative=True)


def kinked_at_zero(arr: np.ndarray, below, above) -> np.ndarray:
    """``above * x`` for ``x > 0``, else ``below * x``, for ``below >= 0 < above``.

    Both pieces pass through 0, so the larger of ``below * x`` and ``above * x``
    is the right one when ``below <= above`` (the smaller when ``below >
    above``): no mask and no branch. Signed zeros, infinities and NaN come out
    as from the masked form: both candidates are the same zero at ``x = +-0``,
    both are NaN at NaN, and ``below = 0`` goes through `maximum_zero`,
    which gives ``+0.0`` for ``-inf`` and ``-0.0``. ``below`` may be an array
    (PReLU's weight).
    """
    with np.errstate(over="ignore"):  # only a result beyond the dtype's range overflows
        if np.all(below == 0):
            out = positive_zero(maximum_zero(arr, np.empty_like(arr), None))  # +0.0 for -0.0
            return out if above == 1 else np.multiply(out, above, out=out)
        upper = arr if above == 1 else np.multiply(arr, above)
        lower = np.multiply(arr, below, out=np.empty_like(arr))
    combine = np.maximum if np.all(below <= above) else np.minimum  # callers: one side only
    return combine(upper, lower, out=lower)


def prelu(arr: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``x`` where ``x > 0``, else ``weight * x``; ``weight`` of ``arr``'s dtype,
    broadcastable to its shape.

    One weight: the compiled two-slope loop. Weights all in ``(0, 1]`` or all
    ``>= 1``: `kinked_at_zero`, same values without masks. Otherwise masked
    writes, with ``-inf * 0`` taken as its limit 0, as in ReLU.
    """
    if weight.size == 1 and native_takes(arr):
        return two_slopes(arr, 0, weight.reshape(-1)[0], arr.dtype.type(1), None)
    if weight.size and (((weight > 0) & (weight <= 1)).all() or (weight >= 1).all()):
        return kinked_at_zero(arr, weight, arr.dtype.type(1))
    w = np.broadcast_to(weight, arr.shape)
    out = np.empty_like(arr)
    upper = arr > 0
    np.copyto(out, arr, where=upper)
    with np.errstate(over="ignore", invalid="ignore"):
        np.multiply(arr, w, out=out, where=~upper)
    np.copyto(out, 0, where=(~upper) & (w == 0) & ~np.isnan(arr))
    return out
