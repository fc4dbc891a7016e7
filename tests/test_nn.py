"""relu.nn, the tutorial's network: data, loss, gradients, training, dead units.

The last tests tie the tutorial page to the package: the from-scratch code
shown on the page and ``relu.nn.MLP`` must train to the same parameters.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pytest_codeblocks import extract_from_file

from relu.nn import (
    MLP,
    gradient_check,
    make_moons,
    numerical_gradient,
    relative_error,
    softmax_cross_entropy,
)

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs/tutorial/neural-network.md"


@pytest.fixture(scope="module")
def moons():
    """The page's data: 300 training points, 1000 test points."""
    return make_moons(300, noise=0.2, seed=0), make_moons(1000, noise=0.2, seed=1)


# -- data -------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 7, 300])
def test_make_moons_shapes_and_balance(n):
    X, y = make_moons(n, seed=3)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert (y == 0).sum() == n // 2 and (y == 1).sum() == n - n // 2


def test_make_moons_is_seeded():
    X1, y1 = make_moons(50, seed=4)
    X2, y2 = make_moons(50, seed=4)
    X3, _ = make_moons(50, seed=5)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_make_moons_without_noise_lies_on_the_two_half_circles():
    X, y = make_moons(200, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert (upper[:, 1] >= 0).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert (lower[:, 1] <= 0.5).all()


def test_make_moons_rejects_negative_size():
    with pytest.raises(ValueError, match="n_samples"):
        make_moons(-1)


# -- loss ---------------------------------------------------------------------


def test_cross_entropy_matches_the_direct_formula():
    rng = np.random.default_rng(0)
    logits, y = rng.normal(size=(6, 3)), np.array([0, 1, 2, 2, 1, 0])
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    loss, dlogits = softmax_cross_entropy(logits, y)
    assert loss == pytest.approx(-np.log(probs[np.arange(6), y]).mean(), rel=1e-12)
    onehot = np.eye(3)[y]
    np.testing.assert_allclose(dlogits, (probs - onehot) / 6, rtol=1e-12)
    (numeric,) = numerical_gradient(lambda: softmax_cross_entropy(logits, y)[0], [logits])
    assert relative_error(dlogits, numeric) < 1e-8


def test_cross_entropy_is_stable_for_huge_logits():
    # A naive exp(logits) overflows here; filterwarnings=error turns that into a failure.
    logits = np.array([[1e4, -1e4], [-1e4, 1e4], [5e3, 5e3]])
    loss, dlogits = softmax_cross_entropy(logits, np.array([0, 0, 1]))
    assert np.isfinite(loss) and np.isfinite(dlogits).all()
    assert loss == pytest.approx((2e4 + np.log(2)) / 3)


# -- gradients --------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 6), min_size=1, max_size=2),
    classes=st.integers(2, 3),
    activation=st.sampled_from(["relu", "leaky_relu"]),
    seed=st.integers(0, 2**32 - 1),
    bias_init=st.floats(-0.5, 0.5),
    n=st.integers(1, 8),
)
def test_backprop_matches_finite_differences(hidden, classes, activation, seed, bias_init, n):
    X, _ = make_moons(n, seed=seed)
    y = np.random.default_rng(seed).integers(0, classes, size=n)
    net = MLP([2, *hidden, classes], activation, seed=seed, bias_init=bias_init)
    error, margin = gradient_check(net, X, y)
    assume(margin > 1e-4)  # a nudge of 1e-6 cannot cross a kink
    # Every hidden unit dead and the output at its initial symmetry: both gradients are
    # rounding noise of ~1e-17, whose relative error means nothing.
    grads = [g for layer in net.loss_and_grads(X, y)[1] for g in layer]
    assume(max(float(np.abs(g).max()) for g in grads) > 1e-8)
    # Central differences carry ~1e-9 absolute error; on random tiny networks the
    # gradient itself can be small, so allow 1e-5 relative (a real bug gives > 1e-2).
    assert error < 1e-5


def test_gradient_check_catches_a_missing_relu_mask(moons):
    (X, y), _ = moons
    net = MLP([2, 16, 16, 2], seed=0)
    assert gradient_check(net, X[:20], y[:20])[0] < 1e-7
    net._act_backward = lambda dout, z: dout  # forgets relu_backward
    assert gradient_check(net, X[:20], y[:20])[0] > 1e-2


def test_gradient_check_catches_a_missing_mean(moons):
    (X, y), _ = moons
    net = MLP([2, 16, 16, 2], seed=0)
    correct = net.loss_and_grads
    net.loss_and_grads = lambda X, y: (
        correct(X, y)[0],
        [[g * len(y) for g in layer] for layer in correct(X, y)[1]],
    )
    assert gradient_check(net, X[:20], y[:20])[0] > 1e-2


def test_relative_error():
    assert relative_error([np.zeros(3)], [np.zeros(3)]) == 0.0
    assert relative_error([np.array([3.0]), np.array([4.0])], [np.zeros(1), np.zeros(1)]) == 1.0
    assert relative_error(np.array([1.0, 1.0]), np.array([1.0, 1.0 + 1e-9])) < 1e-9


# -- the network ------------------------------------------------------------


def test_init_is_he_and_seeded():
    net = MLP([2, 4000, 3], seed=1, bias_init=0.25)
    (W1, b1), (W2, b2) = net.params
    assert W1.shape == (2, 4000) and W2.shape == (4000, 3)
    assert np.std(W2) == pytest.approx(np.sqrt(2 / 4000), rel=0.05)
    assert (b1 == 0.25).all() and (b2 == 0.0).all()
    assert np.array_equal(W1, MLP([2, 4000, 3], seed=1).params[0][0])


@pytest.mark.parametrize(
    "sizes, activation", [([2], "relu"), ([2, 0, 2], "relu"), ([2, 3, 2], "tanh")]
)
def test_mlp_rejects_bad_arguments(sizes, activation):
    with pytest.raises(ValueError):
        MLP(sizes, activation)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 12),
    classes=st.integers(2, 4),
    labels=st.lists(st.integers(-2, 5), min_size=1, max_size=14),
    shift=st.sampled_from([0, 0.0, 0.5]),  # integer labels, float ones, non-integer ones
)
def test_labels_of_the_wrong_length_range_or_kind_are_refused(rows, classes, labels, shift):
    """10 labels for 50 rows, a class beyond the last, -1 or 0.5: ValueError, nothing trained."""
    X, y = np.linspace(-1, 1, 2 * rows).reshape(rows, 2), np.array(labels) + shift
    valid = len(labels) == rows and y.dtype.kind == "i" and all(0 <= v < classes for v in labels)
    net = MLP([2, 3, classes], seed=0)
    before = [p.copy() for layer in net.params for p in layer]
    for call in (
        lambda: softmax_cross_entropy(net.forward(X), y),
        lambda: net.loss(X, y),
        lambda: net.loss_and_grads(X, y),
        lambda: net.fit(X, y, epochs=2),
        lambda: net.accuracy(X, y),
    ):
        if valid:
            call()
            continue
        with pytest.raises(ValueError, match="y has shape|labels must"):
            call()
    assert valid or all(map(np.array_equal, before, (p for w in net.params for p in w)))


def test_trained_network_reaches_the_stated_accuracy(moons):
    (X, y), (X_test, y_test) = moons
    net = MLP([2, 16, 16, 2], seed=0)
    losses = net.fit(X, y, epochs=1000, lr=0.5)
    assert losses[-1] < 0.1 * losses[0]
    assert net.accuracy(X_test, y_test) >= 0.95
    assert net.accuracy(X, y) >= 0.95


def test_fit_keeps_no_state_between_calls(moons):
    (X, y), _ = moons
    once, twice = MLP([2, 8, 2], seed=2), MLP([2, 8, 2], seed=2)
    once.fit(X, y, epochs=30, lr=0.5)
    twice.fit(X, y, epochs=10, lr=0.5)
    twice.fit(X, y, epochs=20, lr=0.5)
    for p, q in zip(once.params, twice.params):
        assert np.array_equal(p[0], q[0]) and np.array_equal(p[1], q[1])


def test_predict_is_argmax_of_forward():
    net = MLP([2, 5, 3], seed=0)
    X = make_moons(20, seed=0)[0]
    assert np.array_equal(net.predict(X), net.forward(X).argmax(axis=1))


# -- dead units -------------------------------------------------------------


def _hand_built(activation, negative_slope=0.01):
    """One hidden layer of four units with known pre-activations on X below."""
    net = MLP([2, 4, 2], activation, negative_slope=negative_slope)
    net.params[0][0] = np.array([[1.0, 0.0, -1.0, 0.0], [0.0, 1.0, -1.0, 0.0]])
    net.params[0][1] = np.array([0.0, -10.0, 0.0, 0.0])
    return net


X_HAND = np.array([[1.0, 1.0], [2.0, 0.5], [-0.5, 3.0]])
# Pre-activations: unit 0 is positive on some rows, unit 1 negative on all,
# unit 2 negative on all, unit 3 exactly 0 on all.


def test_dead_and_inactive_units_on_a_hand_built_network():
    relu_net, leaky_net = _hand_built("relu"), _hand_built("leaky_relu")
    expected = [False, True, True, True]
    assert relu_net.inactive_units(X_HAND)[0].tolist() == expected
    assert relu_net.dead_units(X_HAND)[0].tolist() == expected  # relu'(0) == 0: unit 3 is dead
    assert leaky_net.inactive_units(X_HAND)[0].tolist() == expected
    assert leaky_net.dead_units(X_HAND)[0].tolist() == [False] * 4
    assert relu_net.dead_fraction(X_HAND) == 0.75 and leaky_net.dead_fraction(X_HAND) == 0.0
    assert _hand_built("leaky_relu", negative_slope=0.0).dead_fraction(X_HAND) == 0.75


def test_dead_fraction_counts_all_hidden_layers():
    net = MLP([2, 3, 5, 2], seed=0)
    net.params[1][1][:] = -1e9  # the whole second hidden layer is off
    net.params[0][1][:] = 1e6  # and the whole first one on
    assert net.dead_fraction(X_HAND) == pytest.approx(5 / 8)


def test_dead_first_layer_relu_units_never_change(moons):
    (X, y), _ = moons
    for activation in ("relu", "leaky_relu"):
        net = MLP([2, 16, 16, 2], activation, seed=0, bias_init=-1.5)
        off = net.inactive_units(X)[0]
        W, b = net.params[0][0].copy(), net.params[0][1].copy()
        net.fit(X, y, epochs=200, lr=0.5)
        assert off.any()
        frozen = np.array_equal(net.params[0][0][:, off], W[:, off]) and np.array_equal(
            net.params[0][1][off], b[off]
        )
        assert frozen == (activation == "relu")


def test_bad_initialisation_kills_relu_but_not_leaky_relu(moons):
    """The claim of the page's last section, with thresholds rather than exact numbers."""
    (X, y), (X_test, y_test) = moons
    relu_net = MLP([2, 16, 16, 2], "relu", seed=0, bias_init=-1.5)
    leaky_net = MLP([2, 16, 16, 2], "leaky_relu", seed=0, bias_init=-1.5)
    for net in (relu_net, leaky_net):
        assert net.inactive_fraction(X) >= 0.5
        net.fit(X, y, epochs=1000, lr=0.5)
    assert relu_net.dead_fraction(X) >= 0.5 and relu_net.accuracy(X_test, y_test) <= 0.55
    # The page's explanation: the whole second hidden layer is dead, so the logits ignore the input.
    assert relu_net.dead_units(X)[1].all()
    assert np.ptp(relu_net.forward(X_test), axis=0).max() == 0.0
    assert leaky_net.dead_fraction(X) == 0.0 and leaky_net.accuracy(X_test, y_test) >= 0.95


# -- the tutorial page agrees with the package --------------------------------


def _page_blocks():
    return [b for b in extract_from_file(PAGE) if b.syntax == "python"]


def test_page_from_scratch_network_equals_relu_nn_mlp(moons):
    (X, y), _ = moons
    (chain,) = [b for b in _page_blocks() if "def init_params" in b.code]
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(chain.code, str(PAGE), "exec"), namespace)
    net = MLP([2, 16, 16, 2], seed=0)
    page_init = namespace["init_params"]([2, 16, 16, 2], seed=0)
    for p, q in zip(page_init, net.params):
        assert np.array_equal(p[0], q[0]) and np.array_equal(p[1], q[1])
    page_loss, page_grads = namespace["loss_and_grads"](page_init, X, y)
    loss, grads = net.loss_and_grads(X, y)
    assert page_loss == loss
    for p, q in zip(page_grads, grads):
        assert np.array_equal(p[0], q[0]) and np.array_equal(p[1], q[1])
    net.fit(X, y, epochs=1000, lr=0.5)
    for p, q in zip(namespace["params"], net.params):  # the page's trained parameters
        assert np.array_equal(p[0], q[0]) and np.array_equal(p[1], q[1])


def test_page_prints_the_same_training_run_twice():
    outputs = [b.expected_output for b in _page_blocks() if 'print(f"epoch' in b.code]
    assert len(outputs) == 2
    first, second = (
        [ln for ln in out.splitlines() if ln.startswith(("epoch", "test accuracy"))]
        for out in outputs
    )
    assert first == second and len(first) == 5


def test_page_figures_are_built(built_site):
    html = (built_site / "tutorial/neural-network/index.html").read_text(encoding="utf-8")
    assert "<!-- render:" not in html
    for name in ("nn-decision-boundaries", "nn-dead-units"):
        figure = re.search(
            rf'<figure class="relu-figure" id="figure-{name}".*?</figure>', html, re.S
        )
        assert figure and "<svg" in figure.group(0) and len(figure.group(0)) > 10_000
