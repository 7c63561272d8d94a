"""What every extraction rule reads (the text, its sentences and names) and what it proposes (a candidate claim)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..claims import Claim
from ..seeds import Seed
from .names import Mention, NameIndex
from .text import Sentence, clause_bounds, is_headline
from .values import Found, find_bare_counts, find_counts_of_forces, find_quantities, find_times, future_tense

__all__ = ["Candidate", "Context", "Suggestion", "prefer_body"]


@dataclass(frozen=True)
class Candidate:
    """A claim a rule read: ``about`` and entity values are registry keys or names as the text writes them."""

    about: str
    property: str
    value: str | None
    start: int            # the quote: text[start:end]
    end: int
    confidence: float
    rule: str
    qualifiers: tuple[tuple[str, str], ...] = ()
    extra: tuple[tuple[str, str], ...] = ()   # unit, direction, anchor


@dataclass(frozen=True)
class Suggestion:
    """A sentence that looked like a claim but could not be read with confidence: a comment for the reviewer."""

    start: int
    end: int
    reason: str
    #: the property the sentence seemed to state; a claim of it on the same sentence makes the note moot
    prop: str = ""


@dataclass
class Context:
    seed: Seed
    index: NameIndex
    sentences: list[Sentence]
    mentions: dict[int, list[Mention]] = field(default_factory=dict)  # sentence start -> names in it
    speakers: list[tuple[int, str]] = field(default_factory=list)     # (offset, key) of people quoted so far
    events: list[tuple[int, str]] = field(default_factory=list)       # (offset, key) of attacks named so far
    agreements: list[tuple[int, str]] = field(default_factory=list)   # (offset, key) of agreements named so far
    #: what the other articles' mappings claim, by subject: how an event they reported is recognised here
    corpus: dict[str, list[Claim]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.seed.text

    def names(self, sentence: Sentence) -> list[Mention]:
        if sentence.start not in self.mentions:
            self.mentions[sentence.start] = self.index.mentions(self.text, sentence.start, sentence.end)
        return self.mentions[sentence.start]

    def name_words(self, m: Mention) -> str:
        """How a claim refers to a mention: the words as written when the registry resolves them (so the build
        records the spelling), else the key."""
        if m.how == "registry" and not m.generic and not self.index.registry.entities[m.key].added \
                and not re.search(r"['’]s?$", m.text):  # "Erbil's" is not a name the build reads
            return m.text
        return m.key

    def clause(self, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
        return clause_bounds(sentence, start, end)

    def times(self, lo: int, hi: int) -> list[Found]:
        direction = "future" if future_tense(self.text[lo:hi]) else None
        return find_times(self.text, lo, hi, self.seed.reference, direction)

    def quantities(self, lo: int, hi: int) -> list[Found]:
        return find_quantities(self.text, lo, hi)

    def people_counts(self, sentence: Sentence) -> list[Found]:
        """Counts of people in the sentence: troops, casualties, trainees."""
        return [q for q in self.quantities(sentence.start, sentence.end) if q.quantity and q.quantity.kind == "PersonCount"]

    def troop_numbers(self, sentence: Sentence) -> list[Found]:
        """Bare numbers in a sentence about troops ("put the US troop presence at about 2,500"), read as troops."""
        m = re.search(r"\btroops?\b|\bforces\b|\bpersonnel\b|\bsoldiers\b", self.text[sentence.start:sentence.end], re.I)
        if not m:
            return []
        return find_bare_counts(self.text, sentence.start + m.end(), sentence.end, "troops") \
            + find_counts_of_forces(self.text, sentence.start, sentence.end)

    def direction(self, lo: int, hi: int) -> str | None:
        return "future" if future_tense(self.text[lo:hi]) else None

    def in_span(self, sentence: Sentence, lo: int, hi: int, *types: str) -> list[Mention]:
        return [m for m in self.names(sentence) if m.start >= lo and m.end <= hi and (not types or self.is_a(m, *types))]

    def is_a(self, m: Mention, *types: str) -> bool:
        return bool(self.index.closure(m.key) & set(types))

    def after_preposition(self, sentence: Sentence, lo: int, hi: int, preps: str, *types: str) -> Mention | None:
        """The first name of the given types right after one of ``preps`` ("in", "near") in ``text[lo:hi]``."""
        for m in self.in_span(sentence, lo, hi, *types):
            before = self.text[max(lo, m.start - 20):m.start]
            if re.search(rf"\b(?:{preps})\s+(?:the\s+)?$", before, re.IGNORECASE):
                return m
        return None


def prefer_body(index: NameIndex, sentences: list[Sentence], candidates: list[Candidate]) -> list[Candidate]:
    """A claim the body states too is quoted from the body, not from a headline or caption (a paragraph with no
    full stop), which says it in fewer words; the draft keeps one quote per claim."""
    heads = [(s.start, s.end) for s in sentences if is_headline(s)]

    def in_head(c: Candidate) -> bool:
        return any(a <= c.start < b for a, b in heads)

    def key(words: str | None) -> str | None:
        if not words or words in index.registry.entities or words in index.new:
            return words
        hit = index.lookup(words)
        return hit[0] if hit else words

    def ident(c: Candidate) -> tuple:
        return key(c.about), c.property, key(c.value)

    body = {ident(c) for c in candidates if not in_head(c)}
    return [c for c in candidates if not (in_head(c) and ident(c) in body)]
