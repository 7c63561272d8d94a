"""Every SHACL node shape has a fixture that breaks it, and breaks it for the reason the shape exists.

Each ``tests/fixtures/shapes/<Shape>.ttl`` is validated on its own (with the ontology, as the build does) and must
produce exactly the violations listed for it in ``EXPECTED``: each listed rule must fire, and nothing else may, so a
test fails if the wrong rule fires or a fixture stops being "otherwise valid". Rules are named by the beginning of
their ``sh:message`` in the shapes file; the full message (placeholders such as ``{?n}`` filled in) must match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from oirld.ontology import load_ontology
from oirld.validation import ValidationResult, load_shapes, validate_graph

ROOT = Path(__file__).parents[1]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_PATH = ROOT / "ontology" / "oirld.ttl"
FIXTURES = Path(__file__).parent / "fixtures" / "shapes"

OIRSH = "https://w3id.org/oirld/shapes#"
SH = "http://www.w3.org/ns/shacl#"
SH_MESSAGE = URIRef(SH + "message")
SH_PROPERTY = URIRef(SH + "property")
SH_SPARQL = URIRef(SH + "sparql")
SH_NODE = URIRef(SH + "node")

# helper shapes without targets: they only apply through sh:node, so their own violations arrive as pySHACL's
# "Value does not conform to Shape oirsh:X" on the using shape, with the helper's result in the details
HELPERS = {"Labelled", "EventTimesInOrder"}

#: shapes whose fixture breaks only rules of severity sh:Warning (the data conforms; the report names the warning)
WARNINGS = {"Airport"}


# ------------------------------------------------------------------ expected violations


@dataclass(frozen=True)
class Rule:
    """A constraint of ``shape`` whose sh:message starts with ``start`` fired."""

    shape: str
    start: str

    def describe(self) -> str:
        return f"oirsh:{self.shape} rule {self.start!r}"


@dataclass(frozen=True)
class ViaNode:
    """``shape``'s sh:node constraint failed; pySHACL's message names every shape in its sh:node list."""

    shape: str
    helpers: tuple[str, ...]

    def describe(self) -> str:
        return f"oirsh:{self.shape} sh:node {', '.join('oirsh:' + h for h in self.helpers)}"


def rule(shape: str, *starts: str) -> list[Rule]:
    return [Rule(shape, s) for s in starts]


def via_node(shape: str, *helpers: str) -> list[ViaNode]:
    return [ViaNode(shape, helpers)]


EVENT_NODES = ("Labelled", "EventTimesInOrder")  # the sh:node list of Event, MilitaryOperation, War, Invasion, Agreement

EXPECTED: dict[str, list[Rule | ViaNode]] = {
    "Labelled": rule("Labelled", "Needs exactly one English label") + via_node("Place", "Labelled"),
    "EventTimesInOrder": rule("EventTimesInOrder", "Ends ({?endLabel}) before it starts")
    + via_node("Event", *EVENT_NODES),
    "ClaimProperty": rule("ClaimProperty", "A claim property needs a definition"),
    "CurrentValue": rule("CurrentValue", "Claim {?c} is on {?p}, but this current value is for {?onP}"),
    "WireStory": rule("WireStory", "Article {?a} is matched in this wire story but is not a reprint of it",
                      "Article {?a} is a reprint of this wire story, but no text match says why"),
    "TextMatch": rule("TextMatch", "An identical-text match must have similarity 1"),
    "QualifierProperty": rule("QualifierProperty", "A qualifier property needs an English label"),
    "Actor": rule("Actor", "A Wikidata link must be one item IRI"),
    "State": rule("State", "A state cannot also be a person"),
    "GovernmentBody": rule("GovernmentBody", "A government body cannot also be a non-state armed group"),
    "MilitaryCommand": rule("MilitaryCommand", "A military command is a body, not a person"),
    "ArmedForces": rule("ArmedForces", "A state's armed forces are not a non-state armed group"),
    "ArmedGroup": rule("ArmedGroup", "An armed group can only be backed by an actor"),
    "PoliticalBloc": rule("PoliticalBloc", "A political bloc is a group, not a person"),
    "Coalition": rule("Coalition", "A coalition's number of members must be a stated quantity"),
    "Person": rule("Person", "A person has no coordinates"),
    "NewsOrganization": rule("NewsOrganization", "A news organisation is not a person"),
    "ResearchOrganization": rule("ResearchOrganization", "A research organisation is not a person"),
    "Place": rule("Place", "A place has at most one geometry"),
    "Geometry": rule("Geometry", "Coordinates must be one WKT point"),
    "MilitaryBase": rule("MilitaryBase", "A base's other names must be language-tagged text"),
    "Airport": rule("Airport", "An airport's location is public"),
    "Region": rule("Region", "A region is not a base"),
    "City": rule("City", "A city is not a region"),
    "Event": rule("Event", "An event's location must be a place or a country"),
    "MilitaryOperation": rule("MilitaryOperation", "An operation is led by an actor"),
    "Phase": rule(
        "Phase",
        "A phase must belong to an operation or transition",
        "This phase ends ({?endLabel}) before it starts",
        "Phase {?n} starts ({?thisStart}) before phase {?m}",
    )
    # the phase that ends before it starts is an event too, so oirsh:Event's sh:node reports it as well
    + rule("EventTimesInOrder", "Ends ({?endLabel}) before it starts") + via_node("Event", *EVENT_NODES),
    "War": via_node("War", *EVENT_NODES) + rule("EventTimesInOrder", "Ends ({?endLabel}) before it starts")
    + via_node("Event", *EVENT_NODES),
    "Invasion": via_node("Invasion", *EVENT_NODES) + rule("Labelled", "Needs exactly one English label")
    + via_node("Event", *EVENT_NODES),
    "Meeting": rule("Meeting", "Who meets must be actors"),
    "Announcement": rule("Announcement", "An announcement is made by an actor"),
    "Agreement": rule("Agreement", "The parties to an agreement must be actors"),
    "Attack": rule("Attack", "A death toll must be a stated quantity"),
    "Raid": rule("Raid", "A raid is carried out by an actor"),
    "Withdrawal": rule("Withdrawal", "Forces withdraw from a place"),
    "Relocation": rule("Relocation", "Forces relocate to a place"),
    "ArmsSale": rule("ArmsSale", "A sale's amount must be a stated quantity"),
    "Training": rule("Training", "The number trained must be a stated quantity"),
    "Quantity": rule("Quantity", "The number {?v} lies outside the range its words allow"),
    "TimeValue": rule("TimeValue", "The stated time runs backwards"),
    "Claim": rule(
        "Claim",
        "A claim ranked other than normal must say why",
        "The plain triple of a best-ranked claim is missing",
    ),
    "Mentions": rule("Mentions", "Only a claim (oirl:Claim) mentions entities", "A claim mentions an entity of the registry",
                     "The claim mentions {?e}, which it already links"),
    "AttributedStatement": rule("AttributedStatement", "Say whether the words are a direct quote or reported speech"),
    "Evidence": rule(
        "Evidence",
        "The quote has {?len} characters but its offsets span",
        "The passage ends at {?end}, past the end of its source's text",
    ),
    "MachineReadEvidence": rule("MachineReadEvidence", "A drafting confidence is one number from 0 to 1"),
    "UnreviewedClaim": rule("UnreviewedClaim", "Claim marked unreviewed, but its passage {?e} was reviewed"),
    "UnreviewedEntity": rule("UnreviewedEntity", "An unreviewed registry entry names the one command that added it"),
    "TextQuoteSelector": rule("TextQuoteSelector", "A quote selector holds the exact quoted words"),
    "TextPositionSelector": rule("TextPositionSelector", "The start offset must come before the end offset"),
    "Disagreement": rule("Disagreement", "Claim {?c} is listed in a disagreement on {?p} but is about"),
    "NewsArticle": rule(
        "NewsArticle",
        "The metadata field {?field} has a value but its record says it is unknown",
        "The metadata field {?field} has no value, but its record does not say it is unknown",
        "There is no record of how the field 'url' was determined",
    ),
    "FieldRecord": rule("FieldRecord", "A field that is not unknown needs evidence"),
    "Build": rule("Build", "A build records the mapping scripts it used"),
    "MappingScript": rule("MappingScript", "A mapping script used by a build records its SHA-256"),
    "Dataset": rule("Dataset", "The dataset declares one licence, as an IRI"),
    "Distribution": rule("Distribution", "A distribution has a checksum"),
    "Checksum": rule("Checksum", "Checksums are SHA-256", "A checksum value is 64 lower-case hex digits"),
}


# ------------------------------------------------------------------ reading the shapes file


@cache
def _shapes_graph() -> Graph:
    return load_shapes(SHAPES_DIR)


def node_shape_names(graph: Graph) -> list[str]:
    return sorted(
        str(s)[len(OIRSH):]
        for s in graph.subjects(RDF.type, URIRef(SH + "NodeShape"))
        if isinstance(s, URIRef) and str(s).startswith(OIRSH)
    )


def messages_of(graph: Graph, name: str) -> list[str]:
    """The sh:message templates of a node shape: its own, its property shapes' and its SPARQL constraints'."""
    shape = URIRef(OIRSH + name)
    holders = [shape, *graph.objects(shape, SH_PROPERTY), *graph.objects(shape, SH_SPARQL)]
    return [str(m) for h in holders for m in graph.objects(h, SH_MESSAGE)]


def sparql_constraints(graph: Graph) -> list[tuple[str, str]]:
    """(node shape name, message template) of every sh:sparql constraint in the file."""
    out = []
    for name in node_shape_names(graph):
        for c in graph.objects(URIRef(OIRSH + name), SH_SPARQL):
            messages = [str(m) for m in graph.objects(c, SH_MESSAGE)]
            out.append((name, messages[0] if len(messages) == 1 else f"<{len(messages)} messages>"))
    return sorted(out)


def template_regex(template: str) -> re.Pattern[str]:
    """A pattern for the message pySHACL makes from a template: each {?var} becomes some text."""
    parts = re.split(r"\{[?$]\w+\}", template)
    return re.compile("(?s)" + ".+?".join(re.escape(p) for p in parts))


def resolve(expect: Rule | ViaNode, graph: Graph):
    """A function that tells whether a violation is the one ``expect`` describes."""
    iri = OIRSH + expect.shape
    if isinstance(expect, Rule):
        templates = [m for m in messages_of(graph, expect.shape) if m.startswith(expect.start)]
        assert len(templates) == 1, (
            f"{expect.describe()}: expected one sh:message of the shape starting so, found {templates}; "
            f"its messages are {messages_of(graph, expect.shape)}"
        )
        pattern = template_regex(templates[0])
        return lambda v: v.shape == iri and pattern.fullmatch(v.message) is not None

    used = {str(o)[len(OIRSH):] for o in graph.objects(URIRef(iri), SH_NODE) if str(o).startswith(OIRSH)}
    assert used == set(expect.helpers), f"{expect.describe()}: the shape's sh:node list is {sorted(used)}"
    return lambda v: (
        v.shape == iri and v.message.startswith("Value ")
        and all(f"oirsh:{h}" in v.message for h in expect.helpers)
    )


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    return _shapes_graph()


@pytest.fixture(scope="module")
def ontology_graph() -> Graph:
    return load_ontology(ONTOLOGY_PATH).graph


@pytest.fixture(scope="module")
def validate_fixture(shapes_graph: Graph, ontology_graph: Graph):
    """Validates a fixture file by shape name, once per module."""
    results: dict[str, ValidationResult] = {}

    def run(name: str) -> ValidationResult:
        if name not in results:
            path = FIXTURES / f"{name}.ttl"
            assert path.is_file(), f"no fixture for oirsh:{name}: write {path.relative_to(ROOT)}"
            data = Graph().parse(path, format="turtle")
            results[name] = validate_graph(data, shapes_graph, ontology_graph)
        return results[name]

    return run


def _show(result: ValidationResult) -> str:
    return "\n".join(f"  {v.shape[len(OIRSH):] if v.shape.startswith(OIRSH) else v.shape} <{v.focus}>: {v.message}"
                     for v in result.violations) or "  (none)"


# ------------------------------------------------------------------ tests

SHAPE_NAMES = node_shape_names(_shapes_graph())


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_fixture_violates_its_shape(name: str, shapes_graph: Graph, validate_fixture) -> None:
    result = validate_fixture(name)
    iri = OIRSH + name
    if name in WARNINGS:
        # a rule of severity sh:Warning: reported, with its severity, but the data still conforms (the build publishes)
        assert result.conforms, _show(result)
        assert result.warnings and all(v.severity == SH + "Warning" for v in result.warnings), _show(result)
    else:
        assert not result.conforms, f"{name}.ttl conforms, but it should break oirsh:{name}"

    if name in HELPERS:
        # reported through the using shape's sh:node, naming the helper, with the helper's own result in the details
        assert any(f"oirsh:{name}" in v.message for v in result.violations), _show(result)
        assert any(v.shape == iri for v in result.violations), _show(result)
    else:
        assert any(v.shape == iri for v in result.violations), _show(result)

    assert name in EXPECTED, f"say in EXPECTED which violations {name}.ttl must produce"
    checks = [(e, resolve(e, shapes_graph)) for e in EXPECTED[name]]
    for expect, matches in checks:
        assert any(matches(v) for v in result.violations), (
            f"{name}.ttl: expected {expect.describe()} to fire; got:\n{_show(result)}")
    unexpected = [v for v in result.violations if not any(matches(v) for _, matches in checks)]
    assert not unexpected, f"{name}.ttl: rules fired that the fixture is not meant to break:\n" + "\n".join(
        f"  {v.shape} <{v.focus}>: {v.message}" for v in unexpected)


def test_fixture_files_match_node_shapes(shapes_graph: Graph) -> None:
    shapes = set(node_shape_names(shapes_graph))
    fixtures = {p.stem for p in FIXTURES.glob("*.ttl")}
    assert fixtures == shapes, (
        f"shapes without a fixture: {sorted(shapes - fixtures)}; fixtures without a shape: {sorted(fixtures - shapes)}")
    assert set(EXPECTED) == shapes, (
        f"shapes missing from EXPECTED: {sorted(shapes - set(EXPECTED))}; "
        f"EXPECTED entries without a shape: {sorted(set(EXPECTED) - shapes)}")


def test_fixtures_say_which_rule_they_break() -> None:
    for path in sorted(FIXTURES.glob("*.ttl")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Breaks oirsh:" + path.stem), f"{path.name} must start with '# Breaks oirsh:{path.stem}'"


SPARQL_CONSTRAINTS = sparql_constraints(_shapes_graph())


@pytest.mark.parametrize(("name", "template"), SPARQL_CONSTRAINTS,
                         ids=[f"{n}-{re.sub(r'[^A-Za-z0-9]+', '-', t)[:40].strip('-')}" for n, t in SPARQL_CONSTRAINTS])
def test_sparql_constraint_fires_in_some_fixture(name: str, template: str, validate_fixture) -> None:
    assert not template.startswith("<"), f"oirsh:{name} has a SPARQL constraint with {template}, expected one sh:message"
    pattern = template_regex(template)
    # a helper's constraint fires on the shapes that use it; look at every fixture, the shape's own first
    for fixture in [name] + [n for n in SHAPE_NAMES if n != name]:
        if any(v.shape == OIRSH + name and pattern.fullmatch(v.message) for v in validate_fixture(fixture).violations):
            return
    pytest.fail(f"no fixture makes oirsh:{name}'s SPARQL rule fire: {template!r}")
