"""The Correctness page's matrix: what each cell means, pinned per implementation.

The table is computed while the docs build (``tools/relu_docs/correctness.py``);
these tests make sure it keeps saying what the page's prose explains.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import relu
from relu_docs import correctness
from relu_docs.correctness import BAD, INFO, ODD, OK, Cell

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def matrix() -> dict[str, dict[str, Cell]]:
    return correctness.compute()


def test_rows_are_relu_every_registry_entry_and_the_counterexample():
    keys = [c.key for c in correctness.candidates()]
    assert keys == ["relu", *relu.IMPLEMENTATIONS, "abs_multiply"]


def test_columns_are_the_issues_edge_cases():
    headers = {
        g: [h for _, h, group, _ in correctness.COLUMNS if group == g] for g in correctness.GROUPS
    }
    assert headers == {
        "values": ["NaN", "-inf", "+inf", "-0.0"],
        "dtypes": ["int dtypes", "float16/32", "bool", "complex"],
        "memory": ["mutates x", "returns", "peak memory"],
    }


def test_recommended_relu_is_right_everywhere(matrix):
    row = matrix["relu"]
    assert row["nan"] == Cell("NaN", OK)
    assert row["neg_inf"] == Cell("0.0", OK)
    assert row["pos_inf"] == Cell("inf", OK)
    assert row["neg_zero"] == Cell("0.0", OK)  # float16 included
    assert row["int"] == row["float"] == Cell("kept", OK)
    assert row["bool"] == row["complex"] == Cell("TypeError", OK)
    assert row["mutates"] == Cell("no", OK)
    assert row["returns"] == Cell("new array", INFO)


def test_multiply_turns_minus_inf_into_nan_with_a_warning_and_negatives_into_minus_zero(matrix):
    row = matrix["multiply"]
    assert row["neg_inf"] == Cell("NaN, warns", BAD)
    assert row["neg_zero"] == Cell("-0.0", ODD)
    assert row["nan"] == Cell("NaN", OK)
    assert row["bool"] == Cell("bool", INFO)


def test_abs_identity_promotes_integers_and_halves_true(matrix):
    row = matrix["abs"]
    assert row["int"] == Cell("float64", BAD)
    assert row["float"] == Cell("kept", OK)
    assert row["neg_inf"] == Cell("NaN, warns", BAD)
    assert row["bool"] == Cell("float64: True → 0.5", BAD)


def test_where_drops_nan(matrix):
    assert matrix["where"]["nan"] == Cell("0.0", BAD)
    assert matrix["where"]["neg_inf"] == Cell("0.0", OK)


@pytest.mark.parametrize("name", ["maximum_inplace", "boolean_index"])
def test_inplace_entries_mutate_and_return_x(matrix, name):
    assert matrix[name]["mutates"] == Cell("yes", BAD)
    assert matrix[name]["returns"] == Cell("x itself", INFO)


def test_only_inplace_entries_mutate(matrix):
    mutating = {key for key, row in matrix.items() if row["mutates"].text == "yes"}
    assert mutating == {n for n, i in relu.IMPLEMENTATIONS.items() if i.inplace}


def test_inplace_maximum_rejects_bool_and_boolean_index_keeps_minus_zero(matrix):
    assert matrix["maximum_inplace"]["bool"].verdict == OK
    assert "TypeError" in matrix["maximum_inplace"]["bool"].text
    assert matrix["boolean_index"]["neg_zero"] == Cell("-0.0", ODD)


def test_numpy_maximum_keeps_minus_zero_in_float16_only(matrix):
    for name in ["maximum", "clip", "maximum_inplace"]:
        assert matrix[name]["neg_zero"] == Cell("-0.0 in float16", ODD), name


def test_every_answer_accepts_complex_silently_and_only_relu_refuses(matrix):
    for key, row in matrix.items():
        if key == "relu":
            continue
        assert row["complex"].verdict == BAD, key
    assert matrix["maximum"]["complex"] == Cell("complex128", BAD)
    assert matrix["abs_multiply"]["complex"] == Cell("float64", BAD)


def test_cells_for_finite_behaviour_agree_with_the_registry_tests(matrix):
    # Every answer handles +inf and the small float dtypes.
    for key, row in matrix.items():
        assert row["pos_inf"] == Cell("inf", OK), key
        assert row["float"] == Cell("kept", OK), key


def test_allocation_measure():
    new, ratio = correctness.allocation(relu.relu)
    assert new and 0.95 < ratio < 1.1  # one result array, nothing else
    new, ratio = correctness.allocation(relu.implementations.relu_maximum_inplace)
    assert not new and ratio < 0.01
    new, ratio = correctness.allocation(relu.implementations.relu_boolean_index)
    assert not new and 0.1 < ratio < 0.5  # the boolean mask: one byte per float64
    new, ratio = correctness.allocation(relu.implementations.relu_multiply)
    assert new and ratio > 1.1  # result plus mask


def test_probe_calls_do_not_touch_the_callers_array_or_leak_warnings():
    x = np.array([-np.inf, -1.0])
    outcome = correctness.call(relu.implementations.relu_multiply, x)
    assert x.tolist() == [-np.inf, -1.0]
    assert outcome.warned and "invalid value" in outcome.warned[0]
    outcome = correctness.call(relu.relu, np.array([True]))
    assert isinstance(outcome.error, TypeError)


@pytest.mark.parametrize("group", correctness.GROUPS)
def test_rendered_tables_have_one_row_per_candidate_and_links(group):
    table = correctness.matrix(None, group)
    lines = [line for line in table.strip().splitlines() if line.startswith("|")]
    assert table.startswith('<div class="relu-fit" markdown>')  # shrinks to fit a phone
    assert len(lines) == 2 + len(correctness.candidates())
    columns = sum(g == group for _, _, g, _ in correctness.COLUMNS)
    assert {line.count(" | ") for line in lines} == {columns}  # no cell breaks the pipe table
    page = (ROOT / "docs/guide/implementations.md").read_text(encoding="utf-8")
    assert "\n## Answers not to copy { #two-answers-not-to-copy }\n" in page
    for c in correctness.candidates():
        assert table.count(c.label()) == 1
        if "#" in c.link:
            anchor = c.link.split("#", 1)[1]
            assert f"{{ #{anchor} }}" in page or anchor == "two-answers-not-to-copy", c.link


def test_rendered_cells_carry_their_symbols():
    assert "✗ NaN, warns" in correctness.matrix(None, "values")
    assert "✓ TypeError" in correctness.matrix(None, "dtypes")
    with pytest.raises(ValueError, match="unknown column group"):
        correctness.matrix(None, "everything")


def test_built_page_has_the_three_tables_and_no_marker(built_site):
    html = (built_site / "guide/correctness/index.html").read_text(encoding="utf-8")
    assert "<!-- render:" not in html
    tables = re.findall(r"<table>.*?</table>", html, flags=re.S)
    assert len(tables) == len(correctness.GROUPS)
    for table in tables:
        assert table.count("<tr>") == 1 + len(correctness.candidates())
        assert 'href="../implementations/#multiply"' in table
        # The relu.relu cross-reference resolved to the API page (mkdocstrings' anchor).
        assert re.search(
            r'<a class="autorefs[^"]*" [^>]*href="\.\./\.\./reference/api/#relu\.[\w.]*"', table
        )
