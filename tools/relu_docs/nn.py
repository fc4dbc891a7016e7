"""Figures of the tutorial "A neural network with ReLU in NumPy".

The networks are trained again here, with the settings the page uses, by
:mod:`relu.nn`: the same seeds give the same networks as the page's code
blocks, so the figures show the networks whose numbers the page prints.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from relu.nn import MLP, make_moons
from relu_docs import figures

SIZES = (2, 16, 16, 2)
EPOCHS = 1000
EVERY = 10  # epochs between two points of the training curves
LABELS = {"relu": "ReLU", "leaky_relu": "Leaky ReLU (slope 0.01)"}
COLORS = {"relu": figures.C[3], "leaky_relu": figures.C[0]}


@cache
def data():
    """The page's training and test sets."""
    return make_moons(300, noise=0.2, seed=0), make_moons(1000, noise=0.2, seed=1)


@cache
def trained(activation: str, lr: float, bias_init: float):
    """Train the page's network; record losses and unit counts every ``EVERY`` epochs."""
    (X, y), _ = data()
    net = MLP(SIZES, activation, seed=0, bias_init=bias_init)
    epochs, inactive, dead, losses = [0], [net.inactive_fraction(X)], [net.dead_fraction(X)], []
    for epoch in range(EVERY, EPOCHS + 1, EVERY):
        losses += net.fit(X, y, epochs=EVERY, lr=lr)
        epochs.append(epoch)
        inactive.append(net.inactive_fraction(X))
        dead.append(net.dead_fraction(X))
    losses.append(net.loss(X, y))
    return net, np.array(epochs), np.array(inactive), np.array(dead), np.array(losses)


def decision_boundaries(ctx) -> str:
    """Class-1 probability over the plane for a healthy and two badly initialised networks."""
    import matplotlib.pyplot as plt

    (X, y), (X_test, y_test) = data()
    panels = [("relu", 0.5, 0.0), ("relu", 0.5, -1.5), ("leaky_relu", 0.5, -1.5)]
    xx, yy = np.meshgrid(np.linspace(-1.6, 2.6, 169), np.linspace(-1.2, 1.7, 117))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    # One column of panels: a phone shows each at a readable size, without scrolling.
    fig, axes = plt.subplots(3, 1, figsize=(3.4, 9.0), sharex=True, layout="constrained")
    for ax, (activation, lr, bias_init) in zip(axes, panels):
        net = trained(activation, lr, bias_init)[0]
        logits = net.forward(grid)
        p1 = 0.5 * (1.0 + np.tanh(0.5 * (logits[:, 1] - logits[:, 0])))  # softmax, stably
        filled = ax.contourf(
            xx, yy, p1.reshape(xx.shape), levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8
        )
        filled.set_rasterized(True)  # an embedded bitmap: a tenth of the size of the vector version
        if p1.min() < 0.5 < p1.max():
            ax.contour(
                xx, yy, p1.reshape(xx.shape), levels=[0.5], colors="#000000", linewidths=1.2
            )  # over the colour map: black in both schemes
        for label, marker in ((0, "o"), (1, "s")):
            pts = X[y == label]
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                s=9,
                marker=marker,
                c="#ffffff",
                edgecolors="#000000",
                linewidths=0.5,
            )
        dead = net.dead_fraction(X)
        ax.set_title(
            f"{LABELS[activation].split(' (')[0]}, bias init {bias_init:g}\n"
            f"test accuracy {net.accuracy(X_test, y_test):.3f}, dead units {dead:.0%}",
            fontsize=10,
        )
        ax.set_ylabel("x2")
    axes[-1].set_xlabel("x1")
    fig.colorbar(
        filled,
        ax=axes,
        label="probability of class 1 (red)",
        location="bottom",
        shrink=0.9,
    )
    return ctx.figure(
        fig,
        "nn-decision-boundaries",
        "Predicted class-1 probability over the plane with the 300 training points. Top: the ReLU "
        "network trained with learning rate 0.5 separates the two moons along a curved boundary. "
        "Middle: the ReLU network whose hidden biases started at -1.5 predicts the same "
        "probability "
        "everywhere. Bottom: the Leaky ReLU network from the same start separates the moons.",
    )


def _plain_log_axis(ax) -> None:
    """A log y axis labelled 0.05, 0.1, 0.2 ...: no mathtext powers, no minor tick labels."""
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator, StrMethodFormatter

    ax.set_yscale("log")
    low, high = ax.get_ylim()
    ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5) if low <= t <= high]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_minor_formatter(NullFormatter())


def dead_units_over_training(ctx) -> str:
    """Inactive units and training loss over the epochs, ReLU against Leaky ReLU."""
    import matplotlib.pyplot as plt

    columns = [
        ("learning rate 2.0, bias init 0", 2.0, 0.0),
        ("learning rate 0.5, bias init -1.5", 0.5, -1.5),
    ]
    # One column: for each set-up, units off then training loss; the legend under them all.
    fig, grid = plt.subplots(4, 1, figsize=(3.5, 8.6), sharex=True, layout="constrained")
    axes = np.array([[grid[0], grid[2]], [grid[1], grid[3]]])
    for j, (title, lr, bias_init) in enumerate(columns):
        for activation in ("relu", "leaky_relu"):
            _, epochs, inactive, dead, losses = trained(activation, lr, bias_init)
            color = COLORS[activation]
            axes[0, j].step(
                epochs, inactive, where="post", color=color, label=f"{LABELS[activation]}: inactive"
            )
            if activation == "leaky_relu":
                axes[0, j].step(
                    epochs,
                    dead,
                    where="post",
                    color=color,
                    ls="--",
                    label=f"{LABELS[activation]}: dead",
                )
            axes[1, j].plot(np.arange(len(losses)), losses, color=color, label=LABELS[activation])
        axes[0, j].set_title(title, fontsize=10, loc="left")
        axes[0, j].set_ylim(-0.03, 1.03)
        axes[0, j].yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
        axes[0, j].set_ylabel("units off")
        _plain_log_axis(axes[1, j])
        axes[1, j].set_ylabel("training loss")
    grid[-1].set_xlabel("epoch")
    fig.legend(
        handles=axes[0, 1].get_legend_handles_labels()[0],
        loc="outside lower center",
        ncol=1,
        fontsize=9,
        frameon=False,
    )
    return ctx.figure(
        fig,
        "nn-dead-units",
        "For each of two set-ups, the fraction of the 32 hidden units whose pre-activation is at "
        "most 0 on every training point over 1000 epochs (for ReLU these units are dead, for "
        "Leaky ReLU none is dead), then the training loss on a log scale. With learning rate "
        "2.0 both networks switch off units early and still train. With biases started at "
        "-1.5 the ReLU network's dead units never come back and its loss stays flat at log 2, "
        "while the Leaky ReLU network's loss falls.",
    )
