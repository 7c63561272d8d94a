"""The global part written and validated in cached groups (:mod:`oirld.globalparts`) holds the triples
:func:`oirld.graph.global_graph` writes and gets the verdict one pass over the whole global view gets; an
incremental rebuild after a change that creates (or removes) a disagreement or a violation in one group reports and
publishes what a build from scratch does."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from oirld import globalparts
from oirld.config import Config
from oirld.errors import NonConformingData
from oirld.ontology import load_ontology
from oirld.pipeline import build, compile_dataset, compile_incremental
from oirld.validation import add_ntriples, load_shapes, split_shapes, validate_graph

from .test_incremental_publish import _assert_same, _corpus, _from_scratch, _rebuild, _state, _stems

STARTED = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def _triples(data: bytes) -> set[str]:
    return {str(t) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


def _key(v) -> tuple:
    return (v.shape, v.focus, v.focus_label, v.path or "", v.message, v.severity, v.value or "")


def _add_claim(home: Path, stem: str, prop: str, sentence: str, value: str) -> tuple[str, str]:
    """A sentence added to the article's text, and a claim on the subject of its first ``prop`` claim that cites it:
    its end is ``value``. Returns the text and mapping as they were."""
    seed, mapping = home / "seeds" / f"{stem}.txt", home / "mappings" / f"{stem}.yaml"
    text, script = seed.read_text(encoding="utf-8"), mapping.read_text(encoding="utf-8")
    about = next(a for a, p in re.findall(r'- about: "([^"]+)"\n    property: (\w+)', script) if p == prop)
    seed.write_text(text.rstrip("\n") + f" {sentence}.\n", encoding="utf-8")
    mapping.write_text(script.rstrip("\n") + f'\n  - about: "{about}"\n    property: endDate\n    value: "{value}"\n'
                       f'    quote: "{sentence}"\n', encoding="utf-8")
    return text, script


def _restore(home: Path, stem: str, was: tuple[str, str]) -> None:
    (home / "seeds" / f"{stem}.txt").write_text(was[0], encoding="utf-8")
    (home / "mappings" / f"{stem}.yaml").write_text(was[1], encoding="utf-8")


#: an event that ends before it starts (oirsh:EventTimesInOrder), and a second end that disagrees with the first
LATE = ("startDate", "Those talks were all over in January 2020", "in January 2020")
EARLY = ("endDate", "It had already ended in January 2019, one official said", "in January 2019")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("globalparts")
    return root, _corpus(root / "home")


@pytest.mark.parametrize("batch", [1, 10**9], ids=["a group at a time", "one batch"])
def test_groups_hold_the_whole_global_part_and_get_its_verdict(corpus, tmp_path, monkeypatch, batch) -> None:
    """Validated in batches (one group each, or all in one) in the views groupview collects, never as one graph."""
    monkeypatch.setattr(globalparts, "BATCH", batch)
    root, home = corpus
    work = tmp_path / "home"
    shutil.copytree(home, work)
    stem = _stems(work)[1]
    _add_claim(work, stem, *LATE)
    config = Config(home=work, out=tmp_path / "out")
    inc = compile_incremental(config, started=STARTED, workers=1)
    whole = compile_dataset(config, started=STARTED).graph
    articles = set().union(*(_triples(a.chunk) for a in inc.articles))
    expected = _triples(whole.serialize(format="nt", encoding="utf-8")) - articles
    assert _triples(inc.global_part.nt) == expected
    assert inc.global_part.triples == len(expected)

    _, global_shapes = split_shapes(load_shapes(work / "shapes"))
    ontology = load_ontology(work / "ontology" / "oirld.ttl").graph
    view = Graph(store="SimpleMemory")
    add_ntriples(view, inc.global_part.nt + b"".join(a.extras for a in inc.articles))
    reference = validate_graph(view, global_shapes, ontology, "turbo")
    grouped = inc.global_part.validate(global_shapes, ontology, "turbo")
    assert not reference.conforms and any(v.message.startswith("Ends (January 2020)") for v in reference.violations)
    assert sorted(map(_key, grouped.violations)) == sorted(map(_key, reference.violations))
    # every node of the global view is some group's focus node
    focus = set().union(*(inc.global_part.lookup.focus(name) for name in inc.global_part.groups))
    assert {str(s) for s in view.subjects()} <= focus
    # the same again from the cache: nothing written or validated anew but the build group
    again = compile_incremental(config, started=STARTED, workers=1)
    assert again.global_part.fresh == 1
    cached = again.global_part.validate(global_shapes, ontology, "turbo")
    assert sorted(map(_key, cached.violations)) == sorted(map(_key, reference.violations))


def _report(home: Path, out: Path) -> str:
    with pytest.raises(NonConformingData) as caught:
        build(Config(home=home, out=out), workers=1)
    return caught.value.report


def test_a_rebuild_that_creates_and_removes_a_disagreement_and_a_violation_equals_a_build_from_scratch(corpus, tmp_path):
    root, home = corpus
    work = tmp_path / "home"
    shutil.copytree(home, work)
    cfg = Config(home=work, out=tmp_path / "out")
    first = build(cfg, workers=1)
    stem = _stems(work)[1]

    original = _add_claim(work, stem, *EARLY)
    second, lines = _rebuild(cfg)
    assert second.disagreements > first.disagreements
    _assert_same(_state(second), _state(_from_scratch(work, tmp_path / "scratch-1")))

    with_disagreement = _add_claim(work, stem, *LATE)
    report = _report(work, cfg.out)
    assert "Ends (January 2020) before it starts" in report
    assert report == _report(work, tmp_path / "scratch-2")

    _restore(work, stem, with_disagreement)
    third, _ = _rebuild(cfg)
    assert third.disagreements == second.disagreements
    _assert_same(_state(third), _state(_from_scratch(work, tmp_path / "scratch-3")))

    _restore(work, stem, original)
    fourth, _ = _rebuild(cfg)
    assert fourth.disagreements == first.disagreements
    _assert_same(_state(fourth), _state(_from_scratch(work, tmp_path / "scratch-4")))
