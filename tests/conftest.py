"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

try:  # the tests check results, never time (make test runs them on two workers at once)
    from hypothesis import settings
except ImportError:  # the site's tests run without it
    pass
else:
    settings.register_profile("relu", deadline=None)
    settings.load_profile("relu")

# Tests of the documentation site need the source tree (docs/ and tools/), which
# neither an installed wheel nor the sdist carries: there they are not collected,
# and the run says so at the end.
NEEDS_TREE = [
    "test_docs.py",
    "test_browser.py",
    "test_claims.py",
    "test_render.py",
    "test_notebooks.py",
    "test_zensical.py",
    "test_budgets.py",
    "test_machines.py",
    "test_correctness.py",
    "test_nn.py",
    "test_activations.py",  # checks each activation's section on the Variants page
    "test_libraries.py",  # the cross-library page's renderer and data
]
HAS_TREE = (ROOT / "docs").is_dir() and (ROOT / "tools" / "relu_docs").is_dir()
collect_ignore = [] if HAS_TREE else NEEDS_TREE


def pytest_terminal_summary(terminalreporter):
    if not HAS_TREE:
        terminalreporter.write_line(
            "not collected, they need the source tree (docs/, tools/) of a clone: "
            + ", ".join(NEEDS_TREE)
        )


def build_env() -> dict[str, str]:
    """The environment of a site build: the renderers (``tools/relu_docs``) importable."""
    path = os.pathsep.join(p for p in (str(ROOT / "tools"), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the site once with ``mkdocs build --strict``; fail on any warning."""
    if not HAS_TREE:
        pytest.skip("building the site needs the source tree (docs/, tools/) of a clone")
    pytest.importorskip(
        "mkdocs", reason="the site build needs the docs dependency group (make build)"
    )
    site = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=build_env(),
    )
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    return site


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """Build the site once with Zensical, from the same ``mkdocs.yml``, in strict mode.

    Zensical has no option for the output folder and wants it inside the
    project, so a copy of ``mkdocs.yml`` naming ``.zensical-site/`` (ignored by
    git) is written next to it for the build.
    """
    try:
        import zensical  # noqa: F401
    except ImportError:
        pytest.skip("Zensical is not installed (Python 3.11+; make test installs it)")
    site = ROOT / ".zensical-site"
    shutil.rmtree(site, ignore_errors=True)
    config = ROOT / ".zensical-test.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(f"{text}\nsite_dir: {site}\n", encoding="utf-8")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", str(config)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=build_env(),
        )
    finally:
        config.unlink()
    if proc.returncode != 0 or not (site / "index.html").is_file():
        pytest.fail(f"zensical build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    return site
