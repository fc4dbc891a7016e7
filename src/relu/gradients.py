"""Derivative and backward pass of ReLU."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _arrays, _kernel
from ._validation import as_real_array, check_same_shape, scalar_result

__all__ = ["relu_grad", "relu_backward"]


def relu_grad(x: ArrayLike, /) -> np.ndarray:
    """Derivative of `relu`, element-wise.

    ``relu'(x) = 1`` where ``x > 0``, else ``0``.

    ReLU has no derivative at ``x == 0``; this function returns **0** there,
    the convention of PyTorch, JAX and TensorFlow. Any value in ``[0, 1]`` is
    a valid subgradient; 0 keeps units that sit exactly at the kink inactive
    and makes the gradient of ``relu(x) == 0`` regions exactly zero. NaN
    inputs give 0 as well (``nan > 0`` is false).

    Parameters
    ----------
    x : array_like
        Input of a real dtype, the same ``x`` that was passed to ``relu``.

    Returns
    -------
    numpy.ndarray or numpy scalar
        Ones and zeros (a scalar for a scalar input). Floating inputs keep their dtype; integer
        inputs give float64. A large result may take a freed result's memory, as
        [relu.relu][]'s notes say.

    Examples
    --------
    >>> from relu import relu_grad
    >>> relu_grad([-1.0, 0.0, 2.0])
    array([0., 0., 1.])
    """
    result = _kernel.fast_grad(x)  # the common call, decided in C; else None
    if result is not None:
        return result
    if type(x) is not np.ndarray and (kind := _arrays.library(x)) is not None:
        return _arrays.apply(relu_grad, kind, (x,), {})
    arr = as_real_array(x)
    dtype = arr.dtype if arr.dtype.kind == "f" else np.dtype(np.float64)
    out = _kernel.positive_indicator(arr, np.empty_like(arr, dtype=dtype), None)
    return scalar_result(out)  # a NumPy scalar for a scalar, as relu gives


def relu_backward(dout: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Backward pass of ReLU: the upstream gradient where ``x > 0``, else 0.

    ``dL/dx = dL/dy * relu'(x)``, for ``y = relu(x)``.

    Computed as a selection, not a multiplication, so a NaN or infinite
    upstream gradient at an inactive unit gives 0, not NaN: the same values
    as ``np.where(x > 0, dout, 0)``, several times faster on large arrays.

    Parameters
    ----------
    dout : array_like
        Upstream gradient ``dL/dy``, of the same shape as ``x``.
    x : array_like
        The input of the forward pass.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``dL/dx`` in ``dout``'s dtype (a scalar for scalar inputs). A large result may take a
        freed result's memory, as [relu.relu][]'s notes say.

    Raises
    ------
    ValueError
        If ``dout`` and ``x`` have different shapes (broadcasting here would
        hide a bug in the caller's network).
    TypeError
        If either has a non-real dtype.

    Examples
    --------
    >>> from relu import relu_backward
    >>> relu_backward([0.5, 0.5, 0.5], [-1.0, 0.0, 3.0])
    array([0. , 0. , 0.5])
    """
    result = _kernel.fast_backward(dout, x)  # the common call, decided in C; else None
    if result is not None:
        return result
    if type(dout) is not np.ndarray:  # another library's arrays: dout's, else x's
        kind = _arrays.library(dout) or _arrays.library(x)
        if kind is not None:
            return _arrays.apply(relu_backward, kind, (dout, x), {})
    g = as_real_array(dout, "dout")
    arr = as_real_array(x, "x")
    check_same_shape(g, arr)
    out = _kernel.masked_copy(g, arr, np.empty_like(g), None)
    return scalar_result(out)
