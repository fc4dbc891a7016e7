"""What a user and a contributor expect of a package: the version in one place, type
information, ``python -m relu``, NumPy as the only requirement, and a benchmark command
that refuses bad arguments before it runs and keeps its results when it cannot write."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import relu
from relu.bench import __main__ as cli


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env={**os.environ, **env}
    )


def test_the_version_is_the_installed_metadata():
    assert relu.__version__ == importlib.metadata.version("relu")


def test_the_package_is_typed_for_its_users(tmp_path):
    mypy_api = pytest.importorskip("mypy.api")
    assert (Path(relu.__file__).parent / "py.typed").is_file()
    script = tmp_path / "user.py"
    script.write_text("import relu\nreveal_type(relu.relu)\nn: str = relu.get_num_threads()\n")
    out, _, status = mypy_api.run([str(script), "--no-incremental", "--config-file=/dev/null"])
    revealed = out.split('Revealed type is "', 1)[1].split('"\n', 1)[0]
    assert revealed.startswith("def (") and "threads: int | None" in revealed, out  # not Any
    assert revealed.endswith("-> numpy.ndarray[tuple[Any, ...], numpy.dtype[Any]]"), out
    assert "Incompatible types in assignment" in out and status == 1, out


def test_python_m_relu_prints_a_bug_report():
    done = run("-m", "relu")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"relu {relu.__version__}"
    assert f"loops: {relu.loops()}" in lines
    for start in ("threads: ", "simd: ", "numpy ", "python ", "platform: "):
        assert any(line.startswith(start) for line in lines), start


def test_the_bug_report_names_what_a_maintainer_asks_first():
    from relu.__main__ import report

    text = report()
    assert text.splitlines()[:2] == [f"relu {relu.__version__}", f"loops: {relu.loops()}"]
    assert f"numpy {np.__version__}" in text and platform.platform() in text
    assert len(text.splitlines()) < 30  # short enough to paste


def test_import_relu_needs_numpy_alone():
    # tqdm, threadpoolctl and array-api-compat made unimportable: relu still imports and runs
    code = (
        "import sys\n"
        "for m in ('tqdm', 'threadpoolctl', 'array_api_compat', 'scipy', 'torch'):\n"
        "    sys.modules[m] = None\n"
        "import relu\n"
        "print(relu.relu([-1.0, 2.0]).tolist(), relu.get_num_threads() >= 1)\n"
    )
    done = run("-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[0.0, 2.0] True"


def test_the_benchmark_counts_progress_without_tqdm(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    from relu.bench import run_benchmark

    kwargs = {"dtypes": ["float32"], "methods": ["relu"], "repeats": 1, "min_time": 0}
    run_benchmark(sizes=[100], rounds=1, peers=(), progress=True, **kwargs)
    err = capsys.readouterr().err  # floor_copy, floor_inplace and relu's three modes
    assert err.split("\r")[1:] == [f"{i}/5 cases" for i in range(1, 5)] + ["5/5 cases\n"]
    run_benchmark(sizes=[100], rounds=1, peers=(), progress=False, **kwargs)
    assert capsys.readouterr().err == ""


def test_relu_bench_version():
    done = run("-m", "relu.bench", "--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"relu-bench {relu.__version__}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sizes", "inf"], "not a whole number of elements: 'inf'"),
        (["--sizes", "nan"], "not a whole number of elements: 'nan'"),
        (["--min-time", "inf"], "must be a finite number of seconds"),
        (["--min-time", "nan"], "must be a finite number of seconds"),
        (["--sizes", "1e12"], "size 1e+12 float64: its three arrays need 24,000,000,000,000 bytes"),
        (
            ["--sizes", "100000x100000x100000", "--dtypes", "float32"],
            "need 12,000,000,000,000,000 bytes",
        ),
    ],
)
def test_bad_arguments_are_usage_errors(args, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([*args, "--no-peers"])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_an_output_that_cannot_be_written_is_refused_before_the_run(tmp_path, capsys):
    afile = tmp_path / "a-file"
    afile.write_text("")
    for path, message in [
        (tmp_path, "is a directory"),
        (afile / "results.json", "is a file, not a directory"),
        (afile / "deeper" / "results.json", "is a file, not a directory"),
    ]:
        with pytest.raises(SystemExit):
            cli.main(["--quick", "--no-peers", "--output", str(path)])
        assert message in capsys.readouterr().err, path


def test_results_are_kept_when_writing_fails_after_the_run(tmp_path, capsys, monkeypatch):
    target = tmp_path / "out.json"
    real_save = cli.save

    def failing(data, path):
        if Path(path) == target:
            raise PermissionError(13, "Permission denied")
        return real_save(data, path)

    monkeypatch.setattr(cli, "save", failing)
    status = cli.main(
        ["--sizes", "100", "--dtypes", "float32", "--methods", "relu", "--repeats", "1",
         "--min-time", "0", "--rounds", "1", "--no-peers", "--output", str(target)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert status == 1
    kept = Path(err.rsplit("kept the results in ", 1)[1].strip())
    assert kept.is_file() and '"results"' in kept.read_text()
    assert f"cannot write {target}" in err


def test_the_missing_peers_hint_suits_how_relu_was_installed(monkeypatch):
    from importlib import metadata

    from relu.bench import cases
    from relu.bench.report import format_summary

    def summary(direct_url):
        class Dist:
            requires = ['torch>=2.0; extra == "peers"', 'numba>=0.60; extra == "peers"']

            def read_text(self, name):
                return direct_url if name == "direct_url.json" else None

        monkeypatch.setattr(metadata, "distribution", lambda name: Dist())
        data = {"results": [], "skipped": [], "machine": {}, "threads": {}}
        return format_summary({**data, "missing_peers": ["torch", "numba"]})

    by_pip = summary(None)  # installed from a wheel or an index
    # relu is on no package index: the extra's packages by name, not relu[peers]
    assert "peers not installed: torch, numba (pip install 'torch>=2.0' 'numba>=0.60')" in by_pip
    assert "relu[" not in by_pip
    assert "clone" not in by_pip and "-e" not in by_pip
    assert cases.TORCH_CPU_NOTE in by_pip and "CPU build" in cases.TORCH_CPU_NOTE
    editable = summary('{"url": "file:///src/relu", "dir_info": {"editable": true}}')
    assert "in the clone: make bench, or pip install -e '.[peers]'" in editable
    assert (
        "torch"
        not in format_summary(
            {"results": [], "skipped": [], "machine": {}, "threads": {}, "missing_peers": ["numba"]}
        ).split("(")[-1]
    )


def test_flawed_names_the_thread_it_reproduces():
    help_text = " ".join(cli.build_parser().format_help().split())
    assert "Stack Overflow thread 'How to implement the ReLU function in Numpy'" in help_text
    assert "stackoverflow.com/questions/32109319" in help_text
