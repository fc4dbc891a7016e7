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
    "select_greater",
    "two_slopes",
    "piecewise",
    "piecewise_slopes",
    "kinked_at_zero",
    "prelu",
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


def exact_scalar(arr, value: float):
    """``value`` in ``arr``'s dtype when that is exact (so the comparison runs in
    the array's own loop), else as float64 (so it stays exact)."""
    dtype = np.asarray(arr).dtype
    try:
        with np.errstate(over="ignore"):  # beyond the dtype's range: inf, then float64
            same = dtype.type(value)
    except (OverflowError, ValueError):
        return np.float64(value)
    return same if float(same) == value else np.float64(value)


def select_greater(where, threshold, upper, lower, out: np.ndarray) -> np.ndarray:
    """``out[...] = upper`` where ``where > threshold``, else ``lower``: the bits
    ``np.where`` gives (NaN, infinities and signed zeros untouched), picked through
    an all-ones/all-zeros word per element instead of a branch."""
    size = out.dtype.itemsize
    bits = np.dtype(f"u{size}")
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
    """``above * x`` where ``x > threshold``, else ``below * x``, in ``src``'s dtype;
    with ``derivative=True`` the slope itself (NaN gives ``below``).

    Slopes are scalars of ``src``'s dtype; a zero slope gives ``+0.0`` on its
    piece and NaN stays NaN.
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
    if derivative:
        return select_greater(src, threshold, above, below, out)
    with np.errstate(over="ignore"):  # only a result beyond the dtype's range overflows
        if above != 0 and below != 0:  # pick each element's slope, then one product
            select_greater(src, threshold, above, below, out)
            return np.multiply(src, out, out=out)
        zero = src.dtype.type(0)
        upper = np.multiply(src, above) if above != 0 else zero
        lower = np.multiply(src, below) if below != 0 else zero
    select_greater(src, threshold, upper, lower, out)
    np.copyto(out, src, where=np.isnan(src))  # a zero piece would have dropped NaN
    return out


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


def piecewise(
    arr: np.ndarray, threshold: float, below: float, above: float, threads: int | None = None
) -> np.ndarray:
    """``above * x`` where ``x > threshold``, else ``below * x``: the two-slope
    variants. Kinked at 0 with non-negative slopes and no compiled loop, the
    same values come from `kinked_at_zero`'s whole-array passes."""
    if not _fits(arr, below, above):  # a slope beyond float16/32: in float64, rounded once
        with np.errstate(over="ignore"):
            wide = piecewise(arr.astype(np.float64), threshold, below, above, threads)
            return wide.astype(arr.dtype)
    if threshold == 0 and below >= 0 and above > 0 and not native_takes(arr):
        return kinked_at_zero(arr, below, arr.dtype.type(above))
    t = arr.dtype.type
    return two_slopes(arr, threshold, t(below), t(above), threads)


def piecewise_slopes(
    arr: np.ndarray, threshold: float, below: float, above: float, threads: int | None = None
) -> np.ndarray:
    """The derivative of `piecewise`: ``above`` where ``x > threshold``, else ``below``
    (a slope beyond the dtype's range is its infinity, quietly)."""
    t = arr.dtype.type
    with np.errstate(over="ignore"):
        below, above = t(below), t(above)
    return two_slopes(arr, threshold, below, above, threads, derivative=True)


def _fits(arr: np.ndarray, *slopes: float) -> bool:
    """True when every slope is within ``arr``'s floating dtype's range."""
    big = float(np.finfo(arr.dtype).max)
    return all(abs(v) <= big for v in slopes)


def kinked_at_zero(arr: np.ndarray, below, above) -> np.ndarray:
    """``above * x`` for ``x > 0``, else ``below * x``, for ``below >= 0 < above``.

    Both pieces pass through 0, so the larger of the two products is the right
    one when ``below <= above`` (the smaller otherwise): no mask, no branch.
    ``below = 0`` goes through `maximum_zero` (``+0.0`` for ``-inf`` and
    ``-0.0``). ``below`` may be an array (PReLU's weight).
    """
    with np.errstate(over="ignore"):  # only a result beyond the dtype's range overflows
        if np.all(below == 0):
            out = positive_zero(maximum_zero(arr, np.empty_like(arr), None))
            return out if above == 1 else np.multiply(out, above, out=out)
        upper = arr if above == 1 else np.multiply(arr, above)
        lower = np.multiply(arr, below, out=np.empty_like(arr))
    combine = np.maximum if np.all(below <= above) else np.minimum  # callers: one side only
    return combine(upper, lower, out=lower)


def prelu(arr: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``x`` where ``x > 0``, else ``weight * x``; ``weight`` of ``arr``'s dtype,
    broadcastable to its shape, with ``-inf * 0`` taken as its limit 0."""
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
