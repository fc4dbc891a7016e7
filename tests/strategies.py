"""Hypothesis strategies for arrays of every dtype ReLU accepts."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

INT_DTYPES = [
    np.dtype(t) for t in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
]
FLOAT_DTYPES = [np.dtype(t) for t in ("float16", "float32", "float64")]
REAL_DTYPES = INT_DTYPES + FLOAT_DTYPES

dtypes = st.sampled_from(REAL_DTYPES)
float_dtypes = st.sampled_from(FLOAT_DTYPES)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=7)


@st.composite
def real_arrays(draw, dtype=dtypes, shape=shapes):
    """Arrays with NaN, infinities and -0.0 included for floats, sometimes as views."""
    dt = draw(dtype)
    arr = draw(hnp.arrays(dt, draw(shape)))
    view = draw(st.sampled_from(["none", "transpose", "stride"]))
    if view == "transpose":
        arr = arr.T
    elif view == "stride" and arr.ndim >= 1:
        arr = arr[::2]
    return arr
