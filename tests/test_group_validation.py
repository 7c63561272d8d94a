"""The global part validated group by group (:mod:`oirld.groupview`) rejects exactly what one pass over the whole
global view rejects, and the split (per article, then per group) exactly what whole-graph validation rejects, on
every shape fixture: each node of the global view is its own group, validated alone in the view
:func:`oirld.groupview.closure` collects for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from oirld.groupview import GraphLookup, closure, merged, node_groups, validate_batches, validate_views
from oirld.namespaces import PROV
from oirld.validation import Violation, merge_results, split_graph, split_shapes, validate_graph

from .test_split_validation import FIXTURES, _ontology, _shapes


def _key(v: Violation) -> tuple:
    return (v.shape, v.focus, v.focus_label, v.path or "", v.message, v.severity, v.value or "")


def grouped(rest: Graph, separately: bool = True) -> dict[str, tuple[Violation, ...]]:
    _, global_shapes = split_shapes(_shapes())
    look = GraphLookup(rest)
    groups = {name: (focus, closure(look, focus)) for name, focus in node_groups(rest).items()}
    first = min(groups) if groups else None
    return validate_views(groups, global_shapes, _ontology(), "turbo", keeps_ontology=first, separately=separately)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_groups_reject_what_the_whole_global_view_rejects(path: Path) -> None:
    data = Graph().parse(path, format="turtle")
    views, rest = split_graph(data)
    article_shapes, global_shapes = split_shapes(_shapes())
    whole_global = validate_graph(rest, global_shapes, _ontology(), "turbo")
    by_group = merged(grouped(rest), len(rest))
    assert sorted(map(_key, by_group.violations)) == sorted(map(_key, whole_global.violations))
    # and the whole chain, articles one by one then the global part group by group, equals the whole graph
    whole = validate_graph(data, _shapes(), _ontology(), "turbo")
    assert whole.violations
    chain = merge_results([*(validate_graph(v, article_shapes, _ontology(), "turbo") for v in views), by_group], 0)
    assert sorted(map(_key, chain.violations)) == sorted(map(_key, whole.violations))


@pytest.mark.parametrize("budget", [1, 2, 10**9], ids=["batches of 1", "batches of 2", "one batch"])
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_groups_in_batches_reject_what_the_whole_global_view_rejects(path: Path, budget: int) -> None:
    """A first build validates its groups in batches, each in the closure of its groups' focus nodes: any batch
    size gives the verdict of the whole view, each violation to the group it names, none twice or lost."""
    _, rest = split_graph(Graph().parse(path, format="turtle"))
    _, global_shapes = split_shapes(_shapes())
    whole_global = validate_graph(rest, global_shapes, _ontology(), "turbo")
    groups = node_groups(rest)
    first = min(groups) if groups else None
    forgotten = []
    batched = validate_batches(((name, focus, 1) for name, focus in groups.items()), GraphLookup(rest), global_shapes,
                               _ontology(), "turbo", keeps_ontology=first, budget=budget,
                               forget=lambda: forgotten.append(1))
    assert set(batched) == set(groups)
    assert len(forgotten) == -(-len(groups) // budget)
    assert sorted(map(_key, merged(batched, len(rest)).violations)) == sorted(map(_key, whole_global.violations))
    assert batched == grouped(rest)


def test_a_view_is_part_of_the_whole_and_one_call_finds_what_separate_calls_find() -> None:
    data = Graph().parse(FIXTURES[[p.stem for p in FIXTURES].index("Phase")], format="turtle")
    _, rest = split_graph(data)
    look = GraphLookup(rest)
    whole = set(rest)
    for focus in node_groups(rest).values():
        assert closure(look, focus) <= whole
    assert grouped(rest, separately=False) == grouped(rest, separately=True)


def test_no_global_shape_reads_which_build_made_a_claim() -> None:
    """The cached verdict of a claim stays valid when the version changes only if no shape reads it."""
    assert not any(PROV.wasGeneratedBy in (s, p, o) for s, p, o in _shapes())
