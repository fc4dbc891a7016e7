"""Every way to compute ReLU that the popular answers propose.

Each function is the answer's expression, unchanged apart from an
``np.asarray`` so that lists work too. They are here to be compared, timed
and understood; for your own code use [`relu.relu`][relu.relu]. The Correctness
page of the documentation tabulates how each one treats NaN, infinities,
``-0.0`` and integer input.

The registry [`IMPLEMENTATIONS`][relu.implementations.IMPLEMENTATIONS] maps a name to an
[`Implementation`][relu.implementations.Implementation];
[`COUNTEREXAMPLES`][relu.implementations.COUNTEREXAMPLES] holds two answers that are wrong or
needlessly slow,
with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Implementation",
    "IMPLEMENTATIONS",
    "COUNTEREXAMPLES",
    "relu_maximum",
    "relu_multiply",
    "relu_abs",
    "relu_where",
    "relu_clip",
    "relu_maximum_inplace",
    "relu_boolean_index",
    "relu_scalar_max",
    "relu_abs_multiply",
]


@dataclass(frozen=True)
class Implementation:
    """One entry of the registry: its ``name``; ``func(x) -> ndarray`` (in place when
    ``inplace``: it overwrites ``x`` and returns it); a one-line ``summary`` with its main
    caveat; the ``expression`` as the answers write it."""

    name: str
    func: Callable[[np.ndarray], np.ndarray]
    inplace: bool
    summary: str
    expression: str


def relu_maximum(x):
    """``np.maximum(x, 0)``: element-wise maximum against a scalar zero.

    Keeps the dtype, propagates NaN, maps ``-inf`` to ``0.0`` (``-0.0`` too,
    except in float16). [`relu.relu`][relu.relu] gives the same bytes (float16's
    ``-0.0`` as ``0.0``).

    Examples
    --------
    >>> relu_maximum([-1.5, 2.0])
    array([0., 2.])
    """
    return np.maximum(np.asarray(x), 0)


def relu_multiply(x):
    """``x * (x > 0)``: multiply by the boolean mask.

    Caveats: negative inputs give ``-0.0`` (``-1.5 * 0``), ``-inf`` gives NaN
    (``-inf * 0``), and it makes two passes and a temporary boolean array.

    Examples
    --------
    >>> relu_multiply([-1.5, 2.0])
    array([-0.,  2.])
    """
    x = np.asarray(x)
    return x * (x > 0)


def relu_abs(x):
    """``(abs(x) + x) / 2``: the arithmetic identity ``max(x, 0) = (|x| + x) / 2``.

    Caveats: true division turns integer input into float64; ``-inf`` gives
    NaN (``inf - inf``); values above half the dtype's maximum overflow to
    ``inf`` in ``abs(x) + x``; three passes and two temporaries.

    Examples
    --------
    >>> relu_abs([-1, 2])
    array([0., 2.])
    """
    x = np.asarray(x)
    return (abs(x) + x) / 2


def relu_where(x):
    """``np.where(x > 0, x, 0)``: select ``x`` where positive, else 0.

    Caveat: NaN is replaced by 0, because ``nan > 0`` is false, which hides
    a diverged computation instead of propagating it.

    Examples
    --------
    >>> relu_where([-1.5, 2.0, float("nan")])
    array([0., 2., 0.])
    """
    x = np.asarray(x)
    return np.where(x > 0, x, 0)


def relu_clip(x):
    """``np.clip(x, 0, None)``: clip from below at 0.

    Same results as `relu_maximum` (NaN kept, dtype kept).

    Examples
    --------
    >>> relu_clip([-1.5, 2.0])
    array([0., 2.])
    """
    return np.clip(np.asarray(x), 0, None)


def relu_maximum_inplace(x):
    """``np.maximum(x, 0, out=x)``: overwrite ``x`` with its ReLU and return it.

    The thread's ``np.maximum(x, 0, x)``: nothing is allocated, and the
    caller's array is modified (keep a copy if the backward pass needs ``x``).

    Examples
    --------
    >>> x = np.array([-1.5, 2.0])
    >>> relu_maximum_inplace(x) is x
    True
    >>> x
    array([0., 2.])
    """
    return np.maximum(x, 0, out=x)


def relu_boolean_index(x):
    """``x[x < 0] = 0``: boolean-mask assignment, in place; returns ``x``.

    NaN stays NaN and ``-0.0`` stays ``-0.0``. Its time depends on how many
    elements are negative (Methodology, pitfall 1).

    Examples
    --------
    >>> x = np.array([-1.5, 2.0])
    >>> relu_boolean_index(x)
    array([0., 2.])
    """
    x[x < 0] = 0
    return x


def relu_scalar_max(net):
    """``max(0, net)`` for a single number, the thread's "single neuron" answer.

    Counterexample: on an array it raises ``ValueError`` (the truth value of
    an array is ambiguous); on NaN it depends on the order: ``max(0, nan)``
    is ``0`` but ``max(nan, 0)`` is ``nan``.

    Examples
    --------
    >>> relu_scalar_max(-2.5), relu_scalar_max(3)
    (0, 3)
    """
    return max(0, net)


def relu_abs_multiply(x):
    """``abs(x) * (x > 0)``: proposed as "more precise"; it is not.

    Counterexample: where the mask is 1, ``x`` is already positive, so the
    ``abs`` changes nothing there; where it is 0 it turns the ``-0.0`` of
    `relu_multiply` into ``0.0``, its one gain, for a whole extra pass.
    ``-inf`` still gives NaN (``inf * 0``).

    Examples
    --------
    >>> relu_abs_multiply([-1.5, 2.0])
    array([0., 2.])
    """
    x = np.asarray(x)
    return abs(x) * (x > 0)


# fmt: off
IMPLEMENTATIONS: dict[str, Implementation] = {i.name: i for i in (
    Implementation("maximum", relu_maximum, False,
        "Element-wise maximum with 0; keeps dtype and NaN. The baseline.", "np.maximum(x, 0)"),
    Implementation("multiply", relu_multiply, False,
        "Multiply by the mask; gives -0.0 for negatives and NaN for -inf.", "x * (x > 0)"),
    Implementation("abs", relu_abs, False,
        "(|x| + x) / 2; integers become float64, -inf becomes NaN.", "(abs(x) + x) / 2"),
    Implementation("where", relu_where, False,
        "Select x where positive; silently replaces NaN by 0.", "np.where(x > 0, x, 0)"),
    Implementation("clip", relu_clip, False,
        "Clip from below at 0; same results as maximum.", "np.clip(x, 0, None)"),
    Implementation("maximum_inplace", relu_maximum_inplace, True,
        "np.maximum writing into x; no allocation, mutates the input.", "np.maximum(x, 0, out=x)"),
    Implementation("boolean_index", relu_boolean_index, True,
        "Assign 0 through a boolean mask; mutates x, keeps -0.0.", "x[x < 0] = 0"),
)}
"""Registry of the answers' implementations, name to
[`Implementation`][relu.implementations.Implementation].
"""

COUNTEREXAMPLES: dict[str, Implementation] = {i.name: i for i in (
    Implementation("scalar_max", relu_scalar_max, False,
        "Python's max(0, net): scalars only; arrays raise ValueError.", "max(0, net)"),
    Implementation("abs_multiply", relu_abs_multiply, False,
        "abs(x) * (x > 0): an extra pass whose one gain is +0.0 instead of -0.0; -inf still "
        "gives NaN.", "abs(x) * (x > 0)"),
)}
"""Answers kept as documented counterexamples, not for benchmarking."""
# fmt: on
