"""Other libraries' arrays, exactly (issue 26): every library follows the NumPy
contract, or is refused with a clear error; never a silent wrong answer or an
internal error."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from reference import AT_KINKS

import relu
from relu import _arrays

FLOATS = hnp.arrays(
    np.float64, (2, 3), elements=st.floats(-1e6, 1e6, width=32, allow_subnormal=False)
)
WEIGHTS = hnp.arrays(np.float64, 3, elements=st.floats(-4, 4, width=32, allow_subnormal=False))


def _skip(name):
    return pytest.importorskip(name, reason=f"{name} is optional (make test installs it)")


def _lib(name):
    """``(make, back)``: a float32 array of library ``name`` from NumPy, and back."""
    if name == "torch":
        torch = _skip("torch")
        return (lambda a: torch.tensor(np.asarray(a, np.float32))), lambda t: t.detach().numpy()
    _skip("array_api_compat")
    if name == "jax":
        jnp = _skip("jax.numpy")
        return (lambda a: jnp.asarray(np.asarray(a, np.float32))), np.asarray
    xps = _skip("array_api_strict")
    return (lambda a: xps.asarray(np.asarray(a, np.float32))), np.asarray


API = ["torch", "jax", "array_api_strict"]

LIBS = ["numpy", *API, "dask", "pandas", "xarray"]


def _make(lib):
    """A function that makes an array of library ``lib`` from NumPy's."""
    if lib in API:
        return _lib(lib)[0]
    if lib == "dask":
        da = _skip("dask.array")
        return lambda a: da.from_array(a, chunks=2)
    if lib == "pandas":
        pd = _skip("pandas")
        return lambda a: pd.DataFrame(a) if a.ndim == 2 else pd.Series(a)
    return _skip("xarray").DataArray if lib == "xarray" else np.asarray


# 1. the weight's check runs on x's own shape, not on a probe's


@pytest.mark.parametrize("lib", API)
@settings(max_examples=20, deadline=None)
@given(x=FLOATS, w=WEIGHTS)
def test_prelu_takes_a_numpy_or_list_weight_of_shape_features(lib, x, w):
    make, back = _lib(lib)
    x32, w32 = x.astype(np.float32), w.astype(np.float32)
    tiny = np.finfo(np.float32).tiny  # JAX flushes subnormal products to zero

    def same(got, want, rtol=0.0):
        np.testing.assert_allclose(back(got), want, rtol=rtol, atol=tiny)

    for weight in (w32, w32.tolist()):
        same(relu.prelu(make(x), weight), relu.prelu(x32, w32))
        same(relu.prelu_grad(make(x), weight), relu.prelu_grad(x32, w32))
        dx, dw = relu.prelu_backward(make(np.ones_like(x)), make(x), weight)
        want = relu.prelu_backward(np.ones_like(x32), x32, w32)
        same(dx, want[0])
        same(dw, want[1], rtol=1e-6)


@pytest.mark.parametrize("lib", [*API, "dask"])
def test_a_weight_that_does_not_fit_names_xs_own_shape(lib):
    make = _make(lib)
    with pytest.raises(
        ValueError, match=r"weight of shape \(4,\) does not broadcast to x's shape \(2, 3\)"
    ):
        relu.prelu(make(np.ones((2, 3))), np.ones(4))


# 2. dout of another shape: the NumPy ValueError in every library


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("backward", [relu.relu_backward, relu.prelu_backward])
def test_a_dout_of_another_shape_is_refused_alike_everywhere(backward, lib):
    make = _make(lib)
    args = (0.25,) if backward is relu.prelu_backward else ()
    if lib == "dask" and args:
        pytest.skip("refused as a whole: it sums over whole axes")
    with pytest.raises(ValueError, match=r"^dout has shape \(2, 4\) but x has shape \(4,\)$"):
        backward(make(np.ones((2, 4))), make(np.ones(4)), *args)


# 3. bfloat16 without ml_dtypes


def test_bfloat16_threshold_and_bounds_need_no_ml_dtypes():
    _skip("torch")
    _skip("array_api_compat")
    code = """if True:
        import sys, torch, relu
        x = torch.tensor([0.1, 0.5, 2.0], dtype=torch.bfloat16)
        assert relu.threshold(x, 0.1, -5.0).tolist() == [x[0].item(), 0.5, 2.0]
        assert relu.threshold_grad(x, 0.1, -5.0).tolist() == [1.0, 1.0, 1.0]
        assert relu.hardtanh_grad(x, 0.1, 1.0).tolist() == [1.0, 1.0, 0.0]
        for a in relu.ACTIVATIONS.values():  # and every other function
            for f in (a.forward, a.derivative):
                assert f(x, **a.defaults()).dtype == torch.bfloat16
        assert "ml_dtypes" not in sys.modules
    """
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-1e3, 1e3, width=16), min_size=1, max_size=8),
    t=st.floats(-1e3, 1e3),
)
def test_bfloat16_threshold_compares_the_unrounded_parameter(values, t):
    torch = _skip("torch")
    _skip("array_api_compat")
    x = torch.tensor(values, dtype=torch.bfloat16)
    exact = x.double().numpy()  # bfloat16 values are exact in float64
    got = relu.threshold(x, t, -5.0).double().numpy()
    np.testing.assert_array_equal(got, np.where(exact <= t, -5.0, exact))
    np.testing.assert_array_equal(relu.threshold_grad(x, t, -5.0).double().numpy(), exact > t)
    lo, hi = min(t, 0.0), max(t, 0.0)
    inside = (exact > lo) & (exact < hi)
    np.testing.assert_array_equal(relu.hardtanh_grad(x, lo, hi).double().numpy(), inside)


# 4. pandas nullable dtypes keep their dtype and <NA>, as np.maximum does

INT64 = st.integers(-(2**63), 2**63 - 1)


@settings(max_examples=50, deadline=None)
@given(
    data=st.one_of(
        st.tuples(st.just("Int64"), st.lists(st.one_of(st.none(), INT64), max_size=6)),
        st.tuples(st.just("UInt64"), st.lists(st.one_of(st.none(), st.integers(0, 2**64 - 1)))),
    )
)
def test_nullable_integers_keep_their_dtype_and_na_exactly(data):
    pd = _skip("pandas")
    dtype, values = data
    s = pd.Series(values + [2**60 + 1, None], dtype=dtype, index=range(10, 12 + len(values)))

    def cells(obj):
        return [None if v is pd.NA else v for v in obj.to_numpy(dtype=object).ravel()]

    want = [None if v is pd.NA else max(v, 0) for v in s]
    for obj in (s, pd.Index(s), s.array, s.to_frame("a")):
        y = relu.relu(obj)
        dtypes = y.dtypes if y.ndim == 2 else [y.dtype]
        assert type(y) is type(obj) and {str(t) for t in dtypes} == {dtype}
        assert cells(y) == want
    assert relu.relu(s).index.equals(s.index)
    assert cells(np.maximum(s, 0)) == want  # what NumPy's own maximum gives
    g = relu.relu_grad(s)
    assert str(g.dtype) == "Float64" and g.isna().tolist() == s.isna().tolist()
    dx = relu.relu_backward(s, s.fillna(1))
    assert dx.dtype == s.dtype and dx.isna().tolist() == s.isna().tolist()


def test_pandas_dtypes_numpy_refuses_are_refused():
    pd = _skip("pandas")
    categorical = pd.Series([1, -1], dtype="category")
    with pytest.raises(TypeError):
        np.maximum(categorical, 0)
    for s in (
        categorical,
        pd.Series(["a"], dtype="string"),
        pd.Series([True, None], dtype="boolean"),
    ):
        for f in (relu.relu, relu.relu_grad, relu.gelu):
            with pytest.raises(
                TypeError, match=f"real integer or floating dtype, got dtype {s.dtype}"
            ):
                f(s)
        with pytest.raises(TypeError, match="must have a real integer or floating dtype"):
            relu.relu(s.to_frame())


def test_pandas_index_stays_an_index():
    pd = _skip("pandas")
    i = pd.Index([-1.0, 2.0], name="v")
    for f in (relu.relu, relu.relu_grad, relu.gelu, relu.relu6):
        y = f(i)
        assert isinstance(y, pd.Index) and y.name == "v"
        np.testing.assert_array_equal(y.to_numpy(), f(i.to_numpy()))


# 5. one library a call: NumPy data joins it, two libraries are refused


def test_numpy_data_joins_the_other_library():
    torch, da, pd = _skip("torch"), _skip("dask.array"), _skip("pandas")
    _skip("array_api_compat")
    x, g = np.array([-1.0, 0.0, 2.0]), np.array([5.0, 6.0, 7.0])
    want = relu.relu_backward(g, x)
    y = relu.relu_backward(torch.tensor(g), x)
    assert isinstance(y, torch.Tensor) and y.numpy().tolist() == want.tolist()
    dx, dw = relu.prelu_backward(g, torch.tensor(x), 0.25)  # the NumPy dout joins torch
    assert isinstance(dx, torch.Tensor)
    np.testing.assert_array_equal(dx.numpy(), relu.prelu_backward(g, x, 0.25)[0])
    assert isinstance(relu.prelu(x, torch.tensor([0.5, 0.5, 0.5])), torch.Tensor)
    lazy = relu.relu_backward(da.from_array(g, chunks=2), x)
    assert isinstance(lazy, da.Array) and lazy.compute().tolist() == want.tolist()
    s = pd.Series(g, index=list("abc"))
    y = relu.relu_backward(s, x)
    assert isinstance(y, pd.Series) and list(y.index) == list("abc")
    dx, _ = relu.prelu_backward(s, x, 0.25)
    assert isinstance(dx, pd.Series) and list(dx.index) == list("abc")


def test_a_weight_of_another_library_gives_x_its_place():
    da, pd = _skip("dask.array"), _skip("pandas")
    x, w = -np.arange(6.0).reshape(2, 3), np.array([0.1, 0.2, 0.3])
    want = relu.prelu(x, w)
    lazy = relu.prelu(x, da.from_array(w))  # NumPy x joins dask
    assert isinstance(lazy, da.Array) and np.array_equal(lazy.compute(), want)
    # a labelled weight labels no result: its values count, in every library of x
    s = pd.Series(w, index=list("pqr"))
    assert type(relu.prelu(x, s)) is np.ndarray and np.array_equal(relu.prelu(x, s), want)
    y = relu.prelu(pd.DataFrame(x, columns=list("pqr")), s)
    assert list(y.columns) == list("pqr") and np.array_equal(y.to_numpy(), want)
    with pytest.raises(ValueError, match="weight has <NA>"):
        relu.prelu(x, pd.Series([0.1, None, 0.3], dtype="Float64"))


def test_dout_and_x_with_other_labels_are_refused_not_paired_by_position():
    pd, xr = _skip("pandas"), _skip("xarray")
    s = pd.Series([1.0, -2.0], index=["a", "b"])
    f = pd.DataFrame({"p": [1.0], "q": [2.0]})
    d = xr.DataArray([1.0, -2.0], coords={"t": [0, 1]})
    for dout, x in ((s, s[::-1]), (f, f[["q", "p"]]), (d, d[::-1])):
        with pytest.raises(ValueError, match="other labels"):
            relu.relu_backward(dout, x)
        with pytest.raises(ValueError, match="other labels"):
            relu.prelu_backward(dout, x, 0.25)
    assert relu.relu_backward(s, s.copy()).tolist() == [1.0, 0.0]


def test_arrays_of_two_libraries_are_refused_naming_both():
    torch, da, pd = _skip("torch"), _skip("dask.array"), _skip("pandas")
    t, d, s = torch.ones(3), da.ones(3), pd.Series(np.ones(3))
    for a, b in ((d, t), (t, d), (s, t), (d, s), (s, d)):
        calls = [(relu.relu_backward, (a, b)), (relu.prelu_backward, (a, b, 0.25))]
        for f, args in calls + ([] if a is s else [(relu.prelu, (b, a))]):
            with pytest.raises(TypeError, match="one library") as e:
                f(*args)
            assert type(a).__qualname__ in str(e.value) and type(b).__qualname__ in str(e.value)


def test_numpy_data_a_library_cannot_hold_exactly_is_refused():
    jnp = _skip("jax.numpy")
    _skip("array_api_compat")
    import jax

    if jax.config.jax_enable_x64:
        pytest.skip("JAX holds float64 in x64 mode")
    with pytest.raises(TypeError, match="dout of dtype float64 would become float32"):
        relu.prelu_backward(np.ones(2), jnp.ones(2), 0.25)


# 6. ndarray subclasses take the NumPy path


class Quantity(np.ndarray):
    """A user's ndarray subclass, as astropy's Quantity is."""


def test_ndarray_subclasses_take_the_numpy_path():
    base = np.linspace(-3, 3, 7)
    q = base.view(Quantity)
    assert _arrays.library(q) is None and _arrays.library(np.float32(1)) is None
    for f in (relu.relu, relu.gelu, relu.elu, relu.leaky_relu, relu.hardtanh_grad):
        np.testing.assert_array_equal(np.asarray(f(q)), f(base))
    out = np.empty_like(base)
    assert relu.relu(q, out=out, threads=1) is out
    np.testing.assert_array_equal(out, relu.relu(base))


# 7. dask arrays with unknown chunk sizes


def test_dask_with_unknown_chunk_sizes():
    da = _skip("dask.array")
    x = np.linspace(-3, 3, 24).reshape(8, 3)
    d = da.from_array(x, chunks=(3, 2))
    d = d[d[:, 0] > -10]  # the same rows, of unknown count
    assert np.isnan(d.shape[0])
    w = np.array([0.1, 0.2, 0.3])
    np.testing.assert_array_equal(relu.prelu(d, w).compute(), relu.prelu(x, w))
    np.testing.assert_array_equal(relu.prelu_grad(d, [[0.1]]).compute(), relu.prelu_grad(x, 0.1))
    np.testing.assert_array_equal(relu.relu_backward(d, d).compute(), relu.relu_backward(x, x))


# 8. the array API protocol is enough, without array-api-compat


def test_array_api_strict_needs_no_array_api_compat(monkeypatch):
    xps = _skip("array_api_strict")
    torch = _skip("torch")
    monkeypatch.setitem(sys.modules, "array_api_compat", None)  # import raises ImportError
    x = xps.asarray([-1.0, 0.5, 7.0])
    assert relu.relu(x).__array_namespace__() is xps
    for name in ("relu6", "threshold", "hardtanh", "prelu", "softplus", "selu"):
        a = relu.ACTIVATIONS[name]
        for f in (a.forward, a.derivative):
            kw = a.defaults()
            np.testing.assert_allclose(np.asarray(f(x, **kw)), f(np.asarray(x), **kw), rtol=1e-15)
    with pytest.raises(ImportError, match="relu on torch arrays needs array-api-compat"):
        relu.relu(torch.ones(2))
    with pytest.raises(TypeError, match="not to array_api_strict arrays"):
        relu.relu(x, out=np.empty(3))


# 9. smaller ones: torch warnings and autograd at the bounds


def test_a_torch_weight_that_requires_grad_warns_nothing_and_gets_its_gradient():
    torch = _skip("torch")
    _skip("array_api_compat")
    import torch.nn.functional as F

    x = torch.tensor([[-1.0, 2.0, -3.0]])
    w = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        relu.prelu(x, w).sum().backward()
    got, w.grad = w.grad, None
    F.prelu(x, w).sum().backward()
    assert got.tolist() == w.grad.tolist()


@pytest.mark.parametrize("name", list(relu.ACTIVATIONS))
def test_torch_autograd_gives_the_kink_convention(name):
    torch = _skip("torch")
    _skip("array_api_compat")
    a = relu.ACTIVATIONS[name]
    for at, kw, slope in AT_KINKS[name]:
        kw = {**a.defaults(), **kw}
        x = torch.tensor([at], dtype=torch.float64, requires_grad=True)
        a.forward(x, **kw).sum().backward()
        assert x.grad.item() == slope == a.derivative(np.array([at]), **kw)[0], (at, kw)
