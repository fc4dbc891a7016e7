"""Every registered implementation against the reference, and its documented quirks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from reference import relu_reference

import relu
from relu import COUNTEREXAMPLES, IMPLEMENTATIONS
from relu import implementations as impls

REQUIRED = {"maximum", "multiply", "abs", "where", "clip", "maximum_inplace", "boolean_index"}
NAMES = sorted(IMPLEMENTATIONS)

finite_floats = hnp.arrays(
    st.sampled_from([np.float32, np.float64]),
    hnp.array_shapes(min_dims=0, max_dims=3, max_side=6),
    elements=st.floats(-(2.0**100), 2.0**100, width=32),
)


def run(impl, x):
    """Call an implementation on a copy; return (result, copy it received).

    Some answers compute ``-inf * 0`` or ``inf - inf``; NumPy's "invalid value"
    warning for that is expected here and checked in the docs.
    """
    arg = x.copy()
    with np.errstate(invalid="ignore"):
        return np.asarray(impl.func(arg)), arg


def test_registry_has_the_required_names_and_fields():
    assert REQUIRED <= set(IMPLEMENTATIONS)
    for name, impl in IMPLEMENTATIONS.items():
        assert impl.name == name
        assert callable(impl.func)
        assert isinstance(impl.inplace, bool)
        assert impl.summary and "\n" not in impl.summary
        assert impl.expression


def test_inplace_flags():
    assert {n for n, i in IMPLEMENTATIONS.items() if i.inplace} == {
        "maximum_inplace",
        "boolean_index",
    }


@pytest.mark.parametrize("name", NAMES)
@given(x=finite_floats)
def test_values_match_reference_on_finite_input(name, x):
    impl = IMPLEMENTATIONS[name]
    y, _ = run(impl, x)
    # Values agree; -0.0 versus 0.0 is a documented difference, tested below.
    np.testing.assert_array_equal(y, relu_reference(x))


@pytest.mark.parametrize("name", NAMES)
def test_inplace_entries_mutate_and_return_x_others_do_not(name):
    impl = IMPLEMENTATIONS[name]
    x = np.array([-1.0, 2.0, -3.0])
    result = impl.func(x)
    if impl.inplace:
        assert result is x and x.tolist() == [0.0, 2.0, 0.0]
    else:
        assert result is not x and x.tolist() == [-1.0, 2.0, -3.0]


SPECIAL = np.array([np.nan, -np.inf, np.inf, -0.0, -2.0])

# What each answer does with [nan, -inf, inf, -0.0, -2.0]; "nan" marks NaN.
EXPECTED_SPECIAL = {
    "maximum": ["nan", 0.0, np.inf, 0.0, 0.0],
    "multiply": ["nan", "nan", np.inf, -0.0, -0.0],
    "abs": ["nan", "nan", np.inf, 0.0, 0.0],
    "where": [0.0, 0.0, np.inf, 0.0, 0.0],
    "clip": ["nan", 0.0, np.inf, 0.0, 0.0],
    "maximum_inplace": ["nan", 0.0, np.inf, 0.0, 0.0],
    "boolean_index": ["nan", 0.0, np.inf, -0.0, 0.0],
}


def describe(a):
    return [
        ("nan" if np.isnan(v) else ("-0.0" if v == 0 and np.signbit(v) else float(v))) for v in a
    ]


@pytest.mark.parametrize("name", NAMES)
def test_special_values_are_as_documented(name):
    y, _ = run(IMPLEMENTATIONS[name], SPECIAL)
    expected = describe(np.array([np.nan if e == "nan" else e for e in EXPECTED_SPECIAL[name]]))
    assert describe(y) == expected


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8, np.float16, np.float32])
def test_dtype_behaviour(name, dtype):
    y, _ = run(IMPLEMENTATIONS[name], np.array([0, 1, 2], dtype=dtype))
    if name == "abs" and np.dtype(dtype).kind in "iu":
        assert y.dtype == np.float64  # true division
    else:
        assert y.dtype == dtype


def test_abs_overflows_near_the_dtype_maximum():
    x = np.array([3e38], dtype=np.float32)
    with np.errstate(over="ignore"):
        assert np.isinf(impls.relu_abs(x)[0])
    assert relu.relu(x)[0] == x[0]


def test_boolean_index_is_cheaper_the_second_time_it_sees_the_array():
    # The documented benchmark flaw: after the first call there is nothing left to fix.
    x = np.array([-1.0, 2.0])
    impls.relu_boolean_index(x)
    again = x.copy()
    impls.relu_boolean_index(again)
    assert (again == x).all() and not (x < 0).any()


def test_scalar_max_counterexample():
    assert impls.relu_scalar_max(-2.5) == 0 and impls.relu_scalar_max(3) == 3
    with pytest.raises(ValueError, match="ambiguous"):
        impls.relu_scalar_max(np.array([-1.0, 2.0]))


def test_abs_multiply_counterexample_equals_multiply_up_to_zero_sign():
    x = np.array([-2.0, -0.0, 1.5, np.inf])
    np.testing.assert_array_equal(impls.relu_abs_multiply(x), impls.relu_multiply(x))
    with pytest.warns(RuntimeWarning, match="invalid value"):
        assert np.isnan(impls.relu_abs_multiply(np.array([-np.inf]))[0])


def test_counterexamples_registered():
    assert set(COUNTEREXAMPLES) == {"scalar_max", "abs_multiply"}
    assert not set(COUNTEREXAMPLES) & set(IMPLEMENTATIONS)


@pytest.mark.skipif(
    tuple(int(p) for p in np.__version__.split(".")[:2]) < (2, 4),
    reason="NumPy before 2.4 accepts a positional out for np.maximum without warning",
)
def test_positional_out_of_the_thread_is_deprecated_as_the_page_says():
    x = np.array([-1.0, 2.0])
    with pytest.warns(DeprecationWarning, match="out"):
        np.maximum(x, 0, x)
