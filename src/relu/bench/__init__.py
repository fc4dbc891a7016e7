"""The benchmark harness: every ReLU, timed against a copy of the same bytes.

Run it as ``relu-bench`` or ``python -m relu.bench`` (``--help`` lists the
options), or from Python with [`run_benchmark`][relu.bench.run_benchmark] and
[`run_flawed`][relu.bench.run_flawed].

How it measures, in short (the Benchmarking methodology page has the long
version):

* inputs are generated before timing; in-place methods get a fresh copy of
  the input before every timed call, untimed ([`measure`][relu.bench.measure]'s ``prepare``);
* each timed call is only the call, timed with `time.perf_counter_ns`,
  after an untimed warm-up; small sizes get more calls than large ones;
* the median, quartiles and extremes are kept, not one number;
* every dtype and size also times two one-core baselines (``floor`` in the
  files) on the same data: a copy into a preallocated array
  (``np.copyto(buf, x)``) and an in-place read and write of ``x``
  (``np.multiply(x, 1, out=x)``); results are reported as a ratio to them and
  as bandwidth, (bytes read + bytes written) / time. They are not limits:
  several cores or streaming stores go under them; ``--versus`` also times
  every core copying.

A results file is JSON: what ran (``kind``, ``command``, ``config``), where
(``machine``, ``versions``, ``threads``) and one object per case in
``results``, with its statistics in ns. CONTRIBUTING.md lists every key;
[`validate`][relu.bench.validate] checks them.

Examples
--------
>>> from relu.bench import run_benchmark, validate
>>> data = run_benchmark(sizes=[1000], dtypes=["float64"], methods=["maximum"],
...                      repeats=3, min_time=0, peers=(), progress=False)
>>> validate(data)
>>> [(r["method"], r["floor"]) for r in data["results"]]
[('floor_copy', 'floor_copy'), ('floor_inplace', 'floor_inplace'), ('maximum', 'floor_copy')]
"""

from __future__ import annotations

from .cases import (
    DEFAULT_DTYPES,
    DEFAULT_SIZES,
    PEERS,
    QUICK_SIZES,
    REGISTRY_MODES,
    Case,
    Method,
    all_methods,
    build_cases,
    check_registry_covered,
    select_methods,
)
from .flawed import PITFALLS, Pitfall, Setup, run_flawed
from .report import (
    VIEWS,
    format_flawed,
    format_summary,
    format_time,
    load,
    published,
    published_runs,
    save,
)
from .runner import SCHEMA_VERSION, make_input, run_benchmark, validate
from .timing import measure, summarize

__all__ = [
    "DEFAULT_DTYPES",
    "DEFAULT_SIZES",
    "PEERS",
    "PITFALLS",
    "QUICK_SIZES",
    "REGISTRY_MODES",
    "SCHEMA_VERSION",
    "Case",
    "Method",
    "Pitfall",
    "Setup",
    "all_methods",
    "build_cases",
    "check_registry_covered",
    "format_flawed",
    "format_summary",
    "format_time",
    "load",
    "make_input",
    "measure",
    "published",
    "published_runs",
    "VIEWS",
    "run_benchmark",
    "run_flawed",
    "save",
    "select_methods",
    "summarize",
    "validate",
]
