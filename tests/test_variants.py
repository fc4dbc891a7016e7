"""The ReLU variants: forward against plain per-element references in Python's
``math``, derivatives against central finite differences, dtypes, stability,
parameter checks, and (where torch is installed) torch.nn.functional."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import FLOAT_DTYPES, INT_DTYPES

import relu
from relu import variants as V

# references: one Python float in, one Python float out, textbook formulas


def ref_leaky(x, negative_slope=0.01):
    return x if x > 0 else negative_slope * x


def ref_piecewise(x, threshold=0.0, slope_below=0.0, slope_above=1.0):
    return slope_above * x if x > threshold else slope_below * x


def ref_relu6(x):
    return min(max(x, 0.0), 6.0)


def ref_elu(x, alpha=1.0):
    return x if x > 0 else alpha * math.expm1(x)


def ref_selu(x):
    lam, alpha = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
    return lam * ref_elu(x, alpha)


def ref_gelu(x, approximate="none"):
    if approximate == "none":
        # x * Phi(x) with Phi(x) = erfc(-x / sqrt(2)) / 2: 1 + erf(x / sqrt(2)) would
        # lose most digits to cancellation for x below about -5.
        return 0.5 * x * math.erfc(-x / math.sqrt(2.0))
    if abs(x) > 100:  # tanh(u) is exactly +-1 in float64 far before this; x ** 3 would overflow
        return x if x > 0 else -0.0
    u = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)
    return 0.5 * x * (1.0 + math.tanh(u))


def ref_softplus(x, beta=1.0, threshold=20.0):
    if beta * x > threshold:
        return x
    return math.log1p(math.exp(beta * x)) / beta


def ref_silu(x):
    if x >= 0:
        return x / (1.0 + math.exp(-x))
    e = math.exp(x)
    return x * e / (1.0 + e)


# name: (forward, derivative, reference, strategy for keyword arguments, kinks)
def slopes(lo, hi):
    """Slopes of 0 or of magnitude >= 1e-4: slopes are rounded to the input's dtype
    before multiplying (as torch does), so a slope that is subnormal in float16 or
    float32 cannot match a float64 reference rounded once."""
    return st.floats(lo, hi).filter(lambda v: v == 0 or abs(v) >= 1e-4)


VARIANTS = {
    "leaky_relu": (
        relu.leaky_relu,
        relu.leaky_relu_grad,
        ref_leaky,
        st.fixed_dictionaries({"negative_slope": slopes(0, 1)}),
        lambda kw: [0.0],
    ),
    "piecewise_linear": (
        relu.piecewise_linear,
        relu.piecewise_linear_grad,
        ref_piecewise,
        st.fixed_dictionaries(
            {"threshold": st.floats(-5, 5), "slope_below": slopes(-3, 3), "slope_above": slopes(-3, 3)}
        ),
        lambda kw: [kw["threshold"]],
    ),
    "relu6": (relu.relu6, relu.relu6_grad, ref_relu6, st.just({}), lambda kw: [0.0, 6.0]),
    "elu": (
        relu.elu,
        relu.elu_grad,
        ref_elu,
        st.fixed_dictionaries({"alpha": st.floats(0, 3)}),
        lambda kw: [0.0],
    ),
    "selu": (relu.selu, relu.selu_grad, ref_selu, st.just({}), lambda kw: [0.0]),
    "gelu": (
        relu.gelu,
        relu.gelu_grad,
        ref_gelu,
        st.fixed_dictionaries({"approximate": st.sampled_from(["none", "tanh"])}),
        lambda kw: [],
    ),
    "softplus": (
        relu.softplus,
        relu.softplus_grad,
        ref_softplus,
        st.fixed_dictionaries({"beta": st.floats(0.1, 10), "threshold": st.floats(1, 30)}),
        # the switch to x at beta * x == threshold is a (tiny) jump
        lambda kw: [kw["threshold"] / kw["beta"]],
    ),
    "silu": (relu.silu, relu.silu_grad, ref_silu, st.just({}), lambda kw: []),
}
NAMES = sorted(VARIANTS)
SMOOTH = ["elu", "selu", "gelu", "softplus", "silu"]


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
        elements=st.floats(allow_nan=False, allow_infinity=False, width=8 * np.dtype(dtype).itemsize),
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
    forward, _, reference, kwargs, _ = VARIANTS[name]
    kw = data.draw(kwargs)
    x = data.draw(finite_arrays(dtype))
    y = np.asarray(forward(x, **kw))
    assert y.dtype == dtype and y.shape == x.shape
    rtol, atol = tolerances(dtype)
    np.testing.assert_allclose(y, expected(reference, x, kw, dtype), rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", NAMES)
@given(x=st.floats(-1e300, 1e300))
@settings(max_examples=60, deadline=None)
def test_forward_matches_reference_on_python_floats(name, x):
    forward, _, reference, _, _ = VARIANTS[name]
    y = forward(x)
    assert isinstance(y, np.float64)  # a 0-d input gives a NumPy scalar
    np.testing.assert_allclose(y, reference(x), rtol=1e-12, atol=1e-15)


# derivatives against central finite differences


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=80, deadline=None)
@given(data=st.data(), x=st.floats(-30, 30))
def test_derivative_matches_central_difference(name, data, x):
    forward, derivative, _, kwargs, kinks = VARIANTS[name]
    kw = data.draw(kwargs)
    h = 1e-6 * max(1.0, abs(x))
    assume(all(abs(x - k) > 4 * h for k in kinks(kw)))
    numeric = (float(forward(x + h, **kw)) - float(forward(x - h, **kw))) / (2 * h)
    analytic = float(derivative(x, **kw))
    assert math.isclose(analytic, numeric, rel_tol=1e-5, abs_tol=1e-6), (analytic, numeric)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=str)
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_derivative_dtype_and_precision(name, dtype, data):
    """The derivative in float16/float32 is the float64 derivative rounded."""
    _, derivative, _, kwargs, _ = VARIANTS[name]
    kw = data.draw(kwargs)
    x = data.draw(finite_arrays(dtype))
    g = np.asarray(derivative(x, **kw))
    assert g.dtype == dtype and g.shape == x.shape
    g64 = np.asarray(derivative(x.astype(np.float64), **kw))
    rtol, atol = tolerances(dtype)
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(g, g64.astype(dtype), rtol=rtol, atol=atol)


# values at the kinks: the slope of the piece containing the point (PyTorch's choice)


def test_values_at_kinks():
    assert relu.leaky_relu_grad(0.0, negative_slope=0.2) == 0.2
    assert relu.relu6_grad([0.0, 6.0]).tolist() == [0.0, 0.0]
    assert relu.relu6_grad([1e-300, 6 - 1e-15]).tolist() == [1.0, 1.0]
    assert relu.elu_grad(0.0, alpha=0.5) == 0.5
    assert relu.selu_grad(0.0) == pytest.approx(V.SELU_SCALE * V.SELU_ALPHA, rel=1e-15)
    assert relu.piecewise_linear_grad(2.0, threshold=2.0, slope_below=-1.0, slope_above=3.0) == -1.0
    assert relu.prelu_grad([0.0, 0.0], [0.3, 0.4]).tolist() == [0.3, 0.4]
    assert relu.gelu_grad(0.0) == 0.5
    assert relu.gelu_grad(0.0, approximate="tanh") == 0.5
    assert relu.silu_grad(0.0) == 0.5
    assert relu.softplus_grad(0.0) == 0.5


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

ALL_CALLS = {
    "leaky_relu": lambda x: relu.leaky_relu(x),
    "leaky_relu_grad": lambda x: relu.leaky_relu_grad(x),
    "leaky_relu slope 0": lambda x: relu.leaky_relu(x, 0.0),
    "prelu": lambda x: relu.prelu(x, np.float64(0.25)),
    "prelu_grad": lambda x: relu.prelu_grad(x, 0.25),
    "piecewise_linear": lambda x: relu.piecewise_linear(x, 1.0, 0.0, 2.0),
    "piecewise_linear_grad": lambda x: relu.piecewise_linear_grad(x, 1.0, 0.0, 2.0),
    "relu6": relu.relu6,
    "relu6_grad": relu.relu6_grad,
    "elu": relu.elu,
    "elu_grad": relu.elu_grad,
    "selu": relu.selu,
    "selu_grad": relu.selu_grad,
    "gelu": relu.gelu,
    "gelu_grad": relu.gelu_grad,
    "gelu tanh": lambda x: relu.gelu(x, approximate="tanh"),
    "gelu_grad tanh": lambda x: relu.gelu_grad(x, approximate="tanh"),
    "softplus": relu.softplus,
    "softplus_grad": relu.softplus_grad,
    "softplus no threshold": lambda x: relu.softplus(x, 2.0, float("inf")),
    "silu": relu.silu,
    "silu_grad": relu.silu_grad,
}


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
    for name in NAMES:
        forward, derivative, *_ = VARIANTS[name]
        assert forward(x).dtype == np.float64 or name == "relu6"
        assert derivative(x).dtype == np.float64
    assert relu.leaky_relu(np.array([-4], dtype=np.int64), 0.25).tolist() == [-1.0]


@pytest.mark.parametrize("bad", [np.array([True]), np.array([1j]), np.array(["a"]), np.array([None])])
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
        (lambda: relu.piecewise_linear_grad(1.0, slope_above=float("nan")), "slope_above must be a finite"),
        (lambda: relu.prelu(np.ones((2, 3)), np.ones(2)), "does not broadcast"),
        (lambda: relu.prelu_grad(np.ones(3), np.ones((2, 3))), "does not broadcast"),
        (lambda: relu.prelu_backward(np.ones(3), np.ones((2, 3)), np.ones(3)), "dout has shape"),
    ],
)
def test_bad_parameters_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


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
    # the loss L(w) = sum(dout * prelu(x, w)) is linear in w: central differences are exact up to rounding
    h = 1e-3
    numeric = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[idx] = h
        numeric[idx] = (np.sum(dout * relu.prelu(x, w + e)) - np.sum(dout * relu.prelu(x, w - e))) / (2 * h)
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


def _torch_cases(torch):
    F = torch.nn.functional
    return [
        ("leaky_relu", relu.leaky_relu, relu.leaky_relu_grad, {"negative_slope": 0.2}, F.leaky_relu, {"negative_slope": 0.2}),
        ("relu6", relu.relu6, relu.relu6_grad, {}, F.relu6, {}),
        ("elu", relu.elu, relu.elu_grad, {"alpha": 0.7}, F.elu, {"alpha": 0.7}),
        ("selu", relu.selu, relu.selu_grad, {}, F.selu, {}),
        ("gelu", relu.gelu, relu.gelu_grad, {}, F.gelu, {}),
        ("gelu tanh", relu.gelu, relu.gelu_grad, {"approximate": "tanh"}, F.gelu, {"approximate": "tanh"}),
        ("softplus", relu.softplus, relu.softplus_grad, {"beta": 2.0, "threshold": 5.0}, F.softplus, {"beta": 2.0, "threshold": 5.0}),
        ("silu", relu.silu, relu.silu_grad, {}, F.silu, {}),
    ]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matches_torch(dtype):
    torch = pytest.importorskip("torch", reason="torch is an optional peer; pip install -e '.[peers]' from the clone to compare")
    grid = np.concatenate([np.linspace(-8, 8, 161), [-1e4, -50.0, -0.0, 0.0, 6.0, 50.0, 1e4]]).astype(dtype)
    # torch computes gelu's tanh form as 1 + tanh(u), which cancels to 0 in the tails
    rtol, atol = (1e-5, 1e-6) if dtype == "float32" else (1e-12, 1e-13)
    for name, forward, derivative, kw, tf, tkw in _torch_cases(torch):
        t = torch.tensor(grid, requires_grad=True)
        out = tf(t, **tkw)
        out.sum().backward()
        y = forward(grid, **kw)
        assert y.dtype == np.dtype(dtype), name
        np.testing.assert_allclose(y, out.detach().numpy(), rtol=rtol, atol=atol, err_msg=name)
        np.testing.assert_allclose(derivative(grid, **kw), t.grad.numpy(), rtol=rtol, atol=atol, err_msg=name)


def test_prelu_matches_torch():
    torch = pytest.importorskip("torch", reason="torch is an optional peer; pip install -e '.[peers]' from the clone to compare")
    rng = np.random.default_rng(0)
    for xshape, C in [((5, 3), 3), ((2, 3, 4, 4), 3)]:
        x = rng.normal(size=xshape)
        w = rng.uniform(-0.5, 0.5, size=C)
        dout = rng.normal(size=xshape)
        tx = torch.tensor(x, requires_grad=True)
        tw = torch.tensor(w, requires_grad=True)
        ty = torch.nn.functional.prelu(tx, tw)
        ty.backward(torch.tensor(dout))
        wn = w.reshape((C,) + (1,) * (len(xshape) - 2))  # torch uses axis 1; NumPy rules align the last axes
        np.testing.assert_allclose(relu.prelu(x, wn), ty.detach().numpy(), rtol=1e-14)
        dx, dw = relu.prelu_backward(dout, x, wn)
        np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-14)
        np.testing.assert_allclose(dw.ravel(), tw.grad.numpy(), rtol=1e-12)


def masked_two_slopes(x, below, above):
    """The masked definition the fast Leaky/PReLU path must reproduce exactly."""
    out = np.where(x > 0, x * x.dtype.type(above), x * np.asarray(below, x.dtype))
    if np.all(np.asarray(below) == 0):
        out[~(x > 0)] = 0
    out[np.isnan(x)] = np.nan
    return out


def same_values_and_zero_signs(a, b):
    np.testing.assert_array_equal(a, b)
    finite = ~np.isnan(a)
    np.testing.assert_array_equal(np.signbit(a[finite]), np.signbit(b[finite]))


@given(
    x=hnp.arrays(st.sampled_from(FLOAT_DTYPES), hnp.array_shapes(max_dims=2, max_side=8)),
    slope=st.one_of(st.just(0.0), st.just(1.0), slopes(0, 3)),
)
def test_leaky_fast_path_equals_the_masked_definition(x, slope):
    with np.errstate(over="ignore", invalid="ignore"):
        expected = masked_two_slopes(x, slope, 1.0)
    same_values_and_zero_signs(np.asarray(relu.leaky_relu(x, slope)), expected)


@given(
    x=hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 4))),
    data=st.data(),
)
def test_prelu_fast_path_equals_the_masked_definition(x, data):
    low, high = data.draw(st.sampled_from([(1e-3, 1.0), (1.0, 3.0)]))
    w = data.draw(hnp.arrays(np.float64, x.shape[1], elements=st.floats(low, high)))
    with np.errstate(over="ignore", invalid="ignore"):
        expected = masked_two_slopes(x, w, 1.0)
    same_values_and_zero_signs(relu.prelu(x, w), expected)


@given(
    x=hnp.arrays(st.sampled_from(FLOAT_DTYPES), hnp.array_shapes(max_dims=2, max_side=8)),
    threshold=st.floats(-3, 3),
    below=st.one_of(st.just(0.0), slopes(-3, 3)),
    above=st.one_of(st.just(0.0), slopes(-3, 3)),
)
def test_piecewise_linear_equals_the_masked_definition(x, threshold, below, above):
    t = x.dtype.type
    with np.errstate(over="ignore", invalid="ignore"):
        expected = np.where(x > np.float64(threshold), x * t(above), x * t(below))
    if above == 0:
        expected[x > np.float64(threshold)] = 0
    if below == 0:
        expected[~(x > np.float64(threshold))] = 0
    expected[np.isnan(x)] = np.nan
    same_values_and_zero_signs(np.asarray(relu.piecewise_linear(x, threshold, below, above)), expected)
