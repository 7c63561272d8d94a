"""Names a claim's quote holds that the claim does not link: the audit behind ``oirld audit`` and the build's count.

A claim links the entities it is about as its subject, its value, a qualifier or a mention (``oirl:mentions``).
When its quoted words name another registry entity, either the claim drops something its sentence says ("40,000
U.S. personnel in Central Command" with no link to the command) or the name is incidental to it. Only a person can
tell which, so these are warnings, never errors: each names the mapping line to look at.

Names are found as ``oirld draft`` finds them (:class:`oirld.draft.names.NameIndex`: the registry's names, then the
reconciler's transliteration folding), so the audit and the drafter agree on what a sentence names. Descriptions
("the coalition", "the task force") are left out: they name a thing only by context, and a claim's subject is often
given by one.

A name is not reported when another claim already ties its entity to one this claim links (the date of a meeting
whose quote names the two leaders, when claims say they took part): the graph holds that link, and repeating it on
every claim of the sentence would say nothing new. Nor is one the mapping line calls ``incidental:`` (a person read
it and judged the claim is not about it).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from .claims import Claim, merge_claims
from .config import Config
from .errors import RunError
from .mapping import compile_mappings
from .ontology import load_ontology
from .registry import Registry, load_registry
from .seeds import Seed, load_seeds

__all__ = ["Named", "Unlinked", "audit", "find_unlinked", "linked_keys", "named_in", "names_in_quotes", "summary", "ties",
           "tied_to"]

#: how many places a build's warning line names before it points to ``oirld audit``
SHOWN = 10


@dataclass(frozen=True)
class Unlinked:
    """One registry entity named in a claim's quote and linked by no part of the claim."""

    file: str
    line: int
    source: str
    claim: str       # subject · property · value, as keys, for the reader to find the line
    entity: str
    label: str
    words: str       # the name as the article writes it
    start: int
    end: int
    quote: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "where": self.where}


def linked_keys(subject: str, values: Iterable[Any], mentions: Iterable[str] = ()) -> set[str]:
    """The entities a claim links: its subject, the entity values (value and qualifiers) and its mentions."""
    return {subject, *(v.entity for v in values if v.kind == "entity" and v.entity), *mentions}


def named_in(index: Any, text: str, start: int, end: int) -> list[Any]:
    """The registry names (not descriptions) in ``text[start:end]``, as :class:`oirld.draft.names.Mention`\\ s;
    ``index`` is a :class:`~oirld.draft.names.NameIndex`."""
    return [m for m in index.mentions(text, start, end) if not m.generic and m.how != "new"]


#: the names in one passage: (entity, the words, start, end), offsets into the article's text
Named = tuple[tuple[str, str, int, int], ...]


def names_in_quotes(claims: list[Claim], seeds: list[Seed], registry: Registry) -> dict[tuple[str, int, int], Named]:
    """The registry names in every passage of ``claims`` (keyed by source, start, end): the part of the audit that
    depends on one article alone, so a build computes it per article, in parallel, and caches it."""
    index = _index_for(registry)
    texts = {s.stem: s.text for s in seeds}
    # what the matcher finds depends on the quote's words alone: found once per wording (reprints repeat them)
    by_words: dict[str, Named] = {}
    out: dict[tuple[str, int, int], Named] = {}
    for c in claims:
        if c.prop == "writtenAs":
            continue
        for ev in c.evidence:
            a = ev.anchor
            spot = (a.source, a.start, a.end)
            if spot in out or a.source not in texts:
                continue
            words = texts[a.source][a.start:a.end]
            if words not in by_words:
                by_words[words] = tuple((m.key, m.text, m.start, m.end) for m in named_in(index, words, 0, len(words)))
            out[spot] = tuple((k, w, a.start + s, a.start + e) for k, w, s, e in by_words[words])
    return out


def find_unlinked(claims: list[Claim], seeds: list[Seed], registry: Registry,
                  named: dict[tuple[str, int, int], Named] | None = None) -> list[Unlinked]:
    """Every (mapping line, entity) where the line's quote names the entity and the claim does not link it, in
    file and line order. ``writtenAs`` claims are left out: their quote is the name of their subject. ``named`` is
    :func:`names_in_quotes` of the claims when the caller has it (the build's articles bring theirs)."""
    named = dict(named or {})
    missing = [c for c in claims if c.prop != "writtenAs" and any((e.anchor.source, e.anchor.start, e.anchor.end) not in named
                                                                  for e in c.evidence)]
    named.update(names_in_quotes(missing, seeds, registry))
    tied = ties(claims)
    out: dict[tuple[str, int, str], Unlinked] = {}
    for c in claims:
        if c.prop == "writtenAs":
            continue
        linked = linked_keys(c.subject, (c.value, *(v for _, v in c.qualifiers)), c.mentions)
        # through the subject, the value and the mentions; not through qualifiers: a place or a source qualifies
        # many claims, and what it is tied to is not what this claim is about
        linked |= tied_to(tied, linked_keys(c.subject, (c.value,), c.mentions))
        label = f"{c.subject} · {c.prop} · {c.value.label() if c.value.kind != 'entity' else c.value.entity}"
        for ev in c.evidence:
            a = ev.anchor
            for key, name, start, end in named.get((a.source, a.start, a.end), ()):
                if key in linked or key in ev.incidental or key not in registry.entities:
                    continue
                out.setdefault((ev.mapping_file, ev.line, key), Unlinked(
                    ev.mapping_file, ev.line, a.source, label[:160], key, registry.entities[key].label, name,
                    start, end, a.exact))
    return sorted(out.values(), key=lambda u: (u.file, u.line, u.start, u.entity))


#: one matcher per registry (a build's worker process compiles many articles against one)
_INDEXES: list[tuple[Registry, Any]] = []


def _index_for(registry: Registry) -> Any:
    for reg, index in _INDEXES:
        if reg is registry:
            return index
    _INDEXES[:] = [(registry, _index(registry))]
    return _INDEXES[0][1]


def _index(registry: Registry) -> Any:
    """The drafter's matcher (:class:`~oirld.draft.names.NameIndex`), made fast for the audit of many quotes without
    changing what it finds. It tries every run of up to nine words at every word of a quote, and each try normalises
    and folds the words (about 0.1 ms): a quote cost milliseconds. Two shortcuts, both exact: a try is remembered
    (the quotes of one sentence overlap, so the same words come again), and a run holding a word that no registry
    name holds once folded is no name (a name matches only when its folded words are the run's, and a loaded word
    such as "so-called" is dropped before a second try, so it counts as held)."""
    from .draft.names import NameIndex  # imported here so loading the build stays light
    from .web.reconcile.transliterate import fold

    vocabulary = {w for ent in registry.entities.values() for name in ent.names() for w in fold(name).split()}
    vocabulary |= set(fold("so-called occupation occupying Takfiri al el ul the").split())
    known: dict[str, bool] = {}

    def held(token: str) -> bool:
        if token not in known:
            bare = re.sub(r"(?:'s|’s|'|’)$", "", token)  # the matcher drops a final possessive
            known[token] = set(fold(token).split()) <= vocabulary or set(fold(bare).split()) <= vocabulary
        return known[token]

    class _Fast(NameIndex):
        def lookup(self, words: str) -> tuple[str, str, bool] | None:
            if words not in seen:
                seen[words] = super().lookup(words) if all(held(t) for t in words.split()) else None
            return seen[words]

    seen: dict[str, tuple[str, str, bool] | None] = {}
    return _Fast(registry)


def ties(claims: list[Claim]) -> dict[str, set[str]]:
    """Each entity with the entities claims link it to, either way (subject to value, qualifier and mention)."""
    out: dict[str, set[str]] = {}
    for c in claims:
        if c.prop == "writtenAs":
            continue
        others = linked_keys(c.subject, (c.value, *(v for _, v in c.qualifiers)), c.mentions) - {c.subject}
        out.setdefault(c.subject, set()).update(others)
        for o in others:
            out.setdefault(o, set()).add(c.subject)
    return out


def tied_to(tied: dict[str, set[str]], keys: set[str]) -> set[str]:
    """The entities other claims tie to any of ``keys`` (the entities a claim links)."""
    return set().union(*(tied.get(k, set()) for k in keys)) if keys else set()


def summary(found: list[Unlinked]) -> str | None:
    """The build's one warning line: how many, and where the first ones are; None when there are none."""
    if not found:
        return None
    shown = ", ".join(f"{u.where} {u.entity}" for u in found[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return (f"{len(found)} name(s) in claims' quotes are linked by no subject, value, qualifier or mention: {shown}{more}; "
            "'oirld audit' lists them; link each the claim is about (a qualifier or 'mentions:'), leave incidental ones")


def audit(config: Config, name: str | None = None) -> list[Unlinked]:
    """``oirld audit``: compile the mappings as a build does (a mapping error stops it, as it stops a build) and
    list the unlinked names of every article, or of article ``name`` (judged against the whole corpus's claims)."""
    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry = load_registry(config.ontology_dir / "registry", ontology.classes)
    seeds = load_seeds(config.seeds_dir)
    if name is not None and name not in {s.stem for s in seeds}:
        raise RunError(f"no seed named {name!r} in {config.seeds_dir}", hint="oirld audit without a name audits every article")
    raw = compile_mappings(config.mappings_dir, seeds, ontology, registry, config.home)[0]
    found = find_unlinked(merge_claims(raw), seeds, registry)
    return [u for u in found if name is None or u.source == name]
