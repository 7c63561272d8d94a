"""Bad input in a mapping: each gets a message naming the mapping file and line, and exit 1 from the CLI."""

import pytest

from oirld.cli import main
from oirld.errors import DataError
from oirld.mapping import MappingProblems
from oirld.pipeline import compile_dataset

from .conftest import MINI_MAPPING, SEED


def _compile_error(project, mapping: str) -> DataError:
    with pytest.raises(DataError) as err:
        compile_dataset(project(mapping))
    return err.value


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_the_mini_mapping_compiles(project):
    compiled = compile_dataset(project(MINI_MAPPING))
    props = {c.prop for c in compiled.claims}
    assert {"endDate", "troopCount", "said"} <= props


def test_quote_not_in_the_article(project):
    bad = MINI_MAPPING.replace("the decision will close the task force by 2026", "the decision will end the task force by 2026")
    err = _compile_error(project, bad)
    assert isinstance(err, MappingProblems)
    line = _line_of(bad, "quote: the decision will end")
    assert f"mappings/{SEED}.yaml:{line}" in str(err)
    assert "quote not found" in str(err)
    assert "closest passage" in str(err)


def test_ambiguous_quote(project):
    bad = MINI_MAPPING.replace("quote: The U.S., which has 2,500 troops in Iraq", "quote: U.S.")
    err = _compile_error(project, bad)
    assert "ambiguous quote" in str(err) and "occurrence" in str(err)


def test_occurrence_disambiguates(project):
    ok = MINI_MAPPING.replace("quote: The U.S., which has 2,500 troops in Iraq", "quote: 2,500 troops\n    occurrence: 1")
    compile_dataset(project(ok))


def test_unknown_entity_alias(project):
    bad = MINI_MAPPING.replace("about: United States", "about: United Staets")
    err = _compile_error(project, bad)
    assert f"{SEED}.yaml:{_line_of(bad, 'about: United Staets')}" in str(err)
    assert "unknown entity 'United Staets'" in str(err)
    assert "united states" in str(err)  # the suggestion


_OUT_OF_RANGE = {
    "claim value": MINI_MAPPING + """  - about: the task force
    property: location
    value: the defense official
    quote: the defense official
    occurrence: 1
""",
    "qualifier": MINI_MAPPING.replace('qualifiers: {location: Iraq, asOf: "@published"}',
                                      'qualifiers: {location: the defense official, asOf: "@published"}'),
}


@pytest.mark.parametrize("case", sorted(_OUT_OF_RANGE))
def test_a_value_outside_the_property_range_names_the_line(project, case):
    """The ontology's ranges are enforced where the mapping is written: a person cannot be where something is."""
    bad = _OUT_OF_RANGE[case]
    assert bad != MINI_MAPPING
    err = _compile_error(project, bad)
    line = _line_of(bad, "value: the defense official") if case == "claim value" else _line_of(bad, "location: the defense official")
    assert f"{SEED}.yaml:{line}" in str(err)
    assert "'us-defense-official' is a Person" in str(err)
    assert "but 'location' takes a Place or State" in str(err) and "ontology/registry/" in str(err)


def test_malformed_yaml(project):
    bad = MINI_MAPPING.replace("    property: endDate\n", "    property: endDate: oops\n")
    err = _compile_error(project, bad)
    assert "malformed YAML" in str(err) and f"{SEED}.yaml:" in str(err)


def test_unparseable_date(project):
    bad = MINI_MAPPING.replace("value: next September", "value: The first will arrive")
    err = _compile_error(project, bad)
    assert "cannot read a time" in str(err)
    assert f"{SEED}.yaml:{_line_of(bad, 'value: The first will arrive')}" in str(err)


def test_value_words_must_stand_in_the_quote(project):
    bad = MINI_MAPPING.replace("value: by 2026", "value: by 2027")
    err = _compile_error(project, bad)
    assert "is not in the quote" in str(err)


def test_unknown_property_and_key_suggest_fixes(project):
    bad = MINI_MAPPING.replace("property: endDate\n    value: by 2026", "property: endDte\n    value: by 2026").replace("qualifiers: {location: Iraq", "qualifers: {location: Iraq")
    err = _compile_error(project, bad)
    assert isinstance(err, MappingProblems) and len(err.problems) == 2
    assert "did you mean endDate" in str(err)
    assert "did you mean 'qualifiers'" in str(err)


def test_said_needs_a_statement_kind(project):
    bad = MINI_MAPPING.replace("    qualifiers: {statementKind: direct}\n", "")
    assert "statementKind" in str(_compile_error(project, bad))


def test_deprecation_needs_a_reason(project):
    bad = MINI_MAPPING.replace("    value: by 2026\n", "    value: by 2026\n    rank: deprecated\n")
    assert "needs a 'reason'" in str(_compile_error(project, bad))


def test_all_problems_are_reported_together(project):
    bad = MINI_MAPPING.replace("about: United States", "about: Nowhere").replace("value: by 2026", "value: by 2027")
    err = _compile_error(project, bad)
    assert len(err.problems) == 2


def test_cli_exit_code_and_message_for_bad_mapping(project, monkeypatch, capsys):
    cfg = project(MINI_MAPPING.replace("the decision will close", "the decision shall close"))
    monkeypatch.setenv("OIRLD_HOME", str(cfg.home))
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--out", str(cfg.out), "-q"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"mappings/{SEED}.yaml:" in err and "quote not found" in err
    assert not (cfg.out / "current").exists()


_DRAFTED = MINI_MAPPING + """  - about: United States
    property: troopCount
    value: 2,500 troops
    quote: which has 2,500 troops in Iraq
    qualifiers: {location: Iraq, asOf: "@published"}
    draft: true
    confidence: 0.8
    rule: troops-in-place
"""


def test_draft_keys_are_carried_on_the_evidence_not_the_merged_claim(project):
    compiled = compile_dataset(project(_DRAFTED))
    troops = next(c for c in compiled.claims if c.prop == "troopCount")
    # the same claim from a reviewed line and a drafted line: one claim, reviewed, one drafted passage
    assert sorted(e.draft for e in troops.evidence) == [False, True]
    drafted = next(e for e in troops.evidence if e.draft)
    assert (drafted.confidence, drafted.rule) == (0.8, "troops-in-place")
    assert not troops.unreviewed


def test_a_claim_only_drafted_is_unreviewed_and_its_names_too(project):
    text = MINI_MAPPING.replace("""    quote: The U.S., which has 2,500 troops in Iraq
""", """    quote: The U.S., which has 2,500 troops in Iraq
    draft: true
    rule: troops-in-place
""")
    config = project(text)
    compiled = compile_dataset(config)
    troops = next(c for c in compiled.claims if c.prop == "troopCount")
    assert troops.unreviewed and troops.evidence[0].rule == "troops-in-place" and troops.evidence[0].confidence is None
    names = [c for c in compiled.claims if c.prop == "writtenAs" and c.evidence[0].line == troops.evidence[0].line]
    assert names and all(c.unreviewed for c in names)
    # reviewing is deleting draft: true; a leftover rule is then ignored
    (config.mappings_dir / f"{SEED}.yaml").write_text(text.replace("    draft: true\n", ""), encoding="utf-8")
    reviewed = compile_dataset(config)
    troops = next(c for c in reviewed.claims if c.prop == "troopCount")
    assert not troops.unreviewed and troops.evidence[0].rule is None


@pytest.mark.parametrize("key, value, message", [
    ("draft", "yes please", "draft must be true or false"),
    ("confidence", "1.5", "confidence must be a number from 0 to 1"),
    ("confidence", "high", "confidence must be a number from 0 to 1"),
    ("rule", "[1, 2]", "'rule' must be one value, not a list"),
])
def test_bad_draft_keys_name_their_line(project, key, value, message):
    bad = _DRAFTED.replace(f"    {key}: " + {"draft": "true", "confidence": "0.8", "rule": "troops-in-place"}[key], f"    {key}: {value}")
    err = _compile_error(project, bad)
    assert message in str(err)
    assert f"{SEED}.yaml:{_line_of(bad, f'    {key}: {value}')}" in str(err)


def test_two_seeds_with_the_same_text_anchor_on_their_own_source(project):
    """Regression: the folded-text cache was keyed by the text alone, so the second of two identical articles (wire
    copy run by two outlets) had its passages attributed to the first."""
    import shutil

    config = project(MINI_MAPPING)
    twin = "900_twin"
    for suffix in (".txt", ".meta.yaml"):
        shutil.copy(config.seeds_dir / f"{SEED}{suffix}", config.seeds_dir / f"{twin}{suffix}")
    (config.mappings_dir / f"{twin}.yaml").write_text(MINI_MAPPING.replace(f"source: {SEED}", f"source: {twin}"), encoding="utf-8")
    compiled = compile_dataset(config)
    troops = next(c for c in compiled.claims if c.prop == "troopCount")
    assert sorted(e.anchor.source for e in troops.evidence) == [SEED, twin]
    assert {e.mapping_file.rsplit("/", 1)[-1] for e in troops.evidence} == {f"{SEED}.yaml", f"{twin}.yaml"}
