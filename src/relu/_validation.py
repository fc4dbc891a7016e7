"""Shared input checks: one line at the top of every public function."""

from __future__ import annotations

import numpy as np

__all__ = ["as_real_array", "as_float_array", "check_out"]

_REAL_KINDS = "iuf"


def as_real_array(x, name: str = "x") -> np.ndarray:
    """Return ``x`` as an ndarray of a real numeric dtype (int, uint or float).

    Never copies an ndarray that is already acceptable, so callers that do
    not write into the result never mutate the caller's data.

    Raises
    ------
    TypeError
        If the dtype is bool, complex, object, string, datetime or any other
        non-real kind. The message names the dtype.
    """
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


def as_float_array(x, name: str = "x") -> np.ndarray:
    """Like `as_real_array`, then promote integers to float64.

    Floating inputs keep their dtype (float16 and float32 are not upcast).
    """
    arr = as_real_array(x, name)
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def check_out(out, shape: tuple[int, ...], dtype: np.dtype, name: str = "out") -> None:
    """Check that ``out`` can receive a result of ``shape`` and ``dtype``.

    Raises
    ------
    TypeError
        If ``out`` is not an ndarray, or its dtype cannot hold ``dtype``
        under NumPy's ``"safe"`` casting rule (for example float64 into
        float32, or float32 into an integer array).
    ValueError
        If ``out`` has a different shape.
    """
    if type(out) is np.ndarray and out.dtype == dtype and out.shape == shape:
        return  # the common case, checked cheaply (NumPy itself refuses a read-only out)
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(out).__name__}")
    if isinstance(out, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array, whose mask would not be honoured; "
                        "pass its data (out.data) or use np.ma.maximum")
    if out.shape != shape:
        raise ValueError(f"{name} has shape {out.shape}, expected {shape}")
    if not np.can_cast(dtype, out.dtype, casting="safe"):
        raise TypeError(
            f"cannot write a {dtype} result into {name} of dtype {out.dtype} "
            "without losing precision (unsafe casting)"
        )
    if not out.flags.writeable:
        raise ValueError(f"{name} is read-only")


def _hint(dtype: np.dtype) -> str:
    if dtype.kind == "b":
        return "; convert with x.astype(np.int8) or x.astype(float) first"
    if dtype.kind == "c":
        return "; ReLU is not defined for complex numbers (apply it to x.real?)"
    return ""
