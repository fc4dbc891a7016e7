"""ReLU in NumPy, done right: one recommended function, every popular
alternative, derivatives, the ReLU family and a benchmark harness.

>>> relu.relu([-1.0, 0.0, 2.5])
array([0. , 0. , 2.5])
"""

from __future__ import annotations

from . import variants
from .activations import Activation
from .core import get_num_threads, hardware, loops, relu, set_num_threads
from .gradients import relu_backward, relu_grad
from .implementations import COUNTEREXAMPLES, IMPLEMENTATIONS, Implementation
from .variants import *  # noqa: F403  (the family and ACTIVATIONS: variants.__all__)

__version__ = "0.1.0"

__all__ = [
    "relu",
    "relu_grad",
    "relu_backward",
    "loops",
    "hardware",
    "set_num_threads",
    "get_num_threads",
    "Activation",
    "IMPLEMENTATIONS",
    "COUNTEREXAMPLES",
    "Implementation",
    "__version__",
]
__all__ += variants.__all__
