"""The public API: exported, documented, and listed in the built site's inventory."""

from __future__ import annotations

import zlib

import pytest

import relu


def test_all_names_exist():
    for name in relu.__all__:
        assert hasattr(relu, name), name


@pytest.mark.parametrize("name", [n for n in relu.__all__ if not n.startswith("_")])
def test_public_callables_have_docstrings_with_examples(name):
    obj = getattr(relu, name)
    if callable(obj) and not isinstance(obj, type):
        doc = obj.__doc__ or ""
        assert doc.strip(), name
        assert "Examples" in doc, f"{name} has no Examples section"


def test_every_public_object_is_in_the_site_inventory(built_site):
    raw = (built_site / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    documented = {line.split(" ", 1)[0] for line in body.splitlines()}
    missing = []
    for name in relu.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(relu, name)
        module = getattr(obj, "__module__", None)
        candidates = {f"relu.{name}"}
        if module and hasattr(obj, "__name__"):
            candidates.add(f"{module}.{obj.__name__}")
        if not candidates & documented and not any(d.endswith(f".{name}") for d in documented):
            missing.append(name)
    assert not missing, f"not in the API reference: {missing}"
