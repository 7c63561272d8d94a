"""SERVICE endpoints are compared after resolution, so the resolver must be RFC 3986's (section 5.4 examples) and
keep absolute IRIs as written, as the engine does (measured: it calls ``/a/../b`` as written)."""

from __future__ import annotations

import pytest

from oirld.web.sparql.sparqltext import resolve_iri, service_targets

BASE = "http://a/b/c/d;p?q"


@pytest.mark.parametrize("ref, expected", [
    ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
    ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
    ("g#s", "http://a/b/c/g#s"), (";x", "http://a/b/c/;x"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"),
    ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"),
    ("../../g", "http://a/g"), ("../../../g", "http://a/g"), ("/./g", "http://a/g"), ("/../g", "http://a/g"),
    ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."), ("./../g", "http://a/b/g"),
    ("./g/.", "http://a/b/c/g/"), ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
    ("http://x/a/../b", "http://x/a/../b"),
])
def test_rfc3986_examples(ref, expected):
    assert resolve_iri(BASE, ref) == expected


def test_relative_without_a_base_names_nothing():
    assert resolve_iri(None, "g") is None


def test_targets_follow_base_and_prefix_declarations():
    text = "BASE <http://h/x/> PREFIX p: <../q/> SELECT * WHERE { SERVICE p:e\\~1 {} SERVICE <r> {} SERVICE ?v {} }"
    targets = service_targets(text, "http://req/sparql")
    assert {"http://h/q/e~1", "http://h/x/r", None} <= set(targets)


def test_piles_of_declarations_are_refused_not_followed():
    """Each SERVICE target is checked against every IRI its prefix may have: thousands of re-declarations would
    multiply that work, so past a bound the query is refused instead."""
    from oirld.web.sparql.sparqltext import check_federation

    text = "".join(f"PREFIX p: <http://h/{i}/> " for i in range(200)) + "SELECT * WHERE { SERVICE p:x {} }"
    assert "cannot be told" in check_federation(text, ("http://h/0/x",), "http://req/sparql")
    assert check_federation("PREFIX p: <http://h/0/> SELECT * WHERE { SERVICE p:x {} }", ("http://h/0/x",), "http://req/sparql") is None
