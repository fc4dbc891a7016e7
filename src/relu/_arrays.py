"""Arrays that are not NumPy's: which library an argument comes from, and the
call that keeps the result in that library.

* **Array API arrays** (PyTorch, JAX, CuPy, array-api-strict, ...): the
  formulas of `relu._array_api`, with the array's own namespace (from
  array-api-compat), on its own device.
* **Dask arrays**: lazy, one task per chunk, each chunk through the NumPy
  function itself (its compiled loops); nothing runs before ``.compute()``.
* **pandas** Series and DataFrames and **xarray** DataArrays and Datasets:
  the NumPy function on their values, returned as the same type with the same
  index, columns or coordinates, as ``np.maximum`` does.

NumPy arrays, lists and scalars never come here: each public function tests
``type(x) is np.ndarray`` first, so their path costs nothing more. The other
libraries are imported only when one of their arrays arrives.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["library", "apply", "dispatching"]

# Top-level modules whose arrays follow the array API standard (through
# array-api-compat where the library itself does not).
_ARRAY_API = {"torch", "jax", "jaxlib", "cupy", "array_api_strict", "sparse", "ndonnx", "mlx"}
# The arguments that are arrays; every other one is a scalar parameter.
_ARRAY_ARGS = ("dout", "x", "weight")


def library(x: Any) -> str | None:
    """``"array_api"``, ``"dask"``, ``"pandas"`` or ``"xarray"`` for such an
    argument; ``None`` for NumPy arrays, scalars, lists and anything else,
    which take the NumPy path."""
    t = type(x)
    if t is np.ndarray:
        return None
    root = t.__module__.partition(".")[0]
    if root in ("numpy", "builtins"):
        return None
    if root == "dask" and hasattr(x, "map_blocks"):
        return "dask"
    if root == "pandas" and hasattr(x, "to_numpy") and hasattr(x, "index"):
        return "pandas"
    if root == "xarray" and hasattr(x, "copy") and hasattr(x, "dims"):
        return "xarray"
    if root in _ARRAY_API or hasattr(x, "__array_namespace__"):
        return "array_api"
    return None


@functools.cache
def _signature(func: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(func)


def apply(func: Callable[..., Any], kind: str, args: tuple, kwargs: dict) -> Any:
    """Call the NumPy function ``func`` on arrays of library ``kind``; see the module."""
    bound = _signature(func).bind(*args, **kwargs)
    bound.apply_defaults()
    params = dict(bound.arguments)
    for name in ("out", "threads"):
        if params.pop(name, None) is not None:
            raise TypeError(
                f"{func.__name__}: {name}= applies to NumPy arrays only, "
                f"not to a {type(params['x']).__module__.partition('.')[0]} array"
            )
    arrays = {k: params.pop(k) for k in _ARRAY_ARGS if k in params}
    return _HANDLERS[kind](func, arrays, params)


def _numpy_arrays(arrays: dict, convert: Callable[[Any], Any]) -> dict:
    return {k: convert(v) if library(v) is not None else v for k, v in arrays.items()}


def _pandas(func: Callable[..., Any], arrays: dict, params: dict) -> Any:
    import pandas as pd

    like = arrays["x"]
    values = _numpy_arrays(arrays, lambda v: v.to_numpy())
    result = _call(func, values, params)

    def wrap(r: Any) -> Any:
        r = np.asarray(r)
        if isinstance(like, pd.DataFrame):
            return pd.DataFrame(r, index=like.index, columns=like.columns)
        return pd.Series(r, index=like.index, name=like.name)

    if isinstance(result, tuple):  # prelu_backward: (dx, dweight)
        return (wrap(result[0]), *result[1:])
    return wrap(result)


def _ordered(values: dict) -> list:
    return [values[k] for k in _ARRAY_ARGS if k in values]


def _call(func: Callable[..., Any], values: dict, params: dict) -> Any:
    """``func`` with its array arguments by position (x is positional-only)."""
    return func(*_ordered(values), **params)


def _xarray(func: Callable[..., Any], arrays: dict, params: dict) -> Any:
    import xarray as xr

    like = arrays["x"]
    if isinstance(like, xr.Dataset):
        return like.map(lambda v: _xarray(func, {**arrays, "x": v}, params), keep_attrs=True)
    values = _numpy_arrays(arrays, lambda v: v.data)
    data = values["x"]
    kind = library(data)
    result = (
        apply(func, kind, tuple(_ordered(values)), params) if kind else _call(func, values, params)
    )
    if isinstance(result, tuple):
        return (like.copy(data=result[0]), *result[1:])
    return like.copy(data=result)


def _dask(func: Callable[..., Any], arrays: dict, params: dict) -> Any:
    import dask.array as da

    x = arrays["x"]
    if func.__name__ == "prelu_backward":
        raise TypeError(
            "prelu_backward sums over whole axes, which a chunk-wise call cannot: "
            "compute the arrays first, or use prelu_grad"
        )
    values = dict(arrays)
    if "weight" in values and np.ndim(values["weight"]) > 0:  # chunked like x, broadcast
        w = np.asarray(values["weight"])
        lead = x.ndim - w.ndim
        chunks = tuple((1,) if n == 1 else x.chunks[lead + i] for i, n in enumerate(w.shape))
        values["weight"] = da.broadcast_to(
            da.from_array(w, chunks=chunks), x.shape, chunks=x.chunks
        )
    elif "weight" in values:
        params = {**params, "weight": values.pop("weight")}
    if "dout" in values:
        values["dout"] = da.asarray(values["dout"]).rechunk(x.chunks)
    ordered = _ordered(values)
    probe = [np.ones((1,) * a.ndim, dtype=a.dtype) for a in ordered]
    dtype = np.asarray(func(*probe, **params)).dtype  # also checks the parameters now
    block = functools.partial(func, **params)
    return da.map_blocks(block, *ordered, dtype=dtype, meta=np.empty((0,) * x.ndim, dtype))


def _array_api(func: Callable[..., Any], arrays: dict, params: dict) -> Any:
    try:
        import array_api_compat
    except ImportError:
        raise ImportError(
            f"{func.__name__} on a {type(arrays['x']).__module__.partition('.')[0]} array needs "
            "array-api-compat (relu's [arrays] extra): pip install array-api-compat"
        ) from None

    from . import _array_api

    ordered = _ordered(arrays)
    foreign = [a for a in ordered if library(a) == "array_api"]
    xp = array_api_compat.array_namespace(*foreign)
    for name, a in arrays.items():
        if name == "weight" and library(a) is None:
            continue
        if not (xp.isdtype(a.dtype, "integral") or xp.isdtype(a.dtype, "real floating")):
            raise TypeError(
                f"{name} must have a real integer or floating dtype, got dtype {a.dtype}"
                + ("; convert with x.astype(...) first" if xp.isdtype(a.dtype, "bool") else "")
            )
    # The parameters go through the NumPy function's own checks, on a tiny array.
    if "weight" not in arrays or library(arrays["weight"]) is None:
        probe = {k: np.zeros(1) for k in arrays if k != "weight"}
        if "weight" in arrays:
            probe["weight"] = arrays["weight"]
        _call(func, probe, params)
    formula = getattr(_array_api, func.__name__)
    # array-api-strict computes with NumPy, which would report the NaN and inf
    # that the formulas select away; the contract promises no such warnings.
    with np.errstate(all="ignore"):
        return formula(xp, *ordered, **params)


_HANDLERS: dict[str, Callable[[Callable[..., Any], dict, dict], Any]] = {
    "pandas": _pandas,
    "xarray": _xarray,
    "dask": _dask,
    "array_api": _array_api,
}


def dispatching(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` that sends arrays of other libraries to `apply`.

    The test is on the first argument (``x``, or ``dout`` for a backward pass):
    one ``type(...) is np.ndarray`` check on the NumPy path.
    """

    @functools.wraps(func)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        if args and type(args[0]) is not np.ndarray:
            kind = library(args[0])
            if kind is None and len(args) > 1 and func.__name__.endswith("_backward"):
                kind = library(args[1])
            if kind is not None:
                return apply(func, kind, args, kwargs)
        return func(*args, **kwargs)

    return dispatch
