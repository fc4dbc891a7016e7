"""The recommended ReLU, ``relu(x, /, *, out=None, threads=None)``, and what it runs on."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _arrays, _hardware, _kernel
from ._validation import as_real_array, check_out, check_threads
from ._xp import c

__all__ = ["relu", "loops", "hardware", "set_num_threads", "get_num_threads"]


def _relu(xp, x):
    """The formula, for arrays of every library (`relu._xp`): ``x <= 0`` is false at NaN,
    which stays; ``-0.0`` and ``-inf`` become ``+0``."""
    return xp.where(x <= 0, c(xp, x, 0), x)


def relu(
    x: ArrayLike, /, *, out: np.ndarray | None = None, threads: int | None = None
) -> np.ndarray:
    """Rectified linear unit, element-wise: ``max(x, 0)``.

    Integer and floating inputs keep their dtype; NaN propagates, ``-inf``
    and ``-0.0`` give ``+0.0``; ``x`` is never modified unless ``out=x``.
    The bytes are those of ``np.maximum(x, 0)``, whatever the threads.
    See [Which one should I use?](../guide/choosing.md).

    Parameters
    ----------
    x : array_like
        Input of a real dtype (not bool).
    out : numpy.ndarray, optional
        Where to write the result: ``x``'s shape, a dtype that holds ``x``'s
        under ``"safe"`` casting. ``out=x`` works in place.
    threads : int, optional
        ``None``: every usable core once a call touches 256 KiB
        (`hardware` says it); ``1``: the calling thread only. Never more
        than `get_num_threads` allows.

    Returns
    -------
    numpy.ndarray
        The result (``out`` when given; a NumPy scalar for a 0-d input).

    Examples
    --------
    >>> relu.relu(np.array([-2.0, -0.0, 0.5, np.inf, np.nan]))
    array([0. , 0. , 0.5, inf, nan])
    """
    if threads is None or type(threads) is int:
        result = _kernel.fast_relu(x, out, threads)  # the common call, decided in C
        if result is not None:
            return result
    if type(x) is not np.ndarray and (kind := _arrays.library(x)) is not None:
        return _arrays.apply(relu, _relu, kind, (x,), {"out": out, "threads": threads})
    arr = as_real_array(x)
    if threads is not None:
        threads = check_threads(threads)
    if out is not None:
        check_out(out, arr.shape, arr.dtype)
        base = out.view(np.ndarray) if type(out) is not np.ndarray else out
        result = _kernel.maximum_zero(arr, base, threads)
        if arr.dtype.char in "eg" or base.dtype.char in "eg":  # float16 or longdouble
            _kernel.positive_zero(base)
        return out
    result = _kernel.maximum_zero(arr, None, threads)
    return _kernel.positive_zero(result) if arr.dtype.char in "eg" else result


def hardware() -> dict:
    """What `relu` found about this machine, and the sizes it chose from it.

    Returns
    -------
    dict
        ``simd``: the compiled loops' instruction set, or ``"numpy"``;
        ``usable_cores``; ``caches`` (bytes, from Linux's sysfs) and
        ``caches_from``; ``stream_min_bytes``: the result size from which
        streaming stores are used; ``parallel_min_bytes``: the bytes a call
        touches from which ``threads=None`` uses every core; ``spin_us``: how
        long an idle helper thread spins before it sleeps.

    Examples
    --------
    >>> sorted(relu.hardware())  # doctest: +NORMALIZE_WHITESPACE
    ['caches', 'caches_from', 'parallel_min_bytes', 'simd', 'spin_us',
     'stream_min_bytes', 'usable_cores']
    """
    native = _kernel._native
    return {
        "simd": native.SIMD if native is not None else "numpy",
        **_hardware.summary(),
        "spin_us": native.SPIN_US if native is not None else 0,
    }


def loops() -> str:
    """Which loops `relu` runs: ``"compiled (avx512)"``, ``"compiled (avx2)"``,
    ``"compiled (sse2)"``, ``"compiled (none)"`` (plain C off x86), or ``"numpy"``
    (built without a C compiler; the same results). ``RELU_NATIVE_SIMD=sse2`` or
    ``avx2`` before the import runs a narrower level.

    Examples
    --------
    >>> relu.loops().startswith(("compiled", "numpy"))
    True
    """
    native = _kernel._native
    return f"compiled ({native.SIMD})" if native is not None else "numpy"


_cap = 0  # without the compiled loops: kept for get_num_threads, no threads to cap


def set_num_threads(n: int, /) -> None:
    """Cap the threads of each relu call, its own included (``RELU_NUM_THREADS`` at import,
    threadpoolctl's limits too); concurrent calls share one pool of helper threads.
    See [Threads](../guide/choosing.md#threads).

    Examples
    --------
    >>> relu.set_num_threads(1)  # every call on its calling thread
    >>> relu.set_num_threads(relu.hardware()["usable_cores"])  # the default
    """
    global _cap
    n = check_threads(n)
    if _kernel._native is not None:
        _kernel._native.set_num_threads(n)
    _cap = n


def get_num_threads() -> int:
    """The most threads relu's calls use at once (`set_num_threads`).

    Examples
    --------
    >>> relu.get_num_threads() >= 1
    True
    """
    if _kernel._native is not None:
        return int(_kernel._native.get_num_threads())
    return _cap or _hardware.usable_cores()


def _register_with_threadpoolctl() -> None:
    """Let threadpoolctl list relu's threads and limit them, as it does BLAS's."""
    try:
        import threadpoolctl
    except ImportError:
        return

    class Controller(threadpoolctl.LibController):
        user_api = internal_api = "relu"
        filename_prefixes = ("_native",)  # relu/_native.*.so, with these two symbols:
        check_symbols = ("relu_get_num_threads", "relu_set_num_threads")

        def get_num_threads(self) -> int:
            return int(self.dynlib.relu_get_num_threads())

        def set_num_threads(self, num_threads: int) -> None:
            self.dynlib.relu_set_num_threads(int(num_threads))

        def get_version(self) -> str:
            from importlib.metadata import version

            return version("relu")

    threadpoolctl.register(Controller)


if _kernel._native is not None:
    _register_with_threadpoolctl()
