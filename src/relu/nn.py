"""A small multilayer perceptron in NumPy, for the tutorial and its tests.

This is the network that the tutorial page "A neural network with ReLU in
NumPy" builds from scratch, packaged so that later sections, the tests and
the plots can reuse it: a two-moons data generator, a fully connected
network with ReLU or Leaky ReLU hidden layers and a softmax output, trained
by full-batch gradient descent on the mean cross-entropy, and the tools to
check its gradients and count its dead units.

Everything is float64 and seeded: the same arguments give the same numbers.

Examples
--------
>>> from relu.nn import MLP, make_moons
>>> X, y = make_moons(200, noise=0.2, seed=0)
>>> net = MLP([2, 16, 16, 2], seed=0)
>>> losses = net.fit(X, y, epochs=100, lr=0.5)
>>> bool(losses[-1] < losses[0])
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .core import relu
from .gradients import relu_backward, relu_grad
from .variants import leaky_relu, leaky_relu_grad

__all__ = [
    "make_moons",
    "softmax_cross_entropy",
    "MLP",
    "numerical_gradient",
    "relative_error",
    "gradient_check",
]

ACTIVATIONS = ("relu", "leaky_relu")


def make_moons(n_samples: int = 200, *, noise: float = 0.2, seed: int = 0):
    """Two interleaving half circles in the plane, a classic toy data set.

    Class 0 lies on the upper half circle of radius 1 centred at ``(0, 0)``;
    class 1 on the lower half circle centred at ``(1, 0.5)``. Angles are
    drawn uniformly, Gaussian noise of standard deviation ``noise`` is added
    to both coordinates, and the rows are shuffled. No download involved.

    Parameters
    ----------
    n_samples : int
        Number of points; class 0 gets ``n_samples // 2`` of them, class 1 the rest.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int
        Seed of the `numpy.random.default_rng` generator.

    Returns
    -------
    X : numpy.ndarray
        Points, shape ``(n_samples, 2)``, float64.
    y : numpy.ndarray
        Labels 0 or 1, shape ``(n_samples,)``, int64.

    Examples
    --------
    >>> from relu.nn import make_moons
    >>> X, y = make_moons(5, seed=0)
    >>> X.shape, X.dtype, y.tolist()
    ((5, 2), dtype('float64'), [1, 0, 1, 1, 0])
    """
    if n_samples < 0:
        raise ValueError(f"n_samples must be >= 0, got {n_samples}")
    rng = np.random.default_rng(seed)
    n0 = n_samples // 2
    t = rng.uniform(0.0, np.pi, size=n_samples)
    upper = np.column_stack([np.cos(t[:n0]), np.sin(t[:n0])])
    lower = np.column_stack([1.0 - np.cos(t[n0:]), 0.5 - np.sin(t[n0:])])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(n_samples, 2))
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n_samples - n0, dtype=np.int64)])
    order = rng.permutation(n_samples)
    return X[order], y[order]


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of a softmax over ``logits``, and its gradient.

    Computed from the log-softmax ``z - max(z) - log(sum(exp(z - max(z))))``,
    so large logits neither overflow nor lose the loss to ``log(0)``.

    Parameters
    ----------
    logits : numpy.ndarray
        Scores, shape ``(n, classes)``.
    y : numpy.ndarray
        Integer labels in ``range(classes)``, shape ``(n,)``; others raise ``ValueError``.

    Returns
    -------
    loss : float
        ``-mean(log softmax(logits)[i, y[i]])``.
    dlogits : numpy.ndarray
        Gradient of ``loss`` with respect to ``logits``: ``(softmax - onehot) / n``.

    Examples
    --------
    >>> import numpy as np
    >>> from relu.nn import softmax_cross_entropy
    >>> loss, d = softmax_cross_entropy(np.array([[0.0, 0.0], [1000.0, 0.0]]), np.array([0, 0]))
    >>> round(loss, 6), d.round(3).tolist()
    (0.346574, [[-0.25, 0.25], [0.0, 0.0]])
    """
    n = len(logits)
    y = _labels(y, n, logits.shape[1])
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1.0
    return float(loss), dlogits / n


def _labels(y, n: int, classes: int) -> np.ndarray:
    """``y`` as ``n`` integer labels in ``range(classes)``; anything else raises ValueError."""
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"y has shape {y.shape}, expected ({n},): one label per row")
    if y.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers, got dtype {y.dtype}")
    if n and (y.min() < 0 or y.max() >= classes):
        raise ValueError(f"labels must lie in range({classes}), got {y.min()} to {y.max()}")
    return y


class MLP:
    """A fully connected network: hidden ReLU (or Leaky ReLU) layers, softmax output.

    Each layer computes ``z = a @ W + b``; hidden layers apply the activation,
    the last gives softmax logits. Weights start as ``N(0, 2 / fan_in)`` (He),
    from one seeded generator. See [the tutorial](../tutorial/neural-network.md).

    Parameters
    ----------
    sizes : sequence of int
        Widths of the layers, input first, number of classes last,
        e.g. ``[2, 16, 16, 2]``.
    activation : {"relu", "leaky_relu"}
        Activation of the hidden layers: [`relu.relu`][relu.relu] or
        [`relu.leaky_relu`][relu.leaky_relu].
    seed : int
        Seed of the generator that draws the initial weights.
    bias_init : float
        Initial value of the hidden layers' biases. A large negative value
        starts most units switched off (see `dead_fraction`).
    negative_slope : float
        Slope of Leaky ReLU for negative inputs; ignored for ReLU.

    Attributes
    ----------
    params : list of [W, b]
        The weights ``W`` (shape ``(fan_in, fan_out)``) and biases ``b``
        (shape ``(fan_out,)``) of each layer. `fit` updates them in place.

    Examples
    --------
    >>> from relu.nn import MLP
    >>> net = MLP([2, 8, 2], seed=0)
    >>> [W.shape for W, b in net.params]
    [(2, 8), (8, 2)]
    >>> net.forward([[0.0, 1.0]]).shape
    (1, 2)
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        *,
        seed: int = 0,
        bias_init: float = 0.0,
        negative_slope: float = 0.01,
    ):
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes needs at least two positive widths, got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        self.sizes = sizes
        self.activation = activation
        self.negative_slope = float(negative_slope)
        rng = np.random.default_rng(seed)
        self.params = []
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
            hidden = i < len(sizes) - 2
            b = np.full(fan_out, float(bias_init) if hidden else 0.0)
            self.params.append([W, b])

    def __repr__(self) -> str:
        return f"MLP({self.sizes}, activation={self.activation!r})"

    # -- the activation and its derivative ---------------------------------

    def _act(self, z):
        if self.activation == "relu":
            return relu(z)
        return leaky_relu(z, negative_slope=self.negative_slope)

    def _act_grad(self, z):
        if self.activation == "relu":
            return relu_grad(z)
        return leaky_relu_grad(z, negative_slope=self.negative_slope)

    def _act_backward(self, dout, z):
        if self.activation == "relu":
            return relu_backward(dout, z)
        return dout * leaky_relu_grad(z, negative_slope=self.negative_slope)

    # -- forward and backward ----------------------------------------------

    def _forward(self, X):
        a = np.asarray(X, dtype=np.float64)
        cache = []
        for i, (W, b) in enumerate(self.params):
            z = a @ W + b
            cache.append((a, z))
            a = z if i == len(self.params) - 1 else self._act(z)
        return a, cache

    def forward(self, X):
        """Logits for the rows of ``X``, shape ``(len(X), sizes[-1])``."""
        return self._forward(X)[0]

    def pre_activations(self, X):
        """The hidden layers' pre-activations ``z``, one ``(len(X), width)`` array per layer.

        Examples
        --------
        >>> from relu.nn import MLP
        >>> [z.shape for z in MLP([2, 5, 3, 2]).pre_activations([[1.0, 2.0]])]
        [(1, 5), (1, 3)]
        """
        return [z for _, z in self._forward(X)[1][:-1]]

    def loss(self, X, y) -> float:
        """Mean softmax cross-entropy on ``(X, y)``."""
        return softmax_cross_entropy(self.forward(X), y)[0]

    def loss_and_grads(self, X, y):
        """The loss on ``(X, y)`` and its gradient, by backpropagation.

        Returns
        -------
        loss : float
            The mean cross-entropy on ``(X, y)``.
        grads : list of [dW, db]
            Same structure and shapes as `params`.
        """
        logits, cache = self._forward(X)
        loss, d = softmax_cross_entropy(logits, y)
        grads = []
        for i in reversed(range(len(self.params))):
            a, z = cache[i]
            if i < len(self.params) - 1:
                d = self._act_backward(d, z)
            W = self.params[i][0]
            grads.append([a.T @ d, d.sum(axis=0)])
            d = d @ W.T
        return loss, grads[::-1]

    # -- training and prediction -------------------------------------------

    def fit(self, X, y, *, epochs: int = 1000, lr: float = 0.5):
        """Train by full-batch gradient descent: ``p -= lr * dL/dp``, ``epochs`` times.

        Plain gradient descent keeps no state between steps, so
        ``fit(X, y, epochs=a)`` then ``fit(X, y, epochs=b)`` gives the same
        parameters as ``fit(X, y, epochs=a + b)``.

        Returns
        -------
        list of float
            The loss before each step.
        """
        losses = []
        for _ in range(epochs):
            loss, grads = self.loss_and_grads(X, y)
            for p, g in zip(self.params, grads):
                p[0] -= lr * g[0]
                p[1] -= lr * g[1]
            losses.append(loss)
        return losses

    def predict(self, X):
        """Predicted class of each row of ``X``: the index of the largest logit."""
        return self.forward(X).argmax(axis=1)

    def accuracy(self, X, y) -> float:
        """Fraction of rows of ``X`` whose predicted class is ``y``."""
        predicted = self.predict(X)
        return float((predicted == _labels(y, len(predicted), self.sizes[-1])).mean())

    # -- dead units ---------------------------------------------------------

    def dead_units(self, X):
        """Which hidden units are dead on ``X``: one boolean array per hidden layer.

        A unit is **dead** on a data set when the derivative of its
        activation is 0 for every row: then backpropagation sends no
        gradient to the weights and bias that feed it, and gradient descent
        can never switch it back on. For ReLU (derivative 0 at and below 0)
        that means its pre-activation is ``<= 0`` on every row; a Leaky ReLU
        unit with ``negative_slope != 0`` is never dead, only
        `inactive_units`.
        """
        return [np.all(self._act_grad(z) == 0, axis=0) for z in self.pre_activations(X)]

    def inactive_units(self, X):
        """Hidden units whose pre-activation is ``<= 0`` on every row of ``X``, per layer."""
        return [np.all(z <= 0, axis=0) for z in self.pre_activations(X)]

    def dead_fraction(self, X) -> float:
        """Fraction of all hidden units that are dead on ``X`` (see `dead_units`).

        Examples
        --------
        >>> from relu.nn import MLP
        >>> X = [[1.0, 0.0], [0.0, 1.0]]
        >>> MLP([2, 50, 2], bias_init=-100.0).dead_fraction(X)
        1.0
        >>> MLP([2, 50, 2], "leaky_relu", bias_init=-100.0).dead_fraction(X)
        0.0
        """
        return _fraction(self.dead_units(X))

    def inactive_fraction(self, X) -> float:
        """Fraction of all hidden units that are inactive on ``X`` (see `inactive_units`)."""
        return _fraction(self.inactive_units(X))


def _fraction(masks) -> float:
    return float(np.concatenate(masks).mean())


def numerical_gradient(f, params, eps: float = 1e-6):
    """Central finite differences of the scalar ``f()`` with respect to each array in ``params``.

    Each entry of each array is moved by ``+eps`` and ``-eps`` in place,
    ``f`` is evaluated twice, and the entry is restored. The estimate is
    wrong for an entry whose change moves a ReLU pre-activation across 0
    (the kink), which is why [`gradient_check`][relu.nn.gradient_check] reports how close the
    nearest pre-activation is.

    Parameters
    ----------
    f : callable
        Takes no arguments and returns a float that depends on ``params``.
    params : sequence of numpy.ndarray
        Float64 arrays that ``f`` reads.
    eps : float
        Step size.

    Returns
    -------
    list of numpy.ndarray
        One gradient estimate per array of ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> from relu.nn import numerical_gradient
    >>> w = np.array([1.0, -2.0])
    >>> [g.round(6).tolist() for g in numerical_gradient(lambda: float((w ** 2).sum()), [w])]
    [[2.0, -4.0]]
    """
    grads = []
    for p in params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            up = f()
            p[idx] = old - eps
            down = f()
            p[idx] = old
            g[idx] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


def relative_error(a, b) -> float:
    """``|a - b| / (|a| + |b|)`` with Euclidean norms over all arrays together; 0 if both are 0.

    Examples
    --------
    >>> from relu.nn import relative_error
    >>> relative_error([1.0, 2.0], [1.0, 2.0]), relative_error([1.0], [3.0])
    (0.0, 0.5)
    """
    a = np.concatenate([np.ravel(x) for x in (a if _is_list_of_arrays(a) else [a])])
    b = np.concatenate([np.ravel(x) for x in (b if _is_list_of_arrays(b) else [b])])
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


def _is_list_of_arrays(x) -> bool:
    return isinstance(x, (list, tuple)) and len(x) > 0 and isinstance(x[0], np.ndarray)


def gradient_check(net: MLP, X, y, eps: float = 1e-6):
    """Compare ``net``'s backpropagated gradients with finite differences.

    Returns
    -------
    error : float
        [`relative_error`][relu.nn.relative_error] between the two gradients, over all parameters.
    margin : float
        Smallest ``|z|`` over all hidden pre-activations on ``X``. When it is
        below about ``eps`` times the size of the inputs, a finite difference
        may cross a ReLU kink and ``error`` is not meaningful.

    Examples
    --------
    >>> from relu.nn import MLP, gradient_check, make_moons
    >>> X, y = make_moons(10, seed=0)
    >>> error, margin = gradient_check(MLP([2, 6, 2], seed=0), X, y)
    >>> bool(error < 1e-7), bool(margin > 1e-4)
    (True, True)
    """
    flat = [arr for layer in net.params for arr in layer]
    analytic = [arr for layer in net.loss_and_grads(X, y)[1] for arr in layer]
    numeric = numerical_gradient(lambda: net.loss(X, y), flat, eps)
    margin = (
        min(float(np.abs(z).min()) for z in net.pre_activations(X))
        if len(net.sizes) > 2
        else np.inf
    )
    return relative_error(analytic, numeric), margin
