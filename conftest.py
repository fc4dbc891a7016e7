"""Shared pytest set-up: doctest collection rules and the docs-block report."""

from __future__ import annotations

import numpy as np
import pytest

collect_ignore_glob = ["src/relu/bench/__main__.py", "tools/*", "site/*"]


@pytest.fixture(autouse=True)
def _doctest_imports(doctest_namespace):
    """The docstrings' examples assume ``import numpy as np`` and ``import relu``, as
    NumPy's assume ``np`` (the API page says so)."""
    import relu

    doctest_namespace.update(np=np, relu=relu)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say how many documentation code blocks ran, and how each ended."""
    counts: dict[str, int] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") not in ("call", "setup"):
                continue
            if report.nodeid.split("::")[0].endswith(".md"):
                if outcome == "skipped" or report.when == "call":
                    counts[outcome] = counts.get(outcome, 0) + 1
    if counts:
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        terminalreporter.write_sep("-", f"documentation code blocks: {summary}")
