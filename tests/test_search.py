"""Full-text search (oirld.search, /search) and the suggest it serves: what the sources said is found, ranked, filtered
and paged; nothing typed can break the query; prefixes suggest. Expected hits are read from the store or the
articles in each test, never assumed from the size of the corpus."""

import json
import re
import sqlite3

import pytest

from oirld.search import SearchIndex, _article_body, build_index, fts_query
from oirld.store import open_store

pytestmark = pytest.mark.anyio
BASE = "https://w3id.org/oirld/"
P = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
     "PREFIX oirl: <https://w3id.org/oirld/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
     "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX schema: <https://schema.org/>\n")
JSON = {"Accept": "application/json"}
HOSTILE = ['"', '""', "*", "NEAR(", "NEAR(a b, 3)", "a OR", "OR", "AND", "NOT", "-", "^", "(((", ")", "'", ":", "title:x",
           '"unterminated', "a*b", "{kind}", "\\", "‮", "a" * 500, "🙂", "a -b", "+", "body : withdrawal"]


@pytest.fixture(scope="module")
def store(built):
    return open_store(built.path / "store")


@pytest.fixture
def client(built_client, built, root):
    return built_client(home=str(root), ontology_path=str(root / "ontology" / "oirld.ttl"),
                        search_path=str(built.path / "search.sqlite"))


def rows(store, query):
    return list(store.query(P + query))


def words(text):
    return re.findall(r"\w+", text.lower())


# ------------------------------------------------------------------ the index the build writes


def test_the_build_writes_the_index_beside_the_store(built):
    path = built.path / "search.sqlite"
    assert path.is_file() and (built.path / "store").is_dir()
    manifest = json.loads((built.path / "manifest.json").read_text())
    with sqlite3.connect(path) as db:
        n = db.execute("SELECT count(*) FROM docs").fetchone()[0]
        kinds = {k for (k,) in db.execute("SELECT DISTINCT kind FROM docs")}
    assert manifest["search_index"] == {"file": "search.sqlite", "rows": n}
    assert kinds == {"entity", "claim", "quote", "article"}


async def test_a_quote_is_found_by_its_words_and_links_to_its_passage(client, store):
    found = 0
    for row in rows(store, "SELECT ?e ?exact WHERE { ?e a oirl:Evidence ; oa:hasSelector/oa:exact ?exact }"):
        ws = [w for w in words(row["exact"].value) if len(w) > 3][:4]
        if len(ws) < 3:
            continue
        data = (await client.get("/search", params={"q": " ".join(ws), "kind": "quote", "per_page": 50}, headers=JSON)).json()
        hit = [r for r in data["results"] if r["iri"] == row["e"].value]
        assert hit, (ws, row["e"].value)
        key = row["e"].value.rsplit("/", 1)[-1]
        assert re.fullmatch(rf"/doc/source/[\w.-]+#ev-{key}", hit[0]["href"])
        found += 1
        if found == 12:
            break
    assert found


async def test_an_article_is_found_by_words_no_claim_quotes(client, built, root):
    from oirld.seeds import load_seeds

    quoted = " ".join(r["x"].value.lower() for r in open_store(built.path / "store").query(P + "SELECT ?x WHERE { ?e oa:exact ?x }"))
    for seed in load_seeds(root / "seeds")[:3]:
        body = _article_body(seed.text, None)[1]
        unquoted = [w for w in words(body) if len(w) > 6 and w not in quoted]
        assert unquoted
        data = (await client.get("/search", params={"q": unquoted[0], "kind": "article"}, headers=JSON)).json()
        assert BASE + "source/" + seed.stem in {r["iri"] for r in data["results"]}


async def test_withdrawal_ranks_the_withdrawal_event_first(client, store):
    events = {r["e"].value for r in rows(store, """SELECT ?e WHERE { ?e a oirl:Withdrawal ; skos:prefLabel ?l .
        FILTER (CONTAINS(LCASE(?l), "withdrawal")) }""")}
    assert events
    data = (await client.get("/search", params={"q": "withdrawal"}, headers=JSON)).json()
    assert data["results"][0]["iri"] in events and data["results"][0]["kind"] == "entity"


@pytest.mark.parametrize("q", ["Harir", "withdrawal", "troops", "Sudani"])
async def test_every_hit_holds_every_word_and_nothing_pads(client, built, q):
    data = (await client.get("/search", params={"q": q, "per_page": 50}, headers=JSON)).json()
    assert data["total"] >= len(data["results"]) > 0
    with sqlite3.connect(built.path / "search.sqlite") as db:
        for r in data["results"]:
            texts = db.execute("SELECT title, names, body FROM docs WHERE iri = ? AND kind = ?", (r["iri"], r["kind"])).fetchall()
            assert any(q.lower() in " ".join(t).lower() for t in texts), r
    none = (await client.get("/search", params={"q": "zzqxvj"}, headers=JSON)).json()
    assert none["total"] == 0 and none["results"] == []


@pytest.mark.parametrize("q", HOSTILE)
async def test_query_syntax_typed_by_users_never_fails(client, q):
    r = await client.get("/search", params={"q": q}, headers=JSON)
    assert r.status_code == 200 and isinstance(r.json()["results"], list)
    page = await client.get("/search", params={"q": q})
    assert page.status_code == 200
    s = await client.get("/reconcile/suggest/entity", params={"prefix": q[:100]})
    assert s.status_code == 200 and isinstance(s.json()["result"], list)


async def test_a_control_character_is_refused_in_the_one_error_shape(client):
    r = await client.get("/search", params={"q": "a\x00b"}, headers=JSON)
    assert r.status_code == 400 and set(r.json()["error"]) >= {"status", "code", "message"}


def test_user_words_are_quoted():
    assert fts_query('NEAR(a "b" c*') == '"NEAR" "a" "b" "c"'
    assert fts_query("hare", prefix=True) == '"hare"*'
    assert fts_query(" ( * ) ") is None


async def test_filters_by_kind_outlet_and_date(client, store):
    outlets = sorted({r["o"].value for r in rows(store, "SELECT ?o WHERE { ?s a schema:NewsArticle ; schema:publisher/skos:prefLabel ?o }")})
    assert outlets
    for outlet in outlets:
        data = (await client.get("/search", params={"q": "Iraq", "outlet": outlet, "per_page": 50}, headers=JSON)).json()
        assert data["results"] and all(outlet in r["outlets"] for r in data["results"])
        assert all(r["kind"] != "entity" for r in data["results"])  # a thing has no outlet
    quotes = (await client.get("/search", params={"q": "Iraq", "kind": ["quote", "article"], "per_page": 50}, headers=JSON)).json()
    assert quotes["results"] and {r["kind"] for r in quotes["results"]} <= {"quote", "article"}
    dates = sorted({r["date"] for r in quotes["results"] if r["date"]})
    cut = dates[len(dates) // 2]
    later = (await client.get("/search", params={"q": "Iraq", "from": cut, "per_page": 50}, headers=JSON)).json()
    # a claim with several articles passes when one of them does, and shows that one's date
    earlier = (await client.get("/search", params={"q": "Iraq", "to": cut, "per_page": 50}, headers=JSON)).json()
    assert later["results"] and all(r["date"] >= cut for r in later["results"])
    assert earlier["results"] and all(r["date"] <= cut + "\uffff" for r in earlier["results"])
    for bad in ({"from": "yesterday"}, {"kind": "everything"}, {"page": "0"}, {"per_page": "x"}):
        r = await client.get("/search", params={"q": "Iraq", **bad}, headers=JSON)
        assert r.status_code == 400 and set(r.json()["error"]) >= {"status", "code", "message", "hint"}
    r = await client.get("/search", params={"q": "Iraq", "per_page": "51"}, headers=JSON)
    assert r.status_code == 413 and "search_per_page" in r.json()["error"]["message"]


async def test_pages_split_the_results_without_loss(client):
    first = (await client.get("/search", params={"q": "Iraq", "per_page": 5}, headers=JSON)).json()
    assert first["total"] > 5 and len(first["results"]) == 5 and first["previous"] is None
    seen, url = [], "/search?q=Iraq&per_page=5"
    while url:
        page = (await client.get(url, headers=JSON)).json()
        seen += [(r["kind"], r["iri"]) for r in page["results"]]
        url = page["next"]
    assert len(seen) == first["total"] == len(set(seen))


async def test_search_page_shows_highlighted_snippets_and_escapes(client):
    page = (await client.get("/search", params={"q": "withdrawal"})).text
    assert '<ol id="results"' in page and re.search(r"<mark>withdrawal</mark>", page, re.I)
    evil = (await client.get("/search", params={"q": "<script>alert(1)</script>"})).text
    assert "<script>alert" not in evil


def test_snippets_keep_whole_words_and_leave_the_headline_out(tmp_path, store):
    text = "Troops Leave Iraq\nBAGHDAD — The withdrawal began on Friday, officials said. " + "Filler words here. " * 40 + "The withdrawal ends."
    assert _article_body(text, "Troops leave Iraq") == ("Troops leave Iraq", text.split("\n", 1)[1])
    assert _article_body(text, None)[0] == "Troops Leave Iraq"  # no headline known: a title-like first line
    assert _article_body("One sentence.\nAnother one.", None) == ("", "One sentence.\nAnother one.")
    path = tmp_path / "s.sqlite"
    build_index(path, store, BASE, texts={BASE + "source/x": text})
    found = SearchIndex(path).search("withdrawal", kinds=["article"]).results
    assert found
    body = text.split("\n", 1)[1]
    for r in found:
        assert r["title"] == "Troops Leave Iraq" and "Troops Leave Iraq" not in r["snippet"]
        for core in r["snippet"].split("…"):
            core = core.strip()
            if not core:
                continue
            at = body.find(core)
            assert at >= 0, core
            assert (at == 0 or not body[at - 1].isalnum()) and (at + len(core) == len(body) or not body[at + len(core)].isalnum())


def test_quote_context_is_whole_words_within_its_paragraph():
    from oirld.citation import context

    assert context("focus. Tara Copp’s analysis for ", " underscores the enduring signif") == (
        "Tara Copp’s analysis for ", " underscores the enduring")
    assert context(" Iraq is coming to an end.\n\nThe ", " and Iraqi governments announced") == ("The ", " and Iraqi governments")
    assert context("Short start ", ". end") == ("Short start ", ". end")  # the text's own start and end are whole


async def test_pages_show_quote_context_in_whole_words(client, store):
    import html

    page = (await client.get("/doc/id/harir-air-base", headers={"Accept": "text/html"})).text
    contexts = [html.unescape(c) for c in re.findall(r'<span class="ctx">…([^<]*)</span><mark>', page)]
    assert contexts
    prefixes = [r["x"].value for r in rows(store, "SELECT ?x WHERE { ?q oa:prefix ?x }")]
    for c in contexts:
        assert "\n" not in c
        # the end of a stored prefix, from the start of a word on; a full-width prefix (cut mid-text) always loses its first piece
        assert any(p.endswith(c) and (len(p) < 32 and len(c) == len(p) or not p[-len(c) - 1].isalnum() if len(c) < len(p) else len(p) < 32)
                   for p in prefixes), c


def test_an_index_in_a_folder_with_uri_characters_opens(tmp_path, store):
    folder = tmp_path / "a?b#c%20d"
    folder.mkdir()
    build_index(folder / "search.sqlite", store, BASE, texts={BASE + "source/x": "Title\nA text with \x02marks\x03 in it about Harir."})
    index = SearchIndex(folder / "search.sqlite")
    assert index.search("Harir").total > 0
    [hit] = index.search("marks", kinds=["article"]).results
    assert hit["snippet_html"].count("<mark>") == hit["snippet_html"].count("</mark>") == 1
