"""Renderers for the Gradients and Variants pages: figures and tables computed
from the package while the site builds."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

import relu
from relu.activations import Activation
from relu_docs import figures
from relu_docs.tables import markdown_table


def _label(a: Activation, kw: Mapping[str, Any]) -> str:
    """The call with the keywords that differ from the defaults."""
    changed = {k: v for k, v in kw.items() if a.params[k].default != v}
    return a.call(changed) if changed else a.call({})


@dataclass(frozen=True)
class Shown:
    """One activation as the pages draw it: a label, the function, its derivative."""

    label: str
    f: Callable
    df: Callable
    lo: float = -4.0
    hi: float = 4.0
    kinks: tuple[float, ...] = ()
    extra: list = field(default_factory=list)  # (label, f, df) drawn dashed


def _shown(name: str) -> Shown:
    """How the figure of ``name`` looks, from its entry in relu.ACTIVATIONS."""
    a = relu.ACTIVATIONS[name]
    kw = a.keywords()
    extra = []
    for e in a.extra:
        ekw = a.keywords(**e)
        extra.append(
            (
                ", ".join(f"{k}={v!r}" for k, v in e.items()),
                functools.partial(a.forward, **ekw),
                functools.partial(a.derivative, **ekw),
            )
        )
    lo, hi = a.plot
    kinks = tuple(k for k in a.kinks(kw) if lo < k < hi)  # softplus's switch at 20 is off the plot
    return Shown(
        _label(a, kw),
        functools.partial(a.forward, **kw),
        functools.partial(a.derivative, **kw),
        lo,
        hi,
        kinks,
        extra,
    )


def _segments(lo, hi, kinks):
    """Grids between the kinks, so a jump is not drawn as a vertical line."""
    edges = [lo, *[k for k in kinks if lo < k < hi], hi]
    return [np.linspace(a, b, 400) for a, b in pairwise(edges)]


def _draw(ax, shown: Shown, which: str):
    import matplotlib.pyplot as plt

    color = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    fn = shown.f if which == "f" else shown.df
    grid = np.linspace(shown.lo, shown.hi, 801)
    ref = relu.relu(grid) if which == "f" else relu.relu_grad(grid)
    ax.plot(grid, ref, color=figures.C[7], lw=1, label="relu, for scale")
    for i, seg in enumerate(_segments(shown.lo, shown.hi, shown.kinks)):
        # open ends at the kinks: the value there is marked separately
        seg = seg[1:-1] if shown.kinks else seg
        ax.plot(seg, fn(seg), color=color, lw=2, label=shown.label if i == 0 else None)
    for k in shown.kinks:
        ax.plot([k], [float(fn(k))], "o", color=color, ms=5)
    for j, (label, f, df) in enumerate(shown.extra):
        g = f if which == "f" else df
        ax.plot(
            grid,
            g(grid),
            "--",
            lw=1.5,
            color=plt.rcParams["axes.prop_cycle"].by_key()["color"][j + 1],
            label=label,
        )
    ax.axhline(0, color=figures.FG, lw=0.5)
    ax.axvline(0, color=figures.FG, lw=0.5)
    ax.set_xlabel("x")
    ax.set_title("f(x)" if which == "f" else "f'(x), the derivative", fontsize=10)
    ax.grid(True)


def figure(ctx, name: str) -> str:
    """A variant and its derivative side by side, with relu in grey for scale."""
    import matplotlib.pyplot as plt

    shown = _shown(name)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
    _draw(left, shown, "f")
    _draw(right, shown, "df")
    fig.tight_layout()
    handles, labels = left.get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.02),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    alt = f"Plot of {shown.label} and its derivative on [{shown.lo:g}, {shown.hi:g}]"
    return ctx.figure(fig, f"variant-{name}", alt)


def api_links(ctx) -> str:
    """The page's functions, each linked to its entry in the API reference."""
    names = [a.name for a in relu.ACTIVATIONS.values() if a.page == "guide/variants.md"]
    return ", ".join(f"[`relu.{n}`][relu.{n}]" for n in names) + "."


def _short(call: str) -> str:
    """``F.elu(x, alpha)`` as ``F.elu``; a call passing more than its parameters stays whole."""
    name, _, args = call.partition("(")
    plain = all(re.fullmatch(r"(\w+)(=\1)?", a.strip()) for a in args.rstrip(")").split(","))
    return f"`{name if plain else call}`"


def counterparts(ctx) -> str:
    """Each activation's PyTorch and JAX counterpart, from relu.ACTIVATIONS."""
    rows = []
    for a in relu.ACTIVATIONS.values():
        rows.append(
            [
                f"[`{a.name}`](#{a.name})" if a.page else f"`{a.name}`",
                _short(a.torch) if a.torch else "none",
                _short(a.jax) if a.jax else "none",
            ]
        )
    return markdown_table(["relu", "PyTorch", "JAX"], rows, "lll")


def relu_derivative(ctx) -> str:
    """ReLU and its derivative, with the value the package returns at 0 marked."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
    color = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    grid = np.linspace(-3, 3, 601)
    left.plot(grid, relu.relu(grid), color=color, lw=2)
    left.set_title("relu(x)", fontsize=10)
    neg, pos = np.linspace(-3, 0, 300)[:-1], np.linspace(0, 3, 300)[1:]
    right.plot(neg, relu.relu_grad(neg), color=color, lw=2)
    right.plot(pos, relu.relu_grad(pos), color=color, lw=2)
    right.plot([0], [1], "o", mfc=figures.BG, color=color, ms=6, label="not taken")
    right.plot([0], [float(relu.relu_grad(0.0))], "o", color=color, ms=6, label="relu_grad(0.0)")
    right.plot([0, 0], [0, 1], ":", color=figures.FG, lw=1)
    right.set_title("relu'(x): any value in [0, 1] is a subgradient at 0", fontsize=10)
    right.legend(fontsize=8, loc="upper left")
    for ax in (left, right):
        ax.set_xlabel("x")
        ax.grid(True)
    fig.tight_layout()
    return ctx.figure(
        fig, "relu-derivative", "ReLU and its derivative, which relu_grad takes as 0 at x = 0"
    )
