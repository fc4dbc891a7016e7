"""The ReLU family with ``torch.nn.functional``'s names and keywords, each with
its derivative ``f_grad`` (and ``prelu_backward``). See [Variants](../guide/variants.md).

``x`` is positional-only; floating inputs keep their dtype, integers give
float64 (``relu6`` keeps them); the smooth functions compute in float64 and
round once; no warnings for any input; at a kink the derivative is the slope
of the piece that holds the point, as in PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _kernel, _xp
from ._arrays import dispatching
from ._validation import as_float_array, as_real_array, check_same_shape, real_param, scalar_result
from ._xp import at_infinities, bound, c, floating, indicator, nonpositive, sigmoid
from .activations import REQUIRED, Activation, Param
from .core import _relu, relu
from .gradients import relu_grad

__all__ = [
    "ACTIVATIONS",
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

# Each activation is one block: its formula, written once with the array API's operations
# on ``xp`` (relu._xp), which NumPy and every other library bind; its public functions;
# its entry in ACTIVATIONS. A few NumPy calls take the compiled loops (relu._kernel)
# instead; the tests hold them to the formula. Adding an activation is a block here, a
# section on the Variants page and its rows in tests/reference.py; tests/test_activations.py
# names a missing part.
_ENTRIES: list[Activation] = []


def _num(low: float, high: float, default: Any = REQUIRED) -> Param:
    return Param(default, low, high)


def _kinks_at(*points: float) -> Any:
    return lambda kw: points


# fmt: off
_ENTRIES.append(Activation(
    "relu", relu, relu_grad, {}, {}, kinks=_kinks_at(0.0), limits=(0.0, math.inf),
    torch="F.relu(x)", jax="jax.nn.relu(x)", keeps_integers=True, page=None, linear_pieces=True,
))
# fmt: on


# leaky_relu --------------------------------------------------------------------------------------


def _leaky_relu(xp, x, negative_slope):
    x = floating(xp, x)
    return _relu(xp, x) if negative_slope == 0 else xp.where(x > 0, x, x * negative_slope)


def _leaky_relu_grad(xp, x, negative_slope):
    x = floating(xp, x)
    return xp.where(x > 0, c(xp, x, 1), c(xp, x, negative_slope))


@dispatching(_leaky_relu)
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
    >>> relu.leaky_relu([-2.0, 0.0, 3.0])
    array([-0.02,  0.  ,  3.  ])
    """
    slope = real_param("negative_slope", negative_slope, minimum=0.0)
    arr = as_float_array(x)
    if (fast := _kernel.two_slopes(arr, 0.0, slope, 1.0)) is not None:
        return fast
    wide = not _kernel.fits(arr, slope)  # then in float64, rounded once
    return _xp.numpy(_leaky_relu, arr, float64=wide, negative_slope=slope)


@dispatching(_leaky_relu_grad)
def leaky_relu_grad(x: ArrayLike, /, negative_slope: float = 0.01) -> np.ndarray:
    """Derivative of [`leaky_relu`][relu.variants.leaky_relu]: 1 where ``x > 0``, else
    ``negative_slope``. See [Variants: leaky_relu](../guide/variants.md#leaky_relu).

    Examples
    --------
    >>> relu.leaky_relu_grad([-2.0, 0.0, 3.0], negative_slope=0.1)
    array([0.1, 0.1, 1. ])
    """
    slope = real_param("negative_slope", negative_slope, minimum=0.0)
    return _xp.numpy(_leaky_relu_grad, x, negative_slope=slope)


# fmt: off
_ENTRIES.append(Activation(
    "leaky_relu", leaky_relu, leaky_relu_grad, {"negative_slope": _num(0.0, 1.0, 0.01)},
    {"negative_slope": 0.1}, kinks=_kinks_at(0.0), limits=(-math.inf, math.inf),
    torch="F.leaky_relu(x, negative_slope)", jax="jax.nn.leaky_relu(x, negative_slope)",
    linear_pieces=True,
))
# fmt: on


# prelu -------------------------------------------------------------------------------------------


def _weight(xp, x, weight):
    """The weight in ``x``'s dtype: NumPy's converted, the library's cast (autograd follows)."""
    if isinstance(weight, np.ndarray):
        return c(xp, x, weight)
    return weight if weight.dtype == x.dtype else xp.astype(weight, x.dtype)


def _prelu(xp, x, weight):
    x = floating(xp, x)
    w = _weight(xp, x, weight)
    lower = xp.where((w == 0) & ~xp.isnan(x), c(xp, x, 0), w * x)  # -inf * 0: the limit 0
    return xp.where(x > 0, x, lower)


def _prelu_grad(xp, x, weight):
    x = floating(xp, x)
    return xp.where(x > 0, c(xp, x, 1), _weight(xp, x, weight) * c(xp, x, 1))


def _prelu_backward(xp, dout, x, weight):
    g = floating(xp, dout)
    w = _weight(xp, g, weight)
    lower = ~(x > 0)
    dx = xp.where(lower, g * w, g)
    contrib = xp.where(lower, g * x, c(xp, g, 0))
    lead = x.ndim - w.ndim
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(w.shape) if n == 1 and x.shape[lead + i] != 1
    )
    dweight = xp.reshape(xp.sum(contrib, axis=axes), w.shape) if axes else contrib
    return dx, dweight


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


@dispatching(_prelu)
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
    >>> x = np.array([[-1.0, -1.0], [2.0, -4.0]])
    >>> relu.prelu(x, np.array([0.1, 0.5]))
    array([[-0.1, -0.5],
           [ 2. , -2. ]])
    """
    arr, w = _prelu_operands(x, weight)
    w = w.astype(arr.dtype, copy=False)
    if w.size == 1 and (fast := _kernel.two_slopes(arr, 0.0, w.item(), 1.0)) is not None:
        return fast
    return _xp.numpy(_prelu, arr, weight=w)


@dispatching(_prelu_grad)
def prelu_grad(x: ArrayLike, /, weight: ArrayLike) -> np.ndarray:
    """Derivative of [`prelu`][relu.variants.prelu] with respect to ``x``: 1 where ``x > 0``, else
    ``weight``. See [Variants: prelu](../guide/variants.md#prelu).

    Examples
    --------
    >>> relu.prelu_grad([[-1.0, 0.0, 3.0]], [0.1, 0.2, 0.3])
    array([[0.1, 0.2, 1. ]])
    """
    arr, w = _prelu_operands(x, weight)
    return _xp.numpy(_prelu_grad, arr, weight=w)


@dispatching(_prelu_backward)
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
    >>> x = np.array([[-1.0, 2.0], [-3.0, -4.0]])
    >>> dx, dw = relu.prelu_backward(np.ones_like(x), x, np.array([0.1, 0.5]))
    >>> dx
    array([[0.1, 1. ],
           [0.1, 0.5]])
    """
    g = as_float_array(dout, "dout")
    arr, w = _prelu_operands(x, weight)
    check_same_shape(g, arr)
    with np.errstate(all="ignore"):  # 0 * inf (a zero gradient at an infinite input) is NaN
        dx, dweight = _prelu_backward(np, g, arr, w)
    return dx, dweight.astype(w.dtype if w.dtype.kind == "f" else np.float64, copy=False)


# fmt: off
_ENTRIES.append(Activation(
    "prelu", prelu, prelu_grad, {"weight": _num(0.0, 1.0)}, {"weight": 0.25}, kinks=_kinks_at(0.0),
    limits=(-math.inf, math.inf), torch="F.prelu(x, torch.tensor([weight], dtype=x.dtype))",
    extras=("prelu_backward",), linear_pieces=True,
))
# fmt: on


# piecewise_linear --------------------------------------------------------------------------------


def _piecewise_linear(xp, x, threshold, slope_below, slope_above):
    x = floating(xp, x)
    zero = c(xp, x, 0)
    upper = x * slope_above if slope_above != 0 else zero
    lower = x * slope_below if slope_below != 0 else zero
    above = x > bound(xp, x, threshold, -math.inf)  # compared exactly, whatever the dtype
    return xp.where(xp.isnan(x), x, xp.where(above, upper, lower))


def _piecewise_linear_grad(xp, x, threshold, slope_below, slope_above):
    x = floating(xp, x)
    above = x > bound(xp, x, threshold, -math.inf)
    return xp.where(above, c(xp, x, slope_above), c(xp, x, slope_below))


@dispatching(_piecewise_linear)
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
    >>> relu.piecewise_linear([-2.0, 1.0, 3.0], threshold=1.0, slope_below=0.5, slope_above=2.0)
    array([-1. ,  0.5,  6. ])
    """
    kw = {
        "threshold": real_param("threshold", threshold),
        "slope_below": real_param("slope_below", slope_below),
        "slope_above": real_param("slope_above", slope_above),
    }
    arr = as_float_array(x)
    if (fast := _kernel.two_slopes(arr, *kw.values())) is not None:
        return fast
    wide = not _kernel.fits(arr, kw["slope_below"], kw["slope_above"])
    return _xp.numpy(_piecewise_linear, arr, float64=wide, **kw)


@dispatching(_piecewise_linear_grad)
def piecewise_linear_grad(
    x: ArrayLike, /, threshold: float = 0.0, slope_below: float = 0.0, slope_above: float = 1.0
) -> np.ndarray:
    """Derivative of [`piecewise_linear`][relu.variants.piecewise_linear]: ``slope_above`` where
    ``x > threshold``, else ``slope_below``.
    See [Variants: piecewise_linear](../guide/variants.md#piecewise_linear).

    Examples
    --------
    >>> relu.piecewise_linear_grad([0.0, 1.0, 3.0], 1.0, 0.5, 2.0)
    array([0.5, 0.5, 2. ])
    """
    t = real_param("threshold", threshold)
    below = real_param("slope_below", slope_below)
    above = real_param("slope_above", slope_above)
    return _xp.numpy(_piecewise_linear_grad, x, threshold=t, slope_below=below, slope_above=above)


# fmt: off
_ENTRIES.append(Activation(
    # the example: the page's t0, a0, a1 = 2.0, 0.5, 3.0; the figure shows its jump from 1 to 6
    "piecewise_linear", piecewise_linear, piecewise_linear_grad,
    {
        "threshold": _num(-5.0, 5.0, 0.0),
        "slope_below": _num(-3.0, 3.0, 0.0),
        "slope_above": _num(-3.0, 3.0, 1.0),
    },
    {"threshold": 2.0, "slope_below": 0.5, "slope_above": 3.0}, kinks=lambda kw: (kw["threshold"],),
    limits=(0.0, math.inf), linear_pieces=True,
))
# fmt: on


# relu6 -------------------------------------------------------------------------------------------

# Selections, not minimum and maximum: autograd then gives each piece's slope at a bound
# (torch's minimum gives 0.5 at a tie), as the _grad functions and torch.nn.functional do.


def _relu6(xp, x):
    return xp.where(x >= 6, c(xp, x, 6), _relu(xp, x))


def _relu6_grad(xp, x):
    x = floating(xp, x)
    return indicator(xp, (x > 0) & (x < 6), x)


@dispatching(_relu6)
def relu6(x: ArrayLike, /) -> np.ndarray:
    """ReLU capped at 6, element-wise: ``relu6(x) = min(max(x, 0), 6)``.
    See [Variants: relu6](../guide/variants.md#relu6).

    Examples
    --------
    >>> relu.relu6([-1.0, 3.0, 8.0])
    array([0., 3., 6.])
    """
    r = np.asarray(relu(x))  # integers keep their dtype, as relu's do
    return scalar_result(np.minimum(r, r.dtype.type(6), out=r))  # r is new: no second array


@dispatching(_relu6_grad)
def relu6_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of `relu6`: 1 where ``0 < x < 6``, else 0.
    See [Variants: relu6](../guide/variants.md#relu6).

    Examples
    --------
    >>> relu.relu6_grad([-1.0, 0.0, 3.0, 6.0, 8.0])
    array([0., 0., 1., 0., 0.])
    """
    return _xp.numpy(_relu6_grad, x)


# fmt: off
_ENTRIES.append(Activation(
    "relu6", relu6, relu6_grad, {}, {}, kinks=_kinks_at(0.0, 6.0), limits=(0.0, 6.0),
    torch="F.relu6(x)", jax="jax.nn.relu6(x)", plot=(-2.0, 8.0), keeps_integers=True,
    linear_pieces=True,
))
# fmt: on


# hardtanh ----------------------------------------------------------------------------------------


def _hardtanh(xp, x, min_val, max_val):
    x = floating(xp, x)
    lo, hi = c(xp, x, min_val), c(xp, x, max_val)
    return xp.where(x >= hi, hi, xp.where(x <= lo, lo, x))


def _hardtanh_grad(xp, x, min_val, max_val):
    x = floating(xp, x)
    inside = (x > bound(xp, x, min_val, -math.inf)) & (x < bound(xp, x, max_val, math.inf))
    return indicator(xp, inside, x)


def _hardtanh_bounds(min_val, max_val):
    lo, hi = real_param("min_val", min_val), real_param("max_val", max_val)
    if lo > hi:
        raise ValueError(
            f"min_val must not be greater than max_val, got min_val={min_val!r} > "
            f"max_val={max_val!r}"
        )
    return lo, hi


@dispatching(_hardtanh)
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
    >>> relu.hardtanh([-3.0, -0.5, 0.5, 3.0])
    array([-1. , -0.5,  0.5,  1. ])
    """
    lo, hi = _hardtanh_bounds(min_val, max_val)
    return _xp.numpy(_hardtanh, x, min_val=lo, max_val=hi)


@dispatching(_hardtanh_grad)
def hardtanh_grad(x: ArrayLike, /, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """Derivative of [`hardtanh`][relu.variants.hardtanh]: 1 strictly between the bounds, else 0.
    See [Variants: hardtanh](../guide/variants.md#hardtanh).

    Examples
    --------
    >>> relu.hardtanh_grad([-1.0, 0.0, 1.0, 2.0])
    array([0., 1., 0., 0.])
    """
    lo, hi = _hardtanh_bounds(min_val, max_val)
    return _xp.numpy(_hardtanh_grad, x, min_val=lo, max_val=hi)


# fmt: off
_ENTRIES.append(Activation(
    "hardtanh", hardtanh, hardtanh_grad,
    {"min_val": _num(-3.0, 0.0, -1.0), "max_val": _num(0.0, 3.0, 1.0)}, {},
    kinks=lambda kw: (kw["min_val"], kw["max_val"]), limits=(-1.0, 1.0),
    torch="F.hardtanh(x, min_val, max_val)", jax="jax.nn.hard_tanh(x)",  # bounds -1 and 1 only
    extra=({"min_val": 0.0, "max_val": 6.0},), linear_pieces=True,
))
# fmt: on


# threshold ---------------------------------------------------------------------------------------


def _threshold(xp, x, threshold, value):
    x = floating(xp, x)
    return xp.where(x <= bound(xp, x, threshold, -math.inf), c(xp, x, value), x)


def _threshold_grad(xp, x, threshold, value):
    x = floating(xp, x)
    return indicator(xp, ~(x <= bound(xp, x, threshold, -math.inf)), x)


@dispatching(_threshold)
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
    >>> relu.threshold([-1.0, 0.5, 1.0, 2.0], 1.0, -5.0)
    array([-5., -5., -5.,  2.])
    """
    t, v = real_param("threshold", threshold), real_param("value", value)
    return _xp.numpy(_threshold, x, threshold=t, value=v)


@dispatching(_threshold_grad)
def threshold_grad(x: ArrayLike, /, threshold: float, value: float) -> np.ndarray:
    """Derivative of [`threshold`][relu.variants.threshold]: 1 where ``x > threshold``, else 0.
    See [Variants: threshold](../guide/variants.md#threshold).

    Examples
    --------
    >>> relu.threshold_grad([0.5, 1.0, 2.0], 1.0, -5.0)
    array([0., 0., 1.])
    """
    t, v = real_param("threshold", threshold), real_param("value", value)
    return _xp.numpy(_threshold_grad, x, threshold=t, value=v)


# fmt: off
_ENTRIES.append(Activation(
    "threshold", threshold, threshold_grad,
    {"threshold": _num(-3.0, 3.0), "value": _num(-3.0, 3.0)}, {"threshold": 1.0, "value": -0.5},
    kinks=lambda kw: (kw["threshold"],), limits=(-0.5, math.inf),
    torch="F.threshold(x, threshold, value)", linear_pieces=True,
))
# fmt: on


# elu ---------------------------------------------------------------------------------------------


def _elu(xp, x, alpha):
    x = floating(xp, x)
    return xp.where(x > 0, x, alpha * xp.expm1(nonpositive(xp, x)))


def _elu_grad(xp, x, alpha):
    x = floating(xp, x)
    return xp.where(x > 0, c(xp, x, 1), alpha * xp.exp(nonpositive(xp, x)))


@dispatching(_elu)
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
    >>> np.round(relu.elu([-1e4, -1.0, 0.0, 2.0]), 6)
    array([-1.      , -0.632121,  0.      ,  2.      ])
    """
    a = real_param("alpha", alpha, minimum=0.0)
    return _xp.numpy(_elu, x, float64=True, alpha=a)


@dispatching(_elu_grad)
def elu_grad(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Derivative of [`elu`][relu.variants.elu]: 1 where ``x > 0``, else ``alpha * exp(x)``.
    See [Variants: elu](../guide/variants.md#elu).

    Examples
    --------
    >>> np.round(relu.elu_grad([-1.0, 0.0, 2.0], alpha=0.5), 6)
    array([0.18394, 0.5    , 1.     ])
    """
    a = real_param("alpha", alpha, minimum=0.0)
    return _xp.numpy(_elu_grad, x, float64=True, alpha=a)


# fmt: off
_ENTRIES.append(Activation(
    "elu", elu, elu_grad, {"alpha": _num(0.0, 3.0, 1.0)}, {},
    kinks=lambda kw: () if kw["alpha"] == 1 else (0.0,), limits=(-1.0, math.inf),
    torch="F.elu(x, alpha)", jax="jax.nn.elu(x, alpha)", float64=True,
))
# fmt: on


# celu --------------------------------------------------------------------------------------------


def _celu(xp, x, alpha):
    x = floating(xp, x)
    return xp.where(x > 0, x, alpha * xp.expm1(nonpositive(xp, x) / alpha))


def _celu_grad(xp, x, alpha):
    x = floating(xp, x)
    return xp.where(x > 0, c(xp, x, 1), xp.exp(nonpositive(xp, x) / alpha))


@dispatching(_celu)
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
    >>> np.round(relu.celu([-1e4, -1.0, 0.0, 2.0], alpha=0.5), 6)
    array([-0.5     , -0.432332,  0.      ,  2.      ])
    """
    a = real_param("alpha", alpha, minimum=0.0, strict=True)
    return _xp.numpy(_celu, x, float64=True, alpha=a)


@dispatching(_celu_grad)
def celu_grad(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Derivative of [`celu`][relu.variants.celu]: 1 where ``x > 0``, else ``exp(x / alpha)``.
    See [Variants: celu](../guide/variants.md#celu).

    Examples
    --------
    >>> np.round(relu.celu_grad([-1.0, 0.0, 2.0], alpha=0.5), 6)
    array([0.135335, 1.      , 1.      ])
    """
    a = real_param("alpha", alpha, minimum=0.0, strict=True)
    return _xp.numpy(_celu_grad, x, float64=True, alpha=a)


# fmt: off
_ENTRIES.append(Activation(
    "celu", celu, celu_grad, {"alpha": _num(0.05, 3.0, 1.0)}, {}, kinks=_kinks_at(),
    limits=(-1.0, math.inf), torch="F.celu(x, alpha)", jax="jax.nn.celu(x, alpha)", float64=True,
    extra=({"alpha": 0.5},),
))
# fmt: on


# selu --------------------------------------------------------------------------------------------

SELU_ALPHA = 1.6732632423543772848170429916717
"""``alpha`` of `relu.selu` (Klambauer et al., 2017), to full double precision."""
SELU_SCALE = 1.0507009873554804934193349852946
"""``scale`` (lambda) of `relu.selu` (Klambauer et al., 2017), to full double precision."""


def _selu(xp, x):
    return SELU_SCALE * _elu(xp, x, SELU_ALPHA)


def _selu_grad(xp, x):
    return SELU_SCALE * _elu_grad(xp, x, SELU_ALPHA)


@dispatching(_selu)
def selu(x: ArrayLike, /) -> np.ndarray:
    """Scaled exponential linear unit, element-wise: ``selu(x) = scale * elu(x, alpha)``.

    ::

        selu(x) = scale * x                       if x > 0
                  scale * alpha * (exp(x) - 1)    otherwise

    See [Variants: selu](../guide/variants.md#selu).

    Examples
    --------
    >>> np.round(relu.selu([-1e4, 0.0, 1.0]), 6)
    array([-1.758099,  0.      ,  1.050701])
    """
    return _xp.numpy(_selu, x, float64=True)


@dispatching(_selu_grad)
def selu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`selu`][relu.variants.selu]: ``scale`` where ``x > 0``, else
    ``scale * alpha * exp(x)``. See [Variants: selu](../guide/variants.md#selu).

    Examples
    --------
    >>> np.round(relu.selu_grad([-1.0, 0.0, 1.0]), 6)
    array([0.646769, 1.758099, 1.050701])
    """
    return _xp.numpy(_selu_grad, x, float64=True)


# fmt: off
_ENTRIES.append(Activation(
    "selu", selu, selu_grad, {}, {}, kinks=_kinks_at(0.0),
    limits=(-SELU_SCALE * SELU_ALPHA, math.inf), torch="F.selu(x)", jax="jax.nn.selu(x)",
    float64=True,
))
# fmt: on


# gelu --------------------------------------------------------------------------------------------

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_C = math.sqrt(2.0 / math.pi)
_TANH_K = 0.044715


def _gelu_tanh_u(xp, x):
    # Beyond |x| = 30, sigmoid(2u) is exactly 0 or 1 in float64 and its slope is 0,
    # so clipping changes nothing and keeps x ** 3 finite.
    xc = xp.clip(x, -30.0, 30.0)
    return xc, _TANH_C * (xc + _TANH_K * (xc * xc * xc))  # not xc ** 3: pow is slow


def _gelu(xp, x, approximate):
    x = floating(xp, x)
    if approximate == "none":
        phi = 0.5 * _xp.erfc(xp, -_SQRT_HALF * x)  # erfc: no cancellation in the tail
    else:
        phi = sigmoid(xp, 2.0 * _gelu_tanh_u(xp, x)[1])  # (1 + tanh(u)) / 2
    return at_infinities(xp, x, x * phi, 0.0)


def _gelu_grad(xp, x, approximate):
    x = floating(xp, x)
    if approximate == "none":
        big_phi = 0.5 * _xp.erfc(xp, -_SQRT_HALF * x)
        grad = big_phi + x * (_INV_SQRT_2PI * xp.exp(-0.5 * x * x))
    else:
        xc, u = _gelu_tanh_u(xp, x)
        du = _TANH_C * (1.0 + 3.0 * _TANH_K * (xc * xc))
        grad = sigmoid(xp, 2.0 * u) + 2.0 * xc * _xp.sigmoid_slope(xp, 2.0 * u) * du
    # far out, the second term is 0 * inf: the limits are 0 and 1
    return xp.where(xp.abs(x) > 40, indicator(xp, x > 0, x), grad)


def _check_approximate(approximate):
    if not isinstance(approximate, str) or approximate not in ("none", "tanh"):
        raise ValueError(
            f"approximate must be 'none' (exact, with erf) or 'tanh', got {approximate!r}"
        )


@dispatching(_gelu)
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
    >>> np.round(relu.gelu([-1.0, 0.0, 1.0]), 6)
    array([-0.158655,  0.      ,  0.841345])
    """
    _check_approximate(approximate)
    return _xp.numpy(_gelu, x, float64=True, approximate=approximate)


@dispatching(_gelu_grad)
def gelu_grad(x: ArrayLike, /, *, approximate: str = "none") -> np.ndarray:
    """Derivative of [`gelu`][relu.variants.gelu].

    ::

        approximate='none':  gelu'(x) = Phi(x) + x * phi(x),  phi(x) = exp(-x**2 / 2) / sqrt(2 pi)
        approximate='tanh':  gelu'(x) = s + x * 2 s (1 - s) * u'(x),
                             s = (1 + tanh(u)) / 2,  u = sqrt(2/pi) * (x + 0.044715 x**3)

    See [Variants: gelu](../guide/variants.md#gelu).

    Examples
    --------
    >>> np.round(relu.gelu_grad([-1.0, 0.0, 1.0]), 6)
    array([-0.083315,  0.5     ,  1.083315])
    """
    _check_approximate(approximate)
    return _xp.numpy(_gelu_grad, x, float64=True, approximate=approximate)


# fmt: off
_ENTRIES.append(Activation(
    # JAX's default: tanh
    "gelu", gelu, gelu_grad,
    {"approximate": Param("none", choices=("none", "tanh"), keyword_only=True)}, {},
    kinks=_kinks_at(), limits=(0.0, math.inf), torch="F.gelu(x, approximate=approximate)",
    jax="jax.nn.gelu(x, approximate=False)",  # JAX's default is the tanh form
    float64=True, extra=({"approximate": "tanh"},),
))
# fmt: on


# softplus ----------------------------------------------------------------------------------------


def _softplus(xp, x, beta, threshold):
    x = floating(xp, x)
    z = beta * x
    return xp.where(z > threshold, x, xp.logaddexp(c(xp, z, 0), z) / beta)


def _softplus_grad(xp, x, beta, threshold):
    x = floating(xp, x)
    z = beta * x
    return xp.where(z > threshold, c(xp, x, 1), sigmoid(xp, z))


def _softplus_params(beta, threshold):
    b = real_param("beta", beta, minimum=0.0, strict=True)
    t = real_param("threshold", threshold, minimum=0.0, strict=True, allow_inf=True)
    return {"beta": b, "threshold": t}


@dispatching(_softplus)
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
    >>> relu.softplus([-1e4, 0.0, 1.0, 1e4]).round(6).tolist()
    [0.0, 0.693147, 1.313262, 10000.0]
    """
    return _xp.numpy(_softplus, x, float64=True, **_softplus_params(beta, threshold))


@dispatching(_softplus_grad)
def softplus_grad(x: ArrayLike, /, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Derivative of [`softplus`][relu.variants.softplus]: ``sigmoid(beta * x)``, and 1 on the
    linear part.

    ::

        softplus'(x) = 1 / (1 + exp(-beta * x))    if beta * x <= threshold
                       1                           otherwise

    See [Variants: softplus](../guide/variants.md#softplus).

    Examples
    --------
    >>> np.round(relu.softplus_grad([-1.0, 0.0, 1.0, 30.0]), 6)
    array([0.268941, 0.5     , 0.731059, 1.      ])
    """
    kw = _softplus_params(beta, threshold)
    return _xp.numpy(_softplus_grad, x, float64=True, **kw)


# fmt: off
_ENTRIES.append(Activation(
    # kinks: the switch to x at beta * x == threshold is a (tiny) jump; JAX's has no keywords
    "softplus", softplus, softplus_grad,
    {"beta": _num(0.1, 10.0, 1.0), "threshold": _num(1.0, 30.0, 20.0)}, {},
    kinks=lambda kw: (kw["threshold"] / kw["beta"],), limits=(0.0, math.inf),
    torch="F.softplus(x, beta, threshold)", jax="jax.nn.softplus(x)", float64=True,
    extra=({"beta": 4.0},),
))
# fmt: on


# squareplus --------------------------------------------------------------------------------------


def _squareplus(xp, x, b):
    x = floating(xp, x)
    if b == 0:
        return _relu(xp, x)
    s = xp.hypot(x, c(xp, x, math.sqrt(b)))  # sqrt(x**2 + b) without overflow
    negative = (0.25 * b) / (0.5 * s + 0.5 * xp.abs(x))  # no cancellation for x < 0
    return xp.where(x < 0, negative, 0.5 * x + 0.5 * s)  # halves: no overflow


def _squareplus_grad(xp, x, b):
    x = floating(xp, x)
    if b == 0:
        return indicator(xp, x > 0, x)
    r = math.sqrt(b)
    s = xp.hypot(x, c(xp, x, r))
    q = 0.5 * (r / s) * (r / (s + xp.abs(x)))  # b / (2 s (s + |x|)), in factors <= 1
    return xp.where(x < 0, q, 1.0 - q)


@dispatching(_squareplus)
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
    >>> relu.squareplus([0.0, 1.0]).tolist()
    [1.0, 1.618033988749895]
    """
    bb = real_param("b", b, minimum=0.0)
    return _xp.numpy(_squareplus, x, float64=True, b=bb)


@dispatching(_squareplus_grad)
def squareplus_grad(x: ArrayLike, /, b: float = 4.0) -> np.ndarray:
    """Derivative of [`squareplus`][relu.variants.squareplus]: ``(1 + x / sqrt(x**2 + b)) / 2``.
    See [Variants: squareplus](../guide/variants.md#squareplus).

    Examples
    --------
    >>> np.round(relu.squareplus_grad([-2.0, 0.0, 2.0]), 6)
    array([0.146447, 0.5     , 0.853553])
    """
    bb = real_param("b", b, minimum=0.0)
    return _xp.numpy(_squareplus_grad, x, float64=True, b=bb)


# fmt: off
_ENTRIES.append(Activation(
    "squareplus", squareplus, squareplus_grad, {"b": _num(0.01, 10.0, 4.0)}, {}, kinks=_kinks_at(),
    limits=(0.0, math.inf), jax="jax.nn.squareplus(x, b)", float64=True, extra=({"b": 0.5},),
))
# fmt: on


# silu --------------------------------------------------------------------------------------------


def _silu(xp, x):
    x = floating(xp, x)
    return at_infinities(xp, x, x * sigmoid(xp, x), 0.0)


def _silu_grad(xp, x):
    x = floating(xp, x)
    grad = sigmoid(xp, x) + x * _xp.sigmoid_slope(xp, x)
    return at_infinities(xp, x, grad, 0.0, 1.0)


@dispatching(_silu)
def silu(x: ArrayLike, /) -> np.ndarray:
    """Sigmoid linear unit (swish), element-wise: ``silu(x) = x * sigmoid(x)``.

    ::

        silu(x) = x / (1 + exp(-x))

    See [Variants: silu](../guide/variants.md#silu).

    Examples
    --------
    >>> np.round(relu.silu([-1e4, -1.0, 0.0, 1.0]), 6)
    array([-0.      , -0.268941,  0.      ,  0.731059])
    """
    return _xp.numpy(_silu, x, float64=True)


@dispatching(_silu_grad)
def silu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`silu`][relu.variants.silu]: ``s + x * s * (1 - s)`` with ``s = sigmoid(x)``.
    See [Variants: silu](../guide/variants.md#silu).

    Examples
    --------
    >>> np.round(relu.silu_grad([-1.0, 0.0, 1.0]), 6)
    array([0.072329, 0.5     , 0.927671])
    """
    return _xp.numpy(_silu_grad, x, float64=True)


# fmt: off
_ENTRIES.append(Activation(
    "silu", silu, silu_grad, {}, {}, kinks=_kinks_at(),
    limits=(0.0, math.inf), torch="F.silu(x)", jax="jax.nn.silu(x)", float64=True,
    aliases=("swish",),
))
# fmt: on


# mish --------------------------------------------------------------------------------------------


def _mish(xp, x):
    x = floating(xp, x)
    return at_infinities(xp, x, x * xp.tanh(xp.logaddexp(c(xp, x, 0), x)), 0.0)


def _mish_grad(xp, x):
    x = floating(xp, x)
    sp = xp.logaddexp(c(xp, x, 0), x)  # > 0, so exp(-sp) is in (0, 1]: no overflow
    e = xp.exp(-sp) ** 2  # not exp(-2 sp): 2 sp may pass the dtype's range
    sech2 = 4.0 * e / ((1.0 + e) * (1.0 + e))
    grad = xp.tanh(sp) + x * sigmoid(xp, x) * sech2
    return at_infinities(xp, x, grad, 0.0, 1.0)


@dispatching(_mish)
def mish(x: ArrayLike, /) -> np.ndarray:
    """Mish, element-wise: ``mish(x) = x * tanh(softplus(x))``.

    ::

        mish(x) = x * tanh(log(1 + exp(x)))

    See [Variants: mish](../guide/variants.md#mish).

    Examples
    --------
    >>> np.round(relu.mish([-1e4, -1.0, 0.0, 1.0]), 6)
    array([-0.      , -0.303401,  0.      ,  0.865098])
    """
    return _xp.numpy(_mish, x, float64=True)


@dispatching(_mish_grad)
def mish_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`mish`][relu.variants.mish]: ``tanh(sp) + x * sigmoid(x) * sech(sp)**2``,
    ``sp = softplus(x)``. See [Variants: mish](../guide/variants.md#mish).

    Examples
    --------
    >>> np.round(relu.mish_grad([-1.0, 0.0, 1.0]), 6)
    array([0.059217, 0.6     , 1.049036])
    """
    return _xp.numpy(_mish_grad, x, float64=True)


# fmt: off
_ENTRIES.append(Activation(
    "mish", mish, mish_grad, {}, {}, kinks=_kinks_at(),
    limits=(0.0, math.inf), torch="F.mish(x)", jax="jax.nn.mish(x)", float64=True,
))
# fmt: on


# hardswish ---------------------------------------------------------------------------------------


def _hardswish(xp, x):
    x = floating(xp, x)
    middle = xp.where(x >= 3, x, x * ((x + 3.0) / 6.0))
    return xp.where(x <= -3, c(xp, x, -0.0), middle)  # -0.0: x times a gate of 0


def _hardswish_grad(xp, x):
    x = floating(xp, x)
    middle = x / 3.0 + 0.5
    return xp.where(x <= -3, c(xp, x, 0), xp.where(x >= 3, c(xp, x, 1), middle))


@dispatching(_hardswish)
def hardswish(x: ArrayLike, /) -> np.ndarray:
    """Hard swish, element-wise: ``hardswish(x) = x * relu6(x + 3) / 6``.

    ::

        hardswish(x) = 0                  if x <= -3
                       x                  if x >= 3
                       x * (x + 3) / 6    otherwise

    See [Variants: hardswish](../guide/variants.md#hardswish).

    Examples
    --------
    >>> np.round(relu.hardswish([-4.0, -1.0, 0.0, 1.0, 4.0]), 6)
    array([-0.      , -0.333333,  0.      ,  0.666667,  4.      ])
    """
    return _xp.numpy(_hardswish, x, float64=True)


@dispatching(_hardswish_grad)
def hardswish_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`hardswish`][relu.variants.hardswish]: 0 for ``x <= -3``, 1 for ``x >= 3``,
    else ``x / 3 + 1 / 2``. See [Variants: hardswish](../guide/variants.md#hardswish).

    Examples
    --------
    >>> relu.hardswish_grad([-3.0, 0.0, 1.5, 3.0])
    array([0. , 0.5, 1. , 1. ])
    """
    return _xp.numpy(_hardswish_grad, x, float64=True)


# fmt: off
_ENTRIES.append(Activation(
    "hardswish", hardswish, hardswish_grad, {}, {}, kinks=_kinks_at(-3.0, 3.0),
    limits=(0.0, math.inf), torch="F.hardswish(x)", jax="jax.nn.hard_swish(x)", float64=True,
))
# fmt: on


# squared_relu ------------------------------------------------------------------------------------


def _squared_relu(xp, x):
    r = _relu(xp, floating(xp, x))
    return r * r


def _squared_relu_grad(xp, x):
    return 2.0 * _relu(xp, floating(xp, x))


@dispatching(_squared_relu)
def squared_relu(x: ArrayLike, /) -> np.ndarray:
    """Squared ReLU, element-wise: ``squared_relu(x) = relu(x) ** 2``.
    See [Variants: squared_relu](../guide/variants.md#squared_relu).

    Examples
    --------
    >>> relu.squared_relu([-2.0, 0.5, 3.0])
    array([0.  , 0.25, 9.  ])
    """
    return _xp.numpy(_squared_relu, x)


@dispatching(_squared_relu_grad)
def squared_relu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`squared_relu`][relu.variants.squared_relu]: ``2 * relu(x)``.
    See [Variants: squared_relu](../guide/variants.md#squared_relu).

    Examples
    --------
    >>> relu.squared_relu_grad([-2.0, 0.5, 3.0])
    array([0., 1., 6.])
    """
    return _xp.numpy(_squared_relu_grad, x)


# fmt: off
_ENTRIES.append(Activation(
    "squared_relu", squared_relu, squared_relu_grad, {}, {}, kinks=_kinks_at(),
    limits=(0.0, math.inf), torch="torch.square(F.relu(x))", plot=(-2.0, 2.0),
))
# fmt: on


swish = silu
"""Alias of [`silu`][relu.variants.silu]: the name used by Ramachandran et al. (2017) and by JAX."""
swish_grad = silu_grad
"""Alias of [`silu_grad`][relu.variants.silu_grad]."""

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in _ENTRIES}
"""Every activation of the package, by name, in the order the Variants page shows them."""
