"""Dumps and the description of the dataset (VoID and DCAT 3).

Each dump is gzipped and listed with its size and SHA-256, in ``SHA256SUMS`` (the format ``sha256sum -c`` reads)
and in the DCAT description as ``spdx:checksum``. The build writes the dumps from its parts, each article's gzipped
once (:mod:`oirld.dumpparts`), so the dataset is never one rdflib graph:
Turtle with the project's prefixes, N-Triples, and JSON-LD in expanded form (pyoxigraph writes no compacted
JSON-LD; the pages and the server's answers use the compact context). The counts the VoID description gives come
from queries on the same store (:func:`store_stats`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SPDX, VOID, bind_prefixes

__all__ = ["Dump", "FORMATS", "describe_dataset", "DatasetStats", "store_stats", "LICENSE",
           "DUMP_NAME", "LINK_PREDICATES", "WIKIDATA_ENTITY", "is_thing_iri"]

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DUMP_NAME = "oirld"
#: file suffix -> (rdflib format, media type)
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "nt": ("nt", "application/n-triples"),
    "jsonld": ("json-ld", "application/ld+json"),
}


@dataclass(frozen=True)
class Dump:
    name: str
    media_type: str
    size: int
    sha256: str
    uncompressed_size: int


_SKOS = "http://www.w3.org/2004/02/skos/core#"
LINK_PREDICATES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


def is_thing_iri(iri: str, base: str) -> bool:
    """What the VoID description counts as an entity, as namespaces.is_thing does: under id/, not a "#" part."""
    return iri.startswith(f"{base}id/") and "#" not in iri


@dataclass(frozen=True)
class DatasetStats:
    """The counts a VoID description states."""
    triples: int
    distinct_subjects: int
    entities: int
    links: dict[str, int]  # SKOS mapping predicate name -> links to Wikidata entities


def store_stats(store_path: Path, base: str) -> DatasetStats:
    store = ox.Store.read_only(str(store_path))

    def count(query: str) -> int:
        return int(next(iter(store.query(query)))["n"].value)  # type: ignore[index]

    links = {name: count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{_SKOS}{name}> ?o FILTER STRSTARTS(STR(?o), \"{WIKIDATA_ENTITY}\") }}")
             for name in LINK_PREDICATES}
    return DatasetStats(count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
                        count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
                        # the things, as namespaces.is_thing counts them: under id/, not a "#" part
                        count(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), \"{base}id/\") && !CONTAINS(STR(?s), \"#\")) }}"),
                        links)


def describe_dataset(base: str, version: str, issued: str, stats: DatasetStats, dumps: list[Dump], build: URIRef,
                     sources: list[URIRef], software_version: str, synthetic: bool = False) -> Graph:
    g = bind_prefixes(Graph(), base)
    g.bind("dcat", DCAT)
    g.bind("void", VOID)
    g.bind("spdx", SPDX)
    ds = URIRef(f"{base}dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDFS.label, Literal("oirld", lang="en")))
    g.add((ds, DCTERMS.title, Literal("oirld: what the news says about the end of Operation Inherent Resolve", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Claims made by news articles about the end of the US-led coalition mission against ISIS in Iraq "
        "(Combined Joint Task Force – Operation Inherent Resolve): operations, phases, bases, actors, events and "
        "numbers, each claim with the article and the exact characters it came from, and every disagreement "
        "between the sources kept and listed.", lang="en")))
    g.add((ds, DCTERMS.license, URIRef(LICENSE)))
    g.add((ds, DCTERMS.rights, Literal(
        "The data are licensed CC BY 4.0. The short quotations in the evidence remain the work of their "
        "publishers, who are named on each source; they are quoted to support the claims.", lang="en")))
    g.add((ds, DCTERMS.bibliographicCitation, Literal(
        f"oirld contributors. oirld: what the news says about the end of Operation Inherent Resolve, version {version}. {base}dataset", lang="en")))
    g.add((ds, DCTERMS.issued, Literal(issued, datatype=XSD.dateTime)))
    g.add((ds, URIRef(str(DCAT) + "version"), Literal(version)))  # a DCAT 3 term rdflib 7 does not list
    g.add((ds, OWL.versionInfo, Literal(version)))
    g.add((ds, DCTERMS.creator, Literal("oirld contributors")))
    g.add((ds, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/en")))
    g.add((ds, PROV.wasGeneratedBy, build))
    g.add((ds, VOID.uriSpace, Literal(f"{base}id/")))
    if synthetic:
        g.add((ds, RDFS.comment, Literal(
            "SYNTHETIC DATA: the articles, outlets, bases and people of this build were invented by bench/corpus.py "
            "for benchmarks; nothing in it reports real events.", lang="en")))
    g.add((ds, VOID.triples, Literal(str(stats.triples), datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(str(stats.distinct_subjects), datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(str(stats.entities), datatype=XSD.integer)))
    g.add((ds, VOID.exampleResource, URIRef(f"{base}id/oir")))
    for vocab in ("https://w3id.org/oirld/ontology#", "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/prov#",
                  "https://schema.org/", "http://www.w3.org/2004/02/skos/core#", "http://www.opengis.net/ont/geosparql#",
                  "http://www.w3.org/2006/time#", "http://wikiba.se/ontology#"):
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    for src in sources:
        g.add((ds, DCTERMS.source, src))
    # the links to Wikidata as VoID linksets, one per SKOS mapping predicate in use (exact, close, broad…)
    wikidata = URIRef("http://www.wikidata.org/")
    skos = "http://www.w3.org/2004/02/skos/core#"
    for name, title in [("exactMatch", "Links to Wikidata items: the same thing"), ("closeMatch", "Links to close Wikidata items"),
                        ("broadMatch", "Links to broader Wikidata items"), ("narrowMatch", "Links to narrower Wikidata items"),
                        ("relatedMatch", "Links to related Wikidata items")]:
        predicate = URIRef(skos + name)
        n_links = stats.links.get(name, 0)
        if not n_links and name != "exactMatch":
            continue
        linkset = URIRef(f"{base}dataset/wikidata-links" + ("" if name == "exactMatch" else f"-{name}"))
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, DCTERMS.title, Literal(title, lang="en")))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, wikidata))
        g.add((linkset, VOID.linkPredicate, predicate))
        g.add((linkset, VOID.triples, Literal(str(n_links), datatype=XSD.integer)))
        g.add((linkset, DCTERMS.source, URIRef(f"{base}mappings/wikidata.sssom.tsv")))
    g.add((wikidata, RDF.type, VOID.Dataset))
    g.add((wikidata, DCTERMS.title, Literal("Wikidata", lang="en")))
    g.add((wikidata, VOID.uriSpace, Literal("http://www.wikidata.org/entity/")))
    for d in dumps:
        dist = URIRef(f"{base}dumps/{version}/{d.name}")
        g.add((ds, DCAT.distribution, dist))
        g.add((ds, VOID.dataDump, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"{d.media_type} dump, gzipped", lang="en")))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{d.media_type}")))
        g.add((dist, DCAT.compressFormat, URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(str(d.size), datatype=XSD.integer)))
        g.add((dist, DCTERMS.license, URIRef(LICENSE)))
        cs = URIRef(f"{dist}#sha256")
        g.add((dist, SPDX.checksum, cs))
        g.add((cs, RDF.type, SPDX.Checksum))
        g.add((cs, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((cs, SPDX.checksumValue, Literal(d.sha256)))
    # the catalogue and the SPARQL endpoint as a DCAT data service, at their addresses under the base IRI
    catalog, endpoint = URIRef(f"{base}catalog"), URIRef(f"{base}sparql")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("oirld catalogue", lang="en")))
    g.add((catalog, DCAT.dataset, ds))
    g.add((catalog, DCAT.service, endpoint))
    g.add((catalog, DCTERMS.license, URIRef(LICENSE)))
    g.add((endpoint, RDF.type, DCAT.DataService))
    g.add((endpoint, DCTERMS.title, Literal("oirld SPARQL 1.1 endpoint", lang="en")))
    g.add((endpoint, DCAT.endpointURL, endpoint))
    g.add((endpoint, DCAT.endpointDescription, endpoint))  # GET without a query: the SPARQL service description
    g.add((endpoint, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((endpoint, DCAT.servesDataset, ds))
    g.add((endpoint, DCTERMS.license, URIRef(LICENSE)))
    g.add((ds, VOID.sparqlEndpoint, endpoint))
    return g
