"""The "ReLU in other array libraries" page's rows: each installed library is
run again and must give the committed row (when its version is the one the
row was measured with); missing libraries are skipped with the reason."""

from __future__ import annotations

import pytest

from relu_docs import libraries as L


@pytest.mark.parametrize("name", [lib.name for lib in L.LIBRARIES])
def test_committed_row_matches_a_fresh_measurement(name):
    lib = L.BY_NAME[name]
    data = L.load()
    if lib.missing:
        assert data["missing"][name] == lib.missing
        pytest.skip(f"{name} {lib.missing}")
    extra = "" if name == "TensorFlow" else " (make test installs it)"
    reason = (
        f"{name} is not installed here{extra}; its row was measured on the machine the page names"
    )
    pytest.importorskip(lib.module, reason=reason)
    row = data["rows"][name]
    if L.version(lib) != row["version"]:
        pytest.skip(
            f"{name} {L.version(lib)} is installed; the row was measured with {row['version']}"
        )
    assert L.measure(lib) == row


def test_every_library_has_a_row_or_a_reason():
    data = L.load()
    for lib in L.LIBRARIES:
        assert (lib.name in data["rows"]) != (lib.name in data["missing"]), lib.name
    assert set(data["rows"]["NumPy"]) == {"version", *L.PROPERTIES}


def test_the_differences_are_rendered_from_the_rows():
    text = L.differences(None)
    data = L.load()
    numpy = data["rows"]["NumPy"]["neg_zero"]
    for name, row in data["rows"].items():
        if name == "NumPy":
            continue
        part = next((p for p in text.split(";") if f"**{name}**" in p), "")
        if row["neg_zero"] != numpy:
            assert f"relu(-0.0) is {row['neg_zero']} (NumPy: {numpy})" in part, name
        else:
            assert part == "", name


def test_the_record_names_the_machine_and_what_is_missing():
    text = L.record(None)
    data = L.load()
    assert data["machine"]["cpu"] in text and f"{data['machine']['usable_cores']} cores" in text
    for name in data["missing"]:
        assert f"{name} is not measured" in text
    assert all(f"**{name}**" not in L.behaviour(None) for name in data["missing"])
