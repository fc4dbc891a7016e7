"""The contract of relu.relu."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import assert_same, relu_reference
from strategies import REAL_DTYPES, real_arrays

from relu import relu


@given(real_arrays())
def test_matches_reference_for_every_dtype_shape_and_view(x):
    before = x.copy()
    assert_same(np.asarray(relu(x)), relu_reference(x))
    np.testing.assert_array_equal(x, before)  # never mutates the input


@pytest.mark.parametrize("dtype", REAL_DTYPES, ids=str)
def test_dtype_is_kept(dtype):
    x = np.array([0, 1, 2], dtype=dtype)
    assert relu(x).dtype == dtype


def test_special_values():
    x = np.array([np.nan, -np.inf, np.inf, -0.0, -1.0, 0.5])
    y = relu(x)
    assert np.isnan(y[0])
    assert y[1:].tolist() == [0.0, np.inf, 0.0, 0.0, 0.5]
    assert not np.signbit(y[3]), "-0.0 must become +0.0"


@pytest.mark.parametrize(
    "x, expected",
    [
        ([-1, 2], [0, 2]),
        ([[-1.5], [2.5]], [[0.0], [2.5]]),
        (-3, 0),
        (2.5, 2.5),
        (np.float32(-1), 0.0),
    ],
)
def test_array_likes(x, expected):
    y = relu(x)
    assert np.asarray(y).tolist() == expected


def test_scalar_input_gives_numpy_scalar_of_same_dtype():
    y = relu(np.float32(-2.0))
    assert isinstance(y, np.float32) and y == 0


def test_empty_and_zero_d():
    assert relu(np.empty((0, 3))).shape == (0, 3)
    assert relu(np.array(-1.0)).shape == ()


@pytest.mark.parametrize(
    "view",
    [lambda a: a[::2, ::3], lambda a: a.T, lambda a: a[::-1]],
    ids=["strided", "T", "reversed"],
)
def test_non_contiguous_views(view):
    base = np.random.default_rng(0).standard_normal((10, 12))
    x = view(base)
    assert_same(relu(x), relu_reference(x))
    out = np.empty_like(x)
    assert relu(x, out=out) is out
    assert_same(out, relu_reference(x))


def test_out_receives_result_and_input_is_untouched():
    x = np.array([-1.0, 2.0])
    out = np.full(2, 7.0)
    assert relu(x, out=out) is out
    assert out.tolist() == [0.0, 2.0]
    assert x.tolist() == [-1.0, 2.0]


def test_out_is_x_is_in_place():
    x = np.array([-1.0, 2.0, np.nan])
    assert relu(x, out=x) is x
    assert x[:2].tolist() == [0.0, 2.0] and np.isnan(x[2])


def test_out_is_a_non_contiguous_view():
    out = np.zeros((4, 6))
    x = np.arange(-6.0, 6.0).reshape(2, 6)
    relu(x, out=out[::2])
    assert out[::2].tolist() == relu_reference(x).tolist()
    assert not out[1::2].any()


def test_out_may_widen_the_dtype():
    x = np.array([-3, 4], dtype=np.int16)
    out = np.empty(2, dtype=np.float64)
    assert relu(x, out=out).tolist() == [0.0, 4.0]


@pytest.mark.parametrize("dtype", [bool, complex, object, str, "datetime64[s]"], ids=str)
def test_bad_dtypes_raise_type_error_naming_the_dtype(dtype):
    x = np.zeros(3, dtype=dtype)
    with pytest.raises(TypeError, match=str(x.dtype).replace("[", r"\[")):
        relu(x)


def test_bool_python_list_raises():
    with pytest.raises(TypeError, match="bool"):
        relu([True, False])


def test_out_wrong_shape_raises_value_error():
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        relu(np.zeros(2), out=np.zeros(3))


@pytest.mark.parametrize(
    "x_dtype, out_dtype",
    [
        (np.float64, np.float32),
        (np.float32, np.int32),
        (np.int64, np.int8),
        (np.float32, np.float16),
    ],
)
def test_out_unsafe_cast_raises_type_error(x_dtype, out_dtype):
    with pytest.raises(TypeError, match="unsafe"):
        relu(np.zeros(2, dtype=x_dtype), out=np.zeros(2, dtype=out_dtype))


def test_out_not_an_array_raises():
    with pytest.raises(TypeError, match="ndarray"):
        relu(np.zeros(2), out=[0.0, 0.0])


def test_out_read_only_raises():
    out = np.zeros(2)
    out.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        relu(np.zeros(2), out=out)


@given(real_arrays(), st.data())
def test_out_gives_the_same_as_allocating(x, data):
    out = np.empty(x.shape, dtype=x.dtype)
    relu(x, out=out)
    assert_same(out, np.asarray(relu(x)))


def test_float16_into_a_wider_out_gives_positive_zero():
    out = np.empty(2, np.float32)
    relu(np.array([-0.0, -1.0], np.float16), out=out)
    assert not np.signbit(out).any()


def test_masked_arrays_are_refused_not_silently_unmasked():
    x = np.ma.masked_array([-1.0, 2.0], mask=[False, True])
    with pytest.raises(TypeError, match="masked"):
        relu(x)
