"""The ReLU family as data: one `Activation` per function, from which the
exports, the tests, the Variants page and the benchmark cases are built.
Adding an activation: its functions in `relu.variants`, its entry here, its
section on the Variants page; ``tests/test_activations.py`` names a missing part.

>>> from relu import ACTIVATIONS
>>> ACTIVATIONS["celu"].call()
'celu(x, alpha=1.0)'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import variants as V
from .core import relu
from .gradients import relu_grad

__all__ = ["Activation", "Param", "REQUIRED", "ACTIVATIONS"]

REQUIRED: Any = type("Required", (), {"__repr__": lambda self: "REQUIRED"})()
"""The default of a parameter that has none (``threshold``'s two, ``prelu``'s weight)."""


@dataclass(frozen=True)
class Param:
    """One keyword of an activation.

    Attributes
    ----------
    default : float or str or REQUIRED
        Its default, as in the function's signature.
    low, high : float
        The range the property tests draw values from (valid values only).
    choices : tuple of str
        For a string keyword, its valid values (then ``low``/``high`` unused).
    keyword_only : bool
        Whether it must be passed by keyword (``gelu``'s ``approximate``).
    """

    default: Any
    low: float = 0.0
    high: float = 0.0
    choices: tuple[str, ...] = ()
    keyword_only: bool = False


@dataclass(frozen=True)
class Activation:
    """One member of the ReLU family and everything the project knows about it.

    ``name`` is the function's name and its section's anchor on the Variants
    page; ``forward`` and ``derivative`` the functions (their per-element
    references with `math` are in the tests, ``tests/reference.py``);
    ``params`` the keywords (`Param`); ``example`` the keywords the figure
    and benchmark use; ``kinks(keywords)`` where the derivative jumps and
    ``at_kinks`` its value there, as PyTorch's autograd gives it; ``limits``
    the values at -inf and +inf; ``invalid`` keyword values that raise; ``torch``
    and ``jax`` the counterparts as expressions in ``x``; ``float64``,
    ``linear_pieces`` and ``keeps_integers`` how it computes; ``aliases`` and
    ``extras`` its other public names; ``page`` the page with its section.
    """

    name: str
    forward: Callable[..., Any]
    derivative: Callable[..., Any]
    params: Mapping[str, Param]
    example: Mapping[str, Any]
    kinks: Callable[[Mapping[str, Any]], tuple[float, ...]]
    at_kinks: tuple[tuple[float, Mapping[str, Any], float], ...]
    limits: tuple[float, float]
    invalid: tuple[tuple[Mapping[str, Any], str], ...]
    torch: str | None
    jax: str | None
    plot: tuple[float, float] = (-4.0, 4.0)
    extra: tuple[Mapping[str, Any], ...] = ()
    float64: bool = False
    linear_pieces: bool = False
    keeps_integers: bool = False
    aliases: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    page: str | None = "guide/variants.md"

    def defaults(self) -> dict[str, Any]:
        """The keywords a call needs: the defaults, with required ones from `example`."""
        return {
            k: (self.example[k] if p.default is REQUIRED else p.default)
            for k, p in self.params.items()
        }

    def keywords(self, **overrides: Any) -> dict[str, Any]:
        """`example`'s keywords over the defaults, then ``overrides``."""
        return {**self.defaults(), **self.example, **overrides}

    def call(self, keywords: Mapping[str, Any] | None = None) -> str:
        """The call as a reader writes it, with every keyword spelled out.

        ``None`` gives the call with its defaults (required ones from `example`).
        """
        kw = self.defaults() if keywords is None else dict(keywords)
        args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
        return f"{self.name}(x{', ' + args if args else ''})"

    def public_names(self) -> tuple[str, ...]:
        """Every public name this entry accounts for."""
        grads = tuple(f"{a}_grad" for a in self.aliases)
        return (self.name, self.derivative.__name__, *self.aliases, *grads, *self.extras)


def _num(low: float, high: float, default: Any = REQUIRED) -> Param:
    return Param(default, low, high)


def _kinks_at(*points: float) -> Callable[[Mapping[str, Any]], tuple[float, ...]]:
    return lambda kw: points


_ACTIVATIONS = [
    Activation(
        "relu",
        relu,
        relu_grad,
        {},
        {},
        kinks=_kinks_at(0.0),
        at_kinks=((0.0, {}, 0.0),),
        limits=(0.0, math.inf),
        invalid=(),
        torch="F.relu(x)",
        jax="jax.nn.relu(x)",
        keeps_integers=True,
        page=None,
        linear_pieces=True,
    ),
    Activation(
        "leaky_relu",
        V.leaky_relu,
        V.leaky_relu_grad,
        {"negative_slope": _num(0.0, 1.0, 0.01)},
        {"negative_slope": 0.1},
        kinks=_kinks_at(0.0),
        at_kinks=((0.0, {"negative_slope": 0.2}, 0.2),),
        limits=(-math.inf, math.inf),
        invalid=(
            ({"negative_slope": -0.1}, "negative_slope must be >= 0"),
            ({"negative_slope": math.nan}, "negative_slope must be a finite"),
        ),
        torch="F.leaky_relu(x, negative_slope)",
        jax="jax.nn.leaky_relu(x, negative_slope)",
        linear_pieces=True,
    ),
    Activation(
        "prelu",
        V.prelu,
        V.prelu_grad,
        {"weight": _num(0.0, 1.0)},
        {"weight": 0.25},
        kinks=_kinks_at(0.0),
        at_kinks=((0.0, {"weight": 0.3}, 0.3),),
        limits=(-math.inf, math.inf),
        invalid=(),
        torch="F.prelu(x, torch.tensor([weight], dtype=x.dtype))",
        jax=None,
        extras=("prelu_backward",),
        linear_pieces=True,
    ),
    Activation(
        "piecewise_linear",
        V.piecewise_linear,
        V.piecewise_linear_grad,
        {
            "threshold": _num(-5.0, 5.0, 0.0),
            "slope_below": _num(-3.0, 3.0, 0.0),
            "slope_above": _num(-3.0, 3.0, 1.0),
        },
        # the page's example: t0, a0, a1 = 2.0, 0.5, 3.0, so the figure shows its jump from 1 to 6
        {"threshold": 2.0, "slope_below": 0.5, "slope_above": 3.0},
        kinks=lambda kw: (kw["threshold"],),
        at_kinks=((2.0, {"threshold": 2.0, "slope_below": -1.0, "slope_above": 3.0}, -1.0),),
        limits=(0.0, math.inf),
        invalid=(
            ({"threshold": math.inf}, "threshold must be a finite"),
            ({"slope_above": math.nan}, "slope_above must be a finite"),
        ),
        torch=None,
        jax=None,
        linear_pieces=True,
    ),
    Activation(
        "relu6",
        V.relu6,
        V.relu6_grad,
        {},
        {},
        kinks=_kinks_at(0.0, 6.0),
        at_kinks=((0.0, {}, 0.0), (6.0, {}, 0.0)),
        limits=(0.0, 6.0),
        invalid=(),
        torch="F.relu6(x)",
        jax="jax.nn.relu6(x)",
        plot=(-2.0, 8.0),
        keeps_integers=True,
        linear_pieces=True,
    ),
    Activation(
        "hardtanh",
        V.hardtanh,
        V.hardtanh_grad,
        {"min_val": _num(-3.0, 0.0, -1.0), "max_val": _num(0.0, 3.0, 1.0)},
        {},
        kinks=lambda kw: (kw["min_val"], kw["max_val"]),
        at_kinks=((-1.0, {}, 0.0), (1.0, {}, 0.0), (0.0, {"min_val": 0.0, "max_val": 6.0}, 0.0)),
        limits=(-1.0, 1.0),
        invalid=(
            ({"min_val": 2.0, "max_val": 1.0}, "min_val must not be greater than max_val"),
            ({"max_val": math.inf}, "max_val must be a finite"),
        ),
        torch="F.hardtanh(x, min_val, max_val)",
        jax="jax.nn.hard_tanh(x)",  # bounds -1 and 1 only
        extra=({"min_val": 0.0, "max_val": 6.0},),
        linear_pieces=True,
    ),
    Activation(
        "threshold",
        V.threshold,
        V.threshold_grad,
        {"threshold": _num(-3.0, 3.0), "value": _num(-3.0, 3.0)},
        {"threshold": 1.0, "value": -0.5},
        kinks=lambda kw: (kw["threshold"],),
        at_kinks=((1.0, {"threshold": 1.0, "value": -0.5}, 0.0),),
        limits=(-0.5, math.inf),
        invalid=(
            ({"threshold": math.nan, "value": 0.0}, "threshold must be a finite"),
            ({"threshold": 0.0, "value": -math.inf}, "value must be a finite"),
        ),
        torch="F.threshold(x, threshold, value)",
        jax=None,
        linear_pieces=True,
    ),
    Activation(
        "elu",
        V.elu,
        V.elu_grad,
        {"alpha": _num(0.0, 3.0, 1.0)},
        {},
        kinks=lambda kw: () if kw["alpha"] == 1 else (0.0,),
        at_kinks=((0.0, {"alpha": 0.5}, 0.5),),
        limits=(-1.0, math.inf),
        invalid=(
            ({"alpha": -1.0}, "alpha must be >= 0"),
            ({"alpha": math.inf}, "alpha must be a finite"),
        ),
        torch="F.elu(x, alpha)",
        jax="jax.nn.elu(x, alpha)",
        float64=True,
    ),
    Activation(
        "celu",
        V.celu,
        V.celu_grad,
        {"alpha": _num(0.05, 3.0, 1.0)},
        {},
        kinks=_kinks_at(),
        at_kinks=((0.0, {"alpha": 0.5}, 1.0),),
        limits=(-1.0, math.inf),
        invalid=(({"alpha": 0.0}, "alpha must be > 0"), ({"alpha": -1.0}, "alpha must be > 0")),
        torch="F.celu(x, alpha)",
        jax="jax.nn.celu(x, alpha)",
        float64=True,
        extra=({"alpha": 0.5},),
    ),
    Activation(
        "selu",
        V.selu,
        V.selu_grad,
        {},
        {},
        kinks=_kinks_at(0.0),
        at_kinks=((0.0, {}, V.SELU_SCALE * V.SELU_ALPHA),),
        limits=(-V.SELU_SCALE * V.SELU_ALPHA, math.inf),
        invalid=(),
        torch="F.selu(x)",
        jax="jax.nn.selu(x)",
        float64=True,
    ),
    Activation(
        "gelu",
        V.gelu,
        V.gelu_grad,
        {"approximate": Param("none", choices=("none", "tanh"), keyword_only=True)},
        {},
        kinks=_kinks_at(),
        at_kinks=((0.0, {}, 0.5), (0.0, {"approximate": "tanh"}, 0.5)),
        limits=(0.0, math.inf),
        invalid=(
            ({"approximate": "exact"}, "approximate must be 'none'"),
            ({"approximate": True}, "approximate must be 'none'"),
        ),
        torch="F.gelu(x, approximate=approximate)",
        jax="jax.nn.gelu(x, approximate=False)",  # JAX's default is the tanh form
        float64=True,
        extra=({"approximate": "tanh"},),
    ),
    Activation(
        "softplus",
        V.softplus,
        V.softplus_grad,
        {"beta": _num(0.1, 10.0, 1.0), "threshold": _num(1.0, 30.0, 20.0)},
        {},
        # the switch to x at beta * x == threshold is a (tiny) jump
        kinks=lambda kw: (kw["threshold"] / kw["beta"],),
        at_kinks=((0.0, {}, 0.5),),
        limits=(0.0, math.inf),
        invalid=(
            ({"beta": 0.0}, "beta must be > 0"),
            ({"threshold": 0.0}, "threshold must be > 0"),
            ({"threshold": math.nan}, "threshold must be a finite"),
        ),
        torch="F.softplus(x, beta, threshold)",
        jax="jax.nn.softplus(x)",  # no beta, no threshold
        float64=True,
        extra=({"beta": 4.0},),
    ),
    Activation(
        "squareplus",
        V.squareplus,
        V.squareplus_grad,
        {"b": _num(0.01, 10.0, 4.0)},
        {},
        kinks=_kinks_at(),
        at_kinks=((0.0, {}, 0.5), (0.0, {"b": 0.0}, 0.0)),
        limits=(0.0, math.inf),
        invalid=(({"b": -1.0}, "b must be >= 0"), ({"b": math.inf}, "b must be a finite")),
        torch=None,
        jax="jax.nn.squareplus(x, b)",
        float64=True,
        extra=({"b": 0.5},),
    ),
    Activation(
        "silu",
        V.silu,
        V.silu_grad,
        {},
        {},
        kinks=_kinks_at(),
        at_kinks=((0.0, {}, 0.5),),
        limits=(0.0, math.inf),
        invalid=(),
        torch="F.silu(x)",
        jax="jax.nn.silu(x)",
        float64=True,
        aliases=("swish",),
    ),
    Activation(
        "mish",
        V.mish,
        V.mish_grad,
        {},
        {},
        kinks=_kinks_at(),
        at_kinks=((0.0, {}, 0.6),),
        limits=(0.0, math.inf),
        invalid=(),
        torch="F.mish(x)",
        jax="jax.nn.mish(x)",
        float64=True,
    ),
    Activation(
        "hardswish",
        V.hardswish,
        V.hardswish_grad,
        {},
        {},
        kinks=_kinks_at(-3.0, 3.0),
        at_kinks=((-3.0, {}, 0.0), (3.0, {}, 1.0)),
        limits=(0.0, math.inf),
        invalid=(),
        torch="F.hardswish(x)",
        jax="jax.nn.hard_swish(x)",
        float64=True,
    ),
    Activation(
        "squared_relu",
        V.squared_relu,
        V.squared_relu_grad,
        {},
        {},
        kinks=_kinks_at(),
        at_kinks=((0.0, {}, 0.0),),
        limits=(0.0, math.inf),
        invalid=(),
        torch="torch.square(F.relu(x))",
        jax=None,
        plot=(-2.0, 2.0),
    ),
]

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in _ACTIVATIONS}
"""Every activation of the package, by name, in the order the Variants page shows them."""
