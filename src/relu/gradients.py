"""Derivative and backward pass of ReLU."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _arrays, _kernel
from ._validation import as_real_array, check_same_shape, scalar_result
from ._xp import c, floating, indicator

__all__ = ["relu_grad", "relu_backward"]


def _relu_grad(xp, x):
    return indicator(xp, x > 0, floating(xp, x))


def _relu_backward(xp, dout, x):
    g = floating(xp, dout)
    return xp.where(x > 0, g, c(xp, g, 0))


def relu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of `relu`, element-wise: 1 where ``x > 0``, else 0.

    At the kink, ``x == 0``, it returns 0, as PyTorch, JAX and TensorFlow do;
    NaN gives 0 too (``nan > 0`` is false). Floating inputs keep their dtype,
    integers give float64. See [Gradients](../guide/gradients.md).

    Parameters
    ----------
    x : array_like
        The input of the forward pass, of a real dtype.

    Examples
    --------
    >>> relu.relu_grad([-1.0, 0.0, 2.0])
    array([0., 0., 1.])
    """
    result = _kernel.fast_grad(x)  # the common call, decided in C; else None
    if result is not None:
        return result
    if type(x) is not np.ndarray and (kind := _arrays.library(x)) is not None:
        return _arrays.apply(relu_grad, _relu_grad, kind, (x,), {})
    arr = as_real_array(x)
    dtype = arr.dtype if arr.dtype.kind == "f" else np.dtype(np.float64)
    out = _kernel.positive_indicator(arr, np.empty_like(arr, dtype=dtype))
    return scalar_result(out)  # a NumPy scalar for a scalar, as relu gives


def relu_backward(dout: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Backward pass of ReLU: ``dout`` where ``x > 0``, else 0.

    A selection, not a product: a NaN or infinite ``dout`` at an inactive
    unit gives 0, as ``np.where(x > 0, dout, 0)`` does. The result has
    ``dout``'s dtype. See [Gradients](../guide/gradients.md).

    Parameters
    ----------
    dout : array_like
        Upstream gradient, of ``x``'s shape (a mismatch raises ``ValueError``).
    x : array_like
        The input of the forward pass.

    Examples
    --------
    >>> relu.relu_backward([0.5, 0.5, 0.5], [-1.0, 0.0, 3.0])
    array([0. , 0. , 0.5])
    """
    result = _kernel.fast_backward(dout, x)  # the common call, decided in C; else None
    if result is not None:
        return result
    if type(dout) is not np.ndarray or type(x) is not np.ndarray:  # another library's arrays
        kind = _arrays.library(dout) or _arrays.library(x)
        if kind is not None:
            return _arrays.apply(relu_backward, _relu_backward, kind, (dout, x), {})
    g = as_real_array(dout, "dout")
    arr = as_real_array(x, "x")
    check_same_shape(g, arr)
    out = _kernel.masked_copy(g, arr, np.empty_like(g))
    return scalar_result(out)
