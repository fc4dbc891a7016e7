"""ReLU in other array libraries: how each library spells it, and what it gives
for the inputs where answers differ, measured by running the library.

`measure` runs one library and returns its row; ``python -m relu_docs.libraries``
measures every installed library and writes ``data/libraries.json`` with the
machine and the versions, which the page renders (`calls`, `behaviour`,
`differences`). ``tests/test_libraries.py`` measures every installed library
again and compares with the committed rows.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

import relu
from relu.bench.runner import machine_info
from relu_docs.tables import markdown_table

DATA = Path(__file__).with_name("data") / "libraries.json"

#: The properties of a row, in the order the page shows them.
PROPERTIES = {
    "nan": "relu(NaN)",
    "neg_inf": "relu(-inf)",
    "neg_zero": "relu(-0.0)",
    "int32": "int32 input gives",
    "grad_at_0": "gradient at 0",
    "mutates": "input changed",
    "relu_relu": "relu.relu(x) returns",
}


@dataclass(frozen=True)
class Library:
    """One library: its module, its idiomatic calls, and how to run them."""

    name: str
    module: str  # imported to measure, and for its version
    call: str
    in_place: str  # Markdown
    derivative: str  # Markdown
    make: Callable[[Any, list, str], Any]  # (module, values, dtype name) -> array
    forward: Callable[[Any, Any], Any]  # (module, array) -> the idiomatic result
    back: Callable[[Any], np.ndarray]  # array -> NumPy, for reading values
    grad_at_0: Callable[[Any], float] | None = None
    missing: str = ""  # why it is not measured here, when it cannot be


def _np_make(np_, values, dtype):
    return np_.asarray(values, dtype=dtype)


def _torch_grad(torch):
    t = torch.tensor(0.0, requires_grad=True)
    torch.relu(t).backward()
    return float(t.grad)


def _jax_grad(jax):
    import jax.nn

    return float(jax.grad(jax.nn.relu)(0.0))


def _tf_grad(tf):
    v = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        y = tf.nn.relu(v)
    return float(tape.gradient(y, v))


def _dask_make(da, values, dtype):
    return da.from_array(np.asarray(values, dtype=dtype), chunks=2)


def _pandas_make(pd, values, dtype):
    return pd.Series(np.asarray(values, dtype=dtype))


LIBRARIES = [
    Library(
        "NumPy",
        "numpy",
        "np.maximum(x, 0)",
        "`np.maximum(x, 0, out=x)`",
        "none: `(x > 0) * dout` by hand, or `relu.relu_backward`",
        _np_make,
        lambda np_, x: np_.maximum(x, 0),
        np.asarray,
    ),
    Library(
        "PyTorch",
        "torch",
        "torch.relu(x)",
        "`torch.relu_(x)`",
        "autograd: `y.sum().backward()`",
        lambda torch, v, d: torch.tensor(v, dtype=getattr(torch, d)),
        lambda torch, x: torch.relu(x),
        lambda t: t.numpy(),
        _torch_grad,
    ),
    Library(
        "JAX",
        "jax",
        "jax.nn.relu(x)",
        "none: JAX arrays are immutable",
        "`jax.grad(jax.nn.relu)`",
        lambda jax, v, d: jax.numpy.asarray(v, dtype=d),
        lambda jax, x: jax.nn.relu(x),
        np.asarray,
        _jax_grad,
    ),
    Library(
        "TensorFlow",
        "tensorflow",
        "tf.nn.relu(x)",
        "none: tensors are immutable",
        "`tf.GradientTape`",
        lambda tf, v, d: tf.constant(v, dtype=getattr(tf, d)),
        lambda tf, x: tf.nn.relu(x),
        lambda t: t.numpy(),
        _tf_grad,
    ),
    Library(
        "CuPy",
        "cupy",
        "cupy.maximum(x, 0)",
        "`cupy.maximum(x, 0, out=x)`",
        "none",
        lambda cp, v, d: cp.asarray(v, dtype=d),
        lambda cp, x: cp.maximum(x, 0),
        lambda a: a.get(),
        missing="needs a CUDA GPU, which the machine that measured these rows does not have",
    ),
    Library(
        "Dask",
        "dask.array",
        "da.maximum(x, 0)",
        "`da.maximum(x, 0, out=x)`: rebinds `x` to a new lazy graph",
        "none",
        _dask_make,
        lambda da, x: da.maximum(x, 0),
        lambda a: np.asarray(a.compute()),
    ),
    Library(
        "pandas",
        "pandas",
        "s.clip(lower=0)",
        "`s.clip(lower=0, inplace=True)`",
        "none",
        _pandas_make,
        lambda pd, s: s.clip(lower=0),
        lambda s: s.to_numpy(),
    ),
]
BY_NAME = {lib.name: lib for lib in LIBRARIES}


def _fmt(v: float) -> str:
    if np.isnan(v):
        return "NaN"
    if v == 0:
        return "-0.0" if np.signbit(v) else "+0.0"
    return f"{v:g}"


def version(lib: Library) -> str:
    root = importlib.import_module(lib.module.partition(".")[0])
    return str(root.__version__)


def measure(lib: Library) -> dict[str, Any]:
    """The library's row, measured by running it (raises ImportError if it is missing)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    mod = importlib.import_module(lib.module)
    if lib.name == "JAX":
        mod = importlib.import_module("jax")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the libraries' own deprecation notices
        x = lib.make(mod, [np.nan, -np.inf, -0.0, -1.0, 2.0], "float32")
        before = lib.back(x).copy()
        y = lib.back(lib.forward(mod, x))
        ints = lib.make(mod, [-2, 3], "int32")
        int_out = lib.back(lib.forward(mod, ints)).dtype
        mutated = not np.array_equal(lib.back(x), before, equal_nan=True)
        ours = relu.relu(x)
        grad = lib.grad_at_0(mod) if lib.grad_at_0 else None
    kind = type(ours)
    public = {"dask.array.core.Array": "dask.array.Array", "jaxlib._jax.ArrayImpl": "jax.Array"}
    qualified = f"{kind.__module__}.{kind.__name__}"
    return {
        "version": version(lib),
        "nan": _fmt(y[0]),
        "neg_inf": _fmt(y[1]),
        "neg_zero": _fmt(y[2]),
        "int32": "int32 kept" if int_out == np.int32 else str(int_out),
        "grad_at_0": "no autodiff" if grad is None else f"{grad:g}",
        "mutates": "yes" if mutated else "no",
        "relu_relu": public.get(qualified, f"{kind.__module__.partition('.')[0]}.{kind.__name__}"),
    }


def measure_all() -> dict[str, Any]:
    rows, missing = {}, {}
    for lib in LIBRARIES:
        if lib.missing:
            missing[lib.name] = lib.missing
            continue
        try:
            rows[lib.name] = measure(lib)
        except ImportError as error:
            missing[lib.name] = f"not installed ({error.name})"
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "python": platform.python_version(),
        "relu": relu.__version__,
        "rows": rows,
        "missing": missing,
    }


def load() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


# renderers


def calls(ctx) -> str:
    """Each library's idiomatic call, in place where it allows, and its derivative."""
    rows = [[f"**{lib.name}**", f"`{lib.call}`", lib.in_place, lib.derivative] for lib in LIBRARIES]
    return markdown_table(["library", "ReLU", "in place", "derivative"], rows, "llll")


def behaviour(ctx) -> str:
    """The measured rows, one per library, with the version measured."""
    data = load()
    rows = [
        [f"**{lib.name}** {data['rows'][lib.name]['version']}"]
        + [data["rows"][lib.name][k] for k in PROPERTIES]
        for lib in LIBRARIES
        if lib.name in data["rows"]
    ]
    return markdown_table(["library", *PROPERTIES.values()], rows, "l" + "c" * len(PROPERTIES))


def differences(ctx) -> str:
    """The measured properties where libraries differ from NumPy's answer, in one sentence."""
    data = load()
    base = data["rows"]["NumPy"]
    found: dict[str, list[str]] = {}
    for lib in LIBRARIES[1:]:
        row = data["rows"].get(lib.name)
        if row is None:
            continue
        for k in PROPERTIES:
            if k not in ("relu_relu", "grad_at_0") and row[k] != base[k]:
                found.setdefault(f"{PROPERTIES[k]} is {row[k]} (NumPy: {base[k]})", []).append(
                    f"**{lib.name}**"
                )
    if not found:
        return "Every measured library gives NumPy's values."
    parts = [f"in {_and(names)}, {what}" for what, names in found.items()]
    return "Where they differ from NumPy: " + "; ".join(parts) + "."


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def record(ctx) -> str:
    """Where and with what the rows were measured, and what was not measured."""
    data = load()
    m = data["machine"]
    when = f" on {data['date'][:10]}" if "date" in data else ""
    missing = "; ".join(
        f"{name} is not measured: it {why}" for name, why in data["missing"].items()
    )
    return (
        f"Measured by `python -m relu_docs.libraries` on {m['cpu']} ({m['usable_cores']} cores, "
        f"Linux){when}, Python {data['python']}. Other versions may give other rows."
        + (f" {missing}." if missing else "")
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DATA)
    args = parser.parse_args(argv)
    data = measure_all()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: {', '.join(data['rows'])}; missing: {', '.join(data['missing'])}")


if __name__ == "__main__":
    main()
