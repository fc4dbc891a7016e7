"""The one fast path: the compiled loops (``relu/_native.c``) and their thread
pool, behind `relu.relu`, `relu.relu_grad`, `relu.relu_backward` and the
two-slope variants.

The loops take float32 and float64 arrays that are contiguous, aligned and
of one dtype with their output; for large arrays they run on helper threads
of their own with the GIL released. Everything else (other dtypes, strided
views, builds without a C compiler) takes plain single-threaded NumPy, which
gives the same bytes (the tests compare them). `relu.loops` says which you
have; the cut-offs come from `relu._hardware`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._hardware import PARALLEL_MIN_BYTES, STREAM_MIN_BYTES
from ._hardware import usable_cores as default_threads

_native: Any
try:
    from . import _native  # type: ignore[attr-defined, no-redef]  # the optional C extension
except ImportError:  # built without a C compiler: plain NumPy gives the same bytes
    _native = None

__all__ = [
    "maximum_zero",
    "positive_indicator",
    "masked_copy",
    "two_slopes",
    "fits",
    "positive_zero",
    "default_threads",
]


def not_fast(*arrays: Any) -> None:
    """The fast calls without the compiled loops: always None (take the checked path)."""
    return None


#: The common calls, decided in C: a plain contiguous float32/float64 ndarray
#: and threads None or 1 to 4. Each returns None for any other input, and the
#: caller takes its checked path.
fast_relu: Callable[..., Any] = not_fast
fast_grad: Callable[..., Any] = not_fast
fast_backward: Callable[..., Any] = not_fast
if _native is not None:
    _native.configure(np.ndarray, np.empty_like, STREAM_MIN_BYTES, PARALLEL_MIN_BYTES)
    fast_relu, fast_grad = _native.fast_relu, _native.fast_grad
    fast_backward = _native.fast_backward


def _threads_for(touched: int, threads: int | None) -> int:
    """The caller's threads, capped at 4 per usable core; by default every usable
    core once the bytes a call touches (inputs and a distinct result) reach
    `PARALLEL_MIN_BYTES`."""
    if threads is None:
        return default_threads() if touched >= PARALLEL_MIN_BYTES else 1
    return threads if threads <= 4 else min(threads, 4 * default_threads())


def _native_ready(out: np.ndarray, *inputs: np.ndarray) -> bool:
    """True when a compiled loop may be asked for ``out`` from ``inputs``: all
    float32 or float64 of one dtype and shape. The loop itself declines (returns
    False, writing nothing) layouts it cannot walk flat."""
    return (
        _native is not None
        and out.ndim > 0
        and out.dtype.char in "fd"
        and out.dtype.isnative
        and all(a.dtype == out.dtype and a.shape == out.shape for a in inputs)
    )


def native_takes(arr: np.ndarray) -> bool:
    """True when the compiled loops are built and take ``arr``'s dtype and layout."""
    return (
        _native_ready(arr)
        and arr.flags.aligned
        and (arr.flags.c_contiguous or arr.flags.f_contiguous)
    )


def maximum_zero(src: np.ndarray, dst: np.ndarray | None, threads: int | None) -> np.ndarray:
    """``np.maximum(src, 0, out=dst)``, bitwise; ``dst`` may be ``src`` or None."""
    if _native_ready(src) and (dst is None or dst.dtype == src.dtype):
        out = np.empty_like(src) if dst is None else dst
        stream = out is not src and src.nbytes >= STREAM_MIN_BYTES  # in place gains nothing
        touched = src.nbytes if out is src else 2 * src.nbytes
        if _native.relu(src, out, stream, _threads_for(touched, threads)):
            return out
        dst = out
    return np.maximum(src, 0, out=dst)


def positive_indicator(src: np.ndarray, dst: np.ndarray, threads: int | None) -> np.ndarray:
    """``dst[...] = (src > 0)`` in ``dst``'s floating dtype, bitwise."""
    if _native_ready(dst, src) and _native.relu_grad(
        src, dst, _threads_for(src.nbytes + dst.nbytes, threads)
    ):
        return dst
    np.greater(src, 0, out=dst, casting="unsafe")
    return dst


def masked_copy(
    values: np.ndarray, where: np.ndarray, dst: np.ndarray, threads: int | None
) -> np.ndarray:
    """``dst[...] = np.where(where > 0, values, 0)``, bitwise."""
    if _native_ready(dst, values, where) and _native.relu_backward(
        values, where, dst, _threads_for(3 * dst.nbytes, threads)
    ):
        return dst
    dst[...] = np.where(where > 0, values, values.dtype.type(0))
    return dst


def two_slopes(src: np.ndarray, threshold: float, below: float, above: float) -> Any:
    """``above * x`` where ``x > threshold``, else ``below * x``, with the slopes rounded to
    ``src``'s dtype (a zero slope gives ``+0.0`` on its piece, NaN stays): the compiled
    loop, or None where it does not take ``src`` or a slope is beyond its dtype's range.
    The callers then bind the formula (`relu.variants`), which gives the same bits."""
    out = np.empty_like(src)
    if not (_native_ready(out, src) and fits(src, below, above)):
        return None
    t, touched = src.dtype.type, 2 * src.nbytes
    lo, hi = float(t(below)), float(t(above))
    threads = _threads_for(touched, None)
    return out if _native.two_slopes(src, out, threshold, lo, hi, False, threads) else None


def positive_zero(result):
    """``-0.0`` as ``+0.0``, every other value untouched, in place for an array.

    NumPy's float16 and longdouble maximum return their first operand when
    both are zero. float16 bits are compared as integers, so a signalling NaN
    keeps its payload and raises no warning.
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


def fits(arr: np.ndarray, *slopes: float) -> bool:
    """True when every slope is within ``arr``'s floating dtype's range."""
    big = float(np.finfo(arr.dtype).max)
    return all(abs(v) <= big for v in slopes)
