"""The ontology: every term labelled and defined, aligned to the standard vocabularies, and every class shaped."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from oirld.namespaces import OIRL, SH

from .conftest import ROOT

ONT = Graph().parse(ROOT / "ontology" / "oirld.ttl")
SHAPES = Graph().parse(ROOT / "shapes" / "oirld-shapes.ttl")
TERMS = sorted({s for s in ONT.subjects() if isinstance(s, URIRef) and str(s).startswith(str(OIRL)) and str(s) != str(OIRL)})


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[-1])
def test_every_term_has_a_label_and_a_definition(term):
    assert ONT.value(term, RDFS.label) is not None
    assert ONT.value(term, SKOS.definition) is not None


def test_every_class_has_a_shape():
    classes = {c for c in ONT.subjects(RDF.type, OWL.Class) if str(c).startswith(str(OIRL))}
    shaped = set(SHAPES.objects(None, SH.targetClass))
    assert classes - shaped == set()


def test_classes_align_to_the_standard_vocabularies():
    standard = ("http://www.w3.org/ns/prov#", "http://www.w3.org/ns/oa#", "https://schema.org/",
                "http://www.w3.org/2006/time#", "http://www.opengis.net/ont/geosparql#",
                "http://semanticweb.cs.vu.nl/2009/11/sem/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    used = {str(o) for o in ONT.objects(None, RDFS.subClassOf)} | {str(o) for o in ONT.objects(None, RDFS.subPropertyOf)} \
        | {str(o) for o in ONT.objects(None, SKOS.closeMatch)}
    for ns in standard:
        assert any(u.startswith(ns) for u in used), ns
    # every top-level class reaches a standard class (named classes: a union written in a domain is not one)
    for c in ONT.subjects(RDF.type, OWL.Class):
        if not isinstance(c, URIRef):
            continue
        supers = set(ONT.transitive_objects(c, RDFS.subClassOf)) - {c}
        assert any(not str(s).startswith(str(OIRL)) for s in supers), c


def _data(built):
    import gzip

    return Graph().parse(data=gzip.decompress((built.path / "dumps" / "oirld.nt.gz").read_bytes()), format="nt")


def test_the_published_data_respects_every_range_declared_in_our_namespace(built):
    """Each object of a property with a declared range, in a plain triple or as the object of a claim, is of that
    class (or one class of a union), or a literal of that datatype."""
    from rdflib import Literal
    from rdflib.collection import Collection

    data = _data(built)

    def subclasses(c):
        return {c} | {s for sub in ONT.subjects(RDFS.subClassOf, c) for s in subclasses(sub)}

    def fits(o, rng) -> bool:
        union = ONT.value(rng, OWL.unionOf)
        if union is not None:
            return any(fits(o, m) for m in Collection(ONT, union))
        if isinstance(o, Literal):
            if rng == RDF.langString:
                return o.language is not None
            return o.language is None and (o.datatype or XSD.string) == rng
        return bool(set(data.objects(o, RDF.type)) & subclasses(rng))

    ranges = {p: r for p, r in ONT.subject_objects(RDFS.range) if str(p).startswith(str(OIRL))}
    uses = [(p, o) for p in ranges for o in data.objects(None, p)]
    uses += [(p, data.value(c, RDF.object)) for c, p in data.subject_objects(RDF.predicate) if p in ranges]
    assert len({p for p, _ in uses}) > 30
    wrong = sorted({(str(p), str(o)) for p, o in uses if not fits(o, ranges[p])})
    assert wrong == [], wrong[:10]


def test_the_published_data_respects_every_domain_declared_in_our_namespace(built):
    """Under RDFS inference a wrong domain silently retypes data (regression: oirl:onProperty, declared only on
    Disagreement, made every CurrentValue a Disagreement). Each subject of a property with a declared domain must
    already be of that class, or of one class of a union."""
    from rdflib.collection import Collection

    onto = ONT
    data = _data(built)

    def subclasses(c):
        return {c} | {s for sub in onto.subjects(RDFS.subClassOf, c) for s in subclasses(sub)}

    domains = {}
    for p, d in onto.subject_objects(RDFS.domain):
        union = onto.value(d, OWL.unionOf)
        members = list(Collection(onto, union)) if union is not None else [d]
        domains[p] = set().union(*(subclasses(m) for m in members))
    assert domains
    wrong = sorted({(str(p), str(s)) for p, allowed in domains.items() for s in data.subjects(p, None)
                    if not set(data.objects(s, RDF.type)) & allowed})
    assert wrong == [], wrong[:10]


DEPRECATED = {s for s in ONT.subjects(OWL.deprecated, None) if ONT.value(s, OWL.deprecated).toPython() is True}


def test_no_two_current_terms_differ_only_in_case():
    """Names that differ only in case clash on case-insensitive file systems and confuse readers (issue 13)."""
    seen: dict[str, URIRef] = {}
    for term in TERMS:
        if term in DEPRECATED:
            continue
        twin = seen.setdefault(str(term).lower(), term)
        assert twin == term, (twin, term)


def test_no_two_current_terms_share_a_label():
    labels: dict[str, URIRef] = {}
    for term in TERMS:
        if term in DEPRECATED:
            continue
        label = str(ONT.value(term, RDFS.label)).lower()
        assert labels.setdefault(label, term) == term, (label, labels[label], term)


@pytest.mark.parametrize("old, new", [("About", "Approximately"), ("Duration", "TimeLength"),
                                      ("mappingScript", "mappedIn"), ("fieldRecord", "hasFieldRecord"),
                                      ("textMatch", "hasTextMatch")])
def test_renamed_terms_stay_findable_as_deprecated(old, new):
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    assert ONT.value(OIRL[old], OWL.deprecated) == Literal(True)
    assert ONT.value(OIRL[old], DCTERMS.isReplacedBy) == OIRL[new]
    assert OIRL[new] not in DEPRECATED and ONT.value(OIRL[new], RDFS.label) is not None
    # the old term is still the same kind of term (a concept, a property), so old data still reads as before
    kinds = {SKOS.Concept, OWL.ObjectProperty, OWL.DatatypeProperty}
    assert set(ONT.objects(OIRL[new], RDF.type)) & kinds <= set(ONT.objects(OIRL[old], RDF.type))
    # nothing current uses the old name: no shape, and no scheme lists it
    assert (None, None, OIRL[old]) not in SHAPES and ONT.value(OIRL[old], SKOS.inScheme) is None


def test_every_current_property_has_a_domain():
    props = {p for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in ONT.subjects(RDF.type, t)
             if str(p).startswith(str(OIRL))} - DEPRECATED
    assert props
    assert sorted(str(p) for p in props if ONT.value(p, RDFS.domain) is None) == []


def test_the_ontology_version_is_the_package_version():
    import tomllib

    from rdflib import Literal

    from oirld import __version__

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ontology = URIRef(str(OIRL).rstrip("#"))
    assert pyproject["project"]["version"] == __version__
    assert ONT.value(ontology, OWL.versionInfo) == Literal(__version__)
    assert ONT.value(ontology, OWL.versionIRI) == URIRef(f"{ontology}/{__version__}")


def test_the_changelog_names_the_current_version():
    from oirld import __version__

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in text
    assert "(CHANGELOG.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_build_writes_no_deprecated_term(built):
    data = _data(built)
    used = {t for triple in data for t in triple}
    assert DEPRECATED and sorted(str(t) for t in DEPRECATED & used) == []
