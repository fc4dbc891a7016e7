"""The committed per-machine runs and the verdicts drawn from them
(`relu_docs.machines`): one folder per machine kind, both views, and a verdict
that is *level* whenever the run's own spread straddles 1."""

from __future__ import annotations

import copy

import pytest

from relu.bench import VIEWS, published_runs, validate
from relu.bench.runner import machine_key
from relu_docs import machines


def test_every_committed_machine_has_both_views_under_its_own_key():
    runs = published_runs()
    assert runs, "no machine run is committed"
    for key, views in runs.items():
        assert set(views) == set(VIEWS)
        for view, data in views.items():
            validate(data)
            assert machine_key(data["machine"]) == key == data["machine"]["key"]
            assert data["config"]["relu_threads"] == (1 if view == "one-thread" else None)
            methods = {r["method"] for r in data["results"]}
            assert {"maximum", "relu_numpy"} <= methods  # np.maximum a peer in every mode
            threads = data["threads"]
            if view == "one-thread":  # every peer on one thread too: equal terms
                assert all(n in (None, 1) for n in threads.values()), threads


def _fake(ours: list[float], peer: list[float]) -> dict:
    def entry(method, medians):
        return {
            "method": method,
            "mode": "allocating",
            "expression": method,
            "dtype": "float32",
            "size": 1000,
            "times_ns": {"median": sorted(medians)[len(medians) // 2]},
            "round_medians_ns": medians,
        }

    return {
        "config": {"dtypes": ["float32"], "sizes": [1000]},
        "results": [entry("relu", ours), entry("maximum", peer)],
    }


@pytest.mark.parametrize(
    ("ours", "verdict"),
    [
        ([80, 85, 90, 95], "faster"),  # every round under the peer's 100
        ([90, 98, 103, 110], "level"),  # the middle half straddles 1
        ([105, 110, 120, 130], "slower"),
    ],
)
def test_the_verdict_follows_the_rounds_spread(ours, verdict):
    (row,) = machines.compare(_fake(ours, [100, 100, 100, 100]), "allocating")
    assert row["verdict"] == verdict
    assert row["peer"] == "np.maximum(x, 0)"


def test_the_fastest_peer_is_np_maximum_when_it_is_fastest():
    data = _fake([50] * 4, [100] * 4)
    torch = copy.deepcopy(data["results"][1])
    torch.update(method="torch.relu", expression="torch.relu(t)")
    torch["times_ns"] = {"median": 200}
    torch["round_medians_ns"] = [200] * 4
    data["results"].append(torch)
    (row,) = machines.compare(data, "allocating")
    assert row["peer"] == "np.maximum(x, 0)" and row["ratio"] == 0.5


def test_the_summary_reads_as_a_sentence():
    rows = [
        {"verdict": "faster", "ratio": 0.5, "dtype": "float32", "size": 100},
        {"verdict": "level", "ratio": 1.0, "dtype": "float32", "size": 1000},
        {"verdict": "slower", "ratio": 1.4, "dtype": "float64", "size": 100_000},
    ]
    assert machines.summary(rows) == "faster in 1 of 3, level in 1, slower at float64 1e5 (1.40×)"


def test_the_rendered_tables_cover_every_committed_machine():
    text = machines.table(None)
    assert text.count("\n") >= 2 + 6 * len(published_runs())  # 3 modes in each view at least
    for views in published_runs().values():
        assert machines.machine_name(views["all-cores"]) in machines.record(None)
