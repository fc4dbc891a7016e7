"""relu_grad and relu_backward."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import FLOAT_DTYPES, INT_DTYPES, real_arrays

from relu import relu, relu_backward, relu_grad


@given(real_arrays())
def test_grad_is_indicator_of_positive(x):
    g = relu_grad(x)
    expected_dtype = x.dtype if x.dtype.kind == "f" else np.float64
    assert g.dtype == expected_dtype and g.shape == x.shape
    expected = [1.0 if v > 0 else 0.0 for v in x.ravel().tolist()]
    assert g.ravel().tolist() == expected


def test_grad_at_zero_is_zero():
    assert relu_grad(np.array([0.0, -0.0])).tolist() == [0.0, 0.0]


def test_grad_of_nan_is_zero():
    assert relu_grad([np.nan]).tolist() == [0.0]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + INT_DTYPES, ids=str)
def test_grad_dtypes(dtype):
    g = relu_grad(np.array([1, 0], dtype=dtype))
    assert g.dtype == (dtype if np.dtype(dtype).kind == "f" else np.float64)


@given(
    hnp.arrays(
        np.float64, hnp.array_shapes(max_dims=3, max_side=6), elements=st.floats(-1e3, 1e3)
    ).filter(lambda a: (np.abs(a) > 1e-3).all())
)
def test_grad_matches_central_difference_away_from_zero(x):
    h = 1e-4
    numeric = (relu(x + h) - relu(x - h)) / (2 * h)
    np.testing.assert_allclose(relu_grad(x), numeric, atol=1e-6)


@given(st.data(), real_arrays(dtype=st.sampled_from(FLOAT_DTYPES)))
def test_backward_masks_dout(data, x):
    dout = data.draw(hnp.arrays(x.dtype, x.shape))
    x_before, dout_before = x.copy(), dout.copy()
    dx = relu_backward(dout, x)
    assert dx.dtype == dout.dtype and dx.shape == x.shape
    for d, xv, g in zip(dout.ravel().tolist(), x.ravel().tolist(), dx.ravel().tolist()):
        if xv > 0:
            assert g == d or (np.isnan(g) and np.isnan(d))
        else:
            assert g == 0  # even where dout is NaN or inf
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(dout, dout_before)


def test_backward_keeps_dout_dtype_with_integer_x():
    dx = relu_backward(np.ones(3, dtype=np.float32), np.array([-1, 0, 1]))
    assert dx.dtype == np.float32 and dx.tolist() == [0.0, 0.0, 1.0]


def test_backward_shape_mismatch():
    with pytest.raises(ValueError, match="shape"):
        relu_backward(np.ones(3), np.ones((3, 1)))


def test_backward_bad_dtype():
    with pytest.raises(TypeError, match="complex"):
        relu_backward(np.ones(2, dtype=complex), np.ones(2))


def test_scalar_inputs_give_numpy_scalars():
    g = relu_grad(2.0)
    b = relu_backward(1.5, 2.0)
    assert isinstance(g, np.float64) and g == 1.0
    assert isinstance(b, np.float64) and b == 1.5
