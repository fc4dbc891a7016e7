"""Matplotlib figures as inline SVG that follows the page's colour scheme.

Figures are drawn with placeholder colours (``FG``, ``GRID``, ``BG`` and the
series colours ``C``), which :func:`to_html` replaces with CSS variables
defined in ``docs/stylesheets/relu.css`` for the light and the dark scheme.
The background is transparent. One SVG therefore reads on white and on
slate, and the page needs no image file: the same HTML comes out of MkDocs
and of Zensical.
"""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")

# Placeholder colours: never drawn as such, replaced by CSS variables.
FG = "#fd0000"  # text, axes, ticks, reference lines
GRID = "#fd0001"  # grid lines, legend frame
BG = "#fd0002"  # legend background (the page's background)
C = [f"#fe00{i:02x}" for i in range(10)]  # series colours, distinct in both schemes
# Line styles to pair with the colours, so series differ without colour too.
DASHES = [
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 1)),
    (0, (8, 2, 2, 2)),
]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]

_VARS = {FG: "var(--relu-fg)", GRID: "var(--relu-grid)", BG: "var(--relu-bg)"}
_VARS.update({c: f"var(--relu-c{i})" for i, c in enumerate(C)})
_COLOR = re.compile("|".join(re.escape(c) for c in _VARS), re.IGNORECASE)

matplotlib.rcParams.update(
    {
        "svg.hashsalt": "relu-docs",
        "svg.fonttype": "none",  # text stays text: selectable, scalable, read by screen readers
        "font.family": "sans-serif",
        "font.size": 10,
        "text.color": FG,
        "axes.labelcolor": FG,
        "axes.edgecolor": FG,
        "axes.titlecolor": FG,
        "axes.facecolor": "none",
        "xtick.color": FG,
        "ytick.color": FG,
        "grid.color": GRID,
        "grid.alpha": 1.0,
        "grid.linewidth": 0.6,
        "legend.facecolor": BG,
        "legend.edgecolor": GRID,
        "legend.framealpha": 1.0,
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "axes.prop_cycle": matplotlib.cycler(color=C),
    }
)


def style(i: int, *, line: bool = True) -> dict:
    """Colour, line style and marker of series ``i``: distinct in colour and shape.

    Past the tenth series the colours repeat, but with another marker.
    """
    s = {
        "color": C[i % len(C)],
        "marker": MARKERS[(i + i // len(C)) % len(MARKERS)],
        "markersize": 3.5,
    }
    if line:
        s["linestyle"] = DASHES[i % len(DASHES)]
    return s


def to_svg(fig, name: str) -> str:
    """The figure as an ``<svg>`` element: ids prefixed by ``name``, colours themed."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = _COLOR.sub(lambda m: _VARS[m.group(0).lower()], svg)
    # Several figures share a page: make their ids unique.
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{name}-\1"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', rf"\g<1>{name}-\2", svg)
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
    svg = re.sub(r'(<svg[^>]*?)\s(width|height)="[^"]*"', r"\1", svg, count=2)
    limits = ""
    if width:
        natural = float(width.group(1)) * 4 / 3  # pt to CSS px
        # Never drawn below 70 % of its size (and 560 px): on a phone a wide
        # figure scrolls sideways in its frame instead of shrinking its text.
        smallest = min(natural, max(560, 0.7 * natural))
        limits = f"max-width: {natural:.0f}px; min-width: {smallest:.0f}px; "
    return svg.replace(
        "<svg", f'<svg class="relu-svg" style="{limits}width: 100%; height: auto"', 1
    )


def to_html(fig, name: str, alt: str, caption: str | None = None) -> str:
    """A ``<figure>`` holding the themed SVG, labelled by ``alt`` for screen readers."""
    svg = to_svg(fig, name)
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{_attr(alt)}"', 1)
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    # ARIA in HTML allows a role on <figure> only without a <figcaption>.
    role = "" if caption else ' role="region"'
    return (
        f'<figure class="relu-figure" id="figure-{name}" data-figure="{name}" '
        f'data-alt="{_attr(alt)}" data-search-exclude tabindex="0"{role} '
        f'aria-label="figure: {_attr(alt)}">{svg}{cap}</figure>'
    )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
