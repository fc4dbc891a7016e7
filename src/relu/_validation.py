"""Every input and parameter check of the package, in one place: one line at
the top of every public function."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "as_real_array",
    "as_float_array",
    "check_out",
    "check_same_shape",
    "check_threads",
    "real_param",
    "scalar_result",
]

_REAL_KINDS = "iuf"


def as_real_array(x: Any, name: str = "x") -> np.ndarray:
    """``x`` as an ndarray of a real dtype (int, uint or float), never copied when it is one
    already; a TypeError naming the dtype for bool, complex, object and other kinds."""
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array; its mask would be silently dropped: "
            "use np.ma.maximum(x, 0), or x.filled(...) first"
        )
    arr = x if type(x) is np.ndarray else np.asarray(x)
    if arr.dtype.kind not in _REAL_KINDS:
        raise TypeError(
            f"{name} must have a real integer or floating dtype, got dtype {arr.dtype!s}"
            + _hint(arr.dtype)
        )
    return arr


def as_float_array(x: Any, name: str = "x") -> np.ndarray:
    """Like `as_real_array`, with integers as float64; floating dtypes are kept."""
    arr = as_real_array(x, name)
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def check_out(out: Any, shape: tuple[int, ...], dtype: np.dtype, name: str = "out") -> None:
    """That ``out`` can receive a result of ``shape`` and ``dtype``: an ndarray (TypeError),
    of that shape (ValueError), a dtype that holds ``dtype`` under ``"safe"`` casting
    (TypeError), writeable (ValueError)."""
    if (
        type(out) is np.ndarray
        and out.dtype == dtype
        and out.shape == shape
        and out.flags.writeable
    ):
        return  # the common case, checked cheaply
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(out).__name__}")
    if isinstance(out, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array, whose mask would not be honoured; "
            "pass its data (out.data) or use np.ma.maximum"
        )
    if out.shape != shape:
        raise ValueError(f"{name} has shape {out.shape}, expected {shape}")
    if not np.can_cast(dtype, out.dtype, casting="safe"):
        raise TypeError(
            f"cannot write a {dtype} result into {name} of dtype {out.dtype} "
            "without losing precision (unsafe casting)"
        )
    if not out.flags.writeable:
        raise ValueError(f"{name} is read-only")


def check_same_shape(dout: np.ndarray, x: np.ndarray) -> None:
    """A backward pass's ``dout`` must have ``x``'s shape: broadcasting would give a gradient
    of the wrong shape."""
    if dout.shape != x.shape:
        raise ValueError(f"dout has shape {dout.shape} but x has shape {x.shape}")


def check_threads(threads: Any) -> int:
    """``threads`` as a positive int; a bool, a float or a count below 1 is refused."""
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)):
        raise TypeError(f"threads must be an int or None, got {type(threads).__name__}")
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    return int(threads)


def real_param(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    strict: bool = False,
    allow_inf: bool = False,
) -> float:
    """A real scalar parameter as a Python float, with a clear error if it is not.

    NaN is refused, and so are infinities unless ``allow_inf`` (then only
    ``+inf``); ``minimum`` bounds it from below (``strict``: exclusive).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    try:
        v = float(value)
    except OverflowError:  # an int beyond float's range, such as 2**2000
        bits = int(value).bit_length()
        raise ValueError(f"{name} must be a finite number, got an integer of {bits} bits") from None
    if math.isnan(v) or (math.isinf(v) and not (allow_inf and v > 0)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and (v <= minimum if strict else v < minimum):
        relation = ">" if strict else ">="
        raise ValueError(f"{name} must be {relation} {minimum}, got {value!r}")
    return v


def scalar_result(result: Any) -> Any:
    """A 0-d array as a NumPy scalar, as NumPy's ufuncs return it; arrays unchanged."""
    return result[()] if isinstance(result, np.ndarray) and result.ndim == 0 else result


def _hint(dtype: np.dtype) -> str:
    if dtype.kind == "b":
        return "; convert with x.astype(np.int8) or x.astype(float) first"
    if dtype.kind == "c":
        return "; ReLU is not defined for complex numbers (apply it to x.real?)"
    return ""
