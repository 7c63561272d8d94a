"""The harness the `oirld draft` tests share: a sentence under test written as an article with its publication record,
drafted against the repository's ontology and registry (the ``world`` fixture of conftest.py, or a registry a test
changed) and, when it drafts anything, compiled as a build would compile its mapping. One place, so that every rule's
tests read an article the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from oirld.claims import Claim
from oirld.draft import Draft, draft_seed
from oirld.mapping import compile_mappings
from oirld.registry import Registry
from oirld.seeds import Seed, load_seed

from .conftest import ROOT

__all__ = ["FIXTURES", "META", "MISSION_DATE", "compile_other", "draft_project", "draft_text", "drafted_facts", "of", "snapshot",
           "write_seed"]

#: test articles for the command end to end: wire copy with a dateline, a Kurdish outlet's spellings, one off topic
FIXTURES = ROOT / "tests" / "fixtures" / "draft"

#: the publication record of an article under test: a title, a language and a date, nothing else known
META = """title: {{value: T, determined_by: stated-in-text, evidence: first line}}
publisher: {{value: null, determined_by: unknown}}
authors: {{value: null, determined_by: unknown}}
language: {{value: {lang}, determined_by: stated-in-text, evidence: read}}
date_published: {{value: "{date}", determined_by: inferred, evidence: test}}
url: {{value: null, determined_by: unknown}}
"""
#: the date the mission rules' articles carry: their "next year" and "by 2026" read against it
MISSION_DATE = "2024-10-02"


def write_seed(folder: Path, text: str, date: str = "2024-09-27", lang: str = "en") -> Seed:
    """``folder/t.txt`` and its record: relative dates ("on Friday") resolve against ``date``."""
    (folder / "t.txt").write_text(text, encoding="utf-8")
    (folder / "t.meta.yaml").write_text(META.format(date=date, lang=lang), encoding="utf-8")
    return load_seed(folder / "t.txt")


def draft_text(tmp_path: Path, world, text: str, *, registry: Registry | None = None, corpus: list[Claim] | None = None,
                  date: str = "2024-09-27", lang: str = "en", compile: bool = True) -> tuple[Draft, list[dict], list[Claim]]:
    """The draft of ``text``, its drafted rows, and (``compile``) the claims its mapping compiles to, without the
    ``writtenAs`` spellings: what a reviewer reads, and what the build would publish."""
    seed = write_seed(tmp_path, text, date=date, lang=lang)
    draft = draft_seed(seed, world[0], registry or world[1], "mappings/t.yaml", corpus)
    rows = yaml.safe_load(draft.text)["claims"] or []
    compiled: list[Claim] = []
    if rows and compile:
        folder = tmp_path / "m"
        folder.mkdir()
        (folder / "t.yaml").write_text(draft.text, encoding="utf-8")
        compiled = compile_mappings(folder, [seed], world[0], draft.registry)[0]
    return draft, rows, [c for c in compiled if c.prop != "writtenAs"]


def drafted_facts(tmp_path: Path, world, text: str, corpus: list[Claim] | None = None,
                  date: str = "2024-09-27") -> tuple[Draft, set[tuple[str, str, str | None]]]:
    """The draft and its rows as (about, property, value), uncompiled: what the rules read, compared as sets."""
    draft, rows, _ = draft_text(tmp_path, world, text, corpus=corpus or [], date=date, compile=False)
    return draft, {(c["about"], c["property"], c.get("value")) for c in rows}


def compile_other(tmp_path: Path, world, text: str, claims_yaml: str) -> list[Claim]:
    """The claims of one other article, compiled as a build would (the drafted article joins them as its corpus)."""
    other = tmp_path / "other"
    other.mkdir()
    seed = write_seed(other, text)
    (other / "m").mkdir()
    (other / "m" / "t.yaml").write_text(f"source: t\nclaims:\n{claims_yaml}", encoding="utf-8")
    return compile_mappings(other / "m", [seed], world[0], world[1])[0]


def draft_project(dest: Path, *names: str) -> Path:
    """A project with the repository's ontology and shapes, no mapping, and these articles of :data:`FIXTURES` as
    its seeds: what `oirld draft` meets on a maintainer's machine."""
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, dest / folder)
    (dest / "seeds").mkdir(parents=True)
    (dest / "mappings").mkdir()
    for name in names:
        for suffix in (".txt", ".meta.yaml"):
            shutil.copy(FIXTURES / f"{name}{suffix}", dest / "seeds" / f"{name}{suffix}")
    return dest


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file a draft could write (seeds, mappings, the registry), to show a refused one wrote nothing."""
    return {str(p.relative_to(home)): p.read_bytes() for folder in ("seeds", "mappings", "ontology")
            for p in sorted((home / folder).rglob("*")) if p.is_file()}


def of(claims: list[Claim], prop: str) -> list[Claim]:
    return [c for c in claims if c.prop == prop]
