"""Differential test of the federation guard against the engine itself.

Generated queries mix SERVICE and LOAD, spelled every way the engine accepts, with the text that fooled the old
guard: strings of the four kinds, comments, IRIs with ``#``, prefixed names with escapes, ``<`` comparisons, keywords
glued to their neighbours. Each runs on a real pyoxigraph store with the guard bypassed, every endpoint on a
recording server on 127.0.0.1. Asserted:

* soundness: every URL the engine asked for is one the guard reported (SERVICE target, or LOAD in an update);
* the engine accepts a text ⇒ the tokenizer reads it (the guard never refuses a valid query as unreadable);
* a text with no SERVICE, SILENT or LOAD in it anywhere (any case) is never refused for federation. Texts that do
  hold those words may be refused when the engine would not call them (the guard reads every possible reading).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oirld.sparql_lexer import LexError, read
from oirld.web.sparql.sparqltext import check_federation, mentions_keyword, service_targets

from .recorder import Recorder

BASE = "http://testserver/sparql"


@pytest.fixture(scope="module")
def recorder():
    r = Recorder()
    yield r
    r.close()


def cased(word: str):
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda mask: "".join(c.upper() if up else c.lower() for c, up in zip(word, mask)))


SEP = st.sampled_from([" ", "", "\n", "\t", " #c\n", "#x\n"])


def fragments(url: str):
    n = st.integers(0, 9).map(str)
    target = st.one_of(
        n.map(lambda i: f"<{url}e{i}>"),
        n.map(lambda i: f"<{url}e{i}\\u0041>"),
        n.map(lambda i: f"<e{i}>"),                 # relative: BASE <url> or the request's base
        n.map(lambda i: f"s:e{i}"),
        n.map(lambda i: f"s:e{i}\\~x%41"),
        n.map(lambda i: f"s{i}:"),
        st.just("?v"),
    )
    service = st.tuples(cased("SERVICE"), SEP, st.one_of(st.just(""), st.tuples(cased("SILENT"), SEP).map("".join)),
                        target, SEP, st.just("{ ?z ?y ?w }")).map("".join)
    quote = st.sampled_from(["'", '"', "'''", '"""'])
    noise = st.one_of(
        st.tuples(quote, st.sampled_from(["SERVICE <x> {", "\\'", '\\"', "#", "<", ">", "'", '"', "a"]), quote).map("".join),
        st.sampled_from([
            "# SERVICE <http://n/> {}\n", "FILTER(?a<?b)", "FILTER(?a < ?b)", "FILTER(?a<?b||'>')", "FILTER(?a>?b)",
            "?s ex:a\\'b ?o .", "?s ex:a\\#b ?o .", "?s ex:a.b.c ?o .", "?a <http://e/a#b> ?o .", "?s ?p true",
            "?s ?p 'x'@en", "BIND(<x> AS ?i)", "<", ">", "'", '"', "#", "}", "{", ".", "'''", '"""', "\\", "true",
            "OPTIONAL", "{ ?s ?p ?o }", "?s <http://e/p>?o", "a", "BIND(1<2 AS ?c)",
        ]),
    )
    return st.lists(st.one_of(service, noise, noise), min_size=1, max_size=7), st.lists(SEP, min_size=7, max_size=7)


def build(url: str, parts: list[str], seps: list[str], prologue: int) -> str:
    heads = [f"PREFIX s: <{url}> ", "PREFIX ex: <http://e/> ", f"BASE <{url}> "] + [f"PREFIX s{i}: <{url}p{i}> " for i in range(10)]
    body = "".join(p + s for p, s in zip(parts, seps))
    return "".join(h for k, h in enumerate(heads) if prologue >> k & 1 or k > 2) + \
        "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) " + body + " }"


def run_engine(store: ox.Store, text: str, update: bool) -> bool:
    """Whether the engine accepted the text (it may still have called endpoints before failing)."""
    try:
        if update:
            store.update(text, base_iri=BASE)
        else:
            list(store.query(text, base_iri=BASE))
    except SyntaxError:
        return False
    except (OSError, ValueError, RuntimeError):
        return True
    return True


def store_with_data() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal(True)))
    return store


@st.composite
def queries(draw, url: str):
    parts_s, seps_s = fragments(url)
    return build(url, draw(parts_s), draw(seps_s), draw(st.integers(0, 7)))


def check(store: ox.Store, recorder: Recorder, text: str, update: bool = False) -> None:
    recorder.clear()
    accepted = run_engine(store, text, update)
    asked = list(recorder.hits)
    try:
        reading = read(text)
    except LexError:
        assert not accepted, f"the engine accepts a text the tokenizer refuses: {text!r}"
        assert not asked, f"the engine called {asked} for a text the guard refuses as unreadable: {text!r}"
        return
    reported = set(service_targets(reading, BASE))
    loads = update and mentions_keyword(reading, "LOAD")
    for url in asked:
        assert url in reported or loads, f"the engine called {url}, the guard reported {reported}: {text!r}"
    lowered = text.lower()
    if not any(word in lowered for word in ("service", "silent", "load")):
        assert check_federation(reading, (), BASE) is None, text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_endpoint_the_engine_calls_is_one_the_guard_reports(recorder, data):
    check(store_with_data(), recorder, data.draw(queries(recorder.url)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_in_updates_too_with_load(recorder, data):
    query = data.draw(queries(recorder.url))
    where = query[query.index("WHERE"):]
    load = data.draw(st.tuples(cased("LOAD"), SEP, st.sampled_from([f"<{recorder.url}l>", "s:l", "<l>"])).map("".join))
    head = query[:query.index("SELECT")]
    update = data.draw(st.sampled_from([
        f"{head}INSERT {{ <http://e/x> <http://e/y> ?z }} {where}",
        f"{head}{load}",
        f"{head}{load} ; INSERT {{ <http://e/x> <http://e/y> ?z }} {where}",
        f"{head}INSERT DATA {{ <http://e/x> <http://e/y> 'a' }} ;{load}",
    ]))
    check(store_with_data(), recorder, update, update=True)


@pytest.mark.parametrize("text", [
    # the bypasses found by hand: each reached the recording server through the old regex guard
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\'b AS ?q) SERVICE <URL/e1> { ?z ?y ?w } #'\n}",
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\#b AS ?q) SERVICE <URL/e2> { ?z ?y ?w } }",
    "PREFIX s: <URL/> SELECT * WHERE { SERVICEs:e3{ ?z ?y ?w } }",
    "PREFIX s: <URL/> SELECT * WHERE { SERVICESILENTs:e4{ ?z ?y ?w } }",
    "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)SERVICE#>\n<URL/e5>{ ?z ?y ?w } }",
    "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b||'>') SERVICE <URL/e6> { ?z ?y ?w } #'\n}",
    "SELECT * WHERE { ?s ?p trueSERVICE<URL/e7>{ ?z ?y ?w } }",
    "BASE <URL/> SELECT * WHERE { SERVICE <e8> { ?z ?y ?w } }",
    "PREFIX s: <URL/> SELECT * WHERE { SERVICE s:e9\\~x { ?z ?y ?w } }",
    "SELECT * WHERE { SERVICE <URL/e\\u0030> { ?z ?y ?w } }",
    "select * where { service <URL/e10> { ?z ?y ?w } }",
])
def test_known_bypasses_are_reported(recorder, text):
    text = text.replace("URL/", recorder.url)
    check(store_with_data(), recorder, text)
    assert recorder.hits, "the sample no longer reaches the engine's SERVICE: it tests nothing"
    assert check_federation(text, (), BASE) is not None
