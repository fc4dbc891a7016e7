"""Plain, obviously correct references the vectorised code is tested against."""

from __future__ import annotations

import math

import numpy as np


def relu_scalar(v):
    """ReLU of one Python number: NaN stays NaN, everything <= 0 gives +0."""
    if isinstance(v, float) and math.isnan(v):
        return v
    return v if v > 0 else type(v)(0)


def relu_reference(x: np.ndarray) -> np.ndarray:
    """Element by element with Python numbers, in x's dtype."""
    flat = [relu_scalar(v) for v in x.ravel().tolist()]
    return np.array(flat, dtype=x.dtype).reshape(x.shape)


def assert_same(actual: np.ndarray, expected: np.ndarray) -> None:
    """Equal values, NaN where NaN, the same dtype and shape, and no -0.0 for +0.0."""
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(actual, expected)
    if actual.dtype.kind == "f":
        np.testing.assert_array_equal(np.signbit(actual), np.signbit(expected))


def hide_native(monkeypatch) -> None:
    """Run the NumPy paths: no compiled loops, and no fast call decided in C."""
    from relu import _kernel

    monkeypatch.setattr(_kernel, "_native", None)
    for name in ("fast_relu", "fast_grad", "fast_backward"):
        monkeypatch.setattr(_kernel, name, _kernel.not_fast)
