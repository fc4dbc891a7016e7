"""Plain, obviously correct references the vectorised code is tested against."""

from __future__ import annotations

import math

import numpy as np

import relu


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
    for name in ("fast_relu", "fast_grad", "fast_backward", "fast_two_slopes"):
        monkeypatch.setattr(_kernel, name, _kernel.not_fast)


# The ReLU family, one Python float at a time with `math`: the textbook formulas
# that the vectorised functions are tested against (relu.ACTIVATIONS names them).


def _leaky(x: float, negative_slope: float) -> float:
    return x if x > 0 else negative_slope * x


def _piecewise(x: float, threshold: float, slope_below: float, slope_above: float) -> float:
    return slope_above * x if x > threshold else slope_below * x


def _elu(x: float, alpha: float) -> float:
    return x if x > 0 else alpha * math.expm1(x)


def _celu(x: float, alpha: float) -> float:
    return x if x > 0 else alpha * math.expm1(max(x / alpha, -1e300))


def _gelu(x: float, approximate: str) -> float:
    if approximate == "none":
        # x * Phi(x) with Phi = erfc(-x / sqrt(2)) / 2: 1 + erf(x / sqrt(2)) cancels below -5
        return 0.5 * x * math.erfc(-x / math.sqrt(2.0))
    if abs(x) > 100:  # tanh(u) is exactly +-1 in float64 long before; x ** 3 would overflow
        return x if x > 0 else -0.0
    u = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)
    return 0.5 * x * (1.0 + math.tanh(u))


def _softplus(x: float, beta: float, threshold: float) -> float:
    if beta * x > threshold:
        return x
    return math.log1p(math.exp(beta * x)) / beta


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _silu(x: float) -> float:
    return x * _sigmoid(x)


def _mish(x: float) -> float:
    sp = x if x > 40 else math.log1p(math.exp(x))  # log(1 + e^x) = x + log1p(e^-x): equal beyond 40
    return x * math.tanh(sp)


def _squareplus(x: float, b: float) -> float:
    s = math.hypot(x, math.sqrt(b))
    return 0.5 * x + 0.5 * s if x >= 0 else (0.5 * b) / (s - x)


def _squared_relu(x: float) -> float:
    r = max(x, 0.0)
    return r * r  # not r ** 2, which raises OverflowError beyond 1e154


def _selu(x: float) -> float:
    return relu.SELU_SCALE * _elu(x, relu.SELU_ALPHA)


REFERENCES = {
    "relu": lambda x: max(x, 0.0),
    "leaky_relu": _leaky,
    "prelu": lambda x, weight: _leaky(x, weight),
    "piecewise_linear": _piecewise,
    "relu6": lambda x: min(max(x, 0.0), 6.0),
    "hardtanh": lambda x, min_val, max_val: min(max(x, min_val), max_val),
    "threshold": lambda x, threshold, value: x if x > threshold else value,
    "elu": _elu,
    "celu": _celu,
    "selu": _selu,
    "gelu": _gelu,
    "softplus": _softplus,
    "squareplus": _squareplus,
    "silu": _silu,
    "mish": _mish,
    "hardswish": lambda x: 0.0 if x <= -3 else (x if x >= 3 else x * (x + 3.0) / 6.0),
    "squared_relu": _squared_relu,
}
"""Each activation of ``relu.ACTIVATIONS`` by name: ``reference(x, **keywords) -> float``."""


# Each activation's derivative at its kinks, as PyTorch's autograd gives it: (x, keywords, f'(x)).
AT_KINKS = {
    "relu": ((0.0, {}, 0.0),),
    "leaky_relu": ((0.0, {"negative_slope": 0.2}, 0.2),),
    "prelu": ((0.0, {"weight": 0.3}, 0.3),),
    "piecewise_linear": ((2.0, {"threshold": 2.0, "slope_below": -1.0, "slope_above": 3.0}, -1.0),),
    "relu6": ((0.0, {}, 0.0), (6.0, {}, 0.0)),
    "hardtanh": ((-1.0, {}, 0.0), (1.0, {}, 0.0), (0.0, {"min_val": 0.0, "max_val": 6.0}, 0.0)),
    "threshold": ((1.0, {"threshold": 1.0, "value": -0.5}, 0.0),),
    "elu": ((0.0, {"alpha": 0.5}, 0.5),),
    "celu": ((0.0, {"alpha": 0.5}, 1.0),),
    "selu": ((0.0, {}, relu.SELU_SCALE * relu.SELU_ALPHA),),
    "gelu": ((0.0, {}, 0.5), (0.0, {"approximate": "tanh"}, 0.5)),
    "softplus": ((0.0, {}, 0.5),),
    "squareplus": ((0.0, {}, 0.5), (0.0, {"b": 0.0}, 0.0)),
    "silu": ((0.0, {}, 0.5),),
    "mish": ((0.0, {}, 0.6),),
    "hardswish": ((-3.0, {}, 0.0), (3.0, {}, 1.0)),
    "squared_relu": ((0.0, {}, 0.0),),
}

# Keyword values each activation with scalar keywords refuses, with the start of the message.
INVALID = {
    "leaky_relu": (
        ({"negative_slope": -0.1}, "negative_slope must be >= 0"),
        ({"negative_slope": math.nan}, "negative_slope must be a finite"),
    ),
    "piecewise_linear": (
        ({"threshold": math.inf}, "threshold must be a finite"),
        ({"slope_above": math.nan}, "slope_above must be a finite"),
    ),
    "hardtanh": (
        ({"min_val": 2.0, "max_val": 1.0}, "min_val must not be greater than max_val"),
        ({"max_val": math.inf}, "max_val must be a finite"),
    ),
    "threshold": (
        ({"threshold": math.nan, "value": 0.0}, "threshold must be a finite"),
        ({"threshold": 0.0, "value": -math.inf}, "value must be a finite"),
    ),
    "elu": (
        ({"alpha": -1.0}, "alpha must be >= 0"),
        ({"alpha": math.inf}, "alpha must be a finite"),
    ),
    "celu": (({"alpha": 0.0}, "alpha must be > 0"), ({"alpha": -1.0}, "alpha must be > 0")),
    "gelu": (
        ({"approximate": "exact"}, "approximate must be 'none'"),
        ({"approximate": True}, "approximate must be 'none'"),
    ),
    "softplus": (
        ({"beta": 0.0}, "beta must be > 0"),
        ({"threshold": 0.0}, "threshold must be > 0"),
        ({"threshold": math.nan}, "threshold must be a finite"),
    ),
    "squareplus": (({"b": -1.0}, "b must be >= 0"), ({"b": math.inf}, "b must be a finite")),
}
