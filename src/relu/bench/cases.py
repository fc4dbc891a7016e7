"""What is measured, declared as data: methods, modes, dtypes, sizes.

A [`Method`][relu.bench.cases.Method] is one way to compute ReLU in one *mode*:

``"allocating"``
    returns a new array (``np.maximum(x, 0)``);
``"out"``
    writes into a preallocated buffer (``relu(x, out=buf)``);
``"inplace"``
    overwrites its input (``np.maximum(x, 0, out=x)``).

A [`Case`][relu.bench.cases.Case] is a method at one dtype and size. The grid is
``methods x dtypes x sizes``; a combination a method cannot run (a peer that
is not installed, a dtype it does not support) is kept as a case with a
``skip`` reason, so the output says what was left out and why.

Every entry of [`relu.IMPLEMENTATIONS`][relu.IMPLEMENTATIONS] must have a declared case in
[`REGISTRY_MODES`][relu.bench.cases.REGISTRY_MODES]:
[`check_registry_covered`][relu.bench.cases.check_registry_covered] raises otherwise, and
the harness calls it before measuring anything, so a new implementation
cannot silently go unbenchmarked.
"""

from __future__ import annotations

import contextvars
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from ..core import relu
from ..implementations import IMPLEMENTATIONS, Implementation

__all__ = [
    "MODES",
    "DTYPES",
    "DEFAULT_SIZES",
    "QUICK_SIZES",
    "DEFAULT_DTYPES",
    "REGISTRY_MODES",
    "VERSUS_SIZES",
    "VERSUS_METHODS",
    "CORE_FLOORS",
    "VERSUS_ORDER",
    "PEERS",
    "Method",
    "Case",
    "check_registry_covered",
    "all_methods",
    "select_methods",
    "build_cases",
    "load_peers",
]

MODES = ("allocating", "out", "inplace")
"""The three ways a method can deliver its result."""

DTYPES = ("float16", "float32", "float64")
"""Dtypes the harness accepts."""

DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000, 3_000_000, 10_000_000, 25_000_000)
"""Element counts of the default sweep: from L1-resident to 5000x5000 in DRAM."""

QUICK_SIZES = (1_000, 100_000, 1_000_000)
"""Element counts of a ``--quick`` run."""

VERSUS_SIZES = (100, 1_000, 10_000, 100_000, 1_000_000, 3_000_000, 10_000_000, 100_000_000)
"""Element counts of ``relu-bench --versus``: every power of ten from 1e2 to 1e8, and 3e6
(where the input and the result together pass the last-level cache on 32 MiB of L3)."""

VERSUS_METHODS = (
    "relu",
    "maximum",
    "relu_numpy",
    "relu_grad",
    "relu_backward",
    "torch",
    "numexpr",
    "numba",
    "floor_copy_cores",
    "floor_copy_cores_stream",
    "floor_new_cores",
    "floor_new_cores_stream",
    "floor_inplace_cores",
)
"""What ``relu-bench --versus`` measures: relu's three modes and its derivatives,
``np.maximum(x, 0)`` in the three modes (``relu_numpy`` is its ``out=`` form), every peer, and
the floors, both the one-core and the all-core ones."""

VERSUS_ORDER = (
    ("relu", "allocating"),
    ("torch.relu", "allocating"),
    ("maximum", "allocating"),
    ("floor_new_cores", "allocating"),
    ("floor_new_cores_stream", "allocating"),
    ("relu", "out"),
    ("relu_numpy", "out"),
    ("torch.clamp_min", "out"),
    ("numba.prange", "out"),
    ("numexpr.where", "out"),
    ("floor_copy_cores", "out"),
    ("floor_copy_cores_stream", "out"),
    ("relu", "inplace"),
    ("relu_numpy", "inplace"),
    ("torch.relu_", "inplace"),
    ("floor_inplace_cores", "inplace"),
    ("relu_grad", "allocating"),
    ("torch.gt_to", "allocating"),
    ("relu_backward", "allocating"),
    ("torch.threshold_backward", "allocating"),
)
"""The order of a round of ``relu-bench --versus``: each of relu's calls, then
its peers and its floors, so that the two sides of every comparison are timed
one after the other; the methods not listed (the one-core floors) follow.
Every other round runs the whole list backwards, so that each side comes first
as often as the other."""

CORE_FLOORS = {
    "out": ("floor_copy_cores", "floor_copy_cores_stream"),
    "allocating": ("floor_new_cores", "floor_new_cores_stream"),
    "inplace": ("floor_inplace_cores",),
}
"""The all-core floors of each mode; where a mode has two (ordinary and
streaming stores), the one that took less time at each size is the floor. The
allocating call's floors copy into a new array, as it writes into one: its
pages are the operating system's to find and clear on first touch, which a
copy into a buffer already written has done before."""

DEFAULT_DTYPES = ("float32", "float64")

REGISTRY_MODES: dict[str, str] = {
    "maximum": "allocating",
    "multiply": "allocating",
    "abs": "allocating",
    "where": "allocating",
    "clip": "allocating",
    "maximum_inplace": "inplace",
    "boolean_index": "inplace",
}
"""The declared case of every registry entry: its name and mode."""

PEERS = ("torch", "numexpr", "numba")
"""Optional libraries measured when importable (the ``peers`` extra: `peers_hint`)."""
TORCH_CPU_NOTE = "torch's CPU build, installed first from PyTorch's index, avoids GBs of CUDA"
"""Said with the hint when torch is missing (a Linux torch wheel from PyPI brings CUDA)."""


def peers_hint() -> str:
    """How to install the peers: in a clone (an editable install), ``make bench``; elsewhere
    the ``peers`` extra's packages by name, since relu is on no package index."""
    import json
    from importlib import metadata

    try:
        dist = metadata.distribution("relu")
        url = json.loads(dist.read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        dist, url = None, {}
    if url.get("dir_info", {}).get("editable"):
        return "in the clone: make bench, or pip install -e '.[peers]'"
    wanted = [r.partition(";")[0].strip() for r in (dist and dist.requires or ()) if "peers" in r]
    return "pip install " + " ".join(f"'{r}'" for r in wanted or ["torch", "numexpr", "numba"])


FLOOR_FOR_MODE = {"allocating": "floor_copy", "out": "floor_copy", "inplace": "floor_inplace"}
"""Which hardware floor each mode is compared with."""

Binder = Callable[[np.ndarray, "np.ndarray | None", Any], Callable[[], Any]]


@dataclass(frozen=True)
class Method:
    """One way to compute ReLU, in one mode.

    Attributes
    ----------
    name : str
        ``"maximum"``, ``"relu"``, ``"floor_copy"``, ``"torch.relu"``...
        The pair ``(name, mode)`` is unique.
    mode : str
        ``"allocating"``, ``"out"`` or ``"inplace"``.
    group : str
        ``"registry"``, ``"recommended"``, ``"fallback"``, ``"floor"``,
        ``"gradient"``, ``"variant"`` (piecewise linear), ``"smooth"`` (the other
        activations) or ``"peer"``.
    expression : str
        The call as a reader would write it.
    bind : callable
        ``bind(x, out, module) -> call``: returns the zero-argument callable
        that is timed. For ``"inplace"`` methods ``x`` is the work array
        that the harness refreshes before every call; for ``"out"`` methods
        ``out`` is the preallocated buffer; ``module`` is the imported peer
        (or ``None``). Anything costly (tensor views, lookups) happens in
        ``bind``, not in the call.
    peer : str or None
        The optional library this method needs.
    floor_name : str or None
        The floor this method is divided by, when not its mode's usual one
        (the gradients have floors of their own).
    passes : int
        Arrays of ``x``'s size read or written per call, for GB/s: 2 for
        ReLU (read ``x``, write the result), 3 for a backward pass.
    expected : callable or None
        ``expected(x) -> array``: the correct result, checked once before
        timing; ``None`` means ``np.maximum(x, 0)``.
    check : callable or None
        ``check(result, x) -> bool``: used instead of ``expected`` where the
        result is correct to rounding rather than to the bit (the smooth
        variants, checked against their reference formula).
    dtypes : tuple of str
        The dtypes it supports; other dtypes are skipped with ``reason``.
    reason : str
        Why an unsupported dtype is skipped.
    """

    name: str
    mode: str
    group: str
    expression: str
    bind: Binder
    peer: str | None = None
    dtypes: tuple[str, ...] = DTYPES
    reason: str = ""
    floor_name: str | None = None
    passes: int = 2
    expected: Callable[[np.ndarray], np.ndarray] | None = None
    check: Callable[[np.ndarray, np.ndarray], bool] | None = None

    @property
    def label(self) -> str:
        """``name`` plus the mode where the name alone is ambiguous."""
        return (
            f"{self.name} ({self.mode})" if self.group in ("recommended", "fallback") else self.name
        )

    @property
    def floor(self) -> str:
        """Name of the floor this method's time is divided by."""
        return self.floor_name or FLOOR_FOR_MODE[self.mode]


@dataclass(frozen=True)
class Case:
    """A method at one dtype and size; ``skip`` says why it is not run."""

    method: Method
    dtype: str
    size: int
    skip: str | None = None


def check_registry_covered(registry: Mapping[str, Implementation] | None = None) -> None:
    """Raise unless every registry entry has a declared case with the right mode.

    Parameters
    ----------
    registry : mapping, optional
        Name to [`relu.Implementation`][relu.Implementation]; defaults to
        [`relu.IMPLEMENTATIONS`][relu.IMPLEMENTATIONS].

    Raises
    ------
    RuntimeError
        If an entry has no case in [`REGISTRY_MODES`][relu.bench.cases.REGISTRY_MODES], or its
        declared
        mode disagrees with its ``inplace`` flag.

    Examples
    --------
    >>> check_registry_covered()
    >>> from relu import Implementation
    >>> extra = {"new": Implementation("new", abs, False, "", "abs(x)")}
    >>> check_registry_covered(extra)
    Traceback (most recent call last):
    ...
    RuntimeError: registered implementations without a benchmark case: new; declare them in
    relu.bench.cases.REGISTRY_MODES
    """
    registry = IMPLEMENTATIONS if registry is None else registry
    missing = [name for name in registry if name not in REGISTRY_MODES]
    if missing:
        raise RuntimeError(
            "registered implementations without a benchmark case: "
            + ", ".join(missing)
            + "; declare them in relu.bench.cases.REGISTRY_MODES"
        )
    wrong = [
        name
        for name, impl in registry.items()
        if (REGISTRY_MODES[name] == "inplace") != impl.inplace
    ]
    if wrong:
        raise RuntimeError(
            "benchmark mode disagrees with the registry's inplace flag for: " + ", ".join(wrong)
        )


def _registry_binder(func):
    return lambda x, out, module: partial(func, x)


def _registry_methods() -> list[Method]:
    return [
        Method(name, REGISTRY_MODES[name], "registry", impl.expression, _registry_binder(impl.func))
        for name, impl in IMPLEMENTATIONS.items()
    ]


def _floor_methods() -> list[Method]:
    return [
        # A copy of the same bytes into a preallocated array: the least any
        # out-of-place method must do (read n bytes, write n bytes).
        Method(
            "floor_copy",
            "out",
            "floor",
            "np.copyto(buf, x)",
            lambda x, out, module: partial(np.copyto, out, x),  # type: ignore[arg-type]
        ),
        # One read and one write of every element of x, in place. Not
        # np.copyto(x, x): NumPy sees source and destination are the same
        # array and returns without touching memory. Multiplying by 1 leaves
        # every value (NaN, -0.0, inf) unchanged but makes the pass for real.
        Method(
            "floor_inplace",
            "inplace",
            "floor",
            "np.multiply(x, 1, out=x)",
            lambda x, out, module: partial(np.multiply, x, 1, out=x),
        ),
    ]


def _core_floor_methods() -> list[Method]:
    """The all-core floors: every usable core copying (or rewriting, in place)
    its share, through the compiled loops' own pool, with ordinary or with
    streaming stores: what the cores reach copying, which one core's NumPy
    copy is not. Below a few hundred kilobytes handing work to a second core
    costs more than it saves, so these are meant for large arrays."""
    from .. import _kernel

    native = _kernel._native
    dtypes = ("float32", "float64") if native is not None else ()
    reason = (
        "the all-core floors run on the compiled loops, which this installation lacks"
        if native is None
        else "the compiled loops take float32 and float64 only"
    )

    def bind(stream, inplace):
        def binder(x, out, module):
            threads = _kernel.default_threads()
            return partial(native.copy, x, x if inplace else out, threads, stream)

        return binder

    def bind_new(stream):
        def binder(x, out, module):
            threads = _kernel.default_threads()

            def copy_new():
                new = np.empty_like(x)
                native.copy(x, new, threads, stream)
                return new

            return copy_new

        return binder

    return [
        Method(
            "floor_copy_cores",
            "out",
            "floor",
            "every core copies its share",
            bind(False, False),
            dtypes=dtypes,
            reason=reason,
        ),
        Method(
            "floor_copy_cores_stream",
            "out",
            "floor",
            "every core copies its share, streaming stores",
            bind(True, False),
            dtypes=dtypes,
            reason=reason,
        ),
        Method(
            "floor_new_cores",
            "allocating",
            "floor",
            "every core copies its share into a new array",
            bind_new(False),
            dtypes=dtypes,
            reason=reason,
        ),
        Method(
            "floor_new_cores_stream",
            "allocating",
            "floor",
            "every core copies its share into a new array, streaming stores",
            bind_new(True),
            dtypes=dtypes,
            reason=reason,
        ),
        Method(
            "floor_inplace_cores",
            "inplace",
            "floor",
            "every core rewrites its share",
            bind(False, True),
            dtypes=dtypes,
            reason=reason,
        ),
    ]


RELU_THREADS: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "relu_threads", default=None
)
"""The ``threads=`` of relu's timed calls: ``None`` (every core from 256 KiB) or
``1``, set by `relu.bench.run_benchmark` for its run."""


def _relu_binder(inplace: bool = False, into: bool = False) -> Binder:
    def binder(x, out, module):
        threads = RELU_THREADS.get()
        if inplace:
            return partial(relu, x, out=x, threads=threads)
        return (
            partial(relu, x, out=out, threads=threads)
            if into
            else partial(relu, x, threads=threads)
        )

    return binder


def _recommended_methods() -> list[Method]:
    return [
        Method("relu", "allocating", "recommended", "relu(x)", _relu_binder()),
        Method("relu", "out", "recommended", "relu(x, out=buf)", _relu_binder(into=True)),
        Method("relu", "inplace", "recommended", "relu(x, out=x)", _relu_binder(inplace=True)),
    ]


def _fallback_methods() -> list[Method]:
    """``relu.relu`` without the compiled loops (a build without a C compiler):
    its NumPy path is ``np.maximum(x, 0, out=...)`` on the calling thread."""
    return [
        Method(
            "relu_numpy",
            "out",
            "fallback",
            "relu(x, out=buf), NumPy path",
            lambda x, out, module: partial(np.maximum, x, 0, out=out),
        ),
        Method(
            "relu_numpy",
            "inplace",
            "fallback",
            "relu(x, out=x), NumPy path",
            lambda x, out, module: partial(np.maximum, x, 0, out=x),
        ),
    ]


def _torch_relu(x, out, torch):
    return partial(torch.relu, torch.from_numpy(x))


def _torch_relu_(x, out, torch):
    return partial(torch.relu_, torch.from_numpy(x))


def _torch_clamp_min(x, out, torch):
    return partial(torch.clamp_min, torch.from_numpy(x), 0, out=torch.from_numpy(out))


def _torch_threshold_backward(x, out, torch):
    return partial(
        torch.ops.aten.threshold_backward, torch.from_numpy(_upstream(x)), torch.from_numpy(x), 0
    )


def _torch_positive(x, out, torch):
    t = torch.from_numpy(x)
    return lambda: (t > 0).to(t.dtype)


def _numexpr_where(x, out, ne):
    return partial(ne.evaluate, "where(x > 0, x, 0)", local_dict={"x": x}, out=out)


_NUMBA_KERNEL = None


def _numba_kernel(numba):
    global _NUMBA_KERNEL
    if _NUMBA_KERNEL is None:

        def relu_prange(x, out):
            for i in numba.prange(x.size):
                v = x[i]
                out[i] = v if (v > 0 or v != v) else 0  # v != v keeps NaN, as np.maximum does
            return out

        _NUMBA_KERNEL = numba.njit(parallel=True)(relu_prange)
    return _NUMBA_KERNEL


def _numba_prange(x, out, numba):
    return partial(_numba_kernel(numba), x, out)


def _upstream(x: np.ndarray) -> np.ndarray:
    """The upstream gradient the backward cases use: ``x`` reversed (untimed, in ``bind``)."""
    return x[::-1].copy()


def _grad_expected(x: np.ndarray) -> np.ndarray:
    """What ``relu_grad(x)`` and its torch counterpart must give."""
    return (x > 0).astype(x.dtype)


def _backward_expected(x: np.ndarray) -> np.ndarray:
    """What ``relu_backward(dout, x)`` and its torch counterpart must give for `_upstream`."""
    return np.where(x > 0, x[::-1], x.dtype.type(0))


def _gradient_methods() -> list[Method]:
    """``relu_grad`` and ``relu_backward``, each against a floor that moves the
    same bytes and, like them, returns a new array."""
    from ..gradients import relu_backward, relu_grad

    return [
        Method(
            "floor_copy_new",
            "allocating",
            "floor",
            "np.copy(x)",
            lambda x, out, module: partial(np.copy, x),
        ),
        Method(
            "floor_add_new",
            "allocating",
            "floor",
            "np.add(dout, x)",
            lambda x, out, module: partial(np.add, _upstream(x), x),
            passes=3,
            expected=lambda x: np.add(x[::-1], x),
        ),
        Method(
            "relu_grad",
            "allocating",
            "gradient",
            "relu_grad(x)",
            lambda x, out, module: partial(relu_grad, x),
            floor_name="floor_copy_new",
            expected=_grad_expected,
        ),
        Method(
            "relu_backward",
            "allocating",
            "gradient",
            "relu_backward(dout, x)",
            lambda x, out, module: partial(relu_backward, _upstream(x), x),
            floor_name="floor_add_new",
            passes=3,
            expected=_backward_expected,
        ),
    ]


def _variant_expression(activation, kw) -> str:
    """The call as the results show it: ``leaky_relu(x)``, ``prelu(x, weight=0.25)``,
    ``piecewise_linear(x, 0.5, 0.1, 2.0)`` (several keywords by position)."""
    if not kw:
        return f"{activation.name}(x)"
    if len(kw) == 1:
        ((k, v),) = kw.items()
        return f"{activation.name}(x, {k}={v!r})"
    return f"{activation.name}(x, {', '.join(repr(v) for v in kw.values())})"


def _bind_input(call: Callable[..., Any]) -> Binder:
    """A binder that times ``call(x)``."""
    return lambda x, out, module: partial(call, x)


def _sample_check(activation, kw):
    """``check(got, x)``: ``got`` against the activation computed in float64 and rounded
    once, on up to 1,000 evenly spaced elements (untimed): the right function with the
    right keywords was timed (the tests check the functions themselves)."""

    def check(got, x):
        idx = np.linspace(0, x.size - 1, min(x.size, 1000)).astype(np.intp)
        xs, gs = x.reshape(-1)[idx], np.asarray(got).reshape(-1)[idx]
        with np.errstate(over="ignore"):
            want = np.asarray(activation.forward(xs.astype(np.float64), **kw)).astype(x.dtype)
        eps = float(np.finfo(x.dtype).eps)
        return bool(np.allclose(gs, want, rtol=4 * eps, atol=4 * eps, equal_nan=True))

    return check


def _variant_methods() -> list[Method]:
    """Every activation of relu.ACTIVATIONS but relu itself, against one ``np.maximum(x, 0)`` pass.

    The keywords are the entry's ``bench`` keywords: its example, except where
    the published results fixed others first (see ``BENCH_KEYWORDS``).
    """
    from ..variants import ACTIVATIONS

    methods = [
        Method(
            "floor_maximum",
            "allocating",
            "floor",
            "np.maximum(x, 0)",
            lambda x, out, module: partial(np.maximum, x, 0),
        )
    ]
    for a in ACTIVATIONS.values():
        if a.name == "relu":
            continue
        kw = BENCH_KEYWORDS.get(
            a.name, {k: v for k, v in a.keywords().items() if a.params[k].default != v}
        )
        call = partial(a.forward, **kw)
        methods.append(
            Method(
                a.name,
                "allocating",
                "variant" if a.linear_pieces else "smooth",
                _variant_expression(a, kw),
                _bind_input(call),
                floor_name="floor_maximum",
                check=_sample_check(a, {**a.defaults(), **kw}),
            )
        )
    return methods


#: The keywords of the benchmark cases whose published results predate the
#: registry; the others use their entry's example.
BENCH_KEYWORDS: dict[str, dict[str, float]] = {
    "leaky_relu": {},
    "prelu": {"weight": 0.25},
    "piecewise_linear": {"threshold": 0.5, "slope_below": 0.1, "slope_above": 2.0},
}


def _peer_methods() -> list[Method]:
    no_half = ("float32", "float64")
    return [
        Method("torch.relu", "allocating", "peer", "torch.relu(t)", _torch_relu, peer="torch"),
        # torch's counterparts of relu_grad and relu_backward (threshold_backward is
        # the kernel autograd runs for ReLU's backward pass)
        Method(
            "torch.gt_to",
            "allocating",
            "gradient",
            "(t > 0).to(t.dtype)",
            _torch_positive,
            peer="torch",
            floor_name="floor_copy_new",
            expected=_grad_expected,
        ),
        Method(
            "torch.threshold_backward",
            "allocating",
            "gradient",
            "torch.ops.aten.threshold_backward(dout, t, 0)",
            _torch_threshold_backward,
            peer="torch",
            floor_name="floor_add_new",
            passes=3,
            expected=_backward_expected,
        ),
        Method(
            "torch.clamp_min",
            "out",
            "peer",
            "torch.clamp_min(t, 0, out=buf)",
            _torch_clamp_min,
            peer="torch",
        ),
        Method("torch.relu_", "inplace", "peer", "torch.relu_(t)", _torch_relu_, peer="torch"),
        Method(
            "numexpr.where",
            "out",
            "peer",
            'ne.evaluate("where(x > 0, x, 0)", out=buf)',
            _numexpr_where,
            peer="numexpr",
            dtypes=no_half,
            reason="numexpr has no float16",
        ),
        Method(
            "numba.prange",
            "out",
            "peer",
            "@njit(parallel=True) prange loop into out",
            _numba_prange,
            peer="numba",
            dtypes=no_half,
            reason="the numba kernel is compiled for float32 and float64 only",
        ),
    ]


def all_methods() -> list[Method]:
    """Every method the harness knows: floors, registry, ``relu``, peers.

    Returns
    -------
    list of Method
        Floors first, then the registry in its order, the three modes of
        [`relu.relu`][relu.relu] and two of its NumPy path, the gradients, the
        variants and the peers.

    Raises
    ------
    RuntimeError
        If a registry entry has no declared case (see
        [`check_registry_covered`][relu.bench.cases.check_registry_covered]).

    Examples
    --------
    >>> [(m.name, m.mode) for m in all_methods() if m.group == "recommended"]
    [('relu', 'allocating'), ('relu', 'out'), ('relu', 'inplace')]
    """
    check_registry_covered()
    return (
        _floor_methods()
        + _core_floor_methods()
        + _registry_methods()
        + _recommended_methods()
        + _fallback_methods()
        + _gradient_methods()
        + _variant_methods()
        + _peer_methods()
    )


def select_methods(names=None) -> list[Method]:
    """The floors plus the methods named in ``names`` (when ``None``: all but the
    ``"smooth"`` group).

    A name selects every method with that name (``"relu"`` gives its three
    modes), for a peer every method of that library (``"torch"``), and
    ``"smooth"`` the smooth activations (``gelu``, ``mish``...), which a
    default run leaves out: computed in float64, some element by element
    (exact ``gelu``), they would take most of its time. The two ReLU floors
    are always included, and any other floor a selected method is divided
    by: every ratio needs its floor.

    Parameters
    ----------
    names : iterable of str, optional
        Method names to keep (``None``: all but the smooth activations). The
        floors are always kept.

    Returns
    -------
    list of Method

    Raises
    ------
    ValueError
        If a name matches no method; the message lists the valid names.

    Examples
    --------
    >>> [m.label for m in select_methods(["relu", "clip"])]
    ['floor_copy', 'floor_inplace', 'clip', 'relu (allocating)', 'relu (out)', 'relu (inplace)']
    """
    methods = all_methods()
    if names is None:
        return [m for m in methods if m.group != "smooth" and m.name not in _CORE_FLOOR_NAMES]
    names = list(names)
    known = {m.name for m in methods} | {m.peer for m in methods if m.peer} | {"smooth"}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(
            f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )
    wanted = set(names)
    chosen = [
        m
        for m in methods
        if m.group != "floor"
        and (m.name in wanted or m.peer in wanted or (m.group == "smooth" and "smooth" in wanted))
    ]
    floors = set(FLOOR_FOR_MODE.values()) | {m.floor for m in chosen} | (wanted & _CORE_FLOOR_NAMES)
    return [m for m in methods if (m.group == "floor" and m.name in floors) or m in chosen]


_CORE_FLOOR_NAMES = {name for names in CORE_FLOORS.values() for name in names}


def load_peers(names=PEERS, importer: Callable[[str], Any] = importlib.import_module):
    """Import the optional peers that are installed.

    Parameters
    ----------
    names : iterable of str
        Module names to try.
    importer : callable
        ``importer(name) -> module``; replaced in tests to simulate a
        missing library.

    Returns
    -------
    loaded : dict
        Name to module, for those that imported.
    missing : list of str
        Names that raised ``ImportError``.

    Examples
    --------
    >>> loaded, missing = load_peers(["no_such_peer_module"])
    >>> loaded, missing
    ({}, ['no_such_peer_module'])
    """
    loaded, missing = {}, []
    for name in names:
        try:
            loaded[name] = importer(name)
        except ImportError:
            missing.append(name)
    return loaded, missing


def build_cases(methods, dtypes, sizes, available_peers) -> list[Case]:
    """The grid ``methods x dtypes x sizes``, each case with its skip reason.

    Parameters
    ----------
    methods : list of Method
        What to measure, as `select_methods` returns it.
    dtypes : iterable of str
        NumPy dtype names, such as ``"float32"``.
    sizes : iterable of int
        Numbers of elements.
    available_peers : collection of str
        Peers that imported; methods of other peers are skipped.

    Returns
    -------
    list of Case
        Ordered by dtype, then size, then method, the order they are run in.

    Examples
    --------
    >>> cases = build_cases(
    ...     select_methods(["numexpr"]), ["float16"], [10], available_peers={"numexpr"}
    ... )
    >>> [(c.method.name, c.skip) for c in cases]
    [('floor_copy', None), ('floor_inplace', None), ('numexpr.where', 'numexpr has no float16')]
    >>> build_cases(select_methods(["torch"]), ["float32"], [10], available_peers=())[-1].skip
    'torch is not installed (the peers extra)'
    """
    cases = []
    for dtype in dtypes:
        for size in sizes:
            for method in methods:
                skip = None
                if method.peer is not None and method.peer not in available_peers:
                    skip = f"{method.peer} is not installed (the peers extra)"
                elif dtype not in method.dtypes:
                    skip = method.reason or f"{method.name} does not support {dtype}"
                cases.append(Case(method, dtype, int(size), skip))
    return cases
