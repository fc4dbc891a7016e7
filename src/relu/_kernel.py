"""The fast path behind :func:`relu.relu`: cache-blocked, optionally multi-threaded.

Why it is faster than a bare ``np.maximum(x, 0, out=out)`` on large arrays:

* **A zeros operand instead of a scalar.** NumPy's maximum loop for an array
  against a broadcast scalar does more work per element than its
  array-against-array loop, which is vectorised. A small zeros block, reused
  for every block of the input, gives the fast loop while staying in cache.
* **Cache blocking.** The input is processed ``BLOCK_BYTES`` at a time, so
  the zeros block and each slice of input and output stay in the L2 cache.
* **Both cores.** NumPy's ufunc loops release the GIL, so a persistent pool of
  threads can process disjoint chunks at the same time. The pool is created on
  first use (never at import) and is shared; it is safe to call from several
  threads at once because chunks never overlap and the zeros blocks are
  read-only.

Results are bitwise identical to ``np.maximum(x, 0)``: the same ufunc on the
same values, element by element (NaN kept, ``-inf`` to 0, ``-0.0`` to 0.0).
The crossover sizes below were measured with ``relu-bench`` on a 2-core
virtual machine; see the Results page of the documentation.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["maximum_zero", "default_threads"]

#: Bytes of input handed to one ``np.maximum`` call on the fast path.
BLOCK_BYTES = 1 << 18
#: Below this many bytes the plain ``np.maximum(x, 0)`` call is used as is.
BLOCKED_MIN_BYTES = 1 << 20
#: From this many bytes up, ``threads=None`` uses every available core.
PARALLEL_MIN_BYTES = 1 << 21

_FAST_KINDS = "iuf"
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()
_zeros: dict[np.dtype, np.ndarray] = {}


def default_threads() -> int:
    """Cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _get_pool(workers: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < workers:
            old = _pool
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="relu")
            _pool_size = workers
            if old is not None:
                old.shutdown(wait=False)
        return _pool


def _zeros_block(dtype: np.dtype) -> np.ndarray:
    block = _zeros.get(dtype)
    if block is None:
        block = np.zeros(max(1, BLOCK_BYTES // dtype.itemsize), dtype=dtype)
        block.flags.writeable = False
        _zeros[dtype] = block  # a race only builds an identical block twice
    return block


def _blocked(src: np.ndarray, dst: np.ndarray, zeros: np.ndarray) -> None:
    """``dst[:] = maximum(src, 0)`` for 1-d contiguous arrays, a block at a time."""
    step = zeros.size
    n = src.size
    end = n - n % step
    for i in range(0, end, step):
        np.maximum(src[i : i + step], zeros, out=dst[i : i + step])
    if end < n:
        np.maximum(src[end:], zeros[: n - end], out=dst[end:])


def _flat_pair(src: np.ndarray, dst: np.ndarray):
    """1-d views of ``src`` and ``dst`` in the same element order, or None."""
    if src.flags.c_contiguous and dst.flags.c_contiguous:
        return src.reshape(-1), dst.reshape(-1)
    if src.flags.f_contiguous and dst.flags.f_contiguous:
        return src.T.reshape(-1), dst.T.reshape(-1)
    return None


def maximum_zero(src: np.ndarray, dst: np.ndarray, threads: int | None) -> np.ndarray:
    """Write ``max(src, 0)`` into ``dst`` (which may be ``src``); return ``dst``.

    Falls back to ``np.maximum(src, 0, out=dst)`` whenever the fast path does
    not apply: small arrays, float16, different dtypes or memory layouts, or
    ``dst`` partly overlapping ``src``.
    """
    nbytes = src.nbytes
    if (
        nbytes < BLOCKED_MIN_BYTES
        or src.dtype != dst.dtype
        or src.dtype.kind not in _FAST_KINDS
        or src.dtype == np.float16
    ):
        return np.maximum(src, 0, out=dst)
    pair = _flat_pair(src, dst)
    if pair is None:
        return np.maximum(src, 0, out=dst)
    flat_src, flat_dst = pair
    same = flat_src.__array_interface__["data"][0] == flat_dst.__array_interface__["data"][0]
    if not same and np.may_share_memory(flat_src, flat_dst):
        return np.maximum(src, 0, out=dst)  # partial overlap: let NumPy buffer it

    if threads is None:
        threads = default_threads() if nbytes >= PARALLEL_MIN_BYTES else 1
    zeros = _zeros_block(src.dtype)
    n = flat_src.size
    chunks = min(threads, max(1, n // zeros.size))
    if chunks == 1:
        _blocked(flat_src, flat_dst, zeros)
        return dst
    # Chunk boundaries on block multiples; the calling thread takes the first chunk.
    per = -(-n // chunks)
    per = -(-per // zeros.size) * zeros.size
    bounds = [(i, min(i + per, n)) for i in range(0, n, per)]
    pool = _get_pool(chunks - 1)
    futures = [pool.submit(_blocked, flat_src[a:b], flat_dst[a:b], zeros) for a, b in bounds[1:]]
    try:
        a, b = bounds[0]
        _blocked(flat_src[a:b], flat_dst[a:b], zeros)
    finally:
        for future in futures:
            future.result()
    return dst
