"""``oirld draft``: a first mapping of a new article, drafted by rules, for a person to review.

The rules are plain Python over the article's sentences (no model weights, nothing fetched): names come from the
registry (with reconciliation's transliteration folding), times and quantities from the engine's own parsers, and
each kind of claim the curated mappings hold has a module of rules (``military``, ``speech``). Every claim carries
``draft: true``, its ``confidence`` and the ``rule`` that made it; what no rule can read with confidence becomes a
comment for the reviewer. The draft is compiled and run through the SHACL shapes (:mod:`.shapes`) before it is
written, and nothing is written if it would not build.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..claims import Claim
from ..config import Config
from ..errors import DataError, Location, RunError
from ..mapping import MappingProblems, compile_mappings
from ..namespaces import RDFS, OIRL
from ..ontology import Ontology, load_ontology
from ..registry import Entity, NewEntry, Registry, add_entities, load_registry
from ..seeds import Seed, load_seed
from ..validation import load_shapes
from .agreements import agreement_rules
from .bylines import byline_rules
from .attacks import command_rules, event_detail_rules, group_attack_rules
from .wars import defeat_rules, invasion_rules, war_start_rules
from .campaigns import attack_rules, known_event_rules
from .conformance import without_disorder
from .context import Candidate, Context, Suggestion, prefer_body
from .descriptions import characterisation_rules
from .events import announcement_rules, founder_rules, meeting_rules, named_agreement_rules
from .military import actor_rules, basing_rules, casualty_rules, mission_rules, place_rules, troop_rules
from .mission import mission_part_rules
from .money import money_rules
from .names import NameIndex
from .parties import party_rules
from .phases import movement_rules, phase_rules
from .placenames import compound_place_rules
from .provisions import provision_rules
from .shapes import refuse_nonconforming, shape_problems
from .speech import discover_people, said_rules, title_rules
from .stances import stance_rules, stances_of_statements
from .text import split_sentences
from .backers import new_backer_rules
from .bases import unknown_place_rules
from .factions import faction_rules
from .partners import singled_out_partner_rules
from .known_as import known_as_rules
from .theatres import (bare_officials_rules, based_on_rules, doer_of_move_rules, event_place_rules, operation_end_rules,
                       phase_actor_rules, presence_place_rules, war_against_rules)
from .writer import Checked, check, render, with_mentions, without_phaseless

__all__ = ["Draft", "DraftResult", "draft_seed", "draft_article", "check_draft"]


@dataclass
class Draft:
    """A drafted mapping, not yet written: its text, the claims it holds and the entities it adds."""

    text: str
    claims: list[Candidate]
    new_entities: list[NewEntry]
    commented: int
    registry: Registry = field(repr=False)


@dataclass(frozen=True)
class DraftResult:
    path: Path
    claims: int
    commented: int
    new_entities: tuple[str, ...]
    registry_file: Path | None


def _subclasses(ontology: Ontology) -> dict[str, set[str]]:
    """Each class with all its subclasses (local names), so rules can ask for a Place and get an Airport."""
    ns = str(OIRL)
    direct: dict[str, set[str]] = {}
    for sub, sup in ontology.graph.subject_objects(RDFS.subClassOf):
        if str(sub).startswith(ns) and str(sup).startswith(ns):
            direct.setdefault(str(sup)[len(ns):], set()).add(str(sub)[len(ns):])
    out: dict[str, set[str]] = {}
    for cls in direct:
        todo, seen = list(direct[cls]), set()
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(direct.get(c, ()))
        out[cls] = seen
    return out


def draft_seed(seed: Seed, ontology: Ontology, registry: Registry, display: str, corpus: list[Claim] | None = None) -> Draft:
    """Draft the mapping of one seed against ``registry`` and the claims the other mappings make (``corpus``);
    pure (writes nothing), deterministic."""
    language = str(seed.meta["language"].value or "")
    if language and not re.match(r"en(?:-|$)", language, re.IGNORECASE):
        raise DataError(f"{seed.path.name} is declared as {language!r}; the drafting rules read English only",
                        Location(seed.meta_path), "map the article by hand (mappings/README.md)")
    index = NameIndex(registry, _subclasses(ontology))
    ctx = Context(seed, index, [s for s in split_sentences(seed.text) if not _FURNITURE.match(seed.text, _line_start(seed.text, s.start))])
    for claim in corpus or []:
        ctx.corpus.setdefault(claim.subject, []).append(claim)
    discover_people(ctx)
    candidates: list[Candidate] = []
    suggestions: list[Suggestion] = []
    for sentence in ctx.sentences:
        for rule in (said_rules, troop_rules, casualty_rules, mission_rules, money_rules):
            found, notes = rule(ctx, sentence)
            candidates += found
            suggestions += notes
        for simple in (title_rules, actor_rules, place_rules, meeting_rules, announcement_rules, phase_rules, movement_rules,
                       basing_rules, agreement_rules, attack_rules, known_event_rules, characterisation_rules,
                       mission_part_rules, compound_place_rules, party_rules, stance_rules,
                       war_start_rules, defeat_rules, invasion_rules, group_attack_rules, event_detail_rules,
                       command_rules, named_agreement_rules, founder_rules, event_place_rules, war_against_rules,
                       based_on_rules, phase_actor_rules, bare_officials_rules, doer_of_move_rules, byline_rules,
                       operation_end_rules, presence_place_rules, provision_rules,
                       unknown_place_rules, new_backer_rules, faction_rules, singled_out_partner_rules, known_as_rules):
            candidates += simple(ctx, sentence)
    candidates += stances_of_statements(ctx, candidates)
    candidates = prefer_body(index, ctx.sentences, candidates)
    # a sentence holding one claim needs no "could not read" note for the same words
    suggestions = [s for s in dict.fromkeys(suggestions)
                   if not any(c.property == s.prop and c.start < s.end and s.start < c.end for c in candidates)]
    full = _with_new(registry, index, seed)
    checked = without_phaseless(check(candidates, suggestions, seed, ontology, full, display), corpus or [], full)
    checked = without_disorder(checked, corpus or [])  # what the shapes check across claims, with the corpus
    spelled = check(_spellings(ctx, checked), [], seed, ontology, full, display)
    checked = Checked([*checked.claims, *spelled.claims], checked.commented)
    checked = with_mentions(checked, index, seed, full, corpus or [])
    used = _used_keys(checked)
    new = [replace(e, note=f"drafted from {seed.stem}", source=seed.stem) for e in index.new.values() if e.key in used]
    header = [f"Draft mapping of {seed.stem}, made by oirld draft: {len(checked.claims)} drafted claims, "
              f"{len(checked.commented)} suggestions in comments.",
              "Review each claim against the article; deleting its 'draft: true' line is the review. A commented",
              "suggestion becomes a claim when you uncomment and complete it."]
    return Draft(render(seed, checked, header), [c for c, _, _ in checked.claims], new, len(checked.commented), full)


#: lines of a page that are not the article's words: links to other articles, credits, advertising
_FURNITURE = re.compile(r"\s*(?:\W{0,3}\s*)?(?:read more|read also|also read|related|see also|more on this|watch|listen|"
                        r"advertisement|copyright|©|\(?reporting by|\(?editing by|additional reporting)\b", re.IGNORECASE)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _spellings(ctx: Context, checked: Checked) -> list[Candidate]:
    """A name matched only through transliteration or folding ("Hareer" for Harir) goes into a claim by its key, so
    the compiler cannot see how the article wrote it: each such name in a kept claim's quote becomes a ``writtenAs``
    claim of its own, the words as written, as the compiler records them for the names the registry knows."""
    folded = [m for found in ctx.mentions.values() for m in found if m.how == "folded"]
    out: dict[tuple[str, int], Candidate] = {}
    for c, _, main in checked.claims:
        keys = {main.subject, *(v.entity for v in (main.value, *(q for _, q in main.qualifiers)) if v.kind == "entity")}
        for m in folded:
            if m.key in keys and c.start <= m.start and m.end <= c.end:
                out.setdefault((m.key, m.start), Candidate(m.key, "writtenAs", None, m.start, m.end, c.confidence,
                                                           "name-as-written"))
    return list(out.values())


def _with_new(registry: Registry, index: NameIndex, seed: Seed) -> Registry:
    entities = dict(registry.entities)
    for e in index.new.values():
        entities[e.key] = Entity(e.key, e.label, list(e.types), list(e.aliases), "", Location(seed.path))
    return Registry(entities)


def _used_keys(checked: Checked) -> set[str]:
    used: set[str] = set()
    for _, _, main in checked.claims:
        used.add(main.subject)
        used |= {v.entity for v in (main.value, *(q for _, q in main.qualifiers)) if v.kind == "entity" and v.entity}
    return used


def draft_article(config: Config, name: str, force: bool = False, today: dt.date | None = None) -> DraftResult:
    """Draft ``mappings/NAME.yaml`` from ``seeds/NAME.txt``; add the new entities it needs to the registry."""
    txt = config.seeds_dir / f"{name}.txt"
    if not re.fullmatch(r"[\w.-]+", name) or not txt.is_file():
        raise RunError(f"no article {txt}", hint="add it first: oirld add FILE --name NAME …")
    out = config.mappings_dir / f"{name}.yaml"
    if out.exists() and not force:
        raise RunError("a mapping of this article already exists; nothing was written", Location(out),
                       "give --force to draft it again (the file is replaced), or edit the mapping by hand")
    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry = load_registry(config.ontology_dir / "registry", ontology.classes)
    seed = load_seed(txt)
    display = f"mappings/{name}.yaml"
    corpus = _corpus(config, name, ontology, registry)
    draft = draft_seed(seed, ontology, registry, display, corpus)
    if not draft.claims:
        unsure = (f"; {draft.commented} passage(s) looked like one but could not be read with confidence"
                  if draft.commented else "")
        raise DataError(f"no claims found in {txt.name}: no sentence reads as a claim about the mission "
                        f"(troops, bases, dates, attacks, statements){unsure}", Location(txt),
                        "check that the article is about the end of the coalition mission; map it by hand if it is")
    drafted = check_draft(seed, draft.text, ontology, draft.registry, display)
    refuse_nonconforming(shape_problems(seed, drafted, corpus, ontology, draft.registry, load_shapes(config.shapes_dir),
                                        config.base_iri, display), display)
    registry_file = None
    if draft.new_entities:
        registry_file = add_entities(config.ontology_dir / "registry", draft.new_entities, ontology.classes, today)
    config.mappings_dir.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(draft.text, encoding="utf-8")
    tmp.replace(out)
    return DraftResult(out, len(draft.claims), draft.commented, tuple(e.key for e in draft.new_entities), registry_file)


def _corpus(config: Config, name: str, ontology: Ontology, registry: Registry) -> list[Claim]:
    """The claims of the other articles' mappings (the draft must build together with them); none if they do not
    compile on their own, which the build will report."""
    others = [p for p in sorted(config.mappings_dir.glob("*.yaml")) if p.stem != name]
    stems = {p.stem for p in others}
    seeds = []
    for p in sorted(config.seeds_dir.glob("*.txt")):
        if p.stem in stems:
            try:
                seeds.append(load_seed(p))
            except DataError:
                return []
    with tempfile.TemporaryDirectory() as tmp:
        for p in others:
            (Path(tmp) / p.name).write_bytes(p.read_bytes())
        try:
            return compile_mappings(Path(tmp), seeds, ontology, registry)[0]
        except DataError:
            return []


def check_draft(seed: Seed, text: str, ontology: Ontology, registry: Registry, display: str) -> list[Claim]:
    """The whole draft, as it would be written, through the mapping compiler: its claims, for the shapes. A
    DataError names each claim that fails (``display``:line) and why; the caller then writes nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / Path(display).parent
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{seed.stem}.yaml").write_text(text, encoding="utf-8")
        try:
            return compile_mappings(folder, [seed], ontology, registry, display_root=Path(tmp))[0]
        except MappingProblems as exc:
            listing = "; ".join(f"{p.where}: {p.what}" for p in exc.problems)
            raise DataError(f"the draft of {seed.stem} would not build, so nothing was written: {listing}",
                            exc.problems[0].where, _BUG) from None
        except DataError as exc:
            raise DataError(f"the draft of {seed.stem} would not build, so nothing was written: {exc.what}",
                            exc.where, _BUG) from None


_BUG = "report this as a bug in oirld draft, with the article; map the article by hand meanwhile (mappings/README.md)"
