"""ReLU variants and their derivatives, with PyTorch's names and keywords.

Every variant ``f`` has a derivative ``f_grad`` taking the same arguments
(``prelu`` also has ``prelu_backward``, which returns the gradient with
respect to its learned ``weight`` too). The conventions shared by all of them:

* **arguments**: the input ``x`` is positional-only; the parameters after it
  have the names and defaults of ``torch.nn.functional`` and may be passed by
  position or by keyword, as in PyTorch; ``gelu``'s ``approximate`` is
  keyword-only, as in PyTorch.
* **dtype**: floating inputs keep their dtype (float16, float32 and float64).
  Integer inputs give float64, except for `relu6`, which keeps the
  integer dtype because it never leaves the integers. The smooth functions
  (``elu``, ``selu``, ``gelu``, ``softplus``, ``silu``) compute in float64
  and round once to the input dtype.
* **stability**: no overflow, invalid-value or division warnings for any
  input, infinities included; a result is ``inf`` only where the true value
  lies beyond the dtype's range. NaN propagates.
* **kinks**: where a function has no derivative (``leaky_relu``, ``prelu``
  and ``piecewise_linear`` at their threshold, ``elu`` and ``selu`` at 0 for
  ``alpha != 1``, ``relu6`` at 0 and 6), the derivative returns the slope of
  the piece that contains the point, as PyTorch does: ``x <= threshold``
  belongs to the lower piece, ``x >= 6`` to ``relu6``'s flat top.
* **0-d input** gives a NumPy scalar, as [`relu.relu`][relu.relu] does.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import ArrayLike

from . import _kernel
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

SELU_ALPHA = 1.6732632423543772848170429916717
"""``alpha`` of [`selu`][relu.variants.selu] (Klambauer et al., 2017), to full double precision."""
SELU_SCALE = 1.0507009873554804934193349852946
"""``scale`` (lambda) of [`selu`][relu.variants.selu] (Klambauer et al., 2017), to full double
precision."""

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


# activations


def leaky_relu(x: ArrayLike, /, negative_slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU, element-wise: ``leaky_relu(x, negative_slope=0.01)``.

    ::

        leaky_relu(x) = x                     if x > 0
                        negative_slope * x    otherwise

    A small slope on the negative side keeps a gradient flowing through units
    whose input is negative, the remedy for "dying" ReLU units.
    ``negative_slope=0`` is [`relu.relu`][relu.relu].

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64 (the slope is fractional).
    negative_slope : float, default 0.01
        Slope for ``x <= 0``. Must be ``>= 0``: a negative slope makes the
        function non-monotonic, which is no longer a leaky ReLU (use
        [`piecewise_linear`][relu.variants.piecewise_linear] for arbitrary slopes).

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    ValueError
        If ``negative_slope`` is negative, NaN or infinite.
    TypeError
        If ``x`` has a non-real dtype or ``negative_slope`` is not a number.

    See Also
    --------
    leaky_relu_grad : its derivative.
    prelu : the same with a learned, per-feature slope.

    Examples
    --------
    >>> from relu import leaky_relu
    >>> leaky_relu([-2.0, 0.0, 3.0])
    array([-0.02,  0.  ,  3.  ])
    >>> leaky_relu([-2.0, 3.0], negative_slope=0.5)
    array([-1.,  3.])
    """
    slope = real_param("negative_slope", negative_slope, minimum=0.0)
    return scalar_result(_kernel.piecewise(as_float_array(x), 0, slope, 1.0))


def leaky_relu_grad(x: ArrayLike, /, negative_slope: float = 0.01) -> np.ndarray:
    """Derivative of [`leaky_relu`][relu.variants.leaky_relu]: 1 where ``x > 0``, else
    ``negative_slope``.

    At ``x == 0`` it returns ``negative_slope``, PyTorch's convention (its
    backward tests ``x > 0``). NaN gives ``negative_slope`` too.

    Parameters, return type and errors as in [`leaky_relu`][relu.variants.leaky_relu].

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


def prelu(x: ArrayLike, /, weight: ArrayLike) -> np.ndarray:
    """Parametric ReLU, element-wise: ``prelu(x, weight)``.

    ::

        prelu(x) = x             if x > 0
                   weight * x    otherwise

    [`leaky_relu`][relu.variants.leaky_relu] with a slope that is learned, usually one per feature
    or channel. ``weight`` broadcasts against ``x`` by NumPy's rules, which
    align the **trailing** axes: for ``x`` of shape ``(batch, features)`` give
    ``weight`` the shape ``(features,)`` (or ``()`` for one shared slope).

    .. note::
       PyTorch's ``prelu`` applies a 1-D weight along axis 1 (channels) of
       ``(N, C, ...)`` inputs. With NumPy's rules, spell that shape out:
       ``weight.reshape(C, 1, 1)`` for ``(N, C, H, W)``. For 2-D inputs the
       two agree.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    weight : array_like
        Slopes for ``x <= 0``, of a real dtype and a shape that broadcasts to
        ``x.shape``. Any value is accepted (it is learned); it is cast to the
        result's dtype.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape and (floating) dtype as ``x``.

    Raises
    ------
    ValueError
        If ``weight`` does not broadcast to ``x``'s shape.
    TypeError
        If ``x`` or ``weight`` has a non-real dtype.

    See Also
    --------
    prelu_grad : derivative with respect to ``x``.
    prelu_backward : gradients with respect to ``x`` and ``weight``.

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


def prelu_grad(x: ArrayLike, /, weight: ArrayLike) -> np.ndarray:
    """Derivative of [`prelu`][relu.variants.prelu] with respect to ``x``: 1 where ``x > 0``, else
    ``weight``.

    At ``x == 0`` it returns ``weight``, PyTorch's convention.

    Parameters, return type and errors as in [`prelu`][relu.variants.prelu].

    Examples
    --------
    >>> from relu import prelu_grad
    >>> prelu_grad([[-1.0, 0.0, 3.0]], [0.1, 0.2, 0.3])
    array([[0.1, 0.2, 1. ]])
    """
    arr, w = _prelu_operands(x, weight)
    return scalar_result(np.where(arr > 0, arr.dtype.type(1), w.astype(arr.dtype, copy=False)))


def prelu_backward(
    dout: ArrayLike, x: ArrayLike, weight: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Backward pass of [`prelu`][relu.variants.prelu]: ``(dx, dweight)``.

    For ``y = prelu(x, weight)`` and an upstream gradient ``dout = dL/dy``::

        dx      = dout             where x > 0, else dout * weight
        dweight = sum of dout * x  over the elements with x <= 0, reduced
                  over the axes along which weight was broadcast

    so ``dweight`` has ``weight``'s shape, ready for ``weight -= lr * dweight``.

    Parameters
    ----------
    dout : array_like
        Upstream gradient, of the same shape as ``x``.
    x : array_like
        The input of the forward pass.
    weight : array_like
        The slopes of the forward pass; must broadcast to ``x.shape``.

    Returns
    -------
    dx : numpy.ndarray
        Gradient with respect to ``x``: ``x``'s shape, ``dout``'s floating
        dtype (integers give float64).
    dweight : numpy.ndarray
        Gradient with respect to ``weight``: ``weight``'s shape and floating
        dtype (integers give float64).

    Raises
    ------
    ValueError
        If ``dout`` and ``x`` have different shapes, or ``weight`` does not
        broadcast to ``x``'s shape.
    TypeError
        If any argument has a non-real dtype.

    See Also
    --------
    prelu, prelu_grad

    Examples
    --------
    >>> import numpy as np
    >>> from relu import prelu_backward
    >>> x = np.array([[-1.0, 2.0], [-3.0, -4.0]])
    >>> dx, dw = prelu_backward(np.ones_like(x), x, np.array([0.1, 0.5]))
    >>> dx
    array([[0.1, 1. ],
           [0.1, 0.5]])
    >>> dw  # column sums of x where x <= 0
    array([-4., -4.])
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


def piecewise_linear(
    x: ArrayLike, /, threshold: float = 0.0, slope_below: float = 0.0, slope_above: float = 1.0
) -> np.ndarray:
    """Two-slope linear unit, element-wise.

    ::

        piecewise_linear(x) = slope_above * x    if x > threshold
                              slope_below * x    otherwise

    The three-parameter generalisation of ReLU from the popular Q&A thread
    (its one-liner ``X * (X > t0) * a1 + X * (X < t0) * a0`` gives 0 at
    ``X == t0``; this function gives ``t0 * a0`` there). The defaults are
    ReLU; ``slope_below=s`` is ``leaky_relu(x, s)``. Unlike those, the
    function jumps at ``threshold`` when ``threshold != 0`` and the slopes
    differ (from ``threshold * slope_below`` to ``threshold * slope_above``).

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    threshold : float, default 0.0
        Where the slope changes. Any finite value.
    slope_below : float, default 0.0
        Slope for ``x <= threshold``. Any finite value.
    slope_above : float, default 1.0
        Slope for ``x > threshold``. Any finite value.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept. A zero slope gives
        ``+0.0`` on its whole piece, infinities included.

    Raises
    ------
    ValueError
        If a parameter is NaN or infinite.
    TypeError
        If ``x`` has a non-real dtype or a parameter is not a number.

    See Also
    --------
    piecewise_linear_grad : its derivative.
    leaky_relu : the case ``threshold=0, slope_above=1``.

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


def piecewise_linear_grad(
    x: ArrayLike, /, threshold: float = 0.0, slope_below: float = 0.0, slope_above: float = 1.0
) -> np.ndarray:
    """Derivative of [`piecewise_linear`][relu.variants.piecewise_linear]: ``slope_above`` where ``x
    > threshold``, else ``slope_below``.

    At ``x == threshold`` it returns ``slope_below``, the slope of the piece
    that contains the point (the function's value there is
    ``threshold * slope_below``).

    Parameters, return type and errors as in [`piecewise_linear`][relu.variants.piecewise_linear].

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


def relu6(x: ArrayLike, /) -> np.ndarray:
    """ReLU capped at 6, element-wise: ``relu6(x) = min(max(x, 0), 6)``.

    Bounded activations suit low-precision arithmetic (used by MobileNet).
    Integer inputs keep their dtype; ``-0.0`` gives ``+0.0``; NaN stays NaN.

    Parameters
    ----------
    x : array_like
        Input of a real dtype.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape and dtype as ``x``.

    Raises
    ------
    TypeError
        If ``x`` has a non-real dtype.

    See Also
    --------
    relu6_grad : its derivative.
    relu.relu : the uncapped function.

    Examples
    --------
    >>> from relu import relu6
    >>> relu6([-1.0, 3.0, 8.0])
    array([0., 3., 6.])
    >>> relu6([-1, 3, 8])
    array([0, 3, 6])
    """
    r = np.asarray(relu(x))
    return scalar_result(np.minimum(r, r.dtype.type(6), out=r))  # r is new: no second array


def relu6_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of `relu6`: 1 where ``0 < x < 6``, else 0.

    At both kinks, ``x == 0`` and ``x == 6``, it returns 0 (as PyTorch and
    JAX do): each point belongs to a flat piece.

    Parameters and errors as in [`relu6`][relu.variants.relu6]; floating inputs keep their
    dtype, integers give float64 (where `relu6` keeps them).

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


def elu(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Exponential linear unit, element-wise: ``elu(x, alpha=1.0)``.

    ::

        elu(x) = x                       if x > 0
                 alpha * (exp(x) - 1)    otherwise

    Smooth for ``alpha = 1``, saturating at ``-alpha`` for large negative
    ``x``, which pushes mean activations towards zero (Clevert et al., 2015).
    Computed with ``expm1`` on ``min(x, 0)``, so large positive inputs
    cannot overflow in the unused branch.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    alpha : float, default 1.0
        Saturation value for ``x -> -inf``. Must be ``>= 0``: a negative
        ``alpha`` makes the function non-monotonic (``alpha = 0`` is ReLU).

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    ValueError
        If ``alpha`` is negative, NaN or infinite.
    TypeError
        If ``x`` has a non-real dtype or ``alpha`` is not a number.

    See Also
    --------
    elu_grad : its derivative.
    selu : a scaled ELU with fixed constants.

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


def elu_grad(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Derivative of [`elu`][relu.variants.elu]: 1 where ``x > 0``, else ``alpha * exp(x)``.

    At ``x == 0`` it returns ``alpha`` (the left derivative, PyTorch's
    convention); for the default ``alpha = 1`` both sides agree.

    Parameters, return type and errors as in [`elu`][relu.variants.elu].

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


def selu(x: ArrayLike, /) -> np.ndarray:
    """Scaled exponential linear unit, element-wise: ``selu(x) = scale * elu(x, alpha)``.

    ::

        selu(x) = scale * x                       if x > 0
                  scale * alpha * (exp(x) - 1)    otherwise

    with the constants of Klambauer et al. (2017), "Self-Normalizing Neural
    Networks", given here to full double precision:

    * ``alpha = 1.6732632423543772848170429916717`` ([`SELU_ALPHA`][relu.variants.SELU_ALPHA])
    * ``scale = 1.0507009873554804934193349852946`` ([`SELU_SCALE`][relu.variants.SELU_SCALE])

    chosen so that activations keep zero mean and unit variance through deep
    fully connected layers initialised with variance ``1 / fan_in``.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept (float16 inputs above
        about 62,000 give ``inf``, as the true result exceeds float16's range).

    Raises
    ------
    TypeError
        If ``x`` has a non-real dtype.

    See Also
    --------
    selu_grad : its derivative.
    elu : the unscaled function.

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


def selu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`selu`][relu.variants.selu]: ``scale`` where ``x > 0``, else ``scale * alpha *
    exp(x)``.

    At ``x == 0`` it returns ``scale * alpha`` (about 1.7581, the left
    derivative, PyTorch's convention); from the right it is ``scale``.

    Parameters, return type and errors as in [`selu`][relu.variants.selu].

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


def gelu(x: ArrayLike, /, *, approximate: str = "none") -> np.ndarray:
    """Gaussian error linear unit, element-wise: ``gelu(x, approximate='none')``.

    ::

        approximate='none':  gelu(x) = x * Phi(x) = x/2 * (1 + erf(x / sqrt(2)))
        approximate='tanh':  gelu(x) = x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x**3)))

    where ``Phi`` is the standard normal CDF (Hendrycks and Gimpel, 2016).
    The default is exact, as in PyTorch; JAX's ``gelu`` instead takes a
    boolean ``approximate`` that defaults to the tanh form.

    Accuracy and cost: the exact form evaluates ``Phi(x)`` as
    ``erfc(-x / sqrt(2)) / 2`` with the C library's ``erfc`` (through
    `math.erfc`, element by element, since NumPy has no ``erf``), so
    it is accurate to a few units in the last place, tails included, but it
    runs a Python-level call per element: several times slower than the
    tanh form, which is vectorised. The tanh form differs from the exact one
    by less than 5e-4 (4.7e-4 at most).

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    approximate : {'none', 'tanh'}, default 'none'
        Keyword-only: which formula to use.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    ValueError
        If ``approximate`` is not ``'none'`` or ``'tanh'``.
    TypeError
        If ``x`` has a non-real dtype.

    See Also
    --------
    gelu_grad : its derivative.
    silu : ``x * sigmoid(x)``, a close relative.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import gelu
    >>> np.round(gelu([-1.0, 0.0, 1.0]), 6)
    array([-0.158655,  0.      ,  0.841345])
    >>> np.round(gelu([-1.0, 0.0, 1.0], approximate="tanh"), 6)
    array([-0.158808,  0.      ,  0.841192])
    """
    _check_approximate(approximate)
    arr, x64 = _in_float64(x)
    if approximate == "none":
        phi = 0.5 * _erfc_array(x64)
    else:
        phi = _gelu_tanh_parts(x64)[1]
    return _cast(_times(x64, phi), arr.dtype)


def gelu_grad(x: ArrayLike, /, *, approximate: str = "none") -> np.ndarray:
    """Derivative of [`gelu`][relu.variants.gelu].

    ::

        approximate='none':  gelu'(x) = Phi(x) + x * phi(x),  phi(x) = exp(-x**2 / 2) / sqrt(2 pi)
        approximate='tanh':  gelu'(x) = s + x * 2 s (1 - s) * u'(x),
                             s = (1 + tanh(u)) / 2,  u = sqrt(2/pi) * (x + 0.044715 x**3)

    Smooth everywhere; ``gelu'(0) = 0.5``. It dips below 0 for negative
    ``x`` (minimum about -0.129 at ``x = -sqrt(2)``) and overshoots 1 for
    positive ``x`` (maximum about 1.129 at ``x = sqrt(2)``).

    Parameters, return type and errors as in [`gelu`][relu.variants.gelu].

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


def softplus(x: ArrayLike, /, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Softplus, element-wise: ``softplus(x, beta=1.0, threshold=20.0)``.

    ::

        softplus(x) = log(1 + exp(beta * x)) / beta    if beta * x <= threshold
                      x                                otherwise

    A smooth ReLU: always positive, ``log(2) / beta`` at 0. As in PyTorch it
    turns linear once ``beta * x`` passes ``threshold``, where the two
    differ by less than ``exp(-threshold) / beta`` (2e-9 for the defaults);
    ``threshold=float('inf')`` never switches. The log part is computed as
    ``logaddexp(0, beta * x)``, which cannot overflow.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    beta : float, default 1.0
        Sharpness; must be ``> 0`` (``beta -> inf`` tends to ReLU; a zero or
        negative ``beta`` is not a softplus).
    threshold : float, default 20.0
        Value of ``beta * x`` above which the function returns ``x``; must be
        ``> 0`` and may be ``inf``.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    ValueError
        If ``beta <= 0`` or ``threshold <= 0``, or either is NaN (or ``beta``
        infinite).
    TypeError
        If ``x`` has a non-real dtype or a parameter is not a number.

    See Also
    --------
    softplus_grad : its derivative, the logistic sigmoid.

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


def softplus_grad(x: ArrayLike, /, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Derivative of [`softplus`][relu.variants.softplus]: ``sigmoid(beta * x)``, and 1 on the
    linear part.

    ::

        softplus'(x) = 1 / (1 + exp(-beta * x))    if beta * x <= threshold
                       1                           otherwise

    Parameters, return type and errors as in [`softplus`][relu.variants.softplus].

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


def silu(x: ArrayLike, /) -> np.ndarray:
    """Sigmoid linear unit (swish), element-wise: ``silu(x) = x * sigmoid(x)``.

    ::

        silu(x) = x / (1 + exp(-x))

    Smooth and non-monotonic, with a minimum of about -0.278 at x = -1.278
    (Elfwing et al., 2017; Ramachandran et al., 2017 call it swish).
    [`swish`][relu.variants.swish] is the same function. ``silu(-inf)`` is 0.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    TypeError
        If ``x`` has a non-real dtype.

    See Also
    --------
    silu_grad : its derivative.
    gelu : ``x * Phi(x)``, a close relative.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import silu
    >>> np.round(silu([-1e4, -1.0, 0.0, 1.0]), 6)
    array([-0.      , -0.268941,  0.      ,  0.731059])
    """
    arr, x64 = _in_float64(x)
    return _cast(_times(x64, _sigmoid(x64)[0]), arr.dtype)


def silu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`silu`][relu.variants.silu]: ``s + x * s * (1 - s)`` with ``s = sigmoid(x)``.

    Smooth; ``silu'(0) = 0.5``. [`swish_grad`][relu.variants.swish_grad] is the same function.

    Parameters, return type and errors as in [`silu`][relu.variants.silu].

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


def celu(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Continuously differentiable exponential linear unit: ``celu(x, alpha=1.0)``.

    ::

        celu(x) = x                             if x > 0
                  alpha * (exp(x / alpha) - 1)  otherwise

    ELU with the exponent scaled by ``1 / alpha``, so the derivative is 1 on
    both sides of 0 for every ``alpha`` (Barron, 2017). ``alpha = 1`` is
    [`elu`][relu.variants.elu]. Computed in float64 with ``expm1`` on
    ``min(x, 0) / alpha``, then rounded once to the input's dtype.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    alpha : float, default 1.0
        Saturation value for ``x -> -inf``. Must be ``> 0``: 0 divides by
        zero (PyTorch refuses it too), and a negative ``alpha`` gives a
        function unbounded below, which is no longer an ELU.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    ValueError
        If ``alpha`` is not positive, or NaN or infinite.
    TypeError
        If ``x`` has a non-real dtype or ``alpha`` is not a number.

    See Also
    --------
    celu_grad : its derivative.
    elu : the unscaled exponent.

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


def celu_grad(x: ArrayLike, /, alpha: float = 1.0) -> np.ndarray:
    """Derivative of [`celu`][relu.variants.celu]: 1 where ``x > 0``, else ``exp(x / alpha)``.

    Continuous: 1 at ``x == 0`` from both sides. Parameters as in
    [`celu`][relu.variants.celu].

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


def hardtanh(x: ArrayLike, /, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """Hard tanh, element-wise: ``hardtanh(x, min_val=-1.0, max_val=1.0)``.

    ::

        hardtanh(x) = min_val    if x < min_val
                      max_val    if x > max_val
                      x          otherwise

    ``x`` clipped to ``[min_val, max_val]``: a piecewise-linear stand-in for
    ``tanh``. ``hardtanh(x, 0.0, 6.0)`` is [`relu6`][relu.variants.relu6]
    (except that integers give float64 here). The bounds are rounded to the
    input's dtype, as PyTorch does; NaN stays NaN and ``-0.0`` stays ``-0.0``
    unless a bound is 0 (then it is ``+0.0``, as from ``relu6``).

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    min_val : float, default -1.0
        Lower bound. Any finite value up to ``max_val``.
    max_val : float, default 1.0
        Upper bound. Any finite value from ``min_val`` up.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    ValueError
        If ``min_val > max_val``, or a bound is NaN or infinite.
    TypeError
        If ``x`` has a non-real dtype or a bound is not a number.

    See Also
    --------
    hardtanh_grad : its derivative.
    relu6 : the bounds 0 and 6.

    Examples
    --------
    >>> from relu import hardtanh
    >>> hardtanh([-3.0, -0.5, 0.5, 3.0])
    array([-1. , -0.5,  0.5,  1. ])
    """
    arr = as_float_array(x)
    lo, hi = _hardtanh_bounds(arr, min_val, max_val)
    return scalar_result(np.minimum(np.maximum(arr, lo), hi))


def hardtanh_grad(x: ArrayLike, /, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """Derivative of [`hardtanh`][relu.variants.hardtanh]: 1 strictly between the bounds, else 0.

    0 at both bounds, as PyTorch's autograd gives. The comparison is with the bounds as
    given, not rounded to ``x``'s dtype (PyTorch rounds them: at a float32 ``x`` equal to
    ``np.float32(min_val)`` it gives 0 where this gives 1 if that value lies above
    ``min_val``). Parameters as in
    [`hardtanh`][relu.variants.hardtanh].

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


def hardswish(x: ArrayLike, /) -> np.ndarray:
    """Hard swish, element-wise: ``hardswish(x) = x * relu6(x + 3) / 6``.

    ::

        hardswish(x) = 0                  if x <= -3
                       x                  if x >= 3
                       x * (x + 3) / 6    otherwise

    A piecewise-quadratic stand-in for [`silu`][relu.variants.silu] that
    needs no exponential (Howard et al., 2019, MobileNetV3). Computed in
    float64 and rounded once; ``hardswish(-inf)`` is its limit 0 (PyTorch
    gives NaN there, from ``-inf * 0``).

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    TypeError
        If ``x`` has a non-real dtype.

    See Also
    --------
    hardswish_grad : its derivative.
    silu : the smooth function it approximates.

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


def hardswish_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`hardswish`][relu.variants.hardswish]: 0 for ``x <= -3``, 1 for ``x >= 3``,
    else ``x / 3 + 1 / 2``.

    0 at ``x == -3`` and 1 at ``x == 3``, as PyTorch's autograd gives (the
    function is continuous there, its slope jumps by 1/2).

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


def mish(x: ArrayLike, /) -> np.ndarray:
    """Mish, element-wise: ``mish(x) = x * tanh(softplus(x))``.

    ::

        mish(x) = x * tanh(log(1 + exp(x)))

    Smooth and non-monotonic, like [`silu`][relu.variants.silu], with a
    minimum of about -0.309 at x = -1.19 (Misra, 2019). Computed in float64
    and rounded once; ``mish(-inf)`` is its limit 0 (PyTorch gives NaN).

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    TypeError
        If ``x`` has a non-real dtype.

    See Also
    --------
    mish_grad : its derivative.
    silu : ``x * sigmoid(x)``, a close relative.

    Examples
    --------
    >>> import numpy as np
    >>> from relu import mish
    >>> np.round(mish([-1e4, -1.0, 0.0, 1.0]), 6)
    array([-0.      , -0.303401,  0.      ,  0.865098])
    """
    arr, x64 = _in_float64(x)
    return _cast(_times(x64, np.tanh(_softplus64(x64))), arr.dtype)


def mish_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`mish`][relu.variants.mish]: ``tanh(sp) + x * sigmoid(x) * sech(sp)**2``, ``sp
    = softplus(x)``.

    Smooth; ``mish'(0) = 0.6``.

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


def threshold(x: ArrayLike, /, threshold: float, value: float) -> np.ndarray:
    """Threshold, element-wise: ``threshold(x, threshold, value)``.

    ::

        threshold(x) = x        if x > threshold
                       value    otherwise

    ReLU is ``threshold(x, 0.0, 0.0)``. Both parameters are required, as in
    PyTorch. ``x == threshold`` gives ``value``; NaN stays NaN (it is not
    ``<= threshold``). ``value`` is rounded to the input's dtype.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    threshold : float
        The value above which ``x`` is kept. Any finite value; the
        comparison is exact, whatever the input's dtype.
    value : float
        What replaces the elements at or below ``threshold``. Any finite value.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    ValueError
        If a parameter is NaN or infinite.
    TypeError
        If ``x`` has a non-real dtype or a parameter is not a number.

    See Also
    --------
    threshold_grad : its derivative.

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


def threshold_grad(x: ArrayLike, /, threshold: float, value: float) -> np.ndarray:
    """Derivative of [`threshold`][relu.variants.threshold]: 1 where ``x > threshold``, else 0.

    0 at ``x == threshold`` and 1 at NaN, as PyTorch's autograd gives
    (``value`` does not enter it). Parameters as in [`threshold`][relu.variants.threshold].

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


def squareplus(x: ArrayLike, /, b: float = 4.0) -> np.ndarray:
    """Squareplus, element-wise: ``squareplus(x, b=4.0) = (x + sqrt(x**2 + b)) / 2``.

    A smooth ReLU built from a square root instead of the exponential and
    logarithm of [`softplus`][relu.variants.softplus] (Barron, 2021), with
    jax.nn's name and keyword (PyTorch has none). ``b`` sets the curvature
    near 0 (``squareplus(0) = sqrt(b) / 2``); ``b = 0`` is ReLU. For
    negative ``x`` it is computed as ``b / (2 * (sqrt(x**2 + b) - x))``, the
    same value without the cancellation that would round it to 0, so
    ``squareplus(-1e6)`` is ``1e-6 - 1e-18`` to the last digit, not 0;
    ``squareplus(-inf)`` is 0.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.
    b : float, default 4.0
        Curvature; must be ``>= 0``.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    ValueError
        If ``b`` is negative, NaN or infinite.
    TypeError
        If ``x`` has a non-real dtype or ``b`` is not a number.

    See Also
    --------
    squareplus_grad : its derivative.
    softplus : the logarithmic smooth ReLU.

    Examples
    --------
    >>> from relu import squareplus
    >>> squareplus([0.0, 1.0]).tolist()
    [1.0, 1.618033988749895]
    >>> float(squareplus(-1e6))  # 1e-6 - 1e-18
    9.99999999999e-07
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


def squareplus_grad(x: ArrayLike, /, b: float = 4.0) -> np.ndarray:
    """Derivative of [`squareplus`][relu.variants.squareplus]: ``(1 + x / sqrt(x**2 + b)) / 2``.

    Smooth for ``b > 0``, 1/2 at 0, computed without cancellation on either
    side; ``b = 0`` gives [`relu_grad`][relu.relu_grad] (0 at 0). Parameters
    as in [`squareplus`][relu.variants.squareplus].

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
        q = bb / (2.0 * s * (s + a))  # (s - |x|) / (2 s), without the cancellation
    return _cast(np.where(x64 < 0, q, 1.0 - q), arr.dtype)


def squared_relu(x: ArrayLike, /) -> np.ndarray:
    """Squared ReLU, element-wise: ``squared_relu(x) = relu(x) ** 2``.

    The activation of the Primer transformer (So et al., 2021). Computed in
    the input's dtype, where one product rounds once; beyond the square root
    of the dtype's largest value it gives ``inf`` quietly, as the true value
    lies beyond the range. PyTorch has no function for it:
    ``torch.square(F.relu(x))``.

    Parameters
    ----------
    x : array_like
        Input of a real dtype. Integers give float64.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Same shape as ``x``; floating dtypes are kept.

    Raises
    ------
    TypeError
        If ``x`` has a non-real dtype.

    See Also
    --------
    squared_relu_grad : its derivative.

    Examples
    --------
    >>> from relu import squared_relu
    >>> squared_relu([-2.0, 0.5, 3.0])
    array([0.  , 0.25, 9.  ])
    """
    r = np.asarray(relu(as_float_array(x)))  # a new array: squared in place
    with np.errstate(over="ignore"):
        return scalar_result(np.multiply(r, r, out=r))


def squared_relu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of [`squared_relu`][relu.variants.squared_relu]: ``2 * relu(x)``.

    Continuous, 0 at 0.

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


for _name in __all__:
    if callable(globals()[_name]):
        _f = globals()[_name] if _name in ("relu6", "relu6_grad") else _quiet(globals()[_name])
        globals()[_name] = dispatching(_f)  # arrays of other libraries: relu._arrays
swish, swish_grad = silu, silu_grad
del _name, _f
