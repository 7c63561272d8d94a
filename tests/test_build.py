"""The real build of the five seeds, and what it publishes."""

import gzip
import hashlib
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from oirld.cli import main
from oirld.errors import NonConformingData
from oirld.namespaces import OA, OIRL, PROV, RDF, SCHEMA, SPDX, DCAT, WIKIBASE
from oirld.pipeline import build, current_version_dir
from oirld.store import export_ntriples

from .conftest import MINI_MAPPING, ROOT, SEED


def _dump(built, name: str, fmt: str) -> Graph:
    return Graph().parse(data=gzip.decompress((built.path / "dumps" / name).read_bytes()), format=fmt)


@pytest.fixture(scope="module")
def dump(built) -> Graph:
    return _dump(built, "oirld.ttl.gz", "turtle")


def test_build_conforms_and_publishes(built):
    assert built.report.startswith("Conforms")
    assert (built.path.parent.parent / "current").resolve() == built.path
    manifest = json.loads((built.path / "manifest.json").read_text())
    assert manifest["version"] == built.version
    assert manifest["claims_excluding_names"] > 100


def test_every_article_contributes_claims(dump):
    sources = {str(s) for s in dump.objects(None, OA.hasSource)}
    mapped = {p.stem for p in (ROOT / "mappings").glob("*.yaml")}
    assert mapped and sources == {f"https://w3id.org/oirld/source/{stem}" for stem in mapped}


def test_all_dumps_hold_the_same_graph_as_the_store(built, dump):
    store_graph = Graph().parse(data=export_ntriples(built.path / "store"), format="nt")
    assert isomorphic(dump, store_graph)
    assert isomorphic(_dump(built, "oirld.nt.gz", "nt"), store_graph)
    assert isomorphic(_dump(built, "oirld.jsonld.gz", "json-ld"), store_graph)


def test_checksums_and_dataset_description_match_the_files(built):
    sums = dict(line.split("  ")[::-1] for line in (built.path / "dumps" / "SHA256SUMS").read_text().splitlines())
    void = Graph().parse(built.path / "dumps" / "void.ttl")
    for name, digest in sums.items():
        data = (built.path / "dumps" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
        dist = next(d for d in void.subjects(RDF.type, DCAT.Distribution) if str(d).endswith("/" + name))
        assert int(void.value(dist, DCAT.byteSize)) == len(data)
        assert str(void.value(void.value(dist, SPDX.checksum), SPDX.checksumValue)) == digest
    assert len(sums) == 3


def test_every_quote_sits_at_its_offsets(dump):
    texts = {}
    for src in set(dump.objects(None, OA.hasSource)):
        from oirld.seeds import load_seed

        texts[src] = load_seed(ROOT / str(dump.value(src, OIRL.fileName))).text
    count = 0
    for ev in dump.subjects(RDF.type, OIRL.Evidence):
        text = texts[dump.value(ev, OA.hasSource)]
        sels = list(dump.objects(ev, OA.hasSelector))
        q = next(s for s in sels if (s, RDF.type, OA.TextQuoteSelector) in dump)
        p = next(s for s in sels if (s, RDF.type, OA.TextPositionSelector) in dump)
        start, end = int(dump.value(p, OA.start)), int(dump.value(p, OA.end))
        assert text[start:end] == str(dump.value(q, OA.exact))
        assert text[:start].endswith(str(dump.value(q, OA.prefix)))
        assert text[end:].startswith(str(dump.value(q, OA.suffix)))
        count += 1
    assert count > 300


def test_every_claim_has_evidence_and_a_rank(dump):
    claims = set(dump.subjects(RDF.type, OIRL.Claim))
    assert len(claims) > 100
    for c in claims:
        assert list(dump.objects(c, PROV.wasDerivedFrom)), c
        assert dump.value(c, WIKIBASE.rank) is not None


def test_the_same_claim_from_several_articles_is_one_claim(dump):
    # the first phase ends in September 2025: 000 "next September", 001 "until September 2025", 003 "through September 2025"
    rows = list(dump.query("""
        PREFIX oirl: <https://w3id.org/oirld/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?c (COUNT(DISTINCT ?src) AS ?n) WHERE {
          ?c rdf:subject <https://w3id.org/oirld/id/oir-phase-1> ; rdf:predicate oirl:endDate ; rdf:object ?v ;
             prov:wasDerivedFrom/oa:hasSource ?src .
          ?v oirl:earliest "2025-09-01"^^<http://www.w3.org/2001/XMLSchema#date> .
        } GROUP BY ?c"""))
    assert len(rows) == 1 and int(rows[0][1]) >= 3


def test_plain_triples_let_simple_queries_work(dump):
    oir = URIRef("https://w3id.org/oirld/id/oir")
    assert (oir, OIRL.ledBy, URIRef("https://w3id.org/oirld/id/united-states")) in dump
    assert list(dump.objects(oir, OIRL.endDate))


def test_sources_carry_metadata_and_how_it_was_known(dump):
    src = URIRef("https://w3id.org/oirld/source/002_e1704b20f57f0b7c")
    assert (src, RDF.type, SCHEMA.NewsArticle) in dump and (src, RDF.type, PROV.Entity) in dump
    assert dump.value(src, SCHEMA.headline) is None  # unknown, and not invented
    rec = next(r for r in dump.objects(src, OIRL.hasFieldRecord) if dump.value(r, OIRL.field) == SCHEMA.headline)
    assert dump.value(rec, OIRL.determinedBy) == OIRL.Unknown
    assert str(dump.value(URIRef("https://w3id.org/oirld/source/000_7eb36323e1462389"), SCHEMA.datePublished)) == "2024-09-27"


def test_the_build_records_the_hashes_of_its_mapping_files(dump):
    for path in sorted((ROOT / "mappings").glob("*.yaml")):
        node = URIRef(f"https://w3id.org/oirld/mapping/{path.name}")
        assert str(dump.value(node, OIRL.bytesSha256)) == hashlib.sha256(path.read_bytes()).hexdigest()
        assert (None, PROV.used, node) in dump


def test_verified_wikidata_links_only(dump, root, built):
    from oirld.links import load_links

    links, _ = load_links(root / "mappings" / "wikidata.sssom.tsv")
    published = {str(s) for s in dump.subjects(URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None)}
    got = {(str(s), str(o)) for s, o in dump.subject_objects(URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"))}
    expected = {(f"https://w3id.org/oirld/id/{l.entity}", f"http://www.wikidata.org/entity/{l.qid}")
                for l in links if l.predicate == "skos:exactMatch" and f"https://w3id.org/oirld/id/{l.entity}" in published}
    assert got == expected and len(got) >= 20
    void = Graph().parse(built.path / "dumps" / "void.ttl")
    VOIDNS = "http://rdfs.org/ns/void#"
    linksets = {void.value(ls, URIRef(VOIDNS + "linkPredicate")): ls for ls in void.subjects(RDF.type, URIRef(VOIDNS + "Linkset"))}
    assert int(void.value(linksets[URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")], URIRef(VOIDNS + "triples"))) == len(got)
    # the looser links have linksets of their own, each counting its triples
    for predicate, ls in linksets.items():
        assert int(void.value(ls, URIRef(VOIDNS + "triples"))) == len(set(dump.subject_objects(predicate)))
    assert len(linksets) >= 3


def test_the_catalogue_names_the_dataset_and_the_endpoint_as_a_data_service(built):
    void = Graph().parse(built.path / "dumps" / "void.ttl")
    ds, endpoint = URIRef("https://w3id.org/oirld/dataset"), URIRef("https://w3id.org/oirld/sparql")
    catalog = next(void.subjects(RDF.type, DCAT.Catalog))
    assert (catalog, DCAT.dataset, ds) in void and (catalog, DCAT.service, endpoint) in void
    assert (endpoint, RDF.type, DCAT.DataService) in void and (endpoint, DCAT.servesDataset, ds) in void
    assert void.value(endpoint, DCAT.endpointURL) == endpoint
    assert (ds, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), endpoint) in void


def test_a_failed_build_leaves_the_published_version_untouched(project, monkeypatch, capsys):
    cfg = project(MINI_MAPPING)
    first = build(cfg)
    before = sorted(p.name for p in (cfg.out / "versions").iterdir())
    mapping = cfg.mappings_dir / f"{SEED}.yaml"
    mapping.write_text(mapping.read_text().replace("by 2026", "by 2027"))
    monkeypatch.setenv("OIRLD_HOME", str(cfg.home))
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--out", str(cfg.out), "-q"])
    assert exit_.value.code == 1
    assert current_version_dir(cfg.out) == first.path
    assert sorted(p.name for p in (cfg.out / "versions").iterdir()) == before
    assert not list(cfg.out.glob(".staging-*"))
    assert (first.path / "store").is_dir() and (first.path / "dumps" / "oirld.ttl.gz").is_file()


def test_shape_violation_publishes_nothing(project):
    cfg = project(MINI_MAPPING)
    reg = cfg.ontology_dir / "registry" / "actors.yaml"
    text = reg.read_text()
    anchor = "    description: The unnamed senior US administration and defense official who briefed reporters on the announcement.\n"
    reg.write_text(text.replace(anchor, anchor + "    coordinates: {lat: 38.9, lon: -77.0, source: a test}\n"))
    with pytest.raises(NonConformingData) as err:
        build(cfg)
    assert "A person has no coordinates" in err.value.report
    assert current_version_dir(cfg.out) is None
    assert not list(cfg.out.glob(".staging-*"))


def test_deprecated_claims_keep_their_reason_and_lose_the_plain_triple(project):
    mapping = MINI_MAPPING + """  - about: the task force
    property: endDate
    value: by 2026
    quote: will close the task force by 2026. The U.S.
    rank: deprecated
    reason: a test
  - about: oir-phase-1
    property: endDate
    value: September 2026
    quote: at least until September 2026
    rank: deprecated
    reason: the article says this of the second phase
"""
    cfg = project(mapping)
    result = build(cfg)
    g = Graph().parse(data=export_ntriples(result.path / "store"), format="nt")
    phase = URIRef("https://w3id.org/oirld/id/oir-phase-1")
    deprecated = [c for c in g.subjects(WIKIBASE.rank, WIKIBASE.DeprecatedRank)]
    # the first re-cites the mapping's existing "by 2026" claim: one claim, and the deprecation wins
    assert len(deprecated) == 2
    assert all(g.value(c, OIRL.rankReason) is not None for c in deprecated)
    assert not list(g.objects(URIRef("https://w3id.org/oirld/id/oir"), OIRL.endDate))
    values = {g.value(v, OIRL.earliest) for v in g.objects(phase, OIRL.endDate)}
    assert Literal("2026-09-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")) not in values


def test_latest_values_are_materialised_with_both_sides_of_a_disagreement(curated):
    # the curated articles alone: a later article may well report a later figure
    rows = list(curated.graph.query("""
        PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?asOf (COUNT(?claim) AS ?n) WHERE {
          ?cv a oirl:CurrentValue ; oirl:onSubject <https://w3id.org/oirld/id/united-states> ;
              oirl:onProperty oirl:troopCount ; oirl:location <https://w3id.org/oirld/id/iraq> ;
              oirl:latestAsOf ?asOf ; oirl:currentClaim ?claim .
        } GROUP BY ?asOf"""))
    assert [(str(r[0]), int(r[1])) for r in rows] == [("2025-10-01", 2)]  # about 2,500 and over 3,000, both kept
