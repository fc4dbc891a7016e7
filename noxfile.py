"""The support matrix, run rather than assumed: ``make matrix`` (or ``nox``).

Sessions
--------
``tests``          the unit tests against the oldest and the newest NumPy that
                   install on each Python, 3.10 to 3.13, compiled build
``no_compiler``    the same tests on a build made without a C compiler (the
                   NumPy path: ``relu.loops() == "numpy"``)
``no_threads``     the compiled loops as built where there are no POSIX threads
                   (Windows): ``-DRELU_NO_THREADS``, one thread, same results
``wheel``          a wheel built from the tree, installed in a fresh
                   environment, its tests run from a directory outside the tree
``sdist``          the same from the source distribution, unpacked elsewhere
``sanitizers``     the extension built with AddressSanitizer and
                   UndefinedBehaviorSanitizer; native, kernel and core tests

``make test`` stays the everyday command; this matrix is its own one. The
ranges here are the ones README.md and ``pyproject.toml`` state.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
NUMPY = {  # (oldest supported, newest) that install on each Python
    "3.10": ("2.0.2", "2.2.6"),
    "3.11": ("2.0.2", "2.4.6"),
    "3.12": ("2.0.2", "2.5.5"),
    "3.13": ("2.1.3", "2.5.5"),
}
TEST_DEPS = ["pytest", "hypothesis"]  # at constraints.txt's versions
UNIT = [
    "tests/test_core.py",
    "tests/test_kernel.py",
    "tests/test_native.py",
    "tests/test_fast_call.py",
    "tests/test_hardware.py",
    "tests/test_variants.py",
    "tests/test_gradients.py",
    "tests/test_implementations.py",
    "tests/test_api.py",
    "tests/test_reliability.py",
    "tests/test_bench.py",
]
PYTEST = ["-q", "-p", "no:cacheprovider", "-o", "addopts=", "-W", "error"]

nox.options.sessions = ["tests", "no_compiler", "no_threads", "wheel", "sdist", "sanitizers"]
nox.options.reuse_existing_virtualenvs = True


def _constraints(session, numpy: str | None = None) -> str:
    """pip's option for the exact versions of constraints.txt; with ``numpy``, that
    NumPy instead of the file's."""
    path = ROOT / "constraints.txt"
    if numpy:
        lines = path.read_text(encoding="utf-8").splitlines()
        path = Path(session.create_tmp()).resolve() / "constraints.txt"
        path.write_text("\n".join(x for x in lines if not x.startswith("numpy==")) + "\n")
    return f"--constraint={path}"


def _install_built(session, env: dict[str, str], *extra: str) -> None:
    """pip-install a fresh copy of the checkout, built with ``env`` (compiler settings)."""
    session.run(
        "python",
        "-m",
        "pip",
        "install",
        "--no-cache-dir",
        "--force-reinstall",
        _constraints(session),
        *extra,
        str(_fresh_source(session)),
        env=env,
    )


def _fresh_source(session) -> Path:
    """A copy of the source without any earlier build output, so that the
    extension is compiled anew (setuptools skips an up-to-date build/)."""
    where = Path(session.create_tmp()).resolve() / "source"
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(
        ROOT,
        where,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".nox",
            "build",
            "dist",
            "site",
            ".zensical-site",
            ".cache",
            "*.so",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".hypothesis",
            "node_modules",
        ),
    )
    return where


def _unit(session, *, where: Path = ROOT, numpy: str | None = None) -> None:
    session.install(
        _constraints(session, numpy), *TEST_DEPS, *([f"numpy=={numpy}"] if numpy else [])
    )
    session.run(
        "python", "-c", "import numpy, relu; print('numpy', numpy.__version__, '|', relu.loops())"
    )
    session.run(
        "python",
        "-m",
        "pytest",
        *PYTEST,
        "-o",
        f"pythonpath={where / 'tests'}",
        *[str(where / t) for t in UNIT],
        external=True,
    )


@nox.session
@nox.parametrize("python,numpy", [(py, v) for py in PYTHONS for v in NUMPY[py]])
def tests(session, numpy):
    """Unit tests, compiled build, oldest and newest NumPy."""
    session.install(_constraints(session, numpy), f"numpy=={numpy}", str(_fresh_source(session)))
    with session.chdir(session.create_tmp()):
        _unit(session, numpy=numpy)


@nox.session(python="3.11")
def no_compiler(session):
    """A build with no C compiler: the optional extension is skipped, the NumPy path runs."""
    _install_built(session, {"CC": "false", "LDSHARED": "false"})
    loops = session.run("python", "-c", "import relu; print(relu.loops())", silent=True).strip()
    if loops != "numpy":
        session.error(f"expected the NumPy-only build, got {loops!r}")
    with session.chdir(session.create_tmp()):
        _unit(session)


@nox.session(python="3.11")
def no_threads(session):
    """The compiled loops without POSIX threads, as on Windows: single-threaded, same results."""
    _install_built(session, {"CFLAGS": "-DRELU_NO_THREADS"})
    threaded = session.run(
        "python", "-c", "from relu import _native; print(_native.THREADED)", silent=True
    ).strip()
    if threaded != "0":
        session.error(f"expected the single-threaded build, got THREADED={threaded}")
    with session.chdir(session.create_tmp()):
        _unit(session)


def _outside(session, name: str) -> Path:
    """A copy of the tests in a fresh folder, away from the tree."""
    where = Path(session.create_tmp()).resolve() / name
    shutil.rmtree(where, ignore_errors=True)
    (where / "tests").mkdir(parents=True)
    for path in (ROOT / "tests").glob("*.py"):
        shutil.copy(path, where / "tests")
    return where


@nox.session(python="3.11")
def wheel(session):
    """Build a wheel, install it, run the unit tests from outside the tree."""
    dist = Path(session.create_tmp()).resolve() / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.install("build==1.3.0", "twine==6.2.0")
    session.run(
        "python", "-m", "build", "--wheel", "--outdir", str(dist), str(_fresh_source(session))
    )
    wheels = list(dist.glob("*.whl"))
    session.run("python", "-m", "twine", "check", *map(str, wheels))
    session.install(*map(str, wheels))  # its dependencies
    session.install(
        "--force-reinstall", "--no-deps", *map(str, wheels)
    )  # this build, not an older one
    where = _outside(session, "wheel-tests")
    with session.chdir(where):
        _unit(session, where=where)


@nox.session(python="3.11")
def sdist(session):
    """Build the sdist, install it, run the tests it ships from where it was unpacked."""
    dist = Path(session.create_tmp()).resolve() / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.install("build==1.3.0", "twine==6.2.0")
    session.run("python", "-m", "build", "--sdist", "--outdir", str(dist), str(ROOT))
    (archive,) = dist.glob("*.tar.gz")
    session.run("python", "-m", "twine", "check", str(archive))
    unpacked = dist / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    (where,) = unpacked.iterdir()
    for needed in ("tests/conftest.py", "tests/reference.py", "tests/strategies.py"):
        if not (where / needed).is_file():
            session.error(f"the sdist lacks {needed}")
    session.install(str(archive))
    session.install("--force-reinstall", "--no-deps", str(archive))
    with session.chdir(where):
        _unit(session, where=where)


@nox.session(python="3.11")
def sanitizers(session):
    """The extension under ASan and UBSan: native, kernel and core tests."""
    flags = "-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    session.install(_constraints(session), *TEST_DEPS, "numpy")
    _install_built(session, {"CFLAGS": flags, "LDFLAGS": flags}, "--no-deps")
    runtime = [
        subprocess.run(
            ["gcc", f"-print-file-name={lib}"], capture_output=True, text=True, check=True
        ).stdout.strip()
        for lib in ("libasan.so", "libubsan.so")
    ]
    env = {
        "LD_PRELOAD": ":".join(runtime),
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",  # CPython itself is not leak-clean
        "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
    }
    with session.chdir(session.create_tmp()):
        session.run(
            "python",
            "-m",
            "pytest",
            *PYTEST,
            "-o",
            f"pythonpath={ROOT / 'tests'}",
            *[
                str(ROOT / t)
                for t in (
                    "tests/test_native.py",
                    "tests/test_fast_call.py",
                    "tests/test_kernel.py",
                    "tests/test_core.py",
                    "tests/test_reliability.py",
                )
            ],
            env=env,
            external=True,
        )
