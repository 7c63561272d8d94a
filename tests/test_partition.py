"""The cut of a version into named graphs (oirld.partition), on a small hand-made graph with the awkward cases: a
source outside the base IRI, evidence from two sources, a claim whose evidence names no source, shared values,
plain triples restating claims, blank nodes, and the build's own triples."""

import random
import re

import pyoxigraph as ox

from oirld.partition import graph_iri, partition

B = "https://example.org/d/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OIRL = "https://w3id.org/oirld/ontology#"


def n(x: str) -> ox.NamedNode:
    return ox.NamedNode(x if ":" in x else B + x)


def t(s, p, o) -> ox.Triple:
    return ox.Triple(s if not isinstance(s, str) else n(s), n(p), o if not isinstance(o, str) else n(o))


A, OTHER = "source/a", "http://other.example/src?id=1"
BUILD = "build/v1"
HAS, DERIVED = "http://www.w3.org/ns/oa#hasSource", "http://www.w3.org/ns/prov#wasDerivedFrom"
BNODE = ox.BlankNode("x")
OTHER_GRAPH = "other"  # stands for the graph of the source outside the base IRI
CASES = [  # (triple, the graph it belongs in)
    (t(A, RDF + "type", "https://schema.org/NewsArticle"), "source/a"),
    (t(A + "#title", RDF + "type", OIRL + "FieldRecord"), "source/a"),
    (t(A, "https://schema.org/author", BNODE), "dataset"),  # blank nodes stay in one graph with their description
    (t(BNODE, "https://schema.org/name", ox.Literal("someone")), "dataset"),
    (t("evidence/1", HAS, A), "source/a"),
    (t("evidence/1#quote", "http://www.w3.org/ns/oa#exact", ox.Literal("words")), "source/a"),
    (t("evidence/2", HAS, OTHER), OTHER_GRAPH),
    (t("evidence/3", HAS, A), "claims"),  # evidence naming two sources
    (t("evidence/3", HAS, OTHER), "claims"),
    (t("claim/1", DERIVED, "evidence/1"), "source/a"),
    (t("claim/1", RDF + "subject", "id/e"), "source/a"),
    (t("claim/1", RDF + "predicate", OIRL + "p"), "source/a"),
    (t("claim/1", RDF + "object", "value/only-a"), "source/a"),
    (t("claim/1", OIRL + "q", "value/shared"), "source/a"),
    (t("claim/2", DERIVED, "evidence/1"), "claims"),  # merged: evidence from two sources
    (t("claim/2", DERIVED, "evidence/2"), "claims"),
    (t("claim/2", RDF + "object", "value/shared"), "claims"),
    (t("claim/3", DERIVED, "evidence/none"), "claims"),  # its evidence names no source
    (t("claim/4", DERIVED, "evidence/3"), "claims"),
    (t("value/only-a", "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("3 troops")), "source/a"),
    (t("value/shared", "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("2026")), "claims"),
    (t("id/e", "http://www.w3.org/2004/02/skos/core#prefLabel", ox.Literal("E")), "registry"),
    (t("id/e#geometry", RDF + "type", "x:Geometry"), "registry"),
    (t("id/e", OIRL + "p", "value/only-a"), "claims"),  # the plain triple restating claim/1
    (t(BUILD, RDF + "type", OIRL + "Build"), "build"),
    (t(BUILD, "http://www.w3.org/ns/prov#used", "mapping/a.yaml"), "build"),
    (t("mapping/a.yaml", OIRL + "fileName", ox.Literal("mappings/a.yaml")), "build"),
    (t("claim/1", "http://www.w3.org/ns/prov#wasGeneratedBy", BUILD), "build"),
    (t("disagreement/1", RDF + "type", OIRL + "Disagreement"), "disagreements"),
    (t("disagreement/1", OIRL + "involvesClaim", "claim/1"), "disagreements"),
    (t("stray", OIRL + "thing", ox.Literal("?")), "dataset"),
]
TRIPLES = [c[0] for c in CASES]


def where(cut, triple: ox.Triple) -> str:
    """The one graph holding ``triple`` (blank nodes match any blank node: the cut names them canonically)."""
    line = re.sub(r"_:\S+", "_:b", f"{triple} .\n")
    found = [g for g, lines in cut.graphs.items() if line in {re.sub(r"_:\S+", "_:b", x) for x in lines}]
    assert len(found) == 1, (triple, found)
    return found[0][len(B + "graph/"):]


def test_each_triple_lands_in_exactly_the_graph_its_provenance_says():
    cut = partition(TRIPLES, B)
    assert sum(cut.counts().values()) == len(TRIPLES)
    other = next(g for g in cut.graphs if g.startswith(B + "graph/source/") and not g.endswith("/a"))
    ox.NamedNode(other)  # a source outside the base IRI still names a valid graph
    for triple, graph in CASES:
        assert where(cut, triple) == (other[len(B + "graph/"):] if graph == OTHER_GRAPH else graph), triple


def test_the_cut_does_not_depend_on_the_order_or_the_blank_node_labels():
    cut = partition(TRIPLES, B)
    shuffled = TRIPLES[:]
    random.Random(7).shuffle(shuffled)
    relabelled = [ox.Triple(x.subject, x.predicate, ox.BlankNode("other") if x.object == BNODE else x.object)
                  if x.subject != BNODE else ox.Triple(ox.BlankNode("other"), x.predicate, x.object) for x in shuffled]
    assert partition(relabelled, B).digests() == cut.digests()
    assert graph_iri(B, "claims") in cut.graphs


def test_the_cut_holds_one_graph_at_a_time_not_the_version(tmp_path):
    """tracemalloc counts what Python holds while a store far bigger than one graph is cut: the peak stays under a
    quarter of the version's N-Triples (holding the triples, or their lines, would be several times more)."""
    import tracemalloc

    store = ox.Store(str(tmp_path / "store"))
    text = "words of the article " * 15
    quads = []
    for a in range(150):
        source = n(f"source/s{a}")
        quads.append(ox.Quad(source, n(RDF + "type"), n("https://schema.org/NewsArticle"), ox.DefaultGraph()))
        for e in range(20):
            evidence = n(f"evidence/s{a}-{e}")
            quads.append(ox.Quad(evidence, n(HAS), source, ox.DefaultGraph()))
            quads += [ox.Quad(evidence, n(f"{OIRL}field{k}"), ox.Literal(f"{text}{a} {e} {k}"), ox.DefaultGraph())
                      for k in range(20)]
    store.bulk_extend(quads)
    store.flush()
    total = sum(len(f"{ox.Triple(q.subject, q.predicate, q.object)} .\n".encode()) for q in quads)
    expected = {f"{ox.Triple(q.subject, q.predicate, q.object)} .\n" for q in quads}
    del quads
    tracemalloc.start()
    try:
        cut = partition(store, B, tmp_path, spool_bytes=256 << 10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 20 << 20  # the version: over 20 MiB of lines
    assert peak < total / 4, (peak, total)
    assert cut.largest == max(cut.counts().values()) == 1 + 20 * 21  # one source's graph
    assert {line for g in cut.graphs for line in cut.graphs[g]} == expected  # and nothing was lost
    cut.close()
    assert not cut.folder.exists()


def test_literals_with_unicode_line_separators_and_nodes_placed_last_survive_the_files():
    """N-Triples leaves U+2028 and U+0085 raw in literals (a line split on them would cut the triple), and the
    lines of nodes placed after the pass go through a file of their own (which must not take a graph's name)."""
    odd = ox.Literal("one\u2028two\x85three\x0cfour\x1cfive\rsix\nseven")
    triples = [t("stray", OIRL + "note", odd), t("other", OIRL + "points", "stray"), t("value/v", OIRL + "x", odd),
               t("claim/1", DERIVED, "evidence/1"), t("claim/1", OIRL + "v", "value/v"), t("evidence/1", HAS, A)]
    cut = partition(triples, B)
    assert sum(cut.counts().values()) == len(triples)
    assert set(cut.graphs[graph_iri(B, "dataset")]) == {f"{triples[0]} .\n", f"{triples[1]} .\n"}
    assert f"{triples[2]} .\n" in cut.graphs[graph_iri(B, "source/a")]  # the value, with the claim using it
    for g in cut.graphs:
        assert cut.body(g).decode("utf-8") == "".join(cut.graphs[g])
        assert [str(x) for x in ox.parse(cut.body(g), format=ox.RdfFormat.N_TRIPLES)]  # each body parses
