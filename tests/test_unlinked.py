"""Claims link what their sentence names: ``mentions:`` in a mapping, ``oirl:mentions`` in the data, the audit of
unlinked names (``oirld audit``, the build's warning) and drafted mentions. A fixture corpus of its own
(tests/fixtures/unlinked/): one made-up article whose mapping links Central Command, leaves the United States and the
United Kingdom unlinked in Allawi's sentence (line 11), and names Erbil where another claim ties it to the subject."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from oirld.claims import merge_claims
from oirld.cli import main
from oirld.config import Config
from oirld.errors import DataError
from oirld.mapping import MappingProblems, compile_mappings
from oirld.namespaces import OIRL
from oirld.ontology import load_ontology
from oirld.pipeline import validate_dataset
from oirld.registry import load_registry
from oirld.seeds import load_seed, load_seeds
from oirld.unlinked import audit, find_unlinked

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "unlinked"
MAPPING = "mappings/fx_links.yaml"
ALLAWI_LINE = 11


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copytree(FIXTURE / "seeds", tmp_path / "seeds")
    shutil.copytree(FIXTURE / "mappings", tmp_path / "mappings")
    return tmp_path


def _config(home: Path) -> Config:
    return Config(home=home, out=home / "out")


def _edit(home: Path, old: str, new: str) -> None:
    path = home / MAPPING
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ALLAWI_QUALIFIERS = "    qualifiers: {statementKind: paraphrase}\n"


def test_audit_reports_the_names_no_part_of_the_claim_links(project: Path) -> None:
    found = audit(_config(project))
    assert [(u.where, u.entity, u.words) for u in found] == [
        (f"{MAPPING}:{ALLAWI_LINE}", "united-states", "the United States"),
        (f"{MAPPING}:{ALLAWI_LINE}", "united-kingdom", "the United Kingdom"),
    ]
    assert found[0].source == "fx_links" and "partnership" in found[0].quote


def test_a_mention_links_the_name(project: Path) -> None:
    _edit(project, ALLAWI_QUALIFIERS, ALLAWI_QUALIFIERS + "    mentions: [United States, UK]\n")
    assert audit(_config(project)) == []


def test_mentions_are_published_and_the_entity_with_them(project: Path) -> None:
    compiled, result = validate_dataset(_config(project))
    assert result.conforms, result.report()
    g = compiled.graph
    centcom = URIRef(f"{_config(project).base_iri}id/centcom")
    claims = list(g.subjects(OIRL.mentions, centcom))
    assert len(claims) == 1 and (claims[0], URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"), OIRL.troopCount) in g
    assert (centcom, None, None) in g  # the mentioned entity is published, not a dangling IRI
    # the build's one warning line: how many and where
    assert any(w.startswith("2 name(s)") and f"{MAPPING}:{ALLAWI_LINE} united-states" in w for w in compiled.warnings)


@pytest.mark.parametrize("mentions, message", [
    ("[Hussein Allawi]", "already links as its subject"),
    ("[United States, U.S.]", "twice"),
    ("[Atlantis]", "unknown entity"),
    ("{a: b}", "must be a list"),
    ("[]", "must be a list"),
])
def test_bad_mentions_are_errors_on_their_line(project: Path, mentions: str, message: str) -> None:
    _edit(project, ALLAWI_QUALIFIERS, ALLAWI_QUALIFIERS + f"    mentions: {mentions}\n")
    ontology = load_ontology(project / "ontology" / "oirld.ttl")
    registry = load_registry(project / "ontology" / "registry", ontology.classes)
    with pytest.raises(MappingProblems) as exc:
        compile_mappings(project / "mappings", load_seeds(project / "seeds"), ontology, registry, project)
    problem = exc.value.problems[0]
    assert isinstance(problem, DataError) and message in problem.what
    assert problem.where.line == 15  # the mentions line itself


def test_mentions_are_not_part_of_the_claim_key_and_merge(project: Path) -> None:
    """The same statement from two lines is one claim, with the mentions of both."""
    block = (project / MAPPING).read_text(encoding="utf-8")
    troop = block[block.index("  - about: United States"):block.index("  # names the United States")]
    again = troop.replace("    mentions: [Central Command]\n", "    mentions: [Iraq]\n")
    (project / MAPPING).write_text(block + again, encoding="utf-8")
    ontology = load_ontology(project / "ontology" / "oirld.ttl")
    registry = load_registry(project / "ontology" / "registry", ontology.classes)
    raw = compile_mappings(project / "mappings", load_seeds(project / "seeds"), ontology, registry, project)[0]
    troops = [c for c in merge_claims(raw) if c.prop == "troopCount"]
    assert len(troops) == 1 and set(troops[0].mentions) == {"centcom", "iraq"}
    first = next(c for c in raw if c.prop == "troopCount")
    assert first.id == troops[0].id  # a mention does not change what the claim states


def test_audit_command_text_json_and_exit_codes(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("OIRLD_HOME", str(project))
    with pytest.raises(SystemExit) as exit_:
        main(["audit"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert f"{MAPPING}:{ALLAWI_LINE}" in out and "united-kingdom" in out and out.rstrip().endswith("(mappings/README.md).")
    assert "2 unlinked name(s)" in out
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "fx_links", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert exit_.value.code == 0 and {r["entity"] for r in rows} == {"united-states", "united-kingdom"}
    assert all(r["where"] == f"{MAPPING}:{ALLAWI_LINE}" for r in rows)
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "no-such-article"])
    assert exit_.value.code == 2 and "no seed named" in capsys.readouterr().err
    _edit(project, ALLAWI_QUALIFIERS, ALLAWI_QUALIFIERS + "    mentions: [Atlantis]\n")
    with pytest.raises(SystemExit) as exit_:
        main(["audit"])
    assert exit_.value.code == 1  # a mapping that does not compile is data that does not conform


def test_ties_through_other_claims_are_links(project: Path) -> None:
    """Erbil is named in the characterisation's quote; the locatedIn claim ties it to the base. Without that claim
    the audit reports it."""
    seeds = load_seeds(project / "seeds")
    ontology = load_ontology(project / "ontology" / "oirld.ttl")
    registry = load_registry(project / "ontology" / "registry", ontology.classes)
    claims = merge_claims(compile_mappings(project / "mappings", seeds, ontology, registry, project)[0])
    assert "erbil" not in {u.entity for u in find_unlinked(claims, seeds, registry)}
    alone = [c for c in claims if c.prop != "locatedIn"]
    assert "erbil" in {u.entity for u in find_unlinked(alone, seeds, registry)}


def test_draft_mentions_the_names_its_claims_do_not_link(project: Path) -> None:
    from oirld.draft import draft_seed
    from oirld.yamlio import load_yaml

    ontology = load_ontology(project / "ontology" / "oirld.ttl")
    registry = load_registry(project / "ontology" / "registry", ontology.classes)
    seed = load_seed(project / "seeds" / "fx_links.txt")
    draft = draft_seed(seed, ontology, registry, MAPPING, [])
    (project / MAPPING).write_text(draft.text, encoding="utf-8")
    doc = load_yaml(project / MAPPING)
    said = [c for c in doc["claims"] if c["property"] == "said"]
    assert said and {"united-states", "united-kingdom"} <= set(said[0]["mentions"])
    for c in doc["claims"]:  # never a mention of what the claim links already
        assert registry.resolve(str(c["about"]), None).key not in c.get("mentions", [])
    # the draft compiles with its mentions, and the audit finds nothing left of those names
    assert not [u for u in audit(_config(project)) if u.entity in ("united-states", "united-kingdom")]


@pytest.mark.anyio
async def test_pages_show_a_claims_mentions_as_links(project: Path) -> None:
    """The entity page's claim row and the claim's own page say "mentions" with a link to each mentioned entity."""
    from oirld.pipeline import build
    from oirld.store import open_store
    from oirld.web import ServeSettings, create_app

    from .conftest import asgi_client

    result = build(_config(project))
    assert any(w.startswith("2 name(s)") and f"{MAPPING}:{ALLAWI_LINE}" in w for w in result.warnings)
    app = create_app(ServeSettings(home=str(project), ontology_path=str(project / "ontology" / "oirld.ttl")),
                     open_store(result.path / "store"))
    async with asgi_client(app) as client:
        page = (await client.get("/doc/id/united-states", headers={"Accept": "text/html"})).text
        row = re.search(r'<p class="note mentions">mentions: (.*?)</p>', page)
        assert row and 'href="/doc/id/centcom"' in row.group(1) and "United States Central Command" in row.group(1)
        href = re.findall(r'href="(/doc/claim/[0-9a-f]+)"', page[:row.end()])[-1]  # the row's own claim link
        own = (await client.get(href, headers={"Accept": "text/html"})).text
        assert re.search(r"<dt>Mentions</dt><dd><a href=\"/doc/id/centcom\">United States Central Command</a></dd>", own)


TRICKY = ("Iraq's army and the so-called Islamic State met US occupation forces at the Hareer base; Daech and the "
          "U.S.-led coalition, as-Sudani's government, CENTCOM’s chief and Mohamed Shia al Sudani spoke in Baghdad. "
          "Ain al-Assad, Irak, Hizbollah and Kata'ib Hezbollah were named; nothing else was.")


def test_the_audits_fast_matcher_finds_what_the_drafters_finds() -> None:
    """The audit's shortcuts (remembered lookups, runs with a word no name holds skipped) change its speed, not its
    answers: possessives, loaded words, respellings and Arabic articles included."""
    from oirld.draft.names import NameIndex
    from oirld.draft.text import split_sentences
    from oirld.unlinked import _index

    ontology = load_ontology(ROOT / "ontology" / "oirld.ttl")
    registry = load_registry(ROOT / "ontology" / "registry", ontology.classes)
    plain, fast = NameIndex(registry), _index(registry)
    texts = [TRICKY, load_seed(FIXTURE / "seeds" / "fx_links.txt").text]
    found = 0
    for text in texts:
        for s in split_sentences(text):
            assert fast.mentions(text, s.start, s.end) == plain.mentions(text, s.start, s.end)
            found += len(plain.mentions(text, s.start, s.end))
    assert found >= 10  # the texts do name things, so the comparison compares something


def test_a_mention_must_be_an_actor_event_or_place(project: Path) -> None:
    """The range of oirl:mentions, checked on the mapping line (as a value's range is), not first by the shapes."""
    (project / "ontology" / "registry" / "zz-test.yaml").write_text(
        "entities:\n  odd-story:\n    label: Odd wire story\n    types: [WireStory]\n    description: Not a thing a claim mentions.\n",
        encoding="utf-8")
    _edit(project, ALLAWI_QUALIFIERS, ALLAWI_QUALIFIERS + "    mentions: [odd-story]\n")
    ontology = load_ontology(project / "ontology" / "oirld.ttl")
    registry = load_registry(project / "ontology" / "registry", ontology.classes)
    with pytest.raises(MappingProblems) as exc:
        compile_mappings(project / "mappings", load_seeds(project / "seeds"), ontology, registry, project)
    problem = exc.value.problems[0]
    assert "mentions only things of the classes Actor, Event, Place" in problem.what and problem.where.line == 15
