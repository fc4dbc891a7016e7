"""What the formulas are written with: the Python array API standard's operations
on ``xp``, the array's own namespace, so that one formula serves NumPy and every
other library (PyTorch, JAX, CuPy, array-api-strict) on its own device.

Every formula keeps the package's contract in that library's arithmetic: NaN
propagates, ``-inf`` gives each function's limit, nothing is evaluated on a
branch that could turn an infinity into NaN. `numpy` binds a formula to NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._validation import as_float_array, scalar_result


def numpy(formula: Callable[..., Any], x: Any, /, *, float64: bool = False, **kw: Any) -> Any:
    """``formula`` bound to NumPy: ``x`` checked and floating (integers as float64),
    computed in float64 when ``float64`` and rounded once to ``x``'s dtype.

    No floating-point warnings: the formulas compute both sides of a selection,
    and the side not selected may overflow; a signalling NaN's first operation
    raises the invalid flag. The contract promises no warnings for any input.
    """
    arr = as_float_array(x)
    with np.errstate(all="ignore"):
        r = formula(np, arr.astype(np.float64, copy=False) if float64 else arr, **kw)
        return scalar_result(np.asarray(r).astype(arr.dtype, copy=False))


def dtype_name(x: Any) -> str:
    """``"float32"`` for NumPy's, PyTorch's or array-api-strict's float32 array."""
    return str(x.dtype).rpartition(".")[2]


def c(xp: Any, x: Any, value: Any) -> Any:
    """``value`` as a 0-d array of ``x``'s dtype, on ``x``'s device (a JAX tracer has none)."""
    return xp.asarray(value, dtype=x.dtype, device=getattr(x, "device", None))


def floating(xp: Any, x: Any) -> Any:
    """``x`` itself when floating; integers in the library's default floating dtype."""
    if xp.isdtype(x.dtype, "real floating"):
        return x
    info = xp.__array_namespace_info__()
    return xp.astype(x, info.default_dtypes()["real floating"])


def bound(xp: Any, x: Any, value: float, direction: float) -> Any:
    """The value of ``x``'s dtype nearest to ``value`` on the side of ``direction``
    (-inf: the largest not above it; +inf: the smallest not below it), so that a
    comparison in that dtype gives the exact answer for the unrounded ``value``."""
    near = c(xp, x, value)  # in the library itself: any dtype, bfloat16 too
    if (direction < 0 and float(near) > value) or (direction > 0 and float(near) < value):
        near = xp.nextafter(near, c(xp, x, direction))
    return near


def indicator(xp: Any, mask: Any, like: Any) -> Any:
    return xp.astype(mask, like.dtype)


def at_infinities(xp: Any, x: Any, value: Any, low: float, high: float | None = None) -> Any:
    """``value``, with ``low`` where ``x`` is ``-inf`` and ``high`` where it is ``+inf``
    (where a product gave NaN)."""
    value = xp.where(xp.isinf(x) & (x < 0), c(xp, value, low), value)
    return value if high is None else xp.where(xp.isinf(x) & (x > 0), c(xp, value, high), value)


def sigmoid(xp: Any, z: Any) -> Any:
    e = xp.exp(-xp.abs(z))  # in (0, 1]: cannot overflow
    return xp.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_slope(xp: Any, z: Any) -> Any:
    """``s * (1 - s)`` for ``s = sigmoid(z)``, without the cancellation of ``1 - s``."""
    e = xp.exp(-xp.abs(z))
    return e / ((1.0 + e) * (1.0 + e))


def nonpositive(xp: Any, x: Any) -> Any:
    """``min(x, 0)`` as a selection: autograd gives 1 at 0, as for ``x < 0``."""
    return xp.where(x > 0, c(xp, x, 0), x)


_math_erfc = np.frompyfunc(math.erfc, 1, 1)


def erfc(xp: Any, z: Any) -> Any:
    """The library's erfc: not part of the array API standard."""
    name = xp.__name__.rpartition(".")[2]
    if xp is np:  # the C library's, element by element in float64
        return np.asarray(_math_erfc(z), dtype=np.float64)
    if name == "torch":
        import torch

        return torch.special.erfc(z)
    if name == "numpy" and xp.__name__.startswith("jax"):
        import jax.scipy.special

        return jax.scipy.special.erfc(z)
    if name == "cupy":
        import cupyx.scipy.special

        return cupyx.scipy.special.erfc(z)
    raise TypeError(
        f"gelu(approximate='none') needs erf, which {xp.__name__} does not provide "
        "(the array API standard has none): use approximate='tanh'"
    )
