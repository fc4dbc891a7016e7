"""The family written with the Python array API standard, for arrays of other
libraries (PyTorch, JAX, CuPy, array-api-strict): each formula uses only the
operations of ``xp``, the array's own namespace, so the result stays in that
library and on that device.

The formulas keep the package's contract in that library's arithmetic: NaN
propagates, ``-inf`` gives each function's limit (0 for ReLU), ``-0.0``
gives ``+0.0`` from ReLU, nothing is evaluated on a branch that could turn
an infinity into NaN. Unlike the NumPy functions, the smooth ones compute
in the input's own dtype (there is no float64 on every device). Each
function takes the namespace, the array and the keywords, already checked.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

SELU_ALPHA = 1.6732632423543772848170429916717
"""``alpha`` of `relu.selu` (Klambauer et al., 2017), to full double precision."""
SELU_SCALE = 1.0507009873554804934193349852946
"""``scale`` (lambda) of `relu.selu` (Klambauer et al., 2017), to full double precision."""
_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_C = math.sqrt(2.0 / math.pi)
_TANH_K = 0.044715


def dtype_name(x: Any) -> str:
    """``"float32"`` for NumPy's, PyTorch's or array-api-strict's float32 array."""
    return str(x.dtype).rpartition(".")[2]


def _c(xp: Any, x: Any, value: Any) -> Any:
    """``value`` as a 0-d array of ``x``'s dtype, on ``x``'s device (a JAX tracer has none)."""
    return xp.asarray(value, dtype=x.dtype, device=getattr(x, "device", None))


def floating(xp: Any, x: Any) -> Any:
    """``x`` itself when floating; integers in the library's default floating dtype."""
    if xp.isdtype(x.dtype, "real floating"):
        return x
    info = xp.__array_namespace_info__()
    return xp.astype(x, info.default_dtypes()["real floating"])


def _bound(xp: Any, x: Any, value: float, direction: float) -> Any:
    """The value of ``x``'s dtype nearest to ``value`` on the side of ``direction``
    (-inf: the largest not above it; +inf: the smallest not below it), so that a
    comparison in that dtype gives the exact answer for the unrounded ``value``."""
    near = _c(xp, x, value)  # in the library itself: any dtype, bfloat16 too
    if (direction < 0 and float(near) > value) or (direction > 0 and float(near) < value):
        near = xp.nextafter(near, _c(xp, x, direction))
    return near


def _indicator(xp: Any, mask: Any, like: Any) -> Any:
    return xp.astype(mask, like.dtype)


def _at_minus_inf(xp: Any, x: Any, value: Any, limit: float) -> Any:
    """``value``, with ``limit`` where ``x`` is ``-inf`` (where a product gave NaN)."""
    return xp.where(xp.isinf(x) & (x < 0), _c(xp, value, limit), value)


def _at_infinities(xp: Any, x: Any, value: Any, low: float, high: float) -> Any:
    value = _at_minus_inf(xp, x, value, low)
    return xp.where(xp.isinf(x) & (x > 0), _c(xp, value, high), value)


def _sigmoid(xp: Any, z: Any) -> Any:
    e = xp.exp(-xp.abs(z))  # in (0, 1]: cannot overflow
    return xp.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# ReLU, its derivative and backward pass


def relu(xp: Any, x: Any) -> Any:
    # x <= 0 is false at NaN, which stays; -0.0 and -inf become +0
    return xp.where(x <= 0, _c(xp, x, 0), x)


def relu_grad(xp: Any, x: Any) -> Any:
    return _indicator(xp, x > 0, floating(xp, x))


def relu_backward(xp: Any, dout: Any, x: Any) -> Any:
    g = floating(xp, dout)
    return xp.where(x > 0, g, _c(xp, g, 0))


# the piecewise-linear relatives


def leaky_relu(xp: Any, x: Any, negative_slope: float) -> Any:
    x = floating(xp, x)
    if negative_slope == 0:
        return relu(xp, x)
    return xp.where(x > 0, x, x * negative_slope)


def leaky_relu_grad(xp: Any, x: Any, negative_slope: float) -> Any:
    x = floating(xp, x)
    return xp.where(x > 0, _c(xp, x, 1), _c(xp, x, negative_slope))


def _weight(xp: Any, x: Any, weight: Any) -> Any:
    """The weight in ``x``'s dtype: NumPy's converted, the library's cast (autograd follows)."""
    if isinstance(weight, np.ndarray):
        return _c(xp, x, weight)
    return weight if weight.dtype == x.dtype else xp.astype(weight, x.dtype)


def prelu(xp: Any, x: Any, weight: Any) -> Any:
    x = floating(xp, x)
    w = _weight(xp, x, weight)
    lower = xp.where((w == 0) & ~xp.isnan(x), _c(xp, x, 0), w * x)  # -inf * 0: the limit 0
    return xp.where(x > 0, x, lower)


def prelu_backward(xp: Any, dout: Any, x: Any, weight: Any) -> tuple[Any, Any]:
    g = floating(xp, dout)
    w = _weight(xp, g, weight)
    lower = ~(x > 0)
    dx = xp.where(lower, g * w, g)
    contrib = xp.where(lower, g * x, _c(xp, g, 0))
    lead = x.ndim - w.ndim
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(w.shape) if n == 1 and x.shape[lead + i] != 1
    )
    dweight = xp.reshape(xp.sum(contrib, axis=axes), w.shape) if axes else contrib
    return dx, dweight


def prelu_grad(xp: Any, x: Any, weight: Any) -> Any:
    x = floating(xp, x)
    w = _weight(xp, x, weight)
    return xp.where(x > 0, _c(xp, x, 1), w * _c(xp, x, 1))


def piecewise_linear(
    xp: Any, x: Any, threshold: float, slope_below: float, slope_above: float
) -> Any:
    x = floating(xp, x)
    zero = _c(xp, x, 0)
    upper = x * slope_above if slope_above != 0 else zero
    lower = x * slope_below if slope_below != 0 else zero
    return xp.where(xp.isnan(x), x, xp.where(x > threshold, upper, lower))


def piecewise_linear_grad(
    xp: Any, x: Any, threshold: float, slope_below: float, slope_above: float
) -> Any:
    x = floating(xp, x)
    return xp.where(x > threshold, _c(xp, x, slope_above), _c(xp, x, slope_below))


# Selections, not minimum and maximum: autograd then gives each piece's slope at a bound
# (torch's minimum gives 0.5 at a tie), as the _grad functions and torch.nn.functional do.


def relu6(xp: Any, x: Any) -> Any:
    return xp.where(x >= 6, _c(xp, x, 6), relu(xp, x))


def relu6_grad(xp: Any, x: Any) -> Any:
    x = floating(xp, x)
    return _indicator(xp, (x > 0) & (x < 6), x)


def hardtanh(xp: Any, x: Any, min_val: float, max_val: float) -> Any:
    x = floating(xp, x)
    lo, hi = _c(xp, x, min_val), _c(xp, x, max_val)
    return xp.where(x >= hi, hi, xp.where(x <= lo, lo, x))


def hardtanh_grad(xp: Any, x: Any, min_val: float, max_val: float) -> Any:
    x = floating(xp, x)
    inside = (x > _bound(xp, x, min_val, -math.inf)) & (x < _bound(xp, x, max_val, math.inf))
    return _indicator(xp, inside, x)


def threshold(xp: Any, x: Any, threshold: float, value: float) -> Any:
    x = floating(xp, x)
    return xp.where(x <= _bound(xp, x, threshold, -math.inf), _c(xp, x, value), x)


def threshold_grad(xp: Any, x: Any, threshold: float, value: float) -> Any:
    x = floating(xp, x)
    return _indicator(xp, ~(x <= _bound(xp, x, threshold, -math.inf)), x)


# the smooth relatives


def _nonpositive(xp: Any, x: Any) -> Any:
    """``min(x, 0)`` as a selection: autograd gives 1 at 0, as for ``x < 0``."""
    return xp.where(x > 0, _c(xp, x, 0), x)


def elu(xp: Any, x: Any, alpha: float) -> Any:
    x = floating(xp, x)
    return xp.where(x > 0, x, alpha * xp.expm1(_nonpositive(xp, x)))


def elu_grad(xp: Any, x: Any, alpha: float) -> Any:
    x = floating(xp, x)
    return xp.where(x > 0, _c(xp, x, 1), alpha * xp.exp(_nonpositive(xp, x)))


def celu(xp: Any, x: Any, alpha: float) -> Any:
    x = floating(xp, x)
    return xp.where(x > 0, x, alpha * xp.expm1(_nonpositive(xp, x) / alpha))


def celu_grad(xp: Any, x: Any, alpha: float) -> Any:
    x = floating(xp, x)
    return xp.where(x > 0, _c(xp, x, 1), xp.exp(_nonpositive(xp, x) / alpha))


def selu(xp: Any, x: Any) -> Any:
    return SELU_SCALE * elu(xp, x, SELU_ALPHA)


def selu_grad(xp: Any, x: Any) -> Any:
    return SELU_SCALE * elu_grad(xp, x, SELU_ALPHA)


def _erfc(xp: Any) -> Any:
    """The library's erfc: not part of the array API standard."""
    name = xp.__name__.rpartition(".")[2]
    if name == "torch":
        import torch

        return torch.special.erfc
    if name == "numpy" and xp.__name__.startswith("jax"):
        import jax.scipy.special

        return jax.scipy.special.erfc
    if name == "cupy":
        import cupyx.scipy.special

        return cupyx.scipy.special.erfc
    raise TypeError(
        f"gelu(approximate='none') needs erf, which {xp.__name__} does not provide "
        "(the array API standard has none): use approximate='tanh'"
    )


def _phi(xp: Any, x: Any) -> Any:
    """The normal distribution function, as erfc(-x / sqrt 2) / 2: no cancellation in the tail."""
    return 0.5 * _erfc(xp)(-_SQRT_HALF * x)


def _gelu_tanh_parts(xp: Any, x: Any) -> tuple[Any, Any]:
    u = _TANH_C * (x + _TANH_K * (x * x * x))
    return u, _sigmoid(xp, 2.0 * u)  # (1 + tanh(u)) / 2 without the cancellation


def gelu(xp: Any, x: Any, approximate: str) -> Any:
    x = floating(xp, x)
    if approximate == "none":
        phi = _phi(xp, x)
    else:
        phi = _gelu_tanh_parts(xp, x)[1]
    return _at_minus_inf(xp, x, x * phi, 0.0)


def gelu_grad(xp: Any, x: Any, approximate: str) -> Any:
    x = floating(xp, x)
    if approximate == "none":
        big = _phi(xp, x)
        grad = big + x * (_INV_SQRT_2PI * xp.exp(-0.5 * x * x))
    else:
        u, s = _gelu_tanh_parts(xp, x)
        grad = s + 2.0 * x * s * (1.0 - s) * (_TANH_C * (1.0 + 3.0 * _TANH_K * (x * x)))
    # far out, the second term is 0 * inf: the limits are 0 and 1
    grad = xp.where(xp.abs(x) > 40, _indicator(xp, x > 0, x), grad)
    return grad


def softplus(xp: Any, x: Any, beta: float, threshold: float) -> Any:
    x = floating(xp, x)
    z = beta * x
    return xp.where(z > threshold, x, xp.logaddexp(_c(xp, z, 0), z) / beta)


def softplus_grad(xp: Any, x: Any, beta: float, threshold: float) -> Any:
    x = floating(xp, x)
    z = beta * x
    return xp.where(z > threshold, _c(xp, x, 1), _sigmoid(xp, z))


def squareplus(xp: Any, x: Any, b: float) -> Any:
    x = floating(xp, x)
    if b == 0:
        return relu(xp, x)
    s = xp.hypot(x, _c(xp, x, math.sqrt(b)))
    negative = (0.25 * b) / (0.5 * s + 0.5 * xp.abs(x))  # no cancellation for x < 0
    return xp.where(x < 0, negative, 0.5 * x + 0.5 * s)


def squareplus_grad(xp: Any, x: Any, b: float) -> Any:
    x = floating(xp, x)
    if b == 0:
        return relu_grad(xp, x)
    s = xp.hypot(x, _c(xp, x, math.sqrt(b)))
    q = b / (2.0 * s * (s + xp.abs(x)))
    return xp.where(x < 0, q, 1.0 - q)


def silu(xp: Any, x: Any) -> Any:
    x = floating(xp, x)
    return _at_minus_inf(xp, x, x * _sigmoid(xp, x), 0.0)


def silu_grad(xp: Any, x: Any) -> Any:
    x = floating(xp, x)
    s = _sigmoid(xp, x)
    return _at_infinities(xp, x, s + x * s * (1.0 - s), 0.0, 1.0)


def mish(xp: Any, x: Any) -> Any:
    x = floating(xp, x)
    return _at_minus_inf(xp, x, x * xp.tanh(xp.logaddexp(_c(xp, x, 0), x)), 0.0)


def mish_grad(xp: Any, x: Any) -> Any:
    x = floating(xp, x)
    sp = xp.logaddexp(_c(xp, x, 0), x)
    e = xp.exp(-sp) ** 2
    sech2 = 4.0 * e / (1.0 + e) ** 2
    grad = xp.tanh(sp) + x * _sigmoid(xp, x) * sech2
    return _at_infinities(xp, x, grad, 0.0, 1.0)


def hardswish(xp: Any, x: Any) -> Any:
    x = floating(xp, x)
    middle = xp.where(x >= 3, x, x * ((x + 3.0) / 6.0))
    return xp.where(x <= -3, _c(xp, x, -0.0), middle)  # -0.0, as x * 0 on the NumPy path


def hardswish_grad(xp: Any, x: Any) -> Any:
    x = floating(xp, x)
    middle = x / 3.0 + 0.5
    return xp.where(x <= -3, _c(xp, x, 0), xp.where(x >= 3, _c(xp, x, 1), middle))


def squared_relu(xp: Any, x: Any) -> Any:
    r = relu(xp, floating(xp, x))
    return r * r


def squared_relu_grad(xp: Any, x: Any) -> Any:
    return 2.0 * relu(xp, floating(xp, x))
