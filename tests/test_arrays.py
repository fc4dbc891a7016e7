"""The same functions on arrays of other libraries: array-api-strict, PyTorch
and JAX through the array API formulas, Dask lazily and chunk-wise, pandas and
xarray with their index and coordinates. Every activation of relu.ACTIVATIONS
is compared with its NumPy result on a grid that includes the special values.
Libraries that are not installed are skipped with the reason."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import relu

ACTS = relu.ACTIVATIONS
GRID = np.concatenate(
    [
        np.linspace(-8, 8, 81),
        [-1e4, -50.0, -3.0, -0.0, 0.0, 3.0, 6.0, 50.0, 1e4, -np.inf, np.inf, np.nan],
    ]
)


def _skip(name):
    return pytest.importorskip(
        name, reason=f"{name} is optional; make test installs it (the test dependency group)"
    )


def _calls():
    for name, a in ACTS.items():
        for kw in (a.defaults(), *(a.keywords(**e) for e in a.extra)):
            label = a.call(kw)
            yield label, functools.partial(a.forward, **kw)
            yield (
                label.replace(name, a.derivative.__name__, 1),
                functools.partial(a.derivative, **kw),
            )


CALLS = dict(_calls())


class Lib:
    """How to make an array of a library and read it back."""

    def __init__(self, name):
        self.name = name

    def make(self, values, dtype):
        if self.name == "array_api_strict":
            xps = _skip("array_api_strict")
            return xps.asarray(values, dtype=getattr(xps, dtype))
        if self.name == "torch":
            torch = _skip("torch")
            return torch.tensor(values, dtype=getattr(torch, dtype))
        if self.name == "jax":
            jnp = _skip("jax.numpy")
            return jnp.asarray(values, dtype=dtype)
        raise AssertionError(self.name)

    def back(self, y):
        return np.asarray(y)

    def same_library(self, y):
        return type(y).__module__.partition(".")[0] in (self.name, "jaxlib")


LIBS = {
    "array_api_strict": ("float32", "float64"),
    "torch": ("float32", "float64"),
    "jax": ("float32",),  # float64 needs JAX's x64 mode
}
CASES = [(lib, dtype) for lib, dtypes in LIBS.items() for dtype in dtypes]


@pytest.mark.parametrize(("lib", "dtype"), CASES, ids=[f"{lib}-{d}" for lib, d in CASES])
@pytest.mark.parametrize("call", list(CALLS), ids=list(CALLS))
def test_array_api_results_match_numpy(lib, dtype, call):
    _skip("array_api_compat")
    L = Lib(lib)
    x = L.make(GRID, dtype)
    f = CALLS[call]
    if lib == "array_api_strict" and "gelu" in call and "tanh" not in call:
        with pytest.raises(TypeError, match="needs erf"):
            f(x)
        return
    y = f(x)
    assert L.same_library(y), type(y)
    got, want = L.back(y), np.asarray(f(GRID.astype(dtype)))
    assert got.dtype == np.dtype(dtype) and got.shape == GRID.shape
    rtol, atol = (2e-5, 2e-6) if dtype == "float32" else (1e-12, 1e-13)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=call)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))


@pytest.mark.parametrize("lib", list(LIBS))
def test_the_relu_contract_holds_in_every_library(lib):
    _skip("array_api_compat")
    L = Lib(lib)
    x = L.make([-np.inf, -1.0, -0.0, 0.0, 2.5, np.nan], "float32")
    before = L.back(x).copy()
    y = L.back(relu.relu(x))
    assert y.dtype == np.float32
    assert y[:5].tolist() == [0.0, 0.0, 0.0, 0.0, 2.5] and np.isnan(y[5])
    assert not np.signbit(y[:5]).any()  # -0.0 gives +0.0
    assert L.back(relu.relu_grad(x)).tolist()[:5] == [0.0, 0.0, 0.0, 0.0, 1.0]
    np.testing.assert_array_equal(L.back(x), before)  # the input is not mutated
    ints = L.make([-2, 3], "int32") if lib != "array_api_strict" else L.make([-2, 3], "int64")
    assert L.back(relu.relu(ints)).tolist() == [0, 3]  # integers keep their dtype
    assert L.back(relu.relu_grad(ints)).dtype.kind == "f"


@pytest.mark.parametrize("lib", list(LIBS))
def test_bool_complex_and_out_are_refused(lib):
    _skip("array_api_compat")
    L = Lib(lib)
    x = L.make([1.0, -1.0], "float32")
    with pytest.raises(TypeError, match="NumPy arrays only"):
        relu.relu(x, out=x)
    with pytest.raises(ValueError, match="negative_slope must be >= 0"):
        relu.leaky_relu(x, -0.5)
    if lib == "torch":
        import torch

        for bad in (torch.tensor([True]), torch.tensor([1j])):
            with pytest.raises(TypeError, match="dtype"):
                relu.relu(bad)


def test_torch_stays_on_its_device_and_keeps_autograd_out():
    torch = _skip("torch")
    _skip("array_api_compat")
    t = torch.tensor([-1.0, 2.0], requires_grad=True)
    y = relu.relu(t)
    assert isinstance(y, torch.Tensor) and y.device == t.device
    y.sum().backward()  # built from torch operations, so autograd goes through
    assert t.grad.tolist() == [0.0, 1.0]


# Dask: lazy, one task per chunk, the NumPy function on each chunk


def test_dask_is_lazy_and_chunk_wise():
    da = _skip("dask.array")
    calls = []

    def source(block):
        calls.append(block.shape)
        return block

    x = da.from_array(np.linspace(-1, 1, 1000), chunks=100).map_blocks(source)
    calls.clear()  # dask probed source with empty blocks for its metadata
    y = relu.relu(x)
    assert isinstance(y, da.Array) and not calls  # nothing computed yet
    layer = y.__dask_graph__().layers[y.name]
    assert len(layer) == x.npartitions == 10  # one task per chunk
    np.testing.assert_array_equal(y.compute(), relu.relu(np.linspace(-1, 1, 1000)))
    assert len(calls) == 10


@pytest.mark.parametrize("call", list(CALLS), ids=list(CALLS))
def test_dask_results_match_numpy(call):
    da = _skip("dask.array")
    f = CALLS[call]
    x = da.from_array(GRID, chunks=20)
    y = f(x)
    assert isinstance(y, da.Array)
    np.testing.assert_array_equal(y.compute(), f(GRID))


def test_dask_backward_passes_and_prelu():
    da = _skip("dask.array")
    x = np.linspace(-3, 3, 60).reshape(6, 10)
    dout = np.arange(60.0).reshape(6, 10)
    dx = relu.relu_backward(da.from_array(dout, chunks=(3, 5)), da.from_array(x, chunks=(2, 5)))
    np.testing.assert_array_equal(dx.compute(), relu.relu_backward(dout, x))
    w = np.linspace(0.1, 1.0, 10)
    got = relu.prelu(da.from_array(x, chunks=(3, 4)), w).compute()
    np.testing.assert_array_equal(got, relu.prelu(x, w))
    with pytest.raises(TypeError, match="sums over whole axes"):
        relu.prelu_backward(da.from_array(dout), da.from_array(x), w)


# pandas and xarray keep their type, index and coordinates, as np.maximum does


def test_pandas_keeps_type_index_and_name():
    pd = _skip("pandas")
    s = pd.Series([-1.0, 0.5, np.nan], index=["a", "b", "c"], name="z")
    for f in (relu.relu, relu.relu_grad, relu.gelu, lambda v: relu.leaky_relu(v, 0.1)):
        y, want = f(s), np.maximum(s, 0)
        assert isinstance(y, pd.Series) and y.index.equals(want.index) and y.name == "z"
    assert relu.relu(s).tolist()[:2] == [0.0, 0.5]
    df = pd.DataFrame({"p": [-1.0, 2.0], "q": [3.0, -4.0]}, index=[7, 8])
    y = relu.relu(df)
    assert isinstance(y, pd.DataFrame) and list(y.columns) == ["p", "q"] and list(y.index) == [7, 8]
    assert y.to_numpy().tolist() == [[0.0, 3.0], [2.0, 0.0]]
    dx = relu.relu_backward(s * 0 + 1, s)
    assert isinstance(dx, pd.Series) and dx.tolist() == [0.0, 1.0, 0.0]


def test_xarray_keeps_coordinates_and_laziness():
    xr = _skip("xarray")
    da = _skip("dask.array")
    a = xr.DataArray(
        np.array([[-1.0, 2.0], [3.0, -4.0]]),
        dims=("t", "c"),
        coords={"t": [0, 1], "c": ["u", "v"]},
        attrs={"units": "V"},
        name="volts",
    )
    y = relu.relu(a)
    assert isinstance(y, xr.DataArray) and y.name == "volts" and y.attrs == {"units": "V"}
    assert y.coords["c"].values.tolist() == ["u", "v"] and y.values.tolist() == [[0, 2], [3, 0]]
    lazy = relu.softplus(a.chunk({"t": 1}))
    assert isinstance(lazy.data, da.Array)  # still lazy
    np.testing.assert_allclose(lazy.values, relu.softplus(a.values))
    ds = xr.Dataset({"volts": a})
    assert relu.relu(ds)["volts"].values.tolist() == [[0, 2], [3, 0]]


@pytest.mark.parametrize("lib", list(LIBS))
def test_comparisons_with_a_parameter_are_exact_in_every_library(lib):
    _skip("array_api_compat")
    L = Lib(lib)
    x = L.make([0.1, 0.2], "float32")  # float32(0.1) lies above the real 0.1
    assert L.back(relu.threshold(x, 0.1, -5.0)).tolist() == [np.float32(0.1), np.float32(0.2)]
    assert L.back(relu.hardtanh_grad(x, 0.1, 0.3)).tolist() == [1.0, 1.0]
    np.testing.assert_array_equal(
        L.back(relu.threshold(x, 0.1, -5.0)), relu.threshold(L.back(x), 0.1, -5.0)
    )


def test_gelu_keeps_its_tail_in_float32():
    torch = _skip("torch")
    _skip("array_api_compat")
    x = np.array([-10.0, -6.0, -5.0], dtype=np.float32)
    got = relu.gelu(torch.tensor(x)).numpy()
    np.testing.assert_allclose(got, relu.gelu(x), rtol=1e-5)  # not -0.0 from 1 + erf cancelling
