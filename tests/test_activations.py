"""relu.ACTIVATIONS is complete: every public function of the family has an
entry, every entry has every part (signature, reference, conventions, page
section, figure, example, benchmark case), and a forgotten part is reported.

The numerical tests built from the registry are in test_variants.py."""

from __future__ import annotations

import dataclasses
import inspect
import math
import re
from pathlib import Path

import pytest
from reference import AT_KINKS, INVALID, REFERENCES

import relu
from relu import variants
from relu.activations import REQUIRED, Activation
from relu.bench.cases import all_methods

ROOT = Path(__file__).resolve().parents[1]
ACTS = relu.ACTIVATIONS


def page_section(page: str, name: str) -> str:
    """The Markdown of the section headed ``{ #name }`` on ``page``, or ''."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    m = re.search(rf"^## .*\{{ #{re.escape(name)} \}}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    return m.group(1) if m else ""


def problems(
    a: Activation, methods=None, references=REFERENCES, at_kinks=AT_KINKS, invalid=INVALID
) -> list[str]:
    """What entry ``a`` lacks; empty when it is complete."""
    out = []
    for f, role in ((a.forward, "forward"), (a.derivative, "derivative")):
        sig = inspect.signature(f)
        params = list(sig.parameters.values())
        if (
            not params
            or params[0].name != "x"
            or params[0].kind is not inspect.Parameter.POSITIONAL_ONLY
        ):
            out.append(f"{role}: x must come first, positional-only")
        # relu's out= and threads= are its own, not the family's
        rest = {p.name: p for p in params[1:] if p.name not in ("out", "threads")}
        if list(rest) != list(a.params):
            out.append(f"{role}: keywords {list(rest)} differ from the entry's {list(a.params)}")
            continue
        for k, p in a.params.items():
            default = inspect.Parameter.empty if p.default is REQUIRED else p.default
            if rest[k].default != default:
                out.append(
                    f"{role}: {k} defaults to {rest[k].default!r}, the entry says {p.default!r}"
                )
            keyword_only = rest[k].kind is inspect.Parameter.KEYWORD_ONLY
            if keyword_only != p.keyword_only:
                out.append(
                    f"{role}: {k} keyword-only is {keyword_only}, the entry says {p.keyword_only}"
                )
    for k, p in a.params.items():
        if not p.choices and not p.low < p.high:
            out.append(f"parameter {k} has no test range")
        if p.default is REQUIRED and k not in a.example:
            out.append(f"required parameter {k} has no example value")
    try:
        value = references[a.name](0.5, **a.defaults())
        if not isinstance(value, float) or math.isnan(value):
            out.append("reference(0.5) is not a float")
    except KeyError:
        out.append(f"no reference formula: add {a.name!r} to REFERENCES in tests/reference.py")
    except Exception as error:  # noqa: BLE001 - any failure is a missing part
        out.append(f"reference fails: {error!r}")
    if not at_kinks.get(a.name):
        out.append(f"no derivative convention: add {a.name!r} to AT_KINKS in tests/reference.py")
    if set(a.params) - {"weight"} and a.name not in invalid:  # prelu's weight is an array
        out.append(f"no refused keyword values: add {a.name!r} to INVALID in tests/reference.py")
    if len(a.limits) != 2:
        out.append("limits must be (f(-inf), f(+inf))")
    if a.torch is None and a.jax is None and a.name != "piecewise_linear":
        out.append("no PyTorch or JAX counterpart named")
    names = set(relu.__all__)
    for n in a.public_names():
        if n not in names:
            out.append(f"{n} is not in relu.__all__")
    if a.page is not None:
        section = page_section(a.page, a.name)
        if not section:
            out.append(f"no section {{ #{a.name} }} on {a.page}")
        else:
            if f"<!-- render: variants.figure {a.name} -->" not in section:
                out.append(f"the section on {a.page} has no figure marker")
            if not re.search(
                rf"```python\n.*\b{a.name}\b.*?```\n\n<!--pytest-codeblocks:expected-output-->",
                section,
                re.S,
            ):
                out.append(f"the section on {a.page} has no example with its output")
            if "```text" not in section.split("```python")[0]:
                out.append(f"the section on {a.page} does not open with its formula")
        choosing = (
            page_section(a.page, "when")
            or (ROOT / "docs" / a.page).read_text().split("## When to use which")[-1]
        )
        if f"`{a.name}`" not in choosing:
            out.append(f"'When to use which' on {a.page} does not mention it")
    if a.name != "relu":
        methods = all_methods() if methods is None else methods
        if not any(m.name == a.name and m.group in ("variant", "smooth") for m in methods):
            out.append("no benchmark case")
    return out


@pytest.mark.parametrize("name", list(ACTS))
def test_every_entry_is_complete(name):
    assert problems(ACTS[name]) == []


def test_every_public_function_of_the_family_has_an_entry():
    accounted = {n for a in ACTS.values() for n in a.public_names()}
    family = {n for n in variants.__all__ if callable(getattr(variants, n))}
    assert family - accounted == set(), "functions without an entry in relu.ACTIVATIONS"
    assert accounted - family - {"relu", "relu_grad"} == set(), (
        "entries for functions that do not exist"
    )
    assert relu.swish is relu.silu and relu.swish_grad is relu.silu_grad


def test_the_exports_follow_variants_all():
    assert set(variants.__all__) <= set(relu.__all__)
    for n in variants.__all__:
        assert getattr(relu, n) is getattr(variants, n)


def test_every_figure_on_the_variants_page_has_an_entry():
    text = (ROOT / "docs/guide/variants.md").read_text()
    for name in re.findall(r"<!-- render: variants\.figure (\w+) -->", text):
        assert name in ACTS


def _broken(**changes):
    return dataclasses.replace(ACTS["celu"], **changes)


@pytest.mark.parametrize(
    ("changes", "reported"),
    [
        ({"name": "celu_without_page"}, "no section { #celu_without_page }"),
        ({"params": {}}, "keywords ['alpha'] differ"),
        ({"torch": None, "jax": None}, "no PyTorch or JAX counterpart"),
        (
            {"params": {"alpha": dataclasses.replace(ACTS["celu"].params["alpha"], default=2.0)}},
            "alpha defaults to 1.0",
        ),
    ],
)
def test_a_forgotten_part_is_reported(changes, reported):
    assert any(reported in p for p in problems(_broken(**changes))), problems(_broken(**changes))


def test_missing_test_tables_are_reported():
    assert any("no derivative convention" in p for p in problems(ACTS["celu"], at_kinks={}))
    assert any("no refused keyword values" in p for p in problems(ACTS["celu"], invalid={}))


def test_a_missing_or_wrong_reference_is_reported():
    assert any("no reference formula" in p for p in problems(ACTS["celu"], references={}))
    wrong = {"celu": lambda x: x}  # takes no alpha
    assert any("reference fails" in p for p in problems(ACTS["celu"], references=wrong))


def test_a_missing_benchmark_case_is_reported():
    methods = [m for m in all_methods() if m.name != "celu"]
    assert "no benchmark case" in problems(ACTS["celu"], methods)
