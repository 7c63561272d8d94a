"""Golden test: the claim layer the engine makes from a small mapping, compared as a graph (not as text).

To update after an intended change: ``.venv/bin/python -m tests.test_golden`` rewrites the expected file; review
the diff before committing it.
"""

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from oirld.config import DEFAULT_BASE_IRI
from oirld.pipeline import compile_dataset

from .conftest import MINI_MAPPING

EXPECTED = Path(__file__).parent / "fixtures" / "golden" / "mini-claims.ttl"
LAYERS = tuple(DEFAULT_BASE_IRI + p for p in ("claim/", "evidence/", "value/"))


def claim_layer(graph: Graph) -> Graph:
    """Claims, evidence and values: everything the engine derives from the mapping and the text."""
    out = Graph()
    for s, p, o in graph:
        if str(s).startswith(LAYERS) and not str(p).endswith("wasGeneratedBy"):
            out.add((s, p, o))
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns)
    return out


def test_claim_layer_matches_the_golden_graph(project):
    got = claim_layer(compile_dataset(project(MINI_MAPPING)).graph)
    expected = Graph().parse(EXPECTED)
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        raise AssertionError(
            "claim layer differs from the golden graph\nonly in the build:\n"
            + only_got.serialize(format="nt") + "\nonly in the golden file:\n" + only_expected.serialize(format="nt")
        )


if __name__ == "__main__":
    import tempfile

    from .conftest import make_project
    from oirld.config import Config

    home = make_project(Path(tempfile.mkdtemp()) / "p", MINI_MAPPING)
    graph = claim_layer(compile_dataset(Config(home=home, out=home / "var")).graph)
    EXPECTED.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    print(f"wrote {EXPECTED} ({len(graph)} triples)")
