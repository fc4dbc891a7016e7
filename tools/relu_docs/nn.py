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
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharey=True, layout="constrained")
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
        ax.set_xlabel("x1")
    axes[0].set_ylabel("x2")
    fig.colorbar(filled, ax=axes, label="predicted probability of class 1", shrink=0.9)
    return ctx.figure(
        fig,
        "nn-decision-boundaries",
        "Predicted class-1 probability over the plane with the 300 training points. Left: the ReLU "
        "network trained with learning rate 0.5 separates the two moons along a curved boundary. "
        "Middle: the ReLU network whose hidden biases started at -1.5 predicts the same "
        "probability "
        "everywhere. Right: the Leaky ReLU network from the same start separates the moons.",
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
    fig, axes = plt.subplots(2, 2, figsize=(10, 5.5), sharex=True, layout="constrained")
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
        axes[0, j].set_title(title, fontsize=10)
        axes[0, j].set_ylim(-0.03, 1.03)
        axes[0, j].yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
        _plain_log_axis(axes[1, j])
        axes[1, j].set_xlabel("epoch")
    axes[0, 0].set_ylabel("hidden units off\non every training point")
    axes[1, 0].set_ylabel("training loss")
    axes[0, 1].legend(fontsize=8, loc="center right")
    axes[1, 1].legend(fontsize=8, loc="center right")
    return ctx.figure(
        fig,
        "nn-dead-units",
        "Top: fraction of the 32 hidden units whose pre-activation is at most 0 on every training "
        "point, over 1000 epochs; for ReLU these units are dead, for Leaky ReLU none is dead. "
        "Bottom: training loss on a log scale. With learning rate 2.0 both networks switch off "
        "units early and still train. With biases started at -1.5 the ReLU network's dead units "
        "never come back and its loss stays flat at log 2, while the Leaky ReLU network's loss "
        "falls.",
    )
