"""Arrays that are not NumPy's: which library an argument comes from, and the
call that keeps the result in that library.

* **Array API arrays** (PyTorch, JAX, CuPy, array-api-strict, ...): the
  function's formula (`relu._xp`) in the array's own namespace (array-api-compat's,
  or without it the array's ``__array_namespace__()``), on its own device.
* **Dask arrays**: lazy, the NumPy function on each chunk.
* **pandas** and **xarray** objects: the NumPy function on their values, returned
  as the same type with the same index or coordinates, as ``np.maximum`` does;
  nullable dtypes keep their dtype and their ``<NA>``.

One call takes one library: NumPy arrays, lists and scalars join it (converted
exactly, or refused); arrays of two libraries are refused. NumPy arrays (their
subclasses too), lists and scalars take the NumPy path.
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
# The arguments that are arrays, first in every signature; the others are scalar parameters.
_ARRAY_ARGS = ("dout", "x", "weight")


def library(x: Any) -> str | None:
    """``"array_api"``, ``"dask"``, ``"pandas"`` or ``"xarray"`` for such an
    argument; ``None`` for NumPy arrays (subclasses too), scalars, lists and
    anything else, which take the NumPy path."""
    if isinstance(x, (np.ndarray, np.generic, float, int, list, tuple)):
        return None
    root = type(x).__module__.partition(".")[0]
    if root == "dask" and hasattr(x, "map_blocks"):
        return "dask"
    if root == "pandas":
        import pandas as pd

        types = (pd.Series, pd.DataFrame, pd.Index, pd.api.extensions.ExtensionArray)
        return "pandas" if isinstance(x, types) else None
    if root == "xarray" and hasattr(x, "dims"):
        return "xarray"
    if root in _ARRAY_API or hasattr(x, "__array_namespace__"):
        return "array_api"
    return None


def _root(a: Any) -> str:
    root = type(a).__module__.partition(".")[0]
    return "jax" if root == "jaxlib" else root


def _type(a: Any) -> str:
    return f"{type(a).__module__}.{type(a).__qualname__}"


@functools.cache
def _signature(func: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(func)


def apply(
    func: Callable[..., Any], formula: Callable[..., Any], kind: str, args: tuple, kwargs: dict
) -> Any:
    """Call the NumPy function ``func``, whose formula is ``formula``, on arrays of another
    library (``kind``, what `library` says of one of them; all are checked); see the module."""
    bound = _signature(func).bind(*args, **kwargs)
    bound.apply_defaults()
    params = dict(bound.arguments)
    arrays = {k: params.pop(k) for k in _ARRAY_ARGS if k in params}
    w: Any = arrays.get("weight")
    if library(w) in ("pandas", "xarray"):  # its labels are no result's: its values count
        w, na = _from_pandas("weight", w) if library(w) == "pandas" else (w.values, None)
        if na is not None and na.any():
            raise ValueError("weight has <NA>: fill it first (weight.fillna(...))")
        arrays["weight"] = w
    foreign = [a for a in (arrays["x"], *arrays.values()) if library(a) is not None]
    if not foreign:
        return _call(func, arrays, params)
    other = next((a for a in foreign if _root(a) != _root(foreign[0])), None)
    if other is not None:
        raise TypeError(
            f"{func.__name__} takes arrays of one library, got {_type(foreign[0])} and "
            f"{_type(other)}: convert one (NumPy arrays and lists join either)"
        )
    d, x = arrays.get("dout"), arrays["x"]
    if library(d) == library(x) in ("pandas", "xarray") and not _same_labels(d, x):
        raise ValueError("dout and x have other labels: align them first (dout.reindex_like(x))")
    for name in ("out", "threads"):
        if params.pop(name, None) is not None:
            raise TypeError(
                f"{func.__name__}: {name}= applies to NumPy arrays only, "
                f"not to {_root(foreign[0])} arrays"
            )
    return _HANDLERS[library(foreign[0]) or kind](func, formula, arrays, params)


def _like(arrays: dict) -> Any:
    """The array whose library and labels the result takes: ``x``, else ``dout``."""
    return next(a for a in (arrays["x"], *arrays.values()) if library(a) is not None)


def _same_labels(d: Any, x: Any) -> bool:
    """Whether pandas or xarray ``dout`` and ``x`` have the same labels (pairing them by position
    would be wrong otherwise); of other shapes, they are left to the shape check."""
    if getattr(d, "shape", None) != getattr(x, "shape", None):
        return True
    if hasattr(x, "indexes"):  # xarray
        return all(d.indexes[k].equals(x.indexes[k]) for k in d.indexes if k in x.indexes)
    axes = [k for k in ("index", "columns") if hasattr(d, k) and hasattr(x, k)]
    return all(getattr(d, k).equals(getattr(x, k)) for k in axes)


def _ordered(values: dict) -> list:
    return [values[k] for k in _ARRAY_ARGS if k in values]


def _call(func: Callable[..., Any], values: dict, params: dict) -> Any:
    """``func`` with its array arguments by position (x is positional-only)."""
    return func(*_ordered(values), **params)


def _probe(func: Callable[..., Any], values: dict, params: dict) -> Any:
    """``func`` on NumPy stand-ins, for its own checks of the parameters, the weight and dout's
    shape (and the result's dtype): weight-sized, or where an array does not fit x, of the
    arrays' own shapes with zero strides (the check then raises before computing)."""
    shapes = {k: tuple(np.shape(a)) for k, a in values.items()}
    x, w = shapes["x"], shapes.get("weight", ())
    try:
        known = all(isinstance(n, (int, np.integer)) for n in sum(shapes.values(), ()))
        full = known and (shapes.get("dout", x) != x or np.broadcast_shapes(w, x) != x)
    except ValueError:
        full = True

    def stand_in(k: str, a: Any) -> Any:
        if k == "weight" and isinstance(a, np.ndarray):
            return a
        dtype = getattr(a, "dtype", None)
        dtype = dtype if isinstance(dtype, np.dtype) and not full else np.float64
        shape = shapes[k] if full or k == "weight" else np.broadcast_shapes(w, (1,) * len(x))
        return np.broadcast_to(np.zeros((), dtype), shape)

    with np.errstate(all="ignore"):  # stand-ins' values are no one's
        return _call(func, {k: stand_in(k, a) for k, a in values.items()}, params)


def _from_pandas(name: str, v: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """pandas ``v`` as an ndarray, and its ``<NA>`` mask where it has nullable columns (their
    values in their NumPy dtype, exactly); other extension dtypes are refused."""
    cols = [v.iloc[:, i] for i in range(v.shape[1])] if v.ndim == 2 else [v]
    nullable = [not isinstance(c.dtype, np.dtype) for c in cols]
    if not any(nullable):
        return v.to_numpy(), None
    dtypes = [getattr(c.dtype, "numpy_dtype", c.dtype) for c in cols]
    for c, d in zip(cols, dtypes):
        if not isinstance(d, np.dtype) or d.kind not in "iuf":
            raise TypeError(
                f"{name} must have a real integer or floating dtype, got dtype {c.dtype}"
            )
    dtype = np.result_type(*dtypes)
    vals = [
        c.to_numpy(dtype=dtype, **({"na_value": 0} if n else {})) for c, n in zip(cols, nullable)
    ]
    nas = [np.asarray(c.isna()) & n for c, n in zip(cols, nullable)]
    return (vals[0], nas[0]) if v.ndim == 1 else (np.stack(vals, 1), np.stack(nas, 1))


def _to_pandas(like: Any, r: np.ndarray, na: np.ndarray | None) -> Any:
    """The result ``r`` as ``like``'s type, index and name; nullable with ``<NA>`` at ``na``."""
    import pandas as pd

    cols: list = list(r.T) if r.ndim == 2 else [r]
    if na is not None:
        cols = [pd.array(c) for c in cols]
        for c, m in zip(cols, list(na.T) if r.ndim == 2 else [na]):
            c[m] = pd.NA
    if isinstance(like, pd.DataFrame):
        out = pd.DataFrame(r if na is None else dict(enumerate(cols)), index=like.index)
        out.columns = like.columns
        return out
    if isinstance(like, pd.Series):
        return pd.Series(cols[0], index=like.index, name=like.name)
    return pd.Index(cols[0], name=like.name) if isinstance(like, pd.Index) else pd.array(cols[0])


def _pandas(func: Callable[..., Any], formula: Any, arrays: dict, params: dict) -> Any:
    values, nas = dict(arrays), []
    for k, a in arrays.items():
        if library(a) is not None:
            values[k], na = _from_pandas(k, a)
            nas += [] if na is None else [na]
    result = _call(func, values, params)
    dx = np.asarray(result[0] if isinstance(result, tuple) else result)
    # <NA> in dout or x gives <NA>; prelu_backward's dweight skips them, as pandas sums do
    na = functools.reduce(np.logical_or, nas) if nas else None
    out = _to_pandas(_like(arrays), dx, na)
    return (out, *result[1:]) if isinstance(result, tuple) else out  # prelu_backward's dweight


def _xarray(func: Callable[..., Any], formula: Any, arrays: dict, params: dict) -> Any:
    import xarray as xr

    like = _like(arrays)
    if isinstance(like, xr.Dataset):
        return like.map(
            lambda v: _xarray(func, formula, {**arrays, "x": v}, params), keep_attrs=True
        )
    values = {k: v.data if library(v) is not None else v for k, v in arrays.items()}
    kind = next(filter(None, map(library, values.values())), None)
    result = (
        apply(func, formula, kind, tuple(_ordered(values)), params)
        if kind
        else _call(func, values, params)
    )
    if isinstance(result, tuple):
        return (like.copy(data=result[0]), *result[1:])
    return like.copy(data=result)


def _dask(func: Callable[..., Any], formula: Any, arrays: dict, params: dict) -> Any:
    import dask.array as da

    if func.__name__ == "prelu_backward":
        raise TypeError(
            "prelu_backward sums over whole axes, which a chunk-wise call cannot: "
            "compute the arrays first, or use prelu_grad"
        )
    values = dict(arrays)
    x = values["x"] = da.asarray(values["x"], chunks=getattr(arrays.get("dout"), "chunks", "auto"))
    dtype = np.asarray(_probe(func, values, params)).dtype
    if "dout" in values:
        dout = da.asarray(values["dout"], chunks=x.chunks)
        values["dout"] = dout if dout.chunks == x.chunks else dout.rechunk(x.chunks)
    if "weight" in values:  # chunked like x's trailing axes; map_blocks broadcasts it
        w = da.asarray(values["weight"])
        lead = x.ndim - w.ndim
        values["weight"] = w.rechunk(
            tuple((1,) if n == 1 else x.chunks[lead + i] for i, n in enumerate(w.shape))
        )
    block = functools.partial(func, **params)
    meta = np.empty((0,) * x.ndim, dtype)
    return da.map_blocks(block, *_ordered(values), dtype=dtype, meta=meta)


def _namespace(func: Callable[..., Any], like: Any) -> Any:
    try:
        import array_api_compat
    except ImportError:
        if hasattr(like, "__array_namespace__"):  # the standard's own protocol
            return like.__array_namespace__()
        raise ImportError(
            f"{func.__name__} on {_root(like)} arrays needs array-api-compat "
            "(relu's [arrays] extra): pip install array-api-compat"
        ) from None
    return array_api_compat.array_namespace(like)


def _array_api(func: Callable[..., Any], formula: Any, arrays: dict, params: dict) -> Any:
    from ._xp import dtype_name

    like = _like(arrays)
    xp = _namespace(func, like)
    values = {}
    for name, a in arrays.items():
        if library(a) is None:  # NumPy data joins like's library, exactly or not at all
            a = np.asarray(a)
            if name != "weight":  # (the weight is cast to x's dtype, as on the NumPy path)
                b = xp.asarray(a, device=getattr(like, "device", None))
                if dtype_name(b) != a.dtype.name:
                    raise TypeError(
                        f"{func.__name__}: {name} of dtype {a.dtype} would become "
                        f"{dtype_name(b)} in {_type(like)}: pass one of its arrays"
                    )
                a = b
        if not isinstance(a, np.ndarray) and not (
            xp.isdtype(a.dtype, "integral") or xp.isdtype(a.dtype, "real floating")
        ):
            raise TypeError(
                f"{name} must have a real integer or floating dtype, got dtype {a.dtype}"
                + ("; convert with x.astype(...) first" if xp.isdtype(a.dtype, "bool") else "")
            )
        values[name] = a
    _probe(func, values, params)
    # array-api-strict computes with NumPy, which would report the NaN and inf
    # that the formulas select away; the contract promises no such warnings.
    with np.errstate(all="ignore"):
        return formula(xp, *_ordered(values), **params)


_HANDLERS = dict(pandas=_pandas, xarray=_xarray, dask=_dask, array_api=_array_api)


def dispatching(formula: Callable[..., Any]) -> Callable[..., Any]:
    """A decorator: the NumPy function sends arrays of other libraries, in any of its array
    arguments, to `apply` with ``formula``: one ``type(a) is np.ndarray`` test per array on
    the NumPy path."""
    return functools.partial(_dispatching, formula)


def _dispatching(formula: Callable[..., Any], func: Callable[..., Any]) -> Callable[..., Any]:
    arrays = [p for p in _signature(func).parameters.values() if p.name in _ARRAY_ARGS]
    k, by_name = len(arrays), [p.name for p in arrays if p.kind is not p.POSITIONAL_ONLY]

    @functools.wraps(func)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        given = args[:k]
        if kwargs and by_name:
            given += tuple(kwargs[n] for n in by_name if n in kwargs)
        for a in given:
            if type(a) is not np.ndarray and (kind := library(a)) is not None:
                return apply(func, formula, kind, args, kwargs)
        return func(*args, **kwargs)

    return dispatch
