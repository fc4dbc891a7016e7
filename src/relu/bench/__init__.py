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

Results schema (``schema_version`` 2)
-------------------------------------
A JSON object with these keys:

``schema_version`` : int
    2 (`relu.bench.runner.SCHEMA_VERSION`).
``kind`` : str
    ``"sweep"`` (the grid of methods), ``"versus"`` (``--versus``: relu
    against its peers at every size, with the all-core floors and a ``spin``
    object, see `relu.bench.spin.spin_cost`) or ``"flawed"`` (``--flawed``).
``date`` : str
    ISO 8601, UTC.
``command`` : str or null
    The command line that produced the file.
``machine`` : object
    ``cpu`` (model name), ``logical_cores``, ``usable_cores``, ``arch``, ``os``.
``versions`` : object
    ``python``, ``numpy``, ``relu``, and ``torch``, ``numexpr``, ``numba``
    (null when not installed, and in flawed runs, which use NumPy only).
``threads`` : object
    Threads used by ``numpy`` (1) and by each peer (null when absent).
``missing_peers`` : list of str
    Peers that could not be imported.
``config`` : object
    ``sizes``, ``dtypes``, ``repeats``, ``min_time_s``, ``max_repeats``,
    ``warmup``, ``warmup_s``, ``rounds``, ``alternate_rounds`` (true when every other
    round ran its methods in the reverse order, as versus runs do; absent in files
    written before it), ``settle_s``, ``seed`` (and ``methods``: null means all).
``results`` : list of object
    One per measured case: ``method``, ``mode`` (``"allocating"``, ``"out"``
    or ``"inplace"``), ``group`` (``"floor"``, ``"registry"``,
    ``"recommended"``, ``"gradient"``, ``"variant"``, ``"peer"``), ``expression``, ``peer``
    (or null), ``dtype``, ``size`` (elements), ``nbytes`` (of the input),
    ``floor`` (the floor it is divided by), ``passes`` (arrays of ``nbytes``
    read or written per call: 2, or 3 for a backward pass), ``times_ns``
    (``n``, ``min``, ``q1``, ``median``, ``q3``, ``max``, in ns, over all
    rounds' calls), ``round_medians_ns`` (the median of each round's calls,
    in ns, one per round; files written before it was added lack it),
    ``ratio_to_floor`` (median over the floor's median), ``gbps``
    (``passes * nbytes / median``, in GB/s).
``skipped`` : list of object
    ``method``, ``mode``, ``dtype``, ``reason`` for combinations not run.
``flawed`` : list of object
    One per pitfall (empty in sweeps): ``pitfall``, ``title``, ``method``,
    ``expression``, ``dtype``, ``size``, ``flawed_setup``,
    ``correct_setup``, ``flawed`` and ``correct`` (statistics as in
    ``times_ns``) and ``factor`` (flawed median / correct median).

[`validate`][relu.bench.validate] checks a dict against this schema.

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
