"""The ReLU family with ``torch.nn.functional``'s names and keywords, each with
its derivative ``f_grad`` (and ``prelu_backward``).

``x`` is positional-only; floating inputs keep their dtype, integers give
float64 (``relu6`` keeps them); the smooth functions compute in float64 and
round once; no warnings for any input; at a kink the derivative is the slope
of the piece that holds the point, as in PyTorch. Arrays of other libraries
are dispatched by `relu._arrays`. See [Variants](../guide/variants.md).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import ArrayLike

from . import _kernel
from ._array_api import SELU_ALPHA, SELU_SCALE
from ._arrays import dispatching
from ._validation import as_float_array, as_real_array, check_same_shape, real_param, scalar_result
from .core import relu

__all__ = [
    "SELU_ALPHA",
    "SELU_SCALE",
    "celu",
    "celu_grad",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "hardswish",
    "hardswish_grad",
    "hardtanh",
    "hardtanh_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "mish",
    "mish_grad",
    "piecewise_linear",
    "piecewise_linear_grad",
    "prelu",
    "prelu_backward",
    "prelu_grad",
    "relu6",
    "relu6_grad",
    "selu",
    "selu_grad",
    "silu",
    "silu_grad",
    "softplus",
    "softplus_grad",
    "squared_relu",
    "squared_relu_grad",
    "squareplus",
    "squareplus_grad",
    "swish",
    "swish_grad",
    "threshold",
    "threshold_grad",
]

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_C = math.sqrt(2.0 / math.pi)
_TANH_K = 0.044715
_GELU_APPROXIMATIONS = ("none", "tanh")

_erfc = np.frompyfunc(math.erfc, 1, 1)


def _erfc_array(x):
    """``erfc(-x / sqrt(2))`` element-wise in float64, with the C library's erfc."""
    return np.asarray(_erfc(-_SQRT_HALF * x), dtype=np.float64)


# helpers


def _in_float64(x):
    """``x`` as a floating array (integers as float64), and that array in float64."""
    arr = as_float_array(x)
    return arr, arr.astype(np.float64, copy=False)


def _cast(result64, dtype):
    """Round a float64 result once to ``dtype``; out-of-range values become inf quietly."""
    with np.errstate(over="ignore"):
        return scalar_result(np.asarray(result64).astype(dtype, copy=False))


def _sigmoid(z):
    """``1 / (1 + exp(-z))`` without overflow; also returns ``s * (1 - s)``."""
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s, e / (1.0 + e) ** 2


def _times(x, factor):
    """``x * factor`` for ``factor >= 0``, but ``0`` with ``x``'s sign where ``factor == 0``.

    ``factor`` is 0 only where it underflowed, so the true product is a tiny
    number of ``x``'s sign, and ``-inf * 0`` gives ``-0.0`` rather than NaN.
    """
    x, factor = np.asarray(x), np.asarray(factor)
    out = np.zeros_like(x)
    np.copysign(out, x, out=out)  # the sign of the product of x and a tiny factor
    np.multiply(x, factor, out=out, where=factor != 0)
    np.copyto(out, x, where=np.isnan(x))
    return out


def _quiet(func):
    """Run ``func`` with NumPy's "invalid value" floating-point warning off.

    The functions above avoid every operation that is invalid for their
    inputs (``inf - inf``, ``inf * 0``); what remains is a signalling NaN,
    whose first arithmetic operation (a cast included) raises the invalid
    flag. The contract promises no warnings for any input, so that flag is
    not reported; the NaN itself still propagates.
    """

    @functools.wraps(func)
    def quiet(*args, **kwargs):
        with np.errstate(invalid="ignore"):
            return func(*args, **kwargs)

    return quiet


# activations


@dispatching
@_quiet
def leaky_relu(x: ArrayLike, /, negative_slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU, element-wise: ``leaky_relu(x, negative_slope=0.01)``.

    ::

        leaky_relu(x) = x                     if x > 0
                        negative_slope * x    otherwise

    See [Variants: leaky_relu](../guide/variants.md#leaky_relu).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    negative_slope : float, default 0.01
        Slope for ``x <= 0``.

    Examples
    --------
    >>> from relu import leaky_relu
    >>> leaky_relu([-2.0, 0.0, 3.0])
    array([-0.02,  0.  ,  3.  ])
    """
    slope = real_param("negative_slope", negative_slope, minimum=0.0)
    return scalar_result(_kernel.piecewise(as_float_array(x), 0, slope, 1.0))


@dispatching
@_quiet
def leaky_relu_grad(x: ArrayLike, /, negative_slope: float = 0.01) -> np.ndarray:
    """Derivative of [`leaky_relu`][relu.variants.leaky_relu]: 1 where ``x > 0``, else
    ``negative_slope``.

    See [Variants: leaky_relu](../guide/variants.md#leaky_relu).

    Examples
    --------
    >>> from relu import leaky_relu_grad
    >>> leaky_relu_grad([-2.0, 0.0, 3.0], negative_slope=0.1)
    array([0.1, 0.1, 1. ])
    """
    slope = real_param("negative_slope", negative_slope, minimum=0.0)
    return scalar_result(_kernel.piecewise_slopes(as_float_array(x), 0, slope, 1.0))


def _prelu_operands(x, weight):
    arr = as_float_array(x)
    w = as_real_array(weight, "weight")
    try:
        shape = np.broadcast_shapes(w.shape, arr.shape)
    except ValueError:
        shape = None
    if shape != arr.shape:
        raise ValueError(
            f"weight of shape {w.shape} does not broadcast to x's shape {arr.shape} "
            "(NumPy rules align trailing axes: for x of shape (batch, features) pass "
            "weight of shape (features,); for (N, C, H, W) pass (C, 1, 1))"
        )
    return arr, w


@dispatching
@_quiet
def prelu(x: ArrayLike, /, weight: ArrayLike) -> np.ndarray:
    """Parametric ReLU, element-wise: ``prelu(x, weight)``.

    ::

        prelu(x) = x             if x > 0
                   weight * x    otherwise

    See [Variants: prelu](../guide/variants.md#prelu).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    weight : array_like
        Slopes for ``x <= 0``, of a real dtype and a shape that broadcasts to ``x.shape``.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import prelu
    >>> x = np.array([[-1.0, -1.0], [2.0, -4.0]])
    >>> prelu(x, np.array([0.1, 0.5]))
    array([[-0.1, -0.5],
           [ 2. , -2. ]])
    """
    arr, w = _prelu_operands(x, weight)
    return scalar_result(_kernel.prelu(arr, w.astype(arr.dtype, copy=False)))


@dispatching
@_quiet
def prelu_grad(x: ArrayLike, /, weight: ArrayLike) -> np.ndarray:
    """Derivative of [`prelu`][relu.variants.prelu] with respect to ``x``: 1 where ``x > 0``, else
    ``weight``.

    See [Variants: prelu](../guide/variants.md#prelu).

    Examples
    --------
    >>> from relu import prelu_grad
    >>> prelu_grad([[-1.0, 0.0, 3.0]], [0.1, 0.2, 0.3])
    array([[0.1, 0.2, 1. ]])
    """
    arr, w = _prelu_operands(x, weight)
    return scalar_result(np.where(arr > 0, arr.dtype.type(1), w.astype(arr.dtype, copy=False)))


@dispatching
@_quiet
def prelu_backward(
    dout: ArrayLike, x: ArrayLike, weight: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Backward pass of [`prelu`][relu.variants.prelu]: ``(dx, dweight)``.

    See [Variants: prelu](../guide/variants.md#prelu).

    Parameters
    ----------
    dout : array_like
        Upstream gradient, of the same shape as ``x``.
    x : array_like
        The input of the forward pass.
    weight : array_like
        The slopes of the forward pass; must broadcast to ``x.shape``.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import prelu_backward
    >>> x = np.array([[-1.0, 2.0], [-3.0, -4.0]])
    >>> dx, dw = prelu_backward(np.ones_like(x), x, np.array([0.1, 0.5]))
    >>> dx
    array([[0.1, 1. ],
           [0.1, 0.5]])
    """
    g = as_float_array(dout, "dout")
    arr, w = _prelu_operands(x, weight)
    check_same_shape(g, arr)
    lower = ~(arr > 0)
    wb = np.broadcast_to(w.astype(g.dtype, copy=False), arr.shape)
    dx = g.copy()
    contrib = np.zeros(arr.shape, dtype=np.result_type(g.dtype, arr.dtype))
    # 0 * inf (a zero upstream gradient at an infinite input or slope) is NaN, quietly.
    with np.errstate(over="ignore", invalid="ignore"):
        np.multiply(g, wb, out=dx, where=lower)
        np.multiply(g, arr, out=contrib, where=lower)
    lead = arr.ndim - w.ndim
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(w.shape) if n == 1 and arr.shape[lead + i] != 1
    )
    wdtype = w.dtype if w.dtype.kind == "f" else np.dtype(np.float64)
    dweight = contrib.sum(axis=axes).reshape(w.shape).astype(wdtype, copy=False)
    return dx, dweight


@dispatching
@_quiet
def piecewise_linear(
    x: ArrayLike, /, threshold: float = 0.0, slope_below: float = 0.0, slope_above: float = 1.0
) -> np.ndarray:
    """Two-slope linear unit, element-wise.

    ::

        piecewise_linear(x) = slope_above * x    if x > threshold
                              slope_below * x    otherwise

    See [Variants: piecewise_linear](../guide/variants.md#piecewise_linear).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    threshold : float, default 0.0
        Where the slope changes.
    slope_below : float, default 0.0
        Slope for ``x <= threshold``.
    slope_above : float, default 1.0
        Slope for ``x > threshold``.

    Examples
    --------
    >>> from relu import piecewise_linear
    >>> piecewise_linear([-2.0, 1.0, 3.0], threshold=1.0, slope_below=0.5, slope_above=2.0)
    array([-1. ,  0.5,  6. ])
    """
    t = real_param("threshold", threshold)
    below = real_param("slope_below", slope_below)
    above = real_param("slope_above", slope_above)
    return scalar_result(_kernel.piecewise(as_float_array(x), t, below, above))


@dispatching
@_quiet
def piecewise_linear_grad(
    x: ArrayLike, /, threshold: float = 0.0, slope_below: float = 0.0, slope_above: float = 1.0
) -> np.ndarray:
    """Derivative of [`piecewise_linear`][relu.variants.piecewise_linear]: ``slope_above`` where ``x
    > threshold``, else ``slope_below``.

    See [Variants: piecewise_linear](../guide/variants.md#piecewise_linear).

    Examples
    --------
    >>> from relu import piecewise_linear_grad
    >>> piecewise_linear_grad([0.0, 1.0, 3.0], 1.0, 0.5, 2.0)
    array([0.5, 0.5, 2. ])
    """
    t = real_param("threshold", threshold)
    below = real_param("slope_below", slope_below)
    above = real_param("slope_above", slope_above)
    return scalar_result(_kernel.piecewise_slopes(as_float_array(x), t, below, above))


@dispatching
def relu6(x: ArrayLike, /) -> np.ndarray:
    """ReLU capped at 6, element-wise: ``relu6(x) = min(max(x, 0), 6)``.

    See [Variants: relu6](../guide/variants.md#relu6).

    Examples
    --------
    >>> from relu import relu6
    >>> relu6([-1.0, 3.0, 8.0])
    array([0., 3., 6.])
    """
    r = np.asarray(relu(x))
    return scalar_result(np.minimum(r, r.dtype.type(6), out=r))  # r is new: no second array


@dispatching
def relu6_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of `relu6`: 1 where ``0 < x < 6``, else 0.

    See [Variants: relu6](../guide/variants.md#relu6).

    Examples
    --------
    >>> from relu import relu6_grad
    >>> relu6_grad([-1.0, 0.0, 3.0, 6.0, 8.0])
    array([0., 0., 1., 0., 0.])
    """
    arr = as_float_array(x)
    return scalar_result(((arr > 0) & (arr < 6)).astype(arr.dtype))


def _elu64(arr, alpha):
    x = arr.astype(np.float64, copy=False)
    neg = alpha * np.expm1(np.minimum(x, 0.0))  # masked: exp of a positive x is never taken
    return np.where(x > 0, x, neg)


def _elu_grad64(arr, alpha):
    x = arr.astype(np.float64, copy=False)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


@dispatching
@_quiet
def elu(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Exponential linear unit, element-wise: ``elu(x, alpha=1.0)``.

    ::

        elu(x) = x                       if x > 0
                 alpha * (exp(x) - 1)    otherwise

    See [Variants: elu](../guide/variants.md#elu).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    alpha : float, default 1.0
        Saturation value for ``x -> -inf``.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import elu
    >>> np.round(elu([-1e4, -1.0, 0.0, 2.0]), 6)
    array([-1.      , -0.632121,  0.      ,  2.      ])
    """
    a = real_param("alpha", alpha, minimum=0.0)
    arr = as_float_array(x)
    return _cast(_elu64(arr, a), arr.dtype)


@dispatching
@_quiet
def elu_grad(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Derivative of [`elu`][relu.variants.elu]: 1 where ``x > 0``, else ``alpha * exp(x)``.

    See [Variants: elu](../guide/variants.md#elu).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import elu_grad
    >>> np.round(elu_grad([-1.0, 0.0, 2.0], alpha=0.5), 6)
    array([0.18394, 0.5    , 1.     ])
    """
    a = real_param("alpha", alpha, minimum=0.0)
    arr = as_float_array(x)
    return _cast(_elu_grad64(arr, a), arr.dtype)


@dispatching
@_quiet
def selu(x: ArrayLike, /) -> np.ndarray:
    """Scaled exponential linear unit, element-wise: ``selu(x) = scale * elu(x, alpha)``.

    ::

        selu(x) = scale * x                       if x > 0
                  scale * alpha * (exp(x) - 1)    otherwise

    See [Variants: selu](../guide/variants.md#selu).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import selu
    >>> np.round(selu([-1e4, 0.0, 1.0]), 6)
    array([-1.758099,  0.      ,  1.050701])
    """
    arr = as_float_array(x)
    with np.errstate(over="ignore"):  # only where the true result exceeds the range
        return _cast(SELU_SCALE * _elu64(arr, SELU_ALPHA), arr.dtype)


@dispatching
@_quiet
def selu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`selu`][relu.variants.selu]: ``scale`` where ``x > 0``, else ``scale * alpha *
    exp(x)``.

    See [Variants: selu](../guide/variants.md#selu).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import selu_grad
    >>> np.round(selu_grad([-1.0, 0.0, 1.0]), 6)
    array([0.646769, 1.758099, 1.050701])
    """
    arr = as_float_array(x)
    return _cast(SELU_SCALE * _elu_grad64(arr, SELU_ALPHA), arr.dtype)


def _check_approximate(approximate):
    if not isinstance(approximate, str) or approximate not in _GELU_APPROXIMATIONS:
        raise ValueError(
            f"approximate must be 'none' (exact, with erf) or 'tanh', got {approximate!r}"
        )


def _gelu_tanh_parts(x):
    """``xc = clip(x)``, ``s = (1 + tanh(u)) / 2 = sigmoid(2u)`` and ``s * (1 - s)``, without
    overflow."""
    # Beyond |x| = 30, sigmoid(2u) is exactly 0 or 1 in float64 and s * (1 - s) is 0,
    # so clipping changes nothing and keeps x ** 3 finite.
    xc = np.clip(x, -30.0, 30.0)
    u = _TANH_C * (xc + _TANH_K * (xc * xc * xc))  # not xc ** 3: pow is 100 times slower
    s, ds = _sigmoid(2.0 * u)
    return xc, s, ds


@dispatching
@_quiet
def gelu(x: ArrayLike, /, *, approximate: str = "none") -> np.ndarray:
    """Gaussian error linear unit, element-wise: ``gelu(x, approximate='none')``.

    ::

        approximate='none':  gelu(x) = x * Phi(x) = x/2 * (1 + erf(x / sqrt(2)))
        approximate='tanh':  gelu(x) = x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x**3)))

    See [Variants: gelu](../guide/variants.md#gelu).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    approximate : {'none', 'tanh'}, default 'none'
        Keyword-only: which formula to use.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import gelu
    >>> np.round(gelu([-1.0, 0.0, 1.0]), 6)
    array([-0.158655,  0.      ,  0.841345])
    """
    _check_approximate(approximate)
    arr, x64 = _in_float64(x)
    if approximate == "none":
        phi = 0.5 * _erfc_array(x64)
    else:
        phi = _gelu_tanh_parts(x64)[1]
    return _cast(_times(x64, phi), arr.dtype)


@dispatching
@_quiet
def gelu_grad(x: ArrayLike, /, *, approximate: str = "none") -> np.ndarray:
    """Derivative of [`gelu`][relu.variants.gelu].

    ::

        approximate='none':  gelu'(x) = Phi(x) + x * phi(x),  phi(x) = exp(-x**2 / 2) / sqrt(2 pi)
        approximate='tanh':  gelu'(x) = s + x * 2 s (1 - s) * u'(x),
                             s = (1 + tanh(u)) / 2,  u = sqrt(2/pi) * (x + 0.044715 x**3)

    See [Variants: gelu](../guide/variants.md#gelu).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import gelu_grad
    >>> np.round(gelu_grad([-1.0, 0.0, 1.0]), 6)
    array([-0.083315,  0.5     ,  1.083315])
    """
    _check_approximate(approximate)
    arr, x64 = _in_float64(x)
    if approximate == "none":
        # Beyond |x| = 40, x * phi(x) underflows to 0; clipping keeps inf * 0 out.
        xc = np.clip(x64, -40.0, 40.0)
        big_phi = 0.5 * _erfc_array(x64)
        result = big_phi + xc * (_INV_SQRT_2PI * np.exp(-0.5 * xc * xc))
    else:
        xc, s, ds = _gelu_tanh_parts(x64)
        du = _TANH_C * (1.0 + 3.0 * _TANH_K * (xc * xc))
        result = s + 2.0 * xc * ds * du
    return _cast(result, arr.dtype)


def _softplus_params(beta, threshold):
    b = real_param("beta", beta, minimum=0.0, strict=True)
    t = real_param("threshold", threshold, minimum=0.0, strict=True, allow_inf=True)
    return b, t


@dispatching
@_quiet
def softplus(x: ArrayLike, /, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Softplus, element-wise: ``softplus(x, beta=1.0, threshold=20.0)``.

    ::

        softplus(x) = log(1 + exp(beta * x)) / beta    if beta * x <= threshold
                      x                                otherwise

    See [Variants: softplus](../guide/variants.md#softplus).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    beta : float, default 1.0
        Sharpness; must be ``> 0`` (``beta -> inf`` tends to ReLU; a zero or negative
        ``beta`` is not a softplus).
    threshold : float, default 20.0
        Value of ``beta * x`` above which the function returns ``x``; must be ``> 0`` and
        may be ``inf``.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import softplus
    >>> softplus([-1e4, 0.0, 1.0, 1e4]).round(6).tolist()
    [0.0, 0.693147, 1.313262, 10000.0]
    """
    b, t = _softplus_params(beta, threshold)
    arr, x64 = _in_float64(x)
    with np.errstate(over="ignore"):  # beta * x beyond float64 falls on the linear side
        z = b * x64
    linear = z > t
    soft = np.full_like(x64, np.nan)  # NaN stays NaN (logaddexp would warn on it)
    np.logaddexp(0.0, z, out=soft, where=~linear & ~np.isnan(z))
    with np.errstate(over="ignore"):  # only when the true result exceeds float64
        soft = soft / b
    return _cast(np.where(linear, x64, soft), arr.dtype)


@dispatching
@_quiet
def softplus_grad(x: ArrayLike, /, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Derivative of [`softplus`][relu.variants.softplus]: ``sigmoid(beta * x)``, and 1 on the
    linear part.

    ::

        softplus'(x) = 1 / (1 + exp(-beta * x))    if beta * x <= threshold
                       1                           otherwise

    See [Variants: softplus](../guide/variants.md#softplus).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import softplus_grad
    >>> np.round(softplus_grad([-1.0, 0.0, 1.0, 30.0]), 6)
    array([0.268941, 0.5     , 0.731059, 1.      ])
    """
    b, t = _softplus_params(beta, threshold)
    arr, x64 = _in_float64(x)
    with np.errstate(over="ignore"):
        z = b * x64
    return _cast(np.where(z > t, 1.0, _sigmoid(z)[0]), arr.dtype)


@dispatching
@_quiet
def silu(x: ArrayLike, /) -> np.ndarray:
    """Sigmoid linear unit (swish), element-wise: ``silu(x) = x * sigmoid(x)``.

    ::

        silu(x) = x / (1 + exp(-x))

    See [Variants: silu](../guide/variants.md#silu).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import silu
    >>> np.round(silu([-1e4, -1.0, 0.0, 1.0]), 6)
    array([-0.      , -0.268941,  0.      ,  0.731059])
    """
    arr, x64 = _in_float64(x)
    return _cast(_times(x64, _sigmoid(x64)[0]), arr.dtype)


@dispatching
@_quiet
def silu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`silu`][relu.variants.silu]: ``s + x * s * (1 - s)`` with ``s = sigmoid(x)``.

    See [Variants: silu](../guide/variants.md#silu).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import silu_grad
    >>> np.round(silu_grad([-1.0, 0.0, 1.0]), 6)
    array([0.072329, 0.5     , 0.927671])
    """
    arr, x64 = _in_float64(x)
    s, ds = _sigmoid(x64)
    # Beyond |x| = 800, s * (1 - s) is 0 in float64; clipping keeps inf * 0 out.
    return _cast(s + np.clip(x64, -800.0, 800.0) * ds, arr.dtype)


def _celu_alpha(alpha):
    return real_param("alpha", alpha, minimum=0.0, strict=True)


@dispatching
@_quiet
def celu(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Continuously differentiable exponential linear unit: ``celu(x, alpha=1.0)``.

    ::

        celu(x) = x                             if x > 0
                  alpha * (exp(x / alpha) - 1)  otherwise

    See [Variants: celu](../guide/variants.md#celu).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    alpha : float, default 1.0
        Saturation value for ``x -> -inf``.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import celu
    >>> np.round(celu([-1e4, -1.0, 0.0, 2.0], alpha=0.5), 6)
    array([-0.5     , -0.432332,  0.      ,  2.      ])
    """
    a = _celu_alpha(alpha)
    arr, x64 = _in_float64(x)
    with np.errstate(over="ignore"):  # min(x, 0) / alpha may pass -inf: expm1 gives -1
        neg = a * np.expm1(np.minimum(x64, 0.0) / a)
    return _cast(np.where(x64 > 0, x64, neg), arr.dtype)


@dispatching
@_quiet
def celu_grad(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Derivative of [`celu`][relu.variants.celu]: 1 where ``x > 0``, else ``exp(x / alpha)``.

    See [Variants: celu](../guide/variants.md#celu).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import celu_grad
    >>> np.round(celu_grad([-1.0, 0.0, 2.0], alpha=0.5), 6)
    array([0.135335, 1.      , 1.      ])
    """
    a = _celu_alpha(alpha)
    arr, x64 = _in_float64(x)
    with np.errstate(over="ignore"):
        below = np.exp(np.minimum(x64, 0.0) / a)
    return _cast(np.where(x64 > 0, 1.0, below), arr.dtype)


def _hardtanh_bounds(arr, min_val, max_val):
    lo = real_param("min_val", min_val)
    hi = real_param("max_val", max_val)
    if lo > hi:
        raise ValueError(
            f"min_val must not be greater than max_val, got min_val={min_val!r} > "
            f"max_val={max_val!r}"
        )
    t = arr.dtype.type
    with np.errstate(over="ignore"):  # a bound beyond the dtype's range becomes inf: no bound
        return t(lo), t(hi)


@dispatching
@_quiet
def hardtanh(x: ArrayLike, /, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """Hard tanh, element-wise: ``hardtanh(x, min_val=-1.0, max_val=1.0)``.

    ::

        hardtanh(x) = min_val    if x < min_val
                      max_val    if x > max_val
                      x          otherwise

    See [Variants: hardtanh](../guide/variants.md#hardtanh).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    min_val : float, default -1.0
        Lower bound.
    max_val : float, default 1.0
        Upper bound.

    Examples
    --------
    >>> from relu import hardtanh
    >>> hardtanh([-3.0, -0.5, 0.5, 3.0])
    array([-1. , -0.5,  0.5,  1. ])
    """
    arr = as_float_array(x)
    lo, hi = _hardtanh_bounds(arr, min_val, max_val)
    return scalar_result(np.minimum(np.maximum(arr, lo), hi))


@dispatching
@_quiet
def hardtanh_grad(x: ArrayLike, /, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """Derivative of [`hardtanh`][relu.variants.hardtanh]: 1 strictly between the bounds, else 0.

    See [Variants: hardtanh](../guide/variants.md#hardtanh).

    Examples
    --------
    >>> from relu import hardtanh_grad
    >>> hardtanh_grad([-1.0, 0.0, 1.0, 2.0])
    array([0., 1., 0., 0.])
    """
    arr = as_float_array(x)
    _hardtanh_bounds(arr, min_val, max_val)
    # compared with the bounds exactly, so the answer does not depend on the dtype
    lo, hi = _kernel.exact_scalar(arr, float(min_val)), _kernel.exact_scalar(arr, float(max_val))
    return scalar_result(((arr > lo) & (arr < hi)).astype(arr.dtype))


@dispatching
@_quiet
def hardswish(x: ArrayLike, /) -> np.ndarray:
    """Hard swish, element-wise: ``hardswish(x) = x * relu6(x + 3) / 6``.

    ::

        hardswish(x) = 0                  if x <= -3
                       x                  if x >= 3
                       x * (x + 3) / 6    otherwise

    See [Variants: hardswish](../guide/variants.md#hardswish).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import hardswish
    >>> np.round(hardswish([-4.0, -1.0, 0.0, 1.0, 4.0]), 6)
    array([-0.      , -0.333333,  0.      ,  0.666667,  4.      ])
    """
    arr, x64 = _in_float64(x)
    gate = np.minimum(np.maximum(x64 + 3.0, 0.0), 6.0) / 6.0
    return _cast(_times(x64, gate), arr.dtype)


@dispatching
@_quiet
def hardswish_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`hardswish`][relu.variants.hardswish]: 0 for ``x <= -3``, 1 for ``x >= 3``,
    else ``x / 3 + 1 / 2``.

    See [Variants: hardswish](../guide/variants.md#hardswish).

    Examples
    --------
    >>> from relu import hardswish_grad
    >>> hardswish_grad([-3.0, 0.0, 1.5, 3.0])
    array([0. , 0.5, 1. , 1. ])
    """
    arr, x64 = _in_float64(x)
    middle = x64 / 3.0 + 0.5
    return _cast(np.where(x64 <= -3.0, 0.0, np.where(x64 >= 3.0, 1.0, middle)), arr.dtype)


def _softplus64(x64):
    """``log(1 + exp(x))`` in float64 without overflow; NaN stays NaN without a warning."""
    out = np.full_like(x64, np.nan)
    np.logaddexp(0.0, x64, out=out, where=~np.isnan(x64))
    return out


@dispatching
@_quiet
def mish(x: ArrayLike, /) -> np.ndarray:
    """Mish, element-wise: ``mish(x) = x * tanh(softplus(x))``.

    ::

        mish(x) = x * tanh(log(1 + exp(x)))

    See [Variants: mish](../guide/variants.md#mish).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import mish
    >>> np.round(mish([-1e4, -1.0, 0.0, 1.0]), 6)
    array([-0.      , -0.303401,  0.      ,  0.865098])
    """
    arr, x64 = _in_float64(x)
    return _cast(_times(x64, np.tanh(_softplus64(x64))), arr.dtype)


@dispatching
@_quiet
def mish_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`mish`][relu.variants.mish]: ``tanh(sp) + x * sigmoid(x) * sech(sp)**2``, ``sp
    = softplus(x)``.

    See [Variants: mish](../guide/variants.md#mish).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import mish_grad
    >>> np.round(mish_grad([-1.0, 0.0, 1.0]), 6)
    array([0.059217, 0.6     , 1.049036])
    """
    arr, x64 = _in_float64(x)
    sp = _softplus64(x64)  # > 0, so exp(-2 sp) is in (0, 1]: sech**2 without overflow
    e = np.exp(-sp) ** 2  # not exp(-2 sp): 2 sp may pass float64's range
    sech2 = 4.0 * e / (1.0 + e) ** 2
    # Beyond |x| = 800, x * sigmoid(x) * sech2 is 0 in float64; clipping keeps inf * 0 out.
    xc = np.clip(x64, -800.0, 800.0)
    return _cast(np.tanh(sp) + xc * _sigmoid(x64)[0] * sech2, arr.dtype)


def _threshold_params(threshold, value):
    return real_param("threshold", threshold), real_param("value", value)


def _at_or_below(arr, threshold):
    """``arr <= threshold`` with ``threshold`` compared exactly, in ``arr``'s own dtype
    when possible: the largest value of that dtype not above ``threshold``."""
    t = arr.dtype.type
    with np.errstate(over="ignore"):
        down = t(threshold)
    if float(down) > threshold:
        down = np.nextafter(down, t(-np.inf))
    return arr <= down


@dispatching
@_quiet
def threshold(x: ArrayLike, /, threshold: float, value: float) -> np.ndarray:
    """Threshold, element-wise: ``threshold(x, threshold, value)``.

    ::

        threshold(x) = x        if x > threshold
                       value    otherwise

    See [Variants: threshold](../guide/variants.md#threshold).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    threshold : float
        The value above which ``x`` is kept.
    value : float
        What replaces the elements at or below ``threshold``.

    Examples
    --------
    >>> from relu import threshold
    >>> threshold([-1.0, 0.5, 1.0, 2.0], 1.0, -5.0)
    array([-5., -5., -5.,  2.])
    """
    t, v = _threshold_params(threshold, value)
    arr = as_float_array(x)
    with np.errstate(over="ignore"):  # a value beyond the dtype's range is inf
        fill = arr.dtype.type(v)
    return scalar_result(np.where(_at_or_below(arr, t), fill, arr))


@dispatching
@_quiet
def threshold_grad(x: ArrayLike, /, threshold: float, value: float) -> np.ndarray:
    """Derivative of [`threshold`][relu.variants.threshold]: 1 where ``x > threshold``, else 0.

    See [Variants: threshold](../guide/variants.md#threshold).

    Examples
    --------
    >>> from relu import threshold_grad
    >>> threshold_grad([0.5, 1.0, 2.0], 1.0, -5.0)
    array([0., 0., 1.])
    """
    t, _ = _threshold_params(threshold, value)
    arr = as_float_array(x)
    return scalar_result((~_at_or_below(arr, t)).astype(arr.dtype))


def _squareplus_parts(arr, b):
    """``x``, ``|x|`` and ``s = sqrt(x**2 + b)`` in float64, ``s`` without overflow."""
    x64 = arr.astype(np.float64, copy=False)
    return x64, np.abs(x64), np.hypot(x64, math.sqrt(b))


@dispatching
@_quiet
def squareplus(x: ArrayLike, /, b: float = 4.0) -> np.ndarray:
    """Squareplus, element-wise: ``squareplus(x, b=4.0) = (x + sqrt(x**2 + b)) / 2``.

    See [Variants: squareplus](../guide/variants.md#squareplus).

    Parameters
    ----------
    x : array_like
        Input of a real dtype.
    b : float, default 4.0
        Curvature; must be ``>= 0``.

    Examples
    --------
    >>> from relu import squareplus
    >>> squareplus([0.0, 1.0]).tolist()
    [1.0, 1.618033988749895]
    """
    bb = real_param("b", b, minimum=0.0)
    arr = as_float_array(x)
    if bb == 0:
        return relu(arr)
    x64, a, s = _squareplus_parts(arr, bb)
    with np.errstate(over="ignore"):
        negative = (0.25 * bb) / (0.5 * s + 0.5 * a)  # halves: s + |x| may pass float64's range
        positive = 0.5 * x64 + 0.5 * s
    return _cast(np.where(x64 < 0, negative, positive), arr.dtype)


@dispatching
@_quiet
def squareplus_grad(x: ArrayLike, /, b: float = 4.0) -> np.ndarray:
    """Derivative of [`squareplus`][relu.variants.squareplus]: ``(1 + x / sqrt(x**2 + b)) / 2``.

    See [Variants: squareplus](../guide/variants.md#squareplus).

    Examples
    --------
    >>> import numpy as np
    >>> from relu import squareplus_grad
    >>> np.round(squareplus_grad([-2.0, 0.0, 2.0]), 6)
    array([0.146447, 0.5     , 0.853553])
    """
    bb = real_param("b", b, minimum=0.0)
    arr = as_float_array(x)
    if bb == 0:
        return scalar_result((arr > 0).astype(arr.dtype))
    x64, a, s = _squareplus_parts(arr, bb)
    with np.errstate(over="ignore"):
        r = math.sqrt(bb)  # q = (s - |x|) / (2 s) = b / (2 s (s + |x|)), in factors <= 1
        q = 0.5 * (r / s) * (r / (s + a))  # so that no product overflows, whatever b
    return _cast(np.where(x64 < 0, q, 1.0 - q), arr.dtype)


@dispatching
@_quiet
def squared_relu(x: ArrayLike, /) -> np.ndarray:
    """Squared ReLU, element-wise: ``squared_relu(x) = relu(x) ** 2``.

    See [Variants: squared_relu](../guide/variants.md#squared_relu).

    Examples
    --------
    >>> from relu import squared_relu
    >>> squared_relu([-2.0, 0.5, 3.0])
    array([0.  , 0.25, 9.  ])
    """
    r = np.asarray(relu(as_float_array(x)))  # a new array: squared in place
    with np.errstate(over="ignore"):
        return scalar_result(np.multiply(r, r, out=r))


@dispatching
@_quiet
def squared_relu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`squared_relu`][relu.variants.squared_relu]: ``2 * relu(x)``.

    See [Variants: squared_relu](../guide/variants.md#squared_relu).

    Examples
    --------
    >>> from relu import squared_relu_grad
    >>> squared_relu_grad([-2.0, 0.5, 3.0])
    array([0., 1., 6.])
    """
    r = np.asarray(relu(as_float_array(x)))
    with np.errstate(over="ignore"):
        return scalar_result(np.multiply(r, 2, out=r))


swish = silu
"""Alias of [`silu`][relu.variants.silu]: the name used by Ramachandran et al. (2017) and by JAX."""
swish_grad = silu_grad
"""Alias of [`silu_grad`][relu.variants.silu_grad]."""
