"""The tokenizer against the terminals of the SPARQL 1.1 grammar (Query spec 19.8) and what Oxigraph does."""

from __future__ import annotations

import pytest

from oirld.sparql_lexer import LexError, read


def primary(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.value) for t in read(text).primary]


@pytest.mark.parametrize("text, kind, value", [
    ("<http://example.org/a#b>", "IRI", "http://example.org/a#b"),
    ("<>", "IRI", ""),
    (r"<http://e/\u0041\U00000042>", "IRI", "http://e/AB"),
    ("?x", "VAR", "x"),
    ("$x1", "VAR", "x1"),
    ("?1·a", "VAR", "1·a"),
    ("_:b0", "BNODE", "_:b0"),
    ("_:a.b", "BNODE", "_:a.b"),
    ("@en-US", "LANGTAG", "@en-US"),
    ("42", "NUMBER", "42"),
    ("1.5", "NUMBER", "1.5"),
    (".5", "NUMBER", ".5"),
    ("1e5", "NUMBER", "1e5"),
    ("1.E-3", "NUMBER", "1.E-3"),
    ("'a\\'b'", "STRING", "'a\\'b'"),
    ('"a\\"b\\u0041"', "STRING", '"a\\"b\\u0041"'),
    ("'''a\n''b'''", "STRING", "'''a\n''b'''"),
    ('"""a\n""b"""', "STRING", '"""a\n""b"""'),
    ("()", "PUNCT", "()"),
    ("( \t\n)", "PUNCT", "()"),
    ("[ ]", "PUNCT", "[]"),
])
def test_terminals(text, kind, value):
    assert primary(text) == [(kind, value)]


@pytest.mark.parametrize("text, prefix, local", [
    ("ex:", "ex", ""),
    (":", "", ""),
    (":a", "", "a"),
    ("ex:a\\'b", "ex", "a'b"),
    ("ex:a\\#b", "ex", "a#b"),
    ("ex:a%20b", "ex", "a%20b"),
    ("ex:a.b", "ex", "a.b"),
    ("ex:a:b", "ex", "a:b"),
    ("a.b-c:x", "a.b-c", "x"),
    ("é:ü", "é", "ü"),
])
def test_prefixed_names_and_their_escapes(text, prefix, local):
    reading = read(text)
    assert [(t.kind, *reading.pname(t)) for t in reading.primary] == [("PNAME", prefix, local)]


def test_an_escaped_quote_or_hash_in_a_local_name_starts_no_string_or_comment():
    text = "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:a\\'b ?o . ?s ex:c\\#d ?o SERVICE <http://x/> {} }"
    assert ("KEYWORD", "SERVICE") in primary(text)


def test_keywords_are_case_insensitive_ascii_only():
    assert primary("select Distinct")[:2] == [("KEYWORD", "SELECT"), ("KEYWORD", "DISTINCT")]
    with pytest.raises(LexError):
        read("ſERVICE")  # no keyword for the engine, and nothing else either


def test_comments_and_whitespace_are_skipped_but_not_inside_strings_or_iris():
    assert primary("# SERVICE\n'#x' <a#b> # c") == [("STRING", "'#x'"), ("IRI", "a#b")]


@pytest.mark.parametrize("text", [
    "\\u003Fx",             # the engine applies no \\u escapes outside strings and IRIs
    "'unterminated",
    "'a\nb'",               # short strings hold no newline
    "'\\q'",                # no such escape
    "'\\uD800'",            # a surrogate is no character
    "<a b>",                # no space in an IRI
    "$",
    "ex:a\\z",              # no such local-name escape
    "SELECT \u00a0 *",      # only space, tab, CR, LF separate tokens
    "foo",                  # no keyword, no name
])
def test_what_cannot_be_tokenized_is_refused(text):
    with pytest.raises(LexError) as info:
        read(text)
    assert info.value.line >= 1 and info.value.column >= 1


def test_every_reading_is_kept_where_the_engine_may_choose():
    # keywords without a word boundary
    assert {t.value for t in read("trueSERVICE<http://x/>{}").tokens() if t.kind == "KEYWORD"} >= {"true", "SERVICE"}
    # < as an IRI and as the operator
    r = read("FILTER(?a<?b)SERVICE#>\n<http://x/>{}")
    assert any(t.kind == "IRI" and t.value == "?b)SERVICE#" for t in r.tokens())
    assert r.keywords("SERVICE")
    # an unterminated long string read as an empty short one
    assert read('"""abc" "x"').primary[0].value == '""'


@pytest.mark.parametrize("inside", ["{", "}", "|", "^", "`", '"', " ", "\\\\", "\x01", "<"])
def test_where_the_tokenizer_reads_no_iri_the_engine_reads_none_either(inside):
    """Otherwise a SERVICE target the engine calls could be read as something else (the tokenizer's IRIs are a
    superset of the engine's: it also takes ``%zz`` or DEL, which the engine refuses)."""
    import pyoxigraph as ox

    text = f"SELECT * WHERE {{ ?s ?p <http://e/a{inside}b> }}"
    with pytest.raises(SyntaxError):
        ox.Store().query(text)
    at = text.index("<http")
    assert not any(t.kind == "IRI" and t.start == at for t in _tokens_or_none(text))


def _tokens_or_none(text: str):
    try:
        return list(read(text).tokens())
    except LexError:
        return []


class _Counting:
    """A compiled pattern that adds up how many characters its matches cover."""

    def __init__(self, pattern, tally):
        self.pattern, self.tally = pattern, tally

    def match(self, text, pos=0, endpos=None):
        m = self.pattern.match(text, pos) if endpos is None else self.pattern.match(text, pos, endpos)
        if m:
            self.tally[0] += m.end() - pos
        return m


@pytest.mark.parametrize("unit", ["a", ":", "a:", "a:a", "_:a.", "SELECT", "x:y.", "ex:a.b.", "a.", "aSERVICE"])
def test_reading_a_long_run_of_name_characters_scans_it_a_bounded_number_of_times(monkeypatch, unit):
    """Regression: every position of a long name run was a token start, and each one rescanned the run to its end
    (20,000 characters of ``a:`` took over a minute)."""
    import oirld.sparql_lexer as lexer

    tally = [0]
    for name in ("_RUN_PREFIX", "_RUN_LOCAL", "_RUN_SEGMENT", "_LOCAL_SPEC"):
        monkeypatch.setattr(lexer, name, _Counting(getattr(lexer, name), tally))
    text = unit * (20_000 // len(unit))
    try:
        read(text)
    except LexError:
        pass
    assert tally[0] <= 6 * len(text), f"{tally[0]} characters scanned for {len(text)}"
