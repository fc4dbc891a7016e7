"""Renderers that describe the package's registry."""

from __future__ import annotations

import relu
from relu_docs.machines import numeric as fit
from relu_docs.tables import markdown_table


def implementations(ctx) -> str:
    """Table of ``relu.IMPLEMENTATIONS``: name, expression, in place, summary."""
    rows = [
        [f"`{impl.name}`", f"`{impl.expression}`", "yes" if impl.inplace else "no", impl.summary]
        for impl in relu.IMPLEMENTATIONS.values()
    ]
    return fit(markdown_table(["name", "expression", "in place", "summary"], rows))


def counterexamples(ctx) -> str:
    rows = [
        [f"`{impl.name}`", f"`{impl.expression}`", impl.summary]
        for impl in relu.COUNTEREXAMPLES.values()
    ]
    return fit(markdown_table(["name", "expression", "why not"], rows))
