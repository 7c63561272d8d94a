"""The global part written and validated in cached groups (:mod:`oirld.globalparts`) holds the triples
:func:`oirld.graph.global_graph` writes and gets the verdict one pass over the whole global view gets; an
incremental rebuild after a change that creates (or removes) a disagreement or a violation in one group reports and
publishes what a build from scratch does."""

from __future__ import annotations

import datetime as dt
import gc
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

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


@pytest.mark.parametrize("batch,limit", [(1, 0), (10**9, 0), (1, 10**9)],
                         ids=["a group at a time", "one batch", "the whole view in one pass"])
def test_groups_hold_the_whole_global_part_and_get_its_verdict(corpus, tmp_path, monkeypatch, batch, limit) -> None:
    """Validated in batches (one group each, or all in one) in the views groupview collects, or, when the view is
    small, as one graph: the same verdicts."""
    monkeypatch.setattr(globalparts, "BATCH", batch)
    monkeypatch.setattr(globalparts, "WHOLE_LIMIT", limit)
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
    assert not gc.get_freeze_count()  # a build that fails unfreezes the heap too
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


def test_each_wire_story_is_a_group_whose_view_holds_what_its_shape_reads(tmp_path, monkeypatch) -> None:
    """A group per wire story: the story's reprints are found in its group (``oirsh:WireStory``'s inverse path),
    and its verdict is the whole view's."""
    from oirld.groupview import closure
    from oirld.namespaces import OIRL

    from .test_reprints import wire_project

    monkeypatch.setattr(globalparts, "WHOLE", 1.0)
    config = wire_project(tmp_path / "p")
    inc = compile_incremental(config, started=STARTED, workers=1)
    part = inc.global_part
    stories = [name for name in part.groups if name.startswith("wire:")]
    assert stories and "wire" not in part.groups
    whole = compile_dataset(config, started=STARTED).graph
    articles = set().union(*(_triples(a.chunk) for a in inc.articles))
    assert _triples(part.nt) == _triples(whole.serialize(format="nt", encoding="utf-8")) - articles
    for name in stories:
        node = next(n for n in part.lookup.focus(name) if "#" not in n)
        reprints = {(str(s), str(o)) for s, _, o in whole.triples((None, OIRL.reprintOf, URIRef(node)))}
        assert len(reprints) >= 2
        view = closure(part.lookup, [URIRef(node)])
        assert {(str(s), str(o)) for s, p, o in view if p == OIRL.reprintOf} == reprints

    _, global_shapes = split_shapes(load_shapes(config.home / "shapes"))
    ontology = load_ontology(config.home / "ontology" / "oirld.ttl").graph
    view = Graph(store="SimpleMemory")
    add_ntriples(view, part.nt + b"".join(a.extras for a in inc.articles))
    reference = validate_graph(view, global_shapes, ontology, "turbo")
    grouped = part.validate(global_shapes, ontology, "turbo")
    assert sorted(map(_key, grouped.violations)) == sorted(map(_key, reference.violations))


def test_the_group_cache_adds_new_rows_drops_stale_keys_and_survives_a_damaged_file(tmp_path) -> None:
    from oirld.groupcache import cache_file, read_groups, write_groups
    from oirld.validation import Violation

    (tmp_path / "global.pickle").write_bytes(b"an old format")
    write_groups(tmp_path, {"a": (b"<x:a> <x:p> <x:b> .\n", (), 1), "b": (b"", (), 0)}, [])
    assert not (tmp_path / "global.pickle").exists()
    found = (Violation("x:c", "c", None, "no", "x:S", "x:Violation", None),)
    write_groups(tmp_path, {"c": (b"<x:c> <x:p> <x:b> .\n", found, 1)}, ["b"])
    assert read_groups(tmp_path) == {"a": (b"<x:a> <x:p> <x:b> .\n", (), 1), "c": (b"<x:c> <x:p> <x:b> .\n", found, 1)}
    cache_file(tmp_path).write_bytes(b"not a database" * 100)
    assert read_groups(tmp_path) == {}
    write_groups(tmp_path, {"d": (b"", (), 0)}, ["a"])
    assert read_groups(tmp_path) == {"d": (b"", (), 0)}
