"""Mapping scripts: the claims one article makes, each with the words that support it.

A mapping is a YAML document, ``mappings/<seed name>.yaml``::

    source: 000_7eb36323e1462389
    claims:
      - about: Operation Inherent Resolve        # a registry key or any name of an entity
        property: endDate                        # a claim property of the ontology
        value: by 2026                           # words of the quote, read by the property's range
        quote: the decision will close the task force by 2026
        qualifiers: {accordingTo: the defense official}

The author names the claim and the quote; this module does the rest: it finds the quote in the text (an absent or
ambiguous quote is an error), reads times and quantities from the quoted words, resolves relative time against the
publication date, resolves names to registry entities, and records how the article spells each name it resolves.
Every problem names the mapping file and line; all problems of a run are reported together.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .claims import Claim, Evidence, Value
from .errors import DataError, DataProblems, Location
from .namespaces import OIRL
from .ontology import Ontology, PropertyInfo, range_of
from .provenance import Anchor, locate, locate_within
from .quantities import QuantityParseError, parse_quantity
from .registry import Registry
from .seeds import Seed
from .timeexpr import TimeParseError, TimeValue, parse_time
from .yamlio import line_of, load_yaml, not_single

__all__ = ["MappingProblems", "compile_mappings", "compile_mapping_file", "compile_claim", "compile_line", "CLAIM_KEYS", "PUBLISHED"]

CLAIM_KEYS = {
    "about": "the subject: a registry key or a name of an entity",
    "property": "a claim property of the ontology (oirl:ClaimProperty)",
    "value": "the value: words of the quote (times, quantities, text) or an entity's name",
    "quote": "the exact words of the article that support the claim",
    "occurrence": "which occurrence of the quote is meant, when it occurs more than once (1 = first)",
    "qualifiers": "a mapping of qualifier property -> value (asOf, location, accordingTo, during, victim, statementKind)",
    "mentions": "other entities the quote names that the claim is about or that qualify it, where no qualifier fits (a list)",
    "incidental": "entities the quote names that the claim is not about, so 'oirld audit' stops reporting them (a list)",
    "anchor": "for 'two years later' and the like: words of the quote giving the time counted from",
    "direction": "future or past: how to resolve a bare month ('in September')",
    "unit": "what a number counts when the words leave it out ('over 3,000' -> troops)",
    "rank": "preferred or deprecated (default normal); needs 'reason'",
    "reason": "why the claim is ranked preferred or deprecated",
    "note": "a remark for reviewers of the mapping; not published",
    "draft": "true when a machine drafted the claim and no person has reviewed it yet; removing it is the review",
    "confidence": "how sure the drafting rule was, a number from 0 to 1 (drafted claims only)",
    "rule": "the name of the drafting rule that made the claim (drafted claims only)",
}
#: a qualifier time that is the article's publication date, for present-tense statements ("which has 2,500 troops")
PUBLISHED = "@published"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3}
_STATEMENT_KINDS = {"direct": "DirectQuote", "paraphrase": "Paraphrase"}


class MappingProblems(DataProblems):
    """Several problems in the mappings at once; ``problems`` lists each as a DataError."""

    def __init__(self, problems: list[DataError]) -> None:
        super().__init__(problems, "the mappings")


@dataclass
class _Ctx:
    seed: Seed
    path: Path
    ontology: Ontology
    registry: Registry
    display: str


def compile_mappings(folder: Path, seeds: list[Seed], ontology: Ontology, registry: Registry,
                     display_root: Path | None = None) -> tuple[list[Claim], list[Path], list[str]]:
    """Compile every mapping; returns the claims, the mapping files used, and warnings (seeds with no mapping)."""
    if not folder.is_dir():
        raise DataError("no mappings folder", Location(folder), "mapping scripts live in mappings/<seed>.yaml")
    by_stem = {s.stem: s for s in seeds}
    claims: list[Claim] = []
    problems: list[DataError] = []
    used: list[Path] = []
    for path in sorted(folder.glob("*.yaml")):
        got, ok, errs = compile_mapping_file(path, by_stem, ontology, registry, display_root)
        claims.extend(got)
        problems.extend(errs)
        if ok:
            used.append(path)
    if problems:
        raise MappingProblems(problems)
    warnings = [f"seed {s.stem} has no mapping (mappings/{s.stem}.yaml); it contributes no claims"
                for s in seeds if s.stem not in {p.stem for p in used}]
    return claims, used, warnings


def compile_line(item: dict[str, Any], seed: Seed, ontology: Ontology, registry: Registry, display: str) -> list[Claim]:
    """One claim of a mapping of ``seed``, compiled on its own exactly as a build compiles it: the claim and the
    spellings it records, or the DataError the build would give (``display`` names the file in messages). This is
    how ``oirld draft`` checks each claim before writing it."""
    return compile_claim(item, _Ctx(seed, Path(display), ontology, registry, display))


def compile_mapping_file(path: Path, by_stem: dict[str, Seed], ontology: Ontology, registry: Registry,
                         display_root: Path | None = None, known: set[str] | None = None) -> tuple[list[Claim], bool, list[DataError]]:
    """One mapping file: its claims, whether it names its seed (so it is used), and its problems. ``known`` is every
    seed's name when ``by_stem`` holds only some (a build's worker compiles one article)."""
    display = _display(path, display_root)
    known = set(by_stem) if known is None else known
    try:
        doc = load_yaml(path)
        if not isinstance(doc, dict) or "source" not in doc or not isinstance(doc.get("claims"), list):
            raise DataError("a mapping needs 'source: <seed name>' and a 'claims:' list", Location(display, 1),
                            "see the README section 'Writing a mapping'")
        stem = str(doc["source"])
        if stem not in known:
            raise DataError(f"source {stem!r} is not a seed", Location(display, line_of(doc, "source")),
                            f"known seeds: {', '.join(sorted(known))}")
        if path.stem != stem or stem not in by_stem:
            raise DataError(f"mapping file for {stem!r} must be named {stem}.yaml", Location(display, line_of(doc, "source")))
    except DataError as exc:
        return [], False, [exc]
    claims: list[Claim] = []
    problems: list[DataError] = []
    ctx = _Ctx(by_stem[stem], path, ontology, registry, display)
    for item in doc["claims"]:
        try:
            claims.extend(compile_claim(item, ctx))
        except DataError as exc:
            problems.append(exc)
    return claims, True, problems


def _display(path: Path, root: Path | None) -> str:
    try:
        return str(path.relative_to(root)) if root else str(path)
    except ValueError:
        return str(path)


def compile_claim(item: Any, ctx: _Ctx) -> list[Claim]:
    where = Location(ctx.display, line_of(item))
    if not isinstance(item, dict):
        raise DataError("each claim must be a mapping with about/property/quote", where)
    unknown = [k for k in item if k not in CLAIM_KEYS and not k.startswith("__")]
    if unknown:
        k = unknown[0]
        close = difflib.get_close_matches(k, list(CLAIM_KEYS), n=1)
        raise DataError(f"unknown key {k!r} in a claim", Location(ctx.display, line_of(item, k)),
                        (f"did you mean {close[0]!r}? " if close else "") + f"allowed keys: {', '.join(CLAIM_KEYS)}")
    bad = not_single(item, [k for k in CLAIM_KEYS if k not in ("qualifiers", "occurrence", "mentions", "incidental")])
    if bad:
        raise DataError(f"{bad!r} must be one value, not a {'list' if isinstance(item[bad], list) else 'mapping'}",
                        Location(ctx.display, line_of(item, bad)), f"{bad}: {CLAIM_KEYS[bad]}")
    if item.get("direction") not in (None, "future", "past"):
        raise DataError("direction must be 'future' or 'past'", Location(ctx.display, line_of(item, "direction")))
    for k in ("about", "property", "quote"):
        if not item.get(k):
            raise DataError(f"claim has no {k!r}", where, f"{k}: {CLAIM_KEYS[k]}")
    prop = ctx.ontology.claim_property(str(item["property"]))
    if prop is None:
        names = [n for n, p in ctx.ontology.properties.items() if p.claim]
        close = difflib.get_close_matches(str(item["property"]), names, n=3)
        raise DataError(f"unknown claim property {item['property']!r}", Location(ctx.display, line_of(item, "property")),
                        f"did you mean {', '.join(close)}?" if close else f"claim properties: {', '.join(sorted(names))}")
    occurrence = item.get("occurrence")
    if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool)):
        raise DataError("occurrence must be a whole number (1 = first)", Location(ctx.display, line_of(item, "occurrence")))
    quote = locate(ctx.seed, str(item["quote"]), Location(ctx.display, line_of(item, "quote")), occurrence)
    names: list[tuple[str, str]] = []  # (entity key, words as the mapping wrote them)

    subject = ctx.registry.resolve(str(item["about"]), Location(ctx.display, line_of(item, "about")))
    if ctx.registry.is_alias_text(str(item["about"])):
        names.append((subject.key, str(item["about"])))

    anchor_time = None
    if item.get("anchor") is not None:
        anchor_time = _time(str(item["anchor"]), item, ctx, quote, "anchor", None)
    value = _value(prop, item, ctx, quote, names, anchor_time)

    qualifiers: list[tuple[str, Value]] = []
    raw_q = item.get("qualifiers") or {}
    if not isinstance(raw_q, dict):
        raise DataError("qualifiers must be a mapping, e.g. {asOf: now, location: Iraq}", Location(ctx.display, line_of(item, "qualifiers")))
    for qname, qraw in raw_q.items():
        if qname.startswith("__"):
            continue
        qwhere = Location(ctx.display, line_of(raw_q, qname))
        if isinstance(qraw, (dict, list)) or qraw is None:
            raise DataError(f"qualifier {qname!r} needs one value (words of the quote or a name)", qwhere)
        qinfo = ctx.ontology.qualifier(qname)
        if qinfo is None:
            names_q = sorted(n for n, p in ctx.ontology.properties.items() if p.qualifier)
            raise DataError(f"unknown qualifier {qname!r}", qwhere, f"qualifiers: {', '.join(names_q)}")
        qualifiers.append((qname, _qualifier_value(qinfo, str(qraw), ctx, quote, qwhere, names, item)))
    if prop.name == "said" and not any(q == "statementKind" for q, _ in qualifiers):
        raise DataError("a 'said' claim needs qualifiers: {statementKind: direct} or {statementKind: paraphrase}", where)
    qualifiers.sort(key=lambda qv: (qv[0], str(qv[1].key)))

    rank = str(item.get("rank") or "normal")
    if rank not in ("preferred", "normal", "deprecated"):
        raise DataError(f"rank {rank!r} is not preferred, normal or deprecated", Location(ctx.display, line_of(item, "rank")))
    reason = item.get("reason")
    if rank != "normal" and not reason:
        raise DataError(f"a {rank} rank needs a 'reason'", Location(ctx.display, line_of(item, "rank")),
                        "say why, in words a reader of the data will understand")
    draft, confidence, rule = _draft_keys(item, ctx)
    mentions = _entity_list(item, "mentions", ctx, subject.key, value, qualifiers, names)
    incidental = _entity_list(item, "incidental", ctx, subject.key, value, qualifiers, [],
                              {k: "mention" for k in mentions})
    evidence = Evidence(quote, ctx.display, line_of(item) or 0, draft, confidence, rule, incidental)
    wording = value.time.text if value.time else value.quantity.text if value.quantity else None
    claim = Claim(subject.key, prop.name, value, tuple(qualifiers), rank, str(reason) if reason else None, [evidence],
                  {ctx.seed.stem: wording} if wording else {}, mentions)
    out = [claim]
    for key, words in dict.fromkeys(names):
        if not _is_proper_name(words):
            continue
        try:
            spot = locate_within(ctx.seed, quote, words, where, "name")
        except DataError:
            continue  # the name is not in the quote (a pronoun, a description): nothing to record
        out.append(Claim(key, "writtenAs", Value("text", text=spot.exact), (), "normal", None,
                         [Evidence(spot, ctx.display, line_of(item) or 0, draft, confidence, rule)]))
    return out


def _entity_list(item: dict[str, Any], key: str, ctx: _Ctx, subject: str, value: Value, qualifiers: list[tuple[str, Value]],
                 names: list[tuple[str, str]], also: dict[str, str] | None = None) -> tuple[str, ...]:
    """``mentions:`` or ``incidental:``, resolved. An entity the claim links already (subject, value, a qualifier, a
    mention) or twice is refused: it says nothing, and usually means the wrong name was typed."""
    raw = item.get(key)
    if raw is None:
        return ()
    where = Location(ctx.display, line_of(item, key) or line_of(item))
    words = [raw] if isinstance(raw, (str, int, float)) and not isinstance(raw, bool) else raw
    if not isinstance(words, list) or not words or any(isinstance(w, (dict, list)) or w is None or isinstance(w, bool) for w in words):
        raise DataError(f"{key} must be a list of entity names or keys, e.g. {key}: [CENTCOM, United Kingdom]", where,
                        f"{key}: {CLAIM_KEYS[key]}")
    linked = {subject: "subject", **({value.entity: "value"} if value.kind == "entity" and value.entity else {}),
              **{v.entity: f"qualifier {q}" for q, v in qualifiers if v.kind == "entity" and v.entity}, **(also or {})}
    out: list[str] = []
    for w in map(str, words):
        ent = ctx.registry.resolve(w, where)
        if ent.key in linked:
            raise DataError(f"{key} {w!r}, which the claim already links as its {linked[ent.key]}", where,
                            f"drop it from {key}: it is for an entity the claim does not link otherwise")
        if ent.key in out:
            raise DataError(f"{key} {w!r} twice", where, "name each entity once")
        if key == "mentions":
            _check_mentionable(ctx.ontology, ent, where)
        if ctx.registry.is_alias_text(w):
            names.append((ent.key, w))
        out.append(ent.key)
    return tuple(out)


def _check_mentionable(ontology: Ontology, ent: Any, where: Location) -> None:
    """``oirl:mentions``' range (actors, events, places), checked on the line as a value's range is."""
    names, closure = range_of(ontology, OIRL.mentions)
    if closure and not set(ent.types) & closure:
        raise DataError(f"{ent.key!r} is a {' and '.join(ent.types)}, but a claim mentions only things of the classes {', '.join(names)}", where,
                        "mention the actor, event or place the words name")


def _draft_keys(item: dict[str, Any], ctx: _Ctx) -> tuple[bool, float | None, str | None]:
    """``draft``, ``confidence`` and ``rule``, checked on every line; only a drafted line carries them on, so deleting
    ``draft: true`` alone is a complete review."""
    draft = item.get("draft", False)
    if not isinstance(draft, bool):
        raise DataError(f"draft must be true or false, not {draft!r}", Location(ctx.display, line_of(item, "draft")),
                        "write 'draft: true' on a machine-drafted claim; delete the line once a person has checked it")
    confidence = item.get("confidence")
    if confidence is not None:
        where = Location(ctx.display, line_of(item, "confidence"))
        if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
            raise DataError(f"confidence must be a number from 0 to 1, not {confidence!r}", where)
        confidence = float(confidence)
    rule = item.get("rule")
    if rule is not None and (not isinstance(rule, str) or not rule.strip()):
        raise DataError(f"rule must be the name of a drafting rule, not {rule!r}", Location(ctx.display, line_of(item, "rule")))
    if not draft:
        return False, None, None  # reviewed: what a machine once thought of the line no longer describes it
    return draft, confidence, rule.strip() if isinstance(rule, str) else None


def _is_proper_name(words: str) -> bool:
    """A name worth recording as written: some capital after any leading article ("the U.S. State Department",
    "Hareer base"), not a description ("the task force", "The coalition")."""
    rest = re.sub(r"^(?:the|a|an)\s+", "", words.strip(), flags=re.IGNORECASE)
    return any(ch.isupper() for ch in rest)


def _value(prop: PropertyInfo, item: dict[str, Any], ctx: _Ctx, quote: Anchor, names: list[tuple[str, str]],
           anchor_time: TimeValue | None) -> Value:
    raw = item.get("value")
    vwhere = Location(ctx.display, line_of(item, "value") or line_of(item))
    if prop.kind == "text":
        words = quote.exact if raw is None else str(raw)
        spot = locate_within(ctx.seed, quote, words, vwhere, "value") if raw is not None else quote
        return Value("text", text=spot.exact)
    if raw is None:
        raise DataError(f"claim on {prop.name!r} has no value", vwhere, f"value: {CLAIM_KEYS['value']}")
    words = str(raw)
    if prop.kind == "entity":
        ent = ctx.registry.resolve(words, vwhere)
        _check_range(prop, ent, vwhere)
        if ctx.registry.is_alias_text(words):
            names.append((ent.key, words))
        return Value("entity", entity=ent.key)
    locate_within(ctx.seed, quote, words, vwhere, "value")
    if prop.kind == "time":
        return Value("time", time=_time(words, item, ctx, quote, "value", anchor_time))
    if prop.kind == "quantity":
        try:
            unit = item.get("unit")
            return Value("quantity", quantity=parse_quantity(words, None if unit is None else str(unit)))
        except QuantityParseError as exc:
            raise DataError(str(exc), vwhere, "quote the number with what it counts, or add 'unit:'") from None
    if prop.kind == "integer":
        # ASCII digits only: str.isdigit() is also true of "²", which int() refuses; 18 digits fit any count
        n = _ORDINALS.get(words.lower()) or (int(words) if words.isascii() and words.isdigit() and len(words) <= 18 else None)
        if n is None:
            raise DataError(f"cannot read a whole number in {words!r}", vwhere, "use digits or first/second/third")
        return Value("integer", number=n)
    raise DataError(f"property {prop.name!r} has a range the build cannot read", vwhere)


def _time(words: str, item: dict[str, Any], ctx: _Ctx, quote: Anchor, key: str, anchor_time: TimeValue | None) -> TimeValue:
    where = Location(ctx.display, line_of(item, key) or line_of(item))
    if words != PUBLISHED:
        locate_within(ctx.seed, quote, words, where, key)
    direction = item.get("direction")
    if direction not in (None, "future", "past"):
        raise DataError("direction must be 'future' or 'past'", Location(ctx.display, line_of(item, "direction")))
    try:
        if words == PUBLISHED:
            return parse_time("now", ctx.seed.reference)
        return parse_time(words, ctx.seed.reference, anchor=anchor_time, direction=direction)
    except TimeParseError as exc:
        raise DataError(str(exc), where, "quote words that state the time, or see the README section 'Times'") from None


def _qualifier_value(info: PropertyInfo, raw: str, ctx: _Ctx, quote: Anchor, where: Location,
                     names: list[tuple[str, str]], item: dict[str, Any]) -> Value:
    if info.kind == "time":
        if raw != PUBLISHED:
            locate_within(ctx.seed, quote, raw, where, "qualifier time")
        try:
            return Value("time", time=parse_time("now" if raw == PUBLISHED else raw, ctx.seed.reference,
                                                 direction=item.get("direction")))
        except TimeParseError as exc:
            raise DataError(str(exc), where) from None
    if info.kind == "concept":
        if raw not in _STATEMENT_KINDS:
            raise DataError(f"statementKind {raw!r} is not 'direct' or 'paraphrase'", where)
        return Value("concept", entity=_STATEMENT_KINDS[raw])
    ent = ctx.registry.resolve(raw, where)
    _check_range(info, ent, where)
    if ctx.registry.is_alias_text(raw):
        names.append((ent.key, raw))
    return Value("entity", entity=ent.key)


def _check_range(prop: PropertyInfo, ent: Any, where: Location) -> None:
    """The ontology's range, enforced where the mistake is made: a base "located in" a person fails here, with the
    mapping's line, instead of reaching the published data."""
    if prop.range_classes and not set(ent.types) & prop.range_classes:
        raise DataError(f"{ent.key!r} is a {' and '.join(ent.types)}, but {prop.name!r} takes a {' or '.join(prop.range_names)}", where,
                        "pick the entity the words name, or another property; an entity's types are in ontology/registry/")
