"""Anchoring quotes: regression tests."""

from oirld.errors import Location
from oirld.provenance import locate
from oirld.seeds import load_seed

META = """title: {value: T, determined_by: stated-in-text, evidence: first line}
publisher: {value: null, determined_by: unknown}
authors: {value: null, determined_by: unknown}
language: {value: en, determined_by: stated-in-text, evidence: read}
date_published: {value: "2024-09-27", determined_by: inferred, evidence: test}
url: {value: null, determined_by: unknown}
"""


def test_two_articles_with_the_same_text_keep_their_own_source(tmp_path):
    # regression: anchors were cached by the text's hash alone, so a reprint's quotes named the first article
    seeds = []
    for stem in ("first", "reprint"):
        (tmp_path / f"{stem}.txt").write_text("The coalition will leave Iraq in 2026.", encoding="utf-8")
        (tmp_path / f"{stem}.meta.yaml").write_text(META, encoding="utf-8")
        seeds.append(load_seed(tmp_path / f"{stem}.txt"))
    assert [locate(s, "leave Iraq", Location("m.yaml")).source for s in seeds] == ["first", "reprint"]
