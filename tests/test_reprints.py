"""Wire copy: the same story from several outlets keeps every outlet's evidence, is linked as one wire story, and
counts as one source. The articles are the real seed 000 as a second and a third outlet ran it: byte for byte, and
with a dateline, its last paragraph cut and one date rewritten."""

from __future__ import annotations

import json
import pickle
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from oirld.claims import Claim, Evidence, Value
from oirld.config import DEFAULT_BASE_IRI, Config
from oirld.conflicts import current_values
from oirld.globalparts import PRINTS_FILE, cached_reprints
from oirld.namespaces import OA, OIRL
from oirld.pipeline import build, compile_dataset
from oirld.provenance import Anchor
from oirld.quantities import parse_quantity
from oirld.reprints import COMMON, IDENTICAL, NEAR, Reprints, TextMatch, WireStory, find_reprints
from oirld.seeds import load_seed, load_seeds
from oirld.timeexpr import parse_time

from .conftest import MINI_MAPPING, ROOT, SEED, asgi_client, make_project

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = FIXTURES / "golden" / "wire.nt"  # N-Triples keep the lexical forms the store writes ("1", not "1.0")
IDENTICAL_COPY = "900_reprint"
EDITED_COPY = "901_dateline_cut"
OTHER = "003_34efbd2517412712"  # a different article on the same subject
SRC = DEFAULT_BASE_IRI + "source/"


def _original() -> str:
    return (ROOT / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")


def edited_copy() -> str:
    """Seed 000 as an outlet edits wire copy: a dateline, the last paragraph cut, one date rewritten."""
    paragraphs = _original().rstrip("\n").split("\n\n")
    text = "BAGHDAD (AP) — " + "\n\n".join(paragraphs[:-1]) + "\n"
    assert "The first will arrive next September" in text
    return text.replace("The first will arrive next September", "The first will arrive in September 2026")


def add_article(home: Path, stem: str, data: bytes, mapping: str | None, day: str) -> None:
    (home / "seeds" / f"{stem}.txt").write_bytes(data)
    meta = (FIXTURES / "wire" / "reprint.meta.yaml").read_text(encoding="utf-8").replace("2024-09-28", day)
    (home / "seeds" / f"{stem}.meta.yaml").write_text(meta, encoding="utf-8")
    if mapping is not None:
        (home / "mappings" / f"{stem}.yaml").write_text(mapping.replace(f"source: {SEED}", f"source: {stem}"), encoding="utf-8")


def wire_project(dest: Path, edited: bool = True) -> Config:
    """Seed 000 and its identical copy, each with its own mapping; with ``edited``, the edited copy too."""
    home = make_project(dest, MINI_MAPPING, seeds=(SEED, OTHER))
    add_article(home, IDENTICAL_COPY, (ROOT / "seeds" / f"{SEED}.txt").read_bytes(), MINI_MAPPING, "2024-09-28")
    if edited:
        mapping = MINI_MAPPING.replace("    value: next September\n    quote: The first will arrive next September",
                                       "    value: September 2026\n    quote: The first will arrive in September 2026")
        add_article(home, EDITED_COPY, edited_copy().encode("utf-8"), mapping, "2024-09-29")
    return Config(home=home, out=dest.parent / f"{dest.name}-out")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    return compile_dataset(wire_project(tmp_path_factory.mktemp("wire") / "p"))


# ------------------------------------------------------------------ each source keeps its own evidence


def test_byte_identical_texts_each_keep_their_own_evidence(tmp_path):
    """Regression: anchoring cached the folded text by its SHA-256 with the first seed it saw, so the second
    outlet's evidence was attributed to the first and merged away."""
    result = compile_dataset(wire_project(tmp_path / "p", edited=False))
    assert (ROOT / "seeds" / f"{SEED}.txt").read_bytes() == (result.seeds[-1].path.parent / f"{IDENTICAL_COPY}.txt").read_bytes()
    evidence = [e for c in result.claims for e in c.evidence]
    assert all(Path(e.mapping_file).stem == e.anchor.source for e in evidence)
    per_source = Counter(e.anchor.source for e in evidence)
    assert per_source[SEED] == per_source[IDENTICAL_COPY] > 0
    end = next(c for c in result.claims if (c.subject, c.prop) == ("oir", "endDate"))
    assert end.sources == sorted([SEED, IDENTICAL_COPY])  # one claim, each outlet's evidence
    graph = result.graph
    for stem in (SEED, IDENTICAL_COPY):
        cited = set(graph.subjects(OA.hasSource, URIRef(SRC + stem)))
        scripts = {str(graph.value(e, OIRL.mappedIn)).rsplit("/", 1)[-1] for e in cited}
        assert cited and scripts == {f"{stem}.yaml"}


# ------------------------------------------------------------------ detection


def test_identical_texts_are_one_wire_story(compiled):
    story = compiled.reprints.story_of[IDENTICAL_COPY]
    match = next(m for m in story.matches if m.reprint == IDENTICAL_COPY)
    assert (match.of, match.method, match.similarity) == (SEED, IDENTICAL, 1)


def test_a_wire_copy_with_a_dateline_a_cut_paragraph_and_an_edit_is_near_identical(compiled):
    story = compiled.reprints.story_of[EDITED_COPY]
    assert story is compiled.reprints.story_of[SEED]
    assert story.members == (SEED, IDENTICAL_COPY, EDITED_COPY)  # the first published is the representative
    match = next(m for m in story.matches if m.reprint == EDITED_COPY)
    assert match.method == NEAR and match.of == SEED and 0.6 <= match.similarity < 1


def test_different_articles_on_the_same_subject_are_not_linked(compiled):
    assert OTHER not in compiled.reprints.story_of
    assert find_reprints(load_seeds(ROOT / "seeds")).stories == ()


def test_quoting_two_sentences_of_a_story_is_not_a_reprint(tmp_path):
    original = load_seed(ROOT / "seeds" / f"{SEED}.txt")
    sentences = [s for s in original.text.split(". ") if len(s.split()) > 12][:2]
    other = (ROOT / "seeds" / f"{OTHER}.txt").read_text(encoding="utf-8")
    quoting = other + "\n\nAs Defense News reported: " + ". ".join(sentences) + ".\n"
    (tmp_path / "q.txt").write_text(quoting, encoding="utf-8")
    shutil.copy(FIXTURES / "wire" / "reprint.meta.yaml", tmp_path / "q.meta.yaml")
    assert find_reprints([original, load_seed(tmp_path / "q.txt")]).stories == ()


def _fake_seed(tmp_path: Path, stem: str, text: str):
    (tmp_path / f"{stem}.txt").write_text(text, encoding="utf-8")
    shutil.copy(FIXTURES / "wire" / "reprint.meta.yaml", tmp_path / f"{stem}.meta.yaml")
    return load_seed(tmp_path / f"{stem}.txt")


def test_stock_phrases_shared_by_many_stories_neither_link_them_nor_hide_a_reprint(tmp_path):
    """More than COMMON stories share a boilerplate paragraph; they stay apart, and a reprint among them is found."""
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(3000)]
    stock = "The US-led coalition was formed in 2014 to fight the Islamic State group in Iraq and Syria, officials said."

    def story() -> str:
        return stock + "\n\n" + " ".join(rng.choice(vocabulary) for _ in range(200)) + "."

    texts = {f"s{i:03d}": story() for i in range(COMMON + 6)}
    texts["zz_reprint"] = "BAGHDAD (AP) — " + texts["s050"][: int(len(texts["s050"]) * 0.8)]
    found = find_reprints([_fake_seed(tmp_path, stem, text) for stem, text in texts.items()])
    assert [s.members for s in found.stories] == [("s050", "zz_reprint")]


def test_a_story_keeps_its_iri_when_more_reprints_join():
    two = WireStory(("a", "b"), (TextMatch("b", "a", IDENTICAL, 1),))
    three = WireStory(("a", "b", "c"), (*two.matches, TextMatch("c", "a", IDENTICAL, 1)))
    assert two.id == three.id != WireStory(("b", "c"), ()).id


# ------------------------------------------------------------------ the relation in the RDF


def wire_layer(graph: Graph) -> Graph:
    """The wire stories, who reprints them, and each claim's count of independent sources."""
    out = Graph()
    for s, p, o in graph:
        if str(s).startswith(DEFAULT_BASE_IRI + "wire/") or p in (OIRL.reprintOf, OIRL.independentSources):
            out.add((s, p, o))
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns)
    return out


def test_wire_layer_matches_the_golden_graph(compiled):
    got, expected = wire_layer(compiled.graph), Graph().parse(GOLDEN, format="nt")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        raise AssertionError("wire layer differs from the golden graph\nonly in the build:\n" + only_got.serialize(format="nt")
                             + "\nonly in the golden file:\n" + only_expected.serialize(format="nt"))


def test_claims_count_reprints_of_one_story_once(compiled):
    graph = compiled.graph
    counts = {int(n) for n in graph.objects(None, OIRL.independentSources)}
    assert counts == {1}  # every claim of the three copies: one wire story, one source
    assert all(len(c.sources) >= 2 for c in compiled.claims if c.prop != "writtenAs" and c.subject == "oir")


# ------------------------------------------------------------------ counting: current values and disagreements


def _claim(value: str, sources: list[str]) -> Claim:
    quantity = parse_quantity(value, "troops")
    when = parse_time("October 2025", None)
    evidence = [Evidence(Anchor(s, 0, 5, "words", "", ""), f"mappings/{s}.yaml", 1) for s in sources]
    return Claim("united-states", "troopCount", Value("quantity", quantity=quantity),
                 (("asOf", Value("time", time=when)), ("location", Value("entity", entity="iraq"))), evidence=evidence)


def test_current_value_puts_the_claim_with_more_independent_sources_first():
    wire = _claim("2,500", ["a1", "a2", "a3"])  # three outlets, one wire story
    two = _claim("3,000", ["b", "c"])  # two independent articles
    reprints = Reprints.of(find_reprints([]).stories)  # none known: three articles count three
    assert current_values([wire, two], reprints)[0].claims[0] is wire
    story = WireStory(("a1", "a2", "a3"), (TextMatch("a2", "a1", IDENTICAL, 1), TextMatch("a3", "a1", IDENTICAL, 1)))
    reprints = Reprints.of([story])
    assert (reprints.independent(wire.sources), reprints.independent(two.sources)) == (1, 2)
    [current] = current_values([wire, two], reprints)
    assert current.claims == (two, wire)  # both stay current; the better supported comes first


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return build(wire_project(tmp_path_factory.mktemp("wirebuild") / "p"))


def test_each_side_of_a_disagreement_counts_reprints_once(published):
    import io
    from contextlib import redirect_stdout

    from oirld.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf), pytest.raises(SystemExit) as exit_:
        main(["conflicts", "--format", "json", "--store", str(published.path / "store")])
    assert exit_.value.code == 0
    [d] = [d for d in json.loads(buf.getvalue()) if d["subject"].endswith("/oir-phase-1")]
    sides = {v["label"]: v for v in d["values"]}
    sept_2025 = next(v for k, v in sides.items() if "2025" in k)
    assert {e["file"] for e in sept_2025["evidence"]} == {f"seeds/{SEED}.txt", f"seeds/{IDENTICAL_COPY}.txt"}
    assert sept_2025["independent_sources"] == 1
    assert all(e["same_wire_as"] for e in sept_2025["evidence"])


# ------------------------------------------------------------------ pages


@pytest.mark.anyio
async def test_pages_say_the_same_wire_text_as(published):
    from oirld.store import open_store
    from oirld.web import ServeSettings, create_app

    store = open_store(published.path / "store")
    app = create_app(ServeSettings(ontology_path=str(ROOT / "ontology" / "oirld.ttl")), store)
    claim = next(r["c"].value for r in store.query(
        "SELECT ?c WHERE { ?c <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <https://w3id.org/oirld/id/oir> ; "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <https://w3id.org/oirld/ontology#endDate> }"))
    async with asgi_client(app) as c:
        source = (await c.get(f"/doc/source/{IDENTICAL_COPY}", headers={"Accept": "text/html"})).text
        claim_page = (await c.get(claim.replace(DEFAULT_BASE_IRI, "/doc/"), headers={"Accept": "text/html"})).text
        other = (await c.get(f"/doc/source/{OTHER}", headers={"Accept": "text/html"})).text
        story = next(r["w"].value for r in store.query(
            "SELECT ?w WHERE { ?w a <https://w3id.org/oirld/ontology#WireStory> }"))
        story_page = await c.get(story.replace(DEFAULT_BASE_IRI, "/doc/"), headers={"Accept": "text/html"})
    section = source.split('id="wire"', 1)[1].split("</section>", 1)[0]
    assert f'href="/doc/source/{SEED}"' in section and "identical text, similarity 1" in section
    assert f'href="/doc/source/{EDITED_COPY}"' in section
    assert 'id="wire"' not in other
    assert "The same wire text as" in claim_page
    assert "3 articles, 1 independent source" in claim_page
    assert story_page.status_code == 200 and f"/doc/source/{EDITED_COPY}" in story_page.text


if __name__ == "__main__":
    import tempfile

    graph = wire_layer(compile_dataset(wire_project(Path(tempfile.mkdtemp()) / "p")).graph)
    GOLDEN.write_bytes(b"".join(sorted(graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True))))
    print(f"wrote {GOLDEN} ({len(graph)} triples)")


def test_prints_kept_from_an_earlier_build_find_the_same_stories(tmp_path):
    """A rebuild reads only the texts whose SHA-256 it has no print of (oirld.globalparts.cached_reprints)."""
    seeds = load_seeds(wire_project(tmp_path / "home").seeds_dir)
    fresh = find_reprints(seeds)
    assert fresh.stories
    prints: dict = {}
    assert find_reprints(seeds, prints) == fresh
    assert set(prints) == {s.text_sha256 for s in seeds}
    assert cached_reprints(seeds, tmp_path / "cache") == fresh
    assert cached_reprints(seeds, tmp_path / "cache") == fresh  # now from the file
    # a print whose text is gone is not kept
    assert cached_reprints(seeds[1:], tmp_path / "cache") == find_reprints(seeds[1:])
    assert set(pickle.loads((tmp_path / "cache" / PRINTS_FILE).read_bytes())) == {s.text_sha256 for s in seeds[1:]}
