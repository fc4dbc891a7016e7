"""Every comparative sentence of the site is rendered from the results or checked against them.

A sentence that says faster, slower, ahead, level with, N×, "costs more" and
the like must carry a ``<!-- render: ... -->`` marker (the sentence is
written from the data) or a ``<!-- claim: name -->`` marker (the check
``name`` in ``relu_docs.claims`` runs against the data at build time). The
checks themselves are tested here too: each passes on the published
results and fails on results that contradict it.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from relu_docs import bench, claims, thread
from relu_docs.render import CLAIM, INLINE

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
SEEDS = ROOT.parent / "shared" / "seeds"

COMPARATIVE = re.compile(
    r"\b(faster|slower|fastest|slowest|quicker|ahead of|level with|costs? (?:more|less)|cheaper|"
    r"cheapest|dearer|(?:more|most|less|least) expensive|beats?|outperforms?|wins|loses|twice as|"
    r"twice the time|(?:more|less) work than|most of (?:its|the) "
    r"time)\b|\d(?:\.\d+)?\s*×(?!\s*\d)|\btimes (?:as|faster|slower)\b",
    re.IGNORECASE,
)
MARKED = re.compile(r"<!--\s*(render|claim):")


def prose_sentences(path: Path):
    """(line number, sentence) of the page's prose: fences, headings and code spans left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    paragraph: list[tuple[int, str]] = []
    fence = None

    def flush():
        if paragraph:
            text = " ".join(t for _, t in paragraph)
            text = re.sub(r"`[^`]*`", "CODE", text)
            for sentence in re.split(r"(?<=[.!?])\s+(?!<!--)", text):
                yield paragraph[0][0], sentence
        paragraph.clear()

    for no, line in enumerate(lines, 1):
        m = re.match(r"^\s*(`{3,}|~{3,})", line)
        if m:
            yield from flush()
            fence = (
                m.group(1) if fence is None else (None if line.strip().startswith(fence) else fence)
            )
            continue
        if fence is not None or line.lstrip().startswith("#"):
            continue
        if not line.strip() or line.lstrip().startswith("|"):
            yield from flush()
            if line.lstrip().startswith("|"):
                yield no, line  # every table row is a sentence of its own
            continue
        paragraph.append((no, line.strip()))
    yield from flush()


def test_the_vocabulary_finds_what_it_should():
    assert COMPARATIVE.search("relu is faster than torch")
    assert COMPARATIVE.search("takes 3.4× the floor")
    assert COMPARATIVE.search("it costs more than any ReLU")
    assert not COMPARATIVE.search("the fastness of a knot")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_comparative_sentence_is_rendered_or_checked(page):
    unmarked = [
        f"{page.name}:{no}: {s.strip()[:160]}"
        for no, s in prose_sentences(page)
        if COMPARATIVE.search(re.sub(r"<!--.*?-->", "", s)) and not MARKED.search(s)
    ]
    assert not unmarked, "comparative sentences with no data behind them:\n" + "\n".join(unmarked)


def test_every_claim_marker_names_a_check():
    names = {m.group(1) for page in PAGES for m in CLAIM.finditer(page.read_text(encoding="utf-8"))}
    assert names, "no page uses a claim marker"
    assert names <= set(claims.CHECKS) | {"thread"}, names - set(claims.CHECKS)


@pytest.mark.parametrize("name", sorted(claims.CHECKS))
def test_each_check_holds_on_the_published_results(name):
    claims.verify(name)


def _swap(data, a, b):
    """Results in which methods ``a`` and ``b`` (method, mode) trade their timings."""
    data = copy.deepcopy(data)
    ra = {(r["dtype"], r["size"]): r for r in data["results"] if (r["method"], r["mode"]) == a}
    rb = {(r["dtype"], r["size"]): r for r in data["results"] if (r["method"], r["mode"]) == b}
    for key in ra.keys() & rb.keys():
        ra[key]["times_ns"], rb[key]["times_ns"] = rb[key]["times_ns"], ra[key]["times_ns"]
        ra[key]["ratio_to_floor"], rb[key]["ratio_to_floor"] = (
            rb[key]["ratio_to_floor"],
            ra[key]["ratio_to_floor"],
        )
    return data


CONTRADICTIONS = {
    "maximum-inplace-fastest-numpy-large": (
        ("maximum_inplace", "inplace"),
        ("boolean_index", "inplace"),
    ),
    "maximum-beats-multiply-large": (("maximum", "allocating"), ("multiply", "allocating")),
    "boolean-index-slowest-large": (("boolean_index", "inplace"), ("maximum", "allocating")),
}


@pytest.mark.parametrize("name", sorted(CONTRADICTIONS))
def test_each_check_fails_on_results_that_contradict_it(name, monkeypatch):
    contradicting = _swap(bench.load("sweep"), *CONTRADICTIONS[name])
    monkeypatch.setattr(
        claims, "load", lambda kind="sweep": contradicting if kind == "sweep" else bench.load(kind)
    )
    with pytest.raises(claims.ClaimError, match=name):
        claims.verify(name)


def test_the_thread_claim_reads_the_numbers_of_the_sentence():
    claims.verify("thread", "it measured 145 ms against 239 ms.")
    with pytest.raises(claims.ClaimError, match="146"):
        claims.verify("thread", "it measured 146 ms against 239 ms.")
    with pytest.raises(claims.ClaimError):
        claims.verify("thread", "a sentence that quotes no number")


def test_inline_markers_are_found():
    assert INLINE.search("x <!-- render: claims.compare_short relu out peer --> y")


@pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the reference material (../shared/seeds) is not next to this clone"
)
def test_the_thread_module_matches_the_threads_text():
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    assert f"{thread.ANSWERS} Answers" in text
    assert thread.TOBIAS_URL.split("/a/")[1] in text
    for b in thread.BENCHMARKS:
        for value in b.results.values():
            assert re.search(rf"\b{re.escape(f'{value:g}')} ms", text), (b.key, value)
    for value in thread.COMMENTS.values():
        assert re.search(rf"\b{re.escape(f'{value:g}')} ?ms", text), value
