"""The ReLU variants: forward against plain per-element references in Python's
``math``, derivatives against central finite differences, dtypes, stability,
parameter checks, and (where torch is installed) torch.nn.functional."""

from __future__ import annotations

import functools
import math
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from reference import AT_KINKS, INVALID, REFERENCES
from strategies import FLOAT_DTYPES, INT_DTYPES

import relu
from relu import variants as V

# Everything per activation comes from the registry, relu.ACTIVATIONS: its
# reference formula, keyword ranges, kinks and their convention, limits, bad
# parameters and its torch counterpart. A new entry is tested by every test here.

ACTS = relu.ACTIVATIONS
NAMES = list(ACTS)


def slopes(lo, hi):
    # Parameters of 0 or of magnitude >= 1e-4: they are rounded to the input's dtype
    # before multiplying (as torch does), so a value that is subnormal in float16 or
    # float32 cannot match a float64 reference rounded once.
    return st.floats(lo, hi).filter(lambda v: v == 0 or abs(v) >= 1e-4)


def param_strategy(p):
    return st.sampled_from(p.choices) if p.choices else slopes(p.low, p.high)


def keyword_strategy(name):
    params = ACTS[name].params
    return st.fixed_dictionaries({k: param_strategy(p) for k, p in params.items()})


def tolerances(dtype):
    """rtol, atol for comparing a result in ``dtype`` with a float64 reference."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        return 1e-12, 1e-15
    fi = np.finfo(dtype)
    return 4 * float(fi.eps), 4 * float(fi.smallest_subnormal)


def finite_arrays(dtype):
    return hnp.arrays(
        dtype,
        hnp.array_shapes(min_dims=0, max_dims=2, max_side=6),
        elements=st.floats(
            allow_nan=False, allow_infinity=False, width=8 * np.dtype(dtype).itemsize
        ),
    )


def expected(reference, x, kw, dtype):
    """The reference per element, in float64, rounded once to ``dtype``."""
    flat = [reference(v, **kw) for v in x.astype(np.float64).ravel().tolist()]
    with np.errstate(over="ignore"):  # a true value beyond float16/float32's range is inf
        return np.array(flat, dtype=np.float64).reshape(x.shape).astype(dtype)


# forward against the reference


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=str)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_forward_matches_reference(name, dtype, data):
    a = ACTS[name]
    forward, reference = a.forward, REFERENCES[name]
    kw = data.draw(keyword_strategy(name))
    x = data.draw(finite_arrays(dtype))
    y = np.asarray(forward(x, **kw))
    assert y.dtype == dtype and y.shape == x.shape
    rtol, atol = tolerances(dtype)
    np.testing.assert_allclose(y, expected(reference, x, kw, dtype), rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", NAMES)
@given(x=st.floats(-1e300, 1e300))
@settings(max_examples=60, deadline=None)
def test_forward_matches_reference_on_python_floats(name, x):
    a = ACTS[name]
    kw = a.defaults()
    y = a.forward(x, **kw)
    assert isinstance(y, np.float64)  # a 0-d input gives a NumPy scalar
    np.testing.assert_allclose(y, REFERENCES[name](x, **kw), rtol=1e-12, atol=1e-15)


# derivatives against central finite differences


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=80, deadline=None)
@given(data=st.data(), x=st.floats(-30, 30))
def test_derivative_matches_central_difference(name, data, x):
    a = ACTS[name]
    forward, derivative = a.forward, a.derivative
    kw = data.draw(keyword_strategy(name))
    h = 1e-6 * max(1.0, abs(x))
    assume(all(abs(x - k) > 4 * h for k in a.kinks(kw)))
    numeric = (float(forward(x + h, **kw)) - float(forward(x - h, **kw))) / (2 * h)
    analytic = float(derivative(x, **kw))
    assert math.isclose(analytic, numeric, rel_tol=1e-5, abs_tol=1e-6), (analytic, numeric)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=str)
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_derivative_dtype_and_precision(name, dtype, data):
    """The derivative in float16/float32 is the float64 derivative rounded."""
    derivative = ACTS[name].derivative
    kw = data.draw(keyword_strategy(name))
    x = data.draw(finite_arrays(dtype))
    g = np.asarray(derivative(x, **kw))
    assert g.dtype == dtype and g.shape == x.shape
    g64 = np.asarray(derivative(x.astype(np.float64), **kw))
    rtol, atol = tolerances(dtype)
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(g, g64.astype(dtype), rtol=rtol, atol=atol)


# values at the kinks: the slope of the piece containing the point (PyTorch's choice)


@pytest.mark.parametrize("name", NAMES)
def test_values_at_kinks(name):
    a = ACTS[name]
    for x, kw, want in AT_KINKS[name]:
        got = a.derivative(x, **{**a.defaults(), **kw})
        assert got == pytest.approx(want, rel=1e-15, abs=0), (x, kw)


def test_values_next_to_kinks():
    assert relu.relu6_grad([1e-300, 6 - 1e-15]).tolist() == [1.0, 1.0]
    assert relu.prelu_grad([0.0, 0.0], [0.3, 0.4]).tolist() == [0.3, 0.4]
    assert relu.hardtanh_grad([-1 + 1e-15, 1 - 1e-15]).tolist() == [1.0, 1.0]
    # the slope jumps at both kinks: from 0 to -1/2 at -3, from 3/2 to 1 at 3
    assert relu.hardswish_grad([-3 + 1e-12, 3 - 1e-12]).tolist() == pytest.approx(
        [-0.5, 1.5], abs=1e-12
    )


def test_piecewise_linear_fixes_the_thread_one_liner():
    t0, a0, a1 = 2.0, 0.5, 3.0
    X = np.array([1.0, 2.0, 3.0])
    one_liner = X * (X > t0) * a1 + X * (X < t0) * a0
    assert one_liner.tolist() == [0.5, 0.0, 9.0]  # 0 at X == t0: both masks are false
    fixed = relu.piecewise_linear(X, threshold=t0, slope_below=a0, slope_above=a1)
    assert fixed.tolist() == [0.5, 1.0, 9.0]
    np.testing.assert_array_equal(fixed, np.where(X > t0, X * a1, X * a0))


@given(x=finite_arrays(np.float64), t=st.floats(-10, 10), a0=st.floats(-5, 5), a1=st.floats(-5, 5))
@settings(max_examples=50, deadline=None)
def test_piecewise_linear_equals_where(x, t, a0, a1):
    with np.errstate(over="ignore"):
        want = np.where(x > t, x * a1, x * a0)
        got = relu.piecewise_linear(x, t, a0, a1)
    np.testing.assert_array_equal(got, want + 0.0)  # + 0.0: a zero slope gives +0.0


def test_defaults_reduce_to_relu_and_leaky():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_array_equal(relu.piecewise_linear(x), relu.relu(x))
    np.testing.assert_array_equal(relu.piecewise_linear(x, 0.0, 0.1), relu.leaky_relu(x, 0.1))
    np.testing.assert_array_equal(relu.leaky_relu(x, 0.0), relu.relu(x))
    np.testing.assert_array_equal(relu.elu(x, 0.0), relu.relu(x))
    np.testing.assert_array_equal(relu.prelu(x, 0.01), relu.leaky_relu(x))
    np.testing.assert_allclose(relu.selu(x), V.SELU_SCALE * relu.elu(x, V.SELU_ALPHA), rtol=1e-15)
    assert relu.swish is relu.silu and relu.swish_grad is relu.silu_grad


# special values, stability, dtypes


def _calls():
    """Every forward and derivative with its defaults and with each extra keyword set."""
    calls = {}
    for name, a in ACTS.items():
        for kw in (a.defaults(), *(a.keywords(**e) for e in a.extra)):
            label = a.call(kw)
            calls[label] = functools.partial(a.forward, **kw)
            calls[label.replace(name, a.derivative.__name__, 1)] = functools.partial(
                a.derivative, **kw
            )
    # edge parameters: a zero slope, a float64 weight, no switch to linear, a shifted kink
    calls["leaky_relu(x, 0.0)"] = lambda x: relu.leaky_relu(x, 0.0)
    calls["prelu(x, np.float64(0.25))"] = lambda x: relu.prelu(x, np.float64(0.25))
    calls["softplus(x, 2.0, inf)"] = lambda x: relu.softplus(x, 2.0, float("inf"))
    calls["piecewise_linear(x, 1.0, 0.0, 2.0)"] = lambda x: relu.piecewise_linear(x, 1.0, 0.0, 2.0)
    calls["piecewise_linear_grad(x, 1.0, 0.0, 2.0)"] = lambda x: relu.piecewise_linear_grad(
        x, 1.0, 0.0, 2.0
    )
    calls["squareplus(x, b=0.0)"] = lambda x: relu.squareplus(x, b=0.0)
    calls["squareplus_grad(x, b=0.0)"] = lambda x: relu.squareplus_grad(x, b=0.0)
    calls["threshold(x, 0.1, 7.0)"] = lambda x: relu.threshold(x, 0.1, 7.0)
    calls["hardtanh(x, -1e300, 1e300)"] = lambda x: relu.hardtanh(x, -1e300, 1e300)
    return calls


ALL_CALLS = _calls()


@pytest.mark.parametrize("call", list(ALL_CALLS.values()), ids=list(ALL_CALLS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_stable_at_plus_minus_1e4(call, dtype):
    x = np.array([-1e4, 1e4], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = np.asarray(call(x))
    assert y.dtype == dtype
    assert np.isfinite(y).all(), y


@pytest.mark.parametrize("call", list(ALL_CALLS.values()), ids=list(ALL_CALLS))
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=str)
def test_special_values_do_not_warn(call, dtype):
    fi = np.finfo(dtype)
    x = np.array([-np.inf, -fi.max, -0.0, 0.0, fi.max, np.inf, np.nan], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = np.asarray(call(x))
    assert y.dtype == dtype
    assert not np.isnan(y[:-1]).any(), y  # no NaN made from non-NaN inputs (inf * 0, inf - inf)


@pytest.mark.parametrize("name", NAMES)
def test_limits_at_infinity_from_the_registry(name):
    a = ACTS[name]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert a.forward(np.array([-np.inf, np.inf]), **a.defaults()).tolist() == list(a.limits)


def test_limits_at_infinity():
    inf = np.inf
    assert relu.leaky_relu([-inf, inf], 0.0).tolist() == [0.0, inf]
    assert relu.leaky_relu([-inf], 0.1).tolist() == [-inf]
    assert relu.prelu([-inf, -inf], [0.0, 0.5]).tolist() == [0.0, -inf]
    assert relu.elu([-inf, inf]).tolist() == [-1.0, inf]
    assert relu.gelu([-inf, inf]).tolist() == [0.0, inf]
    assert relu.gelu([-inf, inf], approximate="tanh").tolist() == [0.0, inf]
    assert relu.silu([-inf, inf]).tolist() == [0.0, inf]
    assert relu.softplus([-inf, inf]).tolist() == [0.0, inf]
    assert relu.gelu_grad([-inf, inf]).tolist() == [0.0, 1.0]
    assert relu.silu_grad([-inf, inf]).tolist() == [0.0, 1.0]
    assert relu.softplus_grad([-inf, inf]).tolist() == [0.0, 1.0]
    assert np.isnan(relu.silu(np.nan)) and np.isnan(relu.relu6(np.nan))


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=str)
def test_integer_inputs(dtype):
    x = np.array([0, 3, 9], dtype=dtype)
    assert relu.relu6(x).dtype == dtype
    assert relu.relu6(x).tolist() == [0, 3, 6]
    for a in ACTS.values():
        kw = a.defaults()
        assert a.forward(x, **kw).dtype == (dtype if a.keeps_integers else np.float64), a.name
        assert a.derivative(x, **kw).dtype == np.float64, a.name
    assert relu.leaky_relu(np.array([-4], dtype=np.int64), 0.25).tolist() == [-1.0]


@pytest.mark.parametrize(
    "bad", [np.array([True]), np.array([1j]), np.array(["a"]), np.array([None])]
)
@pytest.mark.parametrize("name", sorted(ALL_CALLS))
def test_non_real_inputs_raise_type_error(name, bad):
    with pytest.raises(TypeError, match="dtype"):
        ALL_CALLS[name](bad)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: relu.leaky_relu(1.0, negative_slope=-0.1), "negative_slope must be >= 0"),
        (lambda: relu.leaky_relu_grad(1.0, -0.1), "negative_slope must be >= 0"),
        (lambda: relu.leaky_relu(1.0, float("nan")), "negative_slope must be a finite"),
        (lambda: relu.elu(1.0, alpha=-1.0), "alpha must be >= 0"),
        (lambda: relu.elu_grad(1.0, alpha=float("inf")), "alpha must be a finite"),
        (lambda: relu.softplus(1.0, beta=0.0), "beta must be > 0"),
        (lambda: relu.softplus_grad(1.0, beta=-1.0), "beta must be > 0"),
        (lambda: relu.softplus(1.0, threshold=0.0), "threshold must be > 0"),
        (lambda: relu.softplus(1.0, threshold=float("nan")), "threshold must be a finite"),
        (lambda: relu.gelu(1.0, approximate="exact"), "approximate must be 'none'"),
        (lambda: relu.gelu_grad(1.0, approximate=None), "approximate must be 'none'"),
        (lambda: relu.gelu(1.0, approximate=True), "approximate must be 'none'"),
        (lambda: relu.piecewise_linear(1.0, threshold=float("inf")), "threshold must be a finite"),
        (
            lambda: relu.piecewise_linear_grad(1.0, slope_above=float("nan")),
            "slope_above must be a finite",
        ),
        (lambda: relu.prelu(np.ones((2, 3)), np.ones(2)), "does not broadcast"),
        (lambda: relu.prelu_grad(np.ones(3), np.ones((2, 3))), "does not broadcast"),
        (lambda: relu.prelu_backward(np.ones(3), np.ones((2, 3)), np.ones(3)), "dout has shape"),
    ],
)
def test_bad_parameters_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_parameters_from_the_registry(name):
    a = ACTS[name]
    for kw, match in INVALID[name]:
        for f in (a.forward, a.derivative):
            with pytest.raises(ValueError, match=re.escape(match)):
                f(1.0, **a.keywords(**kw))


def test_parameter_of_wrong_type_raises_type_error():
    with pytest.raises(TypeError, match="negative_slope must be a real number"):
        relu.leaky_relu(1.0, "0.1")
    with pytest.raises(TypeError, match="beta must be a real number"):
        relu.softplus(1.0, beta=True)


def test_gelu_approximate_is_keyword_only():
    with pytest.raises(TypeError):
        relu.gelu(1.0, "tanh")


def test_input_is_not_modified():
    x = np.array([-1.0, 0.5, 7.0])
    for call in ALL_CALLS.values():
        call(x)
    assert x.tolist() == [-1.0, 0.5, 7.0]


# prelu: broadcasting and the backward pass


@st.composite
def prelu_cases(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    # weight: a trailing part of x's shape, some axes collapsed to 1
    k = draw(st.integers(0, len(shape)))
    wshape = tuple(n if draw(st.booleans()) else 1 for n in shape[len(shape) - k :])
    x = draw(hnp.arrays(np.float64, shape, elements=st.floats(-10, 10)))
    w = draw(hnp.arrays(np.float64, wshape, elements=st.floats(-2, 2)))
    dout = draw(hnp.arrays(np.float64, shape, elements=st.floats(-3, 3)))
    return dout, x, w


@given(prelu_cases())
@settings(max_examples=60, deadline=None)
def test_prelu_forward_and_grad_against_reference(case):
    _, x, w = case
    wb = np.broadcast_to(w, x.shape)
    want = [xi if xi > 0 else wi * xi for xi, wi in zip(x.ravel().tolist(), wb.ravel().tolist())]
    np.testing.assert_array_equal(relu.prelu(x, w), np.array(want).reshape(x.shape) + 0.0)
    dwant = [1.0 if xi > 0 else wi for xi, wi in zip(x.ravel().tolist(), wb.ravel().tolist())]
    np.testing.assert_array_equal(relu.prelu_grad(x, w), np.array(dwant).reshape(x.shape))


@given(prelu_cases())
@settings(max_examples=60, deadline=None)
def test_prelu_backward_matches_finite_differences(case):
    dout, x, w = case
    dx, dw = relu.prelu_backward(dout, x, w)
    assert dx.shape == x.shape and dw.shape == w.shape
    np.testing.assert_allclose(dx, dout * relu.prelu_grad(x, w), rtol=1e-15)
    # the loss L(w) = sum(dout * prelu(x, w)) is linear in w: central differences are exact up to
    # rounding
    h = 1e-3
    numeric = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[idx] = h
        numeric[idx] = (
            np.sum(dout * relu.prelu(x, w + e)) - np.sum(dout * relu.prelu(x, w - e))
        ) / (2 * h)
    np.testing.assert_allclose(dw, numeric, rtol=1e-6, atol=1e-9)


def test_prelu_per_feature_example_and_dtypes():
    x = np.array([[-1.0, 2.0, -3.0], [-4.0, -5.0, 6.0]], dtype=np.float32)
    w = np.array([0.1, 0.2, 0.3], dtype=np.float32)
    y = relu.prelu(x, w)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, [[-0.1, 2.0, -0.9], [-0.4, -1.0, 6.0]], rtol=1e-6)
    dx, dw = relu.prelu_backward(np.ones_like(x), x, w)
    assert dx.dtype == np.float32 and dw.dtype == np.float32
    assert dw.tolist() == [-5.0, -5.0, -3.0]
    _, dw64 = relu.prelu_backward(np.ones_like(x), x, w.astype(np.float64))
    assert dw64.dtype == np.float64


# torch.nn.functional, where installed


def test_matches_jax_at_the_defaults():
    jax = pytest.importorskip(
        "jax", reason="jax is optional; make test installs it (the test dependency group)"
    )
    grid = np.concatenate([np.linspace(-8, 8, 161), [-50.0, -0.0, 0.0, 6.0, 50.0]]).astype(
        "float32"
    )
    for a in ACTS.values():
        if a.jax is None:
            continue
        kw = a.defaults()
        want = np.asarray(eval(a.jax, {"jax": jax, "x": jax.numpy.asarray(grid), **kw}))  # noqa: S307
        np.testing.assert_allclose(
            a.forward(grid, **kw), want, rtol=2e-5, atol=2e-6, err_msg=a.name
        )


def _torch_cases():
    """(label, activation, keywords) for each activation with a torch counterpart."""
    for a in ACTS.values():
        if a.torch is None:
            continue
        for kw in (a.keywords(), *(a.keywords(**e) for e in a.extra)):
            yield a.call(kw), a, kw


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matches_torch(dtype):
    torch = pytest.importorskip(
        "torch",
        reason="torch is an optional peer (the peers extra; make bench installs it)",
    )
    grid = np.concatenate(
        [np.linspace(-8, 8, 161), [-1e4, -50.0, -0.0, 0.0, 6.0, 50.0, 1e4]]
    ).astype(dtype)
    # torch computes gelu's tanh form as 1 + tanh(u), which cancels to 0 in the tails
    rtol, atol = (1e-5, 1e-6) if dtype == "float32" else (1e-12, 1e-13)
    for name, a, kw in _torch_cases():
        t = torch.tensor(grid, requires_grad=True)
        out = eval(a.torch, {"torch": torch, "F": torch.nn.functional, "x": t, **kw})  # noqa: S307
        out.sum().backward()
        y = a.forward(grid, **kw)
        assert y.dtype == np.dtype(dtype), name
        np.testing.assert_allclose(y, out.detach().numpy(), rtol=rtol, atol=atol, err_msg=name)
        np.testing.assert_allclose(
            a.derivative(grid, **kw), t.grad.numpy(), rtol=rtol, atol=atol, err_msg=name
        )


def test_prelu_matches_torch():
    torch = pytest.importorskip(
        "torch",
        reason="torch is an optional peer (the peers extra; make bench installs it)",
    )
    rng = np.random.default_rng(0)
    for xshape, C in [((5, 3), 3), ((2, 3, 4, 4), 3)]:
        x = rng.normal(size=xshape)
        w = rng.uniform(-0.5, 0.5, size=C)
        dout = rng.normal(size=xshape)
        tx = torch.tensor(x, requires_grad=True)
        tw = torch.tensor(w, requires_grad=True)
        ty = torch.nn.functional.prelu(tx, tw)
        ty.backward(torch.tensor(dout))
        wn = w.reshape(
            (C,) + (1,) * (len(xshape) - 2)
        )  # torch uses axis 1; NumPy rules align the last axes
        np.testing.assert_allclose(relu.prelu(x, wn), ty.detach().numpy(), rtol=1e-14)
        dx, dw = relu.prelu_backward(dout, x, wn)
        np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-14)
        np.testing.assert_allclose(dw.ravel(), tw.grad.numpy(), rtol=1e-12)


def formula(name, x, **kw):
    """The activation's one formula (relu.variants), bound to NumPy in x's dtype: the
    definition each compiled-loop path must reproduce exactly."""
    return relu._xp.numpy(getattr(V, f"_{name}"), x, **kw)


def same_values_and_zero_signs(a, b):
    np.testing.assert_array_equal(a, b)
    finite = ~np.isnan(a)
    np.testing.assert_array_equal(np.signbit(a[finite]), np.signbit(b[finite]))


float_arrays = hnp.arrays(st.sampled_from(FLOAT_DTYPES), hnp.array_shapes(max_dims=2, max_side=8))


@given(x=float_arrays, slope=st.one_of(st.just(0.0), st.just(1.0), slopes(0, 3)))
def test_leaky_fast_path_equals_the_formula(x, slope):
    expected = formula("leaky_relu", x, negative_slope=slope)
    same_values_and_zero_signs(np.asarray(relu.leaky_relu(x, slope)), expected)


@given(x=float_arrays)
def test_relu_and_relu6_fast_paths_equal_their_formulas(x):
    same_values_and_zero_signs(np.asarray(relu.relu(x)), formula("relu", x))
    same_values_and_zero_signs(np.asarray(relu.relu6(x)), formula("relu6", x))


@given(
    x=hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 4))),
    data=st.data(),
)
def test_prelu_fast_path_equals_the_formula(x, data):
    low, high = data.draw(st.sampled_from([(0.0, 0.0), (1e-3, 1.0), (1.0, 3.0)]))
    w = data.draw(hnp.arrays(np.float64, x.shape[1], elements=st.floats(low, high)))
    same_values_and_zero_signs(relu.prelu(x, w), formula("prelu", x, weight=w))


@given(
    x=float_arrays,
    threshold=st.floats(-3, 3),
    below=st.one_of(st.just(0.0), slopes(-3, 3)),
    above=st.one_of(st.just(0.0), slopes(-3, 3)),
)
def test_piecewise_linear_fast_path_equals_the_formula(x, threshold, below, above):
    kw = {"threshold": threshold, "slope_below": below, "slope_above": above}
    same_values_and_zero_signs(
        np.asarray(relu.piecewise_linear(x, **kw)), formula("piecewise_linear", x, **kw)
    )


# Issue 26, items 10 and 11: parameters at their extremes.


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_a_slope_beyond_the_dtypes_range_gives_the_rounded_float64_result_quietly(dtype):
    import warnings

    import relu

    x = np.array([-0.0, 0.0, -1.0, 2.0, -1e-30, np.nan], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the contract: no warning for any input
        got = relu.leaky_relu(x, 1e39)
        grad = relu.leaky_relu_grad(x, 1e39)
        relu.hardtanh_grad(x, -1e39, 1e39)
        relu.hardtanh(x, -1e39, 1e39)
    with np.errstate(over="ignore"):
        expected = relu.leaky_relu(x.astype(np.float64), 1e39).astype(dtype)
    assert got.tobytes() == expected.tobytes()  # -0.0 stays -0.0, no NaN at zero
    assert not np.isnan(got[:2]).any()
    assert grad[0] == np.inf and grad[3] == 1


@pytest.mark.parametrize("b", [4.0, 1e300, 9e307, np.finfo(np.float64).max])
def test_squareplus_grad_stays_right_for_huge_b(b):
    import relu

    x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    got = relu.squareplus_grad(x, b)
    # (1 + x / sqrt(x**2 + b)) / 2 with exact rationals, to double precision
    from fractions import Fraction

    want = []
    for v in x.tolist():
        s = math.sqrt(v * v + b)
        want.append(float((1 + Fraction(v) / Fraction(s)) / 2))
    np.testing.assert_allclose(got, want, rtol=1e-12)
