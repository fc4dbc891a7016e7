"""ReLU in NumPy, done right: one recommended function, every popular
alternative, derivatives, variants and a benchmark harness.

>>> from relu import relu
>>> relu([-1.0, 0.0, 2.5])
array([0. , 0. , 2.5])
"""

from __future__ import annotations

from .core import relu
from .gradients import relu_backward, relu_grad
from .implementations import COUNTEREXAMPLES, IMPLEMENTATIONS, Implementation

__version__ = "0.1.0"

__all__ = [
    "relu",
    "relu_grad",
    "relu_backward",
    "IMPLEMENTATIONS",
    "COUNTEREXAMPLES",
    "Implementation",
    "__version__",
]
