"""One `Activation` per function of the family (`relu.ACTIVATIONS`), from which the
exports, tests, Variants page and benchmark cases are built; each sits beside its
formula in `relu.variants`.

>>> relu.ACTIVATIONS["celu"].call()
'celu(x, alpha=1.0)'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Activation", "Param", "REQUIRED"]

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
    page; ``forward`` and ``derivative`` the functions; ``params`` the
    keywords (`Param`); ``example`` the keywords the figure and benchmark use;
    ``kinks(keywords)`` where the derivative jumps; ``limits`` the values at
    -inf and +inf; ``torch`` and ``jax`` the counterparts as expressions in
    ``x``; ``float64``, ``linear_pieces`` and ``keeps_integers`` how it
    computes; ``aliases`` and ``extras`` its other public names; ``page`` the
    page with its section. Its test tables are in ``tests/reference.py``.
    """

    name: str
    forward: Callable[..., Any]
    derivative: Callable[..., Any]
    params: Mapping[str, Param]
    example: Mapping[str, Any]
    kinks: Callable[[Mapping[str, Any]], tuple[float, ...]]
    limits: tuple[float, float]
    torch: str | None = None
    jax: str | None = None
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
