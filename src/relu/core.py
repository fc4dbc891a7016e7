"""The recommended ReLU: ``relu(x, /, *, out=None, threads=None)``, and ``loops()``."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _arrays, _kernel
from ._validation import as_real_array, check_out, check_threads

__all__ = ["relu", "loops", "hardware", "release_memory"]


def relu(
    x: ArrayLike, /, *, out: np.ndarray | None = None, threads: int | None = None
) -> np.ndarray:
    """Rectified linear unit, element-wise: ``max(x, 0)``.

    ``relu(x) = x`` where ``x > 0``, else ``0``.

    This is the function the rest of the package recommends. Its contract:

    * **dtype**: integer (``int8`` to ``int64``, ``uint8`` to ``uint64``) and
      floating (``float16``, ``float32``, ``float64``) inputs keep their dtype.
    * **special values**: NaN propagates, ``-inf`` gives ``0``, ``+inf`` stays,
      ``-0.0`` gives ``+0.0``.
    * **no surprises**: ``x`` is never modified unless you pass ``out=x``.

    Parameters
    ----------
    x : array_like
        Input: an ndarray, a (nested) list, or a Python or NumPy scalar.
    out : numpy.ndarray, optional
        Array to write the result into, of the same shape as ``x`` and a
        dtype that can hold ``x``'s dtype under NumPy's ``"safe"`` casting.
        ``out=x`` computes ReLU in place. Reusing one ``out`` buffer across
        calls avoids allocating (and page-faulting) a fresh result each time.
    threads : int, optional
        Threads to use for large arrays. ``None`` (the default) uses every
        core this process may run on once the input is large enough for it
        to pay (once the input and result together fill one core's L2 with
        the compiled loops, from 8 MiB of input on the NumPy path: `hardware`
        says both; smaller inputs run on the calling thread); ``1``
        forces a single thread; at most 4 per usable core are used. Results
        are bitwise identical whatever the number of threads.

    Returns
    -------
    numpy.ndarray or numpy scalar
        The result; ``out`` itself when given. A 0-d input without ``out``
        gives a NumPy scalar, as NumPy's ufuncs do.

    Raises
    ------
    TypeError
        If ``x`` has a bool, complex, object or string dtype (the message
        names it), or if ``out`` cannot hold the result without unsafe casting.
        ``threads`` that is not an integer also raises ``TypeError``.
    ValueError
        If ``out`` has a different shape from ``x`` or is read-only, or
        ``threads < 1``.

    Notes
    -----
    Contiguous float32 and float64 arrays go through compiled SIMD loops
    (AVX-512, AVX2 or SSE2) when the package was installed with a C compiler at hand;
    other inputs, and builds without a compiler, take a NumPy path. Both
    give the bytes ``np.maximum(x, 0)`` gives; [`loops`][relu.core.loops] says which
    you have.

    On Linux, with the compiled loops and ``threads=None``, a new float32 or
    float64 result of 32 MiB or more (``hardware()["keep_min_bytes"]``)
    takes the memory of a freed result of the same size (rounded up to
    2 MiB) where ``relu`` kept one, so a loop that drops each result before
    the next call does not pay for fresh pages every time.
    ``RELU_KEEP_MIB`` bounds what is kept (``0`` keeps nothing), and
    [`release_memory`][relu.core.release_memory] gives it back. Such a
    result is an ordinary writeable array whose ``base`` is the memory's
    owner, a ``relu._native.Block``; as with any array that does not own its
    memory, ``ndarray.resize`` refuses it (``np.resize`` works).

    See Also
    --------
    relu_grad : the derivative, for backpropagation.
    relu_backward : the backward pass ``dout * relu_grad(x)``.
    relu6, leaky_relu : clipped and leaky variants.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import relu
    >>> relu(np.array([-2.0, -0.0, 0.5, np.inf, np.nan]))
    array([0. , 0. , 0.5, inf, nan])
    >>> relu([-3, 4])
    array([0, 4])
    >>> x = np.array([-1.0, 2.0])
    >>> _ = relu(x, out=x)  # in place
    >>> x
    array([0., 2.])
    """
    if threads is None:
        result = _kernel.fast_relu(x, out)  # the common call, decided in C; else None
        if result is not None:
            return result
    if type(x) is np.ndarray:
        arr = x
    else:
        kind = _arrays.library(x)  # a torch, JAX, Dask, pandas... array: its own library
        if kind is not None:
            return _arrays.apply(relu, kind, (x,), {"out": out, "threads": threads})
        arr = as_real_array(x)
    if arr.dtype.kind not in "iuf":
        as_real_array(arr)  # raises the TypeError that names the dtype
    if threads is not None:
        threads = check_threads(threads)
    if out is not None and (
        type(out) is not np.ndarray or out.dtype != arr.dtype or out.shape != arr.shape
    ):
        check_out(out, arr.shape, arr.dtype)  # the general case: casting rules and errors
    if out is not None and type(out) is not np.ndarray:
        # A subclass (np.memmap, a user's ndarray subclass): both paths write
        # its memory as a plain ndarray, and the caller gets ``out`` back.
        base = out.view(np.ndarray)
        result = _kernel.maximum_zero(arr, base, threads)
        if arr.dtype.char in "eg" or base.dtype.char in "eg":
            _kernel.positive_zero(base)
        return out
    result = _kernel.maximum_zero(arr, out, threads)
    if arr.dtype.char in "eg" or result.dtype.char in "eg":  # float16 or longdouble in or out
        result = _kernel.positive_zero(result)
    return result


def hardware() -> dict:
    """What ``relu`` found about this machine, and the sizes it chose from it.

    Returns
    -------
    dict
        ``simd``: the compiled loops' instruction set (``"avx512"``,
        ``"avx2"``, ``"sse2"``, ``"none"``) or ``"numpy"`` without them;
        ``usable_cores``: the cores this process may run on;
        ``caches``: one core's data and unified caches in bytes (from Linux's
        sysfs; empty where it is not there, and ``caches_from`` says what was
        assumed); ``stream_min_bytes``: the output size from which
        out-of-place results are written with streaming stores (half of the
        last-level cache); ``parallel_min_bytes``: the bytes a call touches
        (its input, and its result unless in place) from which
        ``threads=None`` runs the compiled loops on every usable core (one
        core's L2); ``numpy_parallel_min_bytes``: the
        same for the NumPy paths; ``spin_us``: the microseconds a helper
        thread spins after a call before it sleeps (``RELU_SPIN_US``; 0 without
        the compiled loops); ``keep_min_bytes``: the result size from which
        `relu`, `relu_grad` and `relu_backward` reuse the memory of a freed
        result of the same size (0: never; Linux only, with the compiled
        loops, or a ``RELU_KEEP_MIB`` under 32) and ``keep_max_bytes``: the
        most such memory kept (``RELU_KEEP_MIB``; a sixteenth of the physical
        memory unless set; `release_memory` gives it back).

    Examples
    --------
    >>> import relu
    >>> info = relu.hardware()
    >>> for key in sorted(info):
    ...     print(key)
    caches
    caches_from
    keep_max_bytes
    keep_min_bytes
    numpy_parallel_min_bytes
    parallel_min_bytes
    simd
    spin_us
    stream_min_bytes
    usable_cores
    >>> info["stream_min_bytes"] == max(info["caches"].values(), default=32 << 20) // 2
    True
    >>> l2 = info["caches"].get("L2", 512 << 10)
    >>> info["parallel_min_bytes"] == min(max(l2, 128 << 10), 16 << 20)
    True
    """
    from . import _hardware

    native = _kernel._native
    return {
        "simd": native.SIMD if native is not None else "numpy",
        **_hardware.summary(),
        "stream_min_bytes": _kernel.STREAM_MIN_BYTES,
        "parallel_min_bytes": _kernel.PARALLEL_MIN_BYTES,
        "numpy_parallel_min_bytes": _kernel.NUMPY_PARALLEL_MIN_BYTES,
        "spin_us": native.SPIN_US if native is not None else 0,
        "keep_min_bytes": native.KEEP_MIN_BYTES if native is not None else 0,
        "keep_max_bytes": native.kept()[2] if native is not None else 0,
    }


def loops() -> str:
    """Which loops `relu` and its relatives run on this installation.

    Returns
    -------
    str
        ``"compiled (avx512)"``, ``"compiled (avx2)"`` or ``"compiled
        (sse2)"``: the optional compiled loops were built, and this CPU
        runs that instruction set (the widest it has)
        (``"compiled (none)"``: plain C, on a CPU other than x86).
        ``"numpy"``: they were not built (no C compiler when the package
        was installed), so float32 and float64 take the NumPy path, with
        the same results. Set ``RELU_NATIVE_SIMD`` to ``sse2`` or ``avx2``
        before the import to run a narrower level; a value that is not a
        level of the build (``avx1024``, ``none`` on x86), or a level this CPU
        lacks, raises ``ValueError`` at import.

    Examples
    --------
    >>> import relu
    >>> relu.loops() in (
    ...     "compiled (avx512)", "compiled (avx2)", "compiled (sse2)", "compiled (none)", "numpy"
    ... )
    True
    """
    native = _kernel._native
    return f"compiled ({native.SIMD})" if native is not None else "numpy"


def release_memory() -> int:
    """Give back to the system the memory `relu` keeps from freed large results.

    On Linux, with the compiled loops, a freed result of
    ``hardware()["keep_min_bytes"]`` or more (of `relu`, `relu_grad` or
    `relu_backward`) keeps its memory for the next result of the same size
    (rounded up to 2 MiB), at most ``hardware()["keep_max_bytes"]`` in all.
    That memory counts in the process's resident size until the kernel takes
    it back under memory pressure; call this when a phase of large arrays is
    over. Nothing else changes: the next large result maps fresh memory.

    Returns
    -------
    int
        The bytes given back (0 when nothing was kept, or without the
        compiled loops).

    Examples
    --------
    >>> import numpy as np
    >>> import relu
    >>> y = relu.relu(np.ones(5_000_000))  # 40 MB
    >>> del y                              # its memory is kept for the next one
    >>> relu.release_memory() in (0, 40 << 20)
    True
    >>> relu.release_memory()
    0
    """
    native = _kernel._native
    return int(native.drop_kept()) if native is not None else 0
