"""The draft as a mapping file: claims the compiler accepted, and comments for everything it would not.

Every candidate is compiled on its own, with the engine's mapping compiler and a registry that already holds the new
entities, before it is written; one that fails (a quote that is not unique, a value the parsers read otherwise, an
entity outside the property's range) becomes a commented suggestion with the compiler's message. The output is
ordered by position in the article, so the reviewer reads the draft beside the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ..claims import Claim
from ..errors import DataError, Location
from ..mapping import compile_line  # drafts are checked exactly as builds are
from ..ontology import Ontology
from ..provenance import locate
from ..registry import Registry, normalize_name
from ..seeds import Seed
from ..unlinked import linked_keys, named_in, tied_to, ties
from .context import Candidate, Suggestion

__all__ = ["Checked", "check", "render", "with_mentions", "without_phaseless", "yaml_lines", "THRESHOLD"]

#: below this confidence a candidate is written as a commented suggestion, not as a claim
THRESHOLD = 0.6


@dataclass(frozen=True)
class Checked:
    claims: list[tuple[Candidate, dict[str, Any], Claim]]
    commented: list[tuple[int, list[str]]]   # (offset, comment lines)


def _item(c: Candidate, seed: Seed, display: str) -> dict[str, Any]:
    quote = seed.text[c.start:c.end]
    item: dict[str, Any] = {"about": c.about, "property": c.property}
    if c.value is not None:
        item["value"] = c.value
    item["quote"] = quote
    try:
        locate(seed, quote, Location(display))
    except DataError:
        for n in range(1, seed.text.count(quote) + 2):
            try:
                if locate(seed, quote, Location(display), n).start == c.start:
                    item["occurrence"] = n
                    break
            except DataError:
                break
    if c.qualifiers:
        item["qualifiers"] = dict(c.qualifiers)
    for k, v in c.extra:
        if k == "direction" and c.property not in ("startDate", "endDate", "date") and not any(q == "asOf" for q, _ in c.qualifiers):
            continue
        item[k] = v
    item.update({"draft": True, "confidence": round(c.confidence, 2), "rule": c.rule})
    return item


def check(candidates: list[Candidate], suggestions: list[Suggestion], seed: Seed, ontology: Ontology,
          registry: Registry, display: str) -> Checked:
    kept: list[tuple[Candidate, dict[str, Any], Claim]] = []
    commented: list[tuple[int, list[str]]] = []
    seen: dict[tuple[Any, ...], list[tuple[int, int, str]]] = {}
    known = _names(registry)
    for c in sorted(candidates, key=lambda c: (c.start, c.end, c.property, c.about, str(c.value))):
        item = _item(c, seed, display)
        if c.confidence < THRESHOLD:
            commented.append((c.start, [f"suggestion (confidence {c.confidence:.2f}, {c.rule}): not sure enough to claim",
                                        *yaml_lines(item)]))
            continue
        try:
            compiled = compile_line({**item, "__line__": 0, "__lines__": {}}, seed, ontology, registry, display)
        except DataError as exc:
            commented.append((c.start, [f"suggestion ({c.rule}), the compiler refused it: {exc.what}", *yaml_lines(item)]))
            continue
        main = compiled[0]
        # a claim the article states again in other words gets that quote too (the curated mappings keep each
        # passage as evidence); the same words again, or a name alone ("Iran-backed militias"), are no new statement
        ident = (main.subject, main.prop, main.value.key, main.qualifiers)
        quote = " ".join(seed.text[c.start:c.end].split())
        if ident in seen and (normalize_name(quote) in known
                              or any(c.start < e and s < c.end or q == quote for s, e, q in seen[ident])):
            continue
        seen.setdefault(ident, []).append((c.start, c.end, quote))
        kept.append((c, item, main))
    for s in sorted(suggestions, key=lambda s: (s.start, s.reason)):
        sentence = " ".join(seed.text[s.start:s.end].split())
        commented.append((s.start, [f"suggestion, line {seed.line_at(s.start)}: {s.reason}", f"  {sentence!r}"]))
    return Checked(kept, commented)


def _names(registry: Registry) -> frozenset[str]:
    """Every name of the registry, as names are compared."""
    return frozenset(normalize_name(n) for e in registry.entities.values() for n in e.names())


def _scalar(v: Any) -> str:
    out = yaml.safe_dump(v, allow_unicode=True, width=100000, default_flow_style=True).strip()
    return out[:-3].strip() if out.endswith("...") else out


def yaml_lines(item: dict[str, Any]) -> list[str]:
    lines = []
    for i, (k, v) in enumerate(item.items()):
        lead = "- " if i == 0 else "  "
        if isinstance(v, dict):
            lines.append(f"{lead}{k}:")
            lines.extend(f"    {qk}: {_scalar(qv)}" for qk, qv in v.items())
        else:
            lines.append(f"{lead}{k}: {_scalar(v)}")
    return lines


def render(seed: Seed, checked: Checked, header: list[str]) -> str:
    """The mapping file's text: claims and comments in the order of the article."""
    rows: list[tuple[int, int, list[str]]] = []
    for c, item, _ in checked.claims:
        rows.append((c.start, 1, ["  " + line for line in yaml_lines(item)]))
    for off, lines in checked.commented:
        rows.append((off, 0, ["  # " + line for line in lines]))
    rows.sort(key=lambda r: (r[0], r[1]))
    out = [f"# {line}" if line else "#" for line in header]
    out += [f"source: {seed.stem}", "claims:"]
    for _, _, lines in rows:
        out.extend(lines)
    return "\n".join(out) + "\n"


def with_mentions(checked: Checked, index: Any, seed: Seed, registry: Registry, corpus: list[Claim]) -> Checked:
    """Each drafted claim mentions the registry entities its quote names that it does not link otherwise (the names
    ``oirld audit`` would report), so the reviewer sees them and deletes the incidental ones. Names of entities the
    draft adds are left out: a mention alone is no reason to create an entity. As in the audit, an entity another
    claim (of the draft or the ``corpus``) ties to the subject or value is linked already."""
    tied = ties([*corpus, *(main for _, _, main in checked.claims)])
    for c, item, main in checked.claims:
        if main.prop == "writtenAs":
            continue
        linked = linked_keys(main.subject, (main.value, *(v for _, v in main.qualifiers)))
        linked |= tied_to(tied, linked_keys(main.subject, (main.value,)))
        keys = [m.key for m in named_in(index, seed.text, c.start, c.end) if m.key not in linked and m.key in registry.entities]
        if keys:
            item.pop("draft", None)  # keep draft/confidence/rule last, where the reviewer looks for them
            tail = {k: item.pop(k) for k in ("confidence", "rule") if k in item}
            item.update({"mentions": list(dict.fromkeys(keys)), "draft": True, **tail})
    return checked


def without_phaseless(checked: Checked, corpus: list[Claim], registry: Registry) -> Checked:
    """Claims about a phase that belongs to no operation would fail the shapes (a phase needs phaseOf): unless the
    corpus or the draft says whose phase it is, they become suggestions."""
    owned = {c.subject for c in [*corpus, *(m for _, _, m in checked.claims)] if c.prop == "phaseOf"}
    kept, commented = [], list(checked.commented)
    for c, item, main in checked.claims:
        ent = registry.entities.get(main.subject)
        if ent and "Phase" in ent.types and main.subject not in owned:
            commented.append((c.start, [f"suggestion ({c.rule}): {main.subject} belongs to no operation yet; "
                                        "add a phaseOf claim, then this one", *yaml_lines(item)]))
        else:
            kept.append((c, item, main))
    return Checked(kept, commented)
