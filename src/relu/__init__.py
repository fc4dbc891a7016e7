"""ReLU in NumPy, done right: one recommended function, every popular
alternative, derivatives, variants and a benchmark harness.

>>> from relu import relu
>>> relu([-1.0, 0.0, 2.5])
array([0. , 0. , 2.5])
"""

from __future__ import annotations

from .core import loops, relu
from .gradients import relu_backward, relu_grad
from .implementations import COUNTEREXAMPLES, IMPLEMENTATIONS, Implementation
from .variants import (
    SELU_ALPHA,
    SELU_SCALE,
    elu,
    elu_grad,
    gelu,
    gelu_grad,
    leaky_relu,
    leaky_relu_grad,
    piecewise_linear,
    piecewise_linear_grad,
    prelu,
    prelu_backward,
    prelu_grad,
    relu6,
    relu6_grad,
    selu,
    selu_grad,
    silu,
    silu_grad,
    softplus,
    softplus_grad,
    swish,
    swish_grad,
)

__version__ = "0.1.0"

__all__ = [
    "relu",
    "relu_grad",
    "relu_backward",
    "loops",
    "SELU_ALPHA",
    "SELU_SCALE",
    "leaky_relu",
    "leaky_relu_grad",
    "prelu",
    "prelu_grad",
    "prelu_backward",
    "piecewise_linear",
    "piecewise_linear_grad",
    "relu6",
    "relu6_grad",
    "elu",
    "elu_grad",
    "selu",
    "selu_grad",
    "gelu",
    "gelu_grad",
    "softplus",
    "softplus_grad",
    "silu",
    "silu_grad",
    "swish",
    "swish_grad",
    "IMPLEMENTATIONS",
    "COUNTEREXAMPLES",
    "Implementation",
    "__version__",
]
