"""The one fast path: the compiled loops (``relu/_native.c``) and their thread
pool, behind `relu.relu`, `relu.relu_grad`, `relu.relu_backward` and the
two-slope variants.

The loops take plain float32 and float64 arrays that are contiguous, aligned
and of one dtype with their output; for large arrays they run on helper
threads of their own with the GIL released. Which inputs they take is decided
in one place, in C: for any other input (other dtypes, strided views, builds
without a C compiler) a call returns None and these functions run plain
single-threaded NumPy, which gives the same bytes (the tests compare them).
`relu.loops` says which you have; the cut-offs come from `relu._hardware`.
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


def not_fast(*args: Any) -> None:
    """The calls without the compiled loops: always None (NumPy computes)."""
    return None


#: The compiled calls (relu/_native.c): ``fast_relu(x, out=None, threads=None)``,
#: ``fast_grad(x, out=None)``, ``fast_backward(dout, x, out=None)`` and
#: ``fast_two_slopes(x, out, threshold, below, above)`` return the result, or None,
#: having written nothing, for an input the loops do not take.
fast_relu: Callable[..., Any] = not_fast
fast_grad: Callable[..., Any] = not_fast
fast_backward: Callable[..., Any] = not_fast
fast_two_slopes: Callable[..., Any] = not_fast
if _native is not None:
    _native.configure(np.ndarray, np.empty_like, STREAM_MIN_BYTES, PARALLEL_MIN_BYTES)
    fast_relu, fast_grad = _native.relu, _native.relu_grad
    fast_backward, fast_two_slopes = _native.relu_backward, _native.two_slopes


def maximum_zero(src: np.ndarray, dst: np.ndarray | None, threads: int | None) -> np.ndarray:
    """``np.maximum(src, 0, out=dst)``, bitwise; ``dst`` may be ``src`` or None."""
    out = fast_relu(src, dst, threads)
    return np.maximum(src, 0, out=dst) if out is None else out


def positive_indicator(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """``dst[...] = (src > 0)`` in ``dst``'s floating dtype, bitwise."""
    if fast_grad(src, dst) is None:
        np.greater(src, 0, out=dst, casting="unsafe")
    return dst


def masked_copy(values: np.ndarray, where: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """``dst[...] = np.where(where > 0, values, 0)``, bitwise."""
    if fast_backward(values, where, dst) is None:
        dst[...] = np.where(where > 0, values, values.dtype.type(0))
    return dst


def two_slopes(src: np.ndarray, threshold: float, below: float, above: float) -> Any:
    """``above * x`` where ``x > threshold``, else ``below * x``, with the slopes rounded to
    ``src``'s (floating) dtype (a zero slope gives ``+0.0`` on its piece, NaN stays): the
    compiled loop, or None where it does not take ``src`` or a slope is beyond the dtype's
    range. The callers then bind the formula (`relu.variants`), which gives the same bits."""
    if not fits(src, below, above):
        return None
    t = src.dtype.type
    return fast_two_slopes(src, None, threshold, float(t(below)), float(t(above)))


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
    return all(abs(v) <= float(np.finfo(arr.dtype).max) for v in slopes)
