"""Turn a results dict into text for the terminal, and into a JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .flawed import describe_factor

__all__ = ["format_time", "format_summary", "format_flawed", "save", "load", "published"]

PUBLISHED = {
    "sweep": "results.json",
    "flawed": "flawed.json",
    "larger": "larger.json",
}


def format_time(ns: float) -> str:
    """A duration in the unit that reads best.

    Examples
    --------
    >>> format_time(850), format_time(12_345), format_time(4.2e7), format_time(2.5e9)
    ('850 ns', '12.3 us', '42.0 ms', '2.50 s')
    """
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.1f} us"
    if ns < 1e9:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns / 1e9:.2f} s"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            str(c).ljust(w) if i < 2 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_summary(data: dict[str, Any]) -> str:
    """Per dtype, at the largest size: median, ratio to floor, GB/s, spread.

    Also names the peers that were not installed and the skipped cases.

    Examples
    --------
    >>> print(format_summary({"results": [], "skipped": [], "missing_peers": ["numba"],
    ...                       "machine": {"cpu": "CPU", "usable_cores": 2}, "threads": {}}))
    ... # doctest: +ELLIPSIS
    CPU, 2 usable cores
    peers not installed: numba (...pip install ...)
    """
    machine = data.get("machine", {})
    out = [f"{machine.get('cpu', '?')}, {machine.get('usable_cores', '?')} usable cores"]
    results = data["results"]
    for dtype in dict.fromkeys(r["dtype"] for r in results):
        size = max(r["size"] for r in results if r["dtype"] == dtype)
        rows = []
        for r in results:
            if r["dtype"] != dtype or r["size"] != size:
                continue
            t = r["times_ns"]
            spread = (t["q3"] - t["q1"]) / t["median"] if t["median"] else 0.0
            ratio = r["ratio_to_floor"]
            rows.append(
                [
                    r["method"],
                    r["mode"],
                    format_time(t["median"]),
                    f"{ratio:.2f}" if ratio is not None else "-",
                    f"{r['gbps']:.1f}" if r["gbps"] is not None else "-",
                    f"{spread:.0%}",
                    str(t["n"]),
                ]
            )
        nbytes = next(r["nbytes"] for r in results if r["dtype"] == dtype and r["size"] == size)
        out.append("")
        out.append(f"{dtype}, {size:,} elements ({nbytes / 1e6:,.1f} MB):")
        out.append(_table(["method", "mode", "median", "x floor", "GB/s", "IQR", "calls"], rows))
    threads = {k: v for k, v in data.get("threads", {}).items() if v is not None and k != "numpy"}
    if threads:
        out.append("")
        out.append(
            "peer threads: "
            + ", ".join(f"{k} {v}" for k, v in threads.items())
            + " (NumPy ufuncs use 1)"
        )
    if data.get("missing_peers"):
        from .cases import TORCH_CPU_NOTE, peers_hint

        out.append(f"peers not installed: {', '.join(data['missing_peers'])} ({peers_hint()})")
        if "torch" in data["missing_peers"]:
            out.append(TORCH_CPU_NOTE)
    for s in data.get("skipped", []):
        if s["method"].split(".")[0] not in data.get("missing_peers", []):
            out.append(f"skipped {s['method']} ({s['mode']}) {s['dtype']}: {s['reason']}")
    return "\n".join(out)


def format_flawed(data: dict[str, Any]) -> str:
    """One line per pitfall: flawed median, correct median, how far off.

    Examples
    --------
    >>> stats = lambda m: {"median": m}
    >>> entry = {"title": "timeit on the mutated array", "expression": "x[x < 0] = 0",
    ...          "dtype": "float64", "size": 1000, "flawed": stats(2e6),
    ...          "correct": stats(1e7), "factor": 0.2}
    >>> print(format_flawed({"flawed": [entry]}))  # doctest: +NORMALIZE_WHITESPACE
    pitfall                      expression    dtype     size  flawed  correct  off by
    ---------------------------  ------------  -------  -----  ------  -------  -------------
    timeit on the mutated array  x[x < 0] = 0  float64  1,000  2.0 ms  10.0 ms  5.0x too fast
    """
    rows = [
        [
            f["title"],
            f["expression"],
            f["dtype"],
            f"{f['size']:,}",
            format_time(f["flawed"]["median"]),
            format_time(f["correct"]["median"]),
            describe_factor(f["factor"]),
        ]
        for f in data["flawed"]
    ]
    header = ["pitfall", "expression", "dtype", "size", "flawed", "correct", "off by"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            c.ljust(w) if i in (0, 1, 2, 6) else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def save(data: dict[str, Any], path) -> Path:
    """Write ``data`` as indented JSON (creating folders); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def load(path) -> dict[str, Any]:
    """Read a results file written by `save`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def published(kind: str = "sweep") -> dict[str, Any]:
    """The results that the documentation site shows, as shipped with the package.

    ``kind`` is ``"sweep"`` (the thread's expressions on the Results page),
    ``"flawed"`` (the Methodology page's pitfalls) or ``"larger"`` (arrays
    larger than memory); each names its machine. The runs of relu against its
    peers, one per machine, are `published_runs`.

    Examples
    --------
    >>> from relu.bench import published
    >>> ours = published()
    >>> ours["kind"], ours["schema_version"]
    ('sweep', 2)
    """
    if kind not in PUBLISHED:
        raise ValueError(f"kind must be one of {sorted(PUBLISHED)}, got {kind!r}")
    return load(Path(__file__).with_name("data") / PUBLISHED[kind])


VIEWS = ("one-thread", "all-cores")
"""The two views of a machine's ``relu-bench --versus`` run: every library on one
thread (``--threads 1``), and every library on its default threads."""


def published_runs() -> dict[str, dict[str, dict[str, Any]]]:
    """Every machine's committed ``--versus`` run, as ``{key: {view: data}}``.

    Each machine kind (`relu.bench.runner.machine_key`) has a folder under
    ``data/machines/`` with one file per view (`VIEWS`), so that a new machine
    adds its run instead of replacing another's.

    Examples
    --------
    >>> from relu.bench import published_runs
    >>> runs = published_runs()
    >>> all(set(views) == {"one-thread", "all-cores"} for views in runs.values())
    True
    """
    root = Path(__file__).with_name("data") / "machines"
    runs: dict[str, dict[str, dict[str, Any]]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else ():
        runs[folder.name] = {view: load(folder / f"{view}.json") for view in VIEWS}
    return runs
