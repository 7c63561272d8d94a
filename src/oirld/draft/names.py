"""Finding the things a sentence names: registry entities first, then new ones the registry lacks.

A name is looked up as the registry resolves names (case, accents, quotes, dashes, a leading "the") and then with
the folding the reconciliation service uses (:func:`oirld.web.reconcile.transliterate.fold`: Hareer = Harir, Daech = Daesh,
Mohamed = Mohammed), so a new spelling of a known thing never becomes a second entity. Only a capitalised name that
neither finds, and whose kind the words around it make plain ("Air Base", "Ministry", "spokesman ... said"), becomes
a new entity; anything else stays unknown, because a wrong entity is worse than a missing one.

Descriptions in the registry ("the agreement", "the official") name one thing in the article they came from and
another elsewhere, so they are matched only for the standing actors of this subject (states, forces, the coalition,
the operation and its phases), never for people or events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..registry import NewEntry, Registry, entity_key, normalize_name
from ..web.reconcile.transliterate import fold

__all__ = ["Mention", "NameIndex", "TITLE_HEADS", "TITLE_WORDS", "proper_runs", "kind_of_name"]

#: types whose descriptive names ("the coalition", "the task force") mean the same thing in every article here
_STANDING = {"State", "ArmedForces", "ArmedGroup", "Coalition", "MilitaryOperation", "Phase", "MilitaryCommand",
             "GovernmentBody", "Region", "City", "PoliticalBloc"}
_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F](?:[\w\u00C0-\u024F'’&]|[.-](?=[\w\u00C0-\u024F]))*\.?")
_MAX_WORDS = 9
#: words that stand before a person's name as (part of) a job title
TITLE_WORDS = {
    "president", "prime", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "general", "gen.",
    "lt.", "col.", "maj.", "adm.", "admiral", "colonel", "major", "lieutenant", "commander", "ambassador", "envoy",
    "lawmaker", "mp", "senator", "sen.", "rep.", "representative", "adviser", "advisor", "analyst", "fellow",
    "director", "chief", "deputy", "press", "reporter", "correspondent", "leader", "chairman", "head", "speaker",
    "governor", "mayor", "king", "foreign", "defense", "defence", "interior", "sheikh", "cleric", "researcher",
    "commentator", "expert", "officer", "sergeant", "captain", "staff", "joint", "chiefs", "army", "military",
    "security", "national", "senior", "vice", "assistant", "undersecretary", "parliament", "member", "editor", "founder",
}
#: title words that only qualify a title ("senior", "Security"): "a senior Kataib Hezbollah commander" and "the
#: Security Media Cell" have no title before a name, so what follows them is no person
_TITLE_MODIFIERS = {"senior", "security", "national", "foreign", "defense", "defence", "interior", "joint",
                    "military", "army", "vice", "deputy", "assistant", "staff", "parliament", "chiefs", "prime"}
#: the title words a job title can end with, and a person's name follow
TITLE_HEADS = TITLE_WORDS - _TITLE_MODIFIERS
_CONNECTORS = {"al", "el", "bin", "ibn", "abu", "abd", "de", "van", "von", "of", "the", "and", "for", "al-", "bint"}
_ORG_TAILS = {
    "ministry": "GovernmentBody", "department": "GovernmentBody", "office": "GovernmentBody", "council": "GovernmentBody",
    "parliament": "GovernmentBody", "agency": "GovernmentBody", "command": "MilitaryCommand", "cell": "GovernmentBody",
    "committee": "GovernmentBody", "commission": "GovernmentBody",
    "forces": "ArmedForces", "army": "ArmedForces", "brigades": "ArmedGroup", "brigade": "ArmedGroup",
    "battalions": "ArmedGroup", "movement": "ArmedGroup", "front": "ArmedGroup", "party": "PoliticalBloc",
    "alliance": "PoliticalBloc", "bloc": "PoliticalBloc", "coalition": "PoliticalBloc", "institute": "ResearchOrganization",
    "center": "ResearchOrganization", "centre": "ResearchOrganization", "university": "ResearchOrganization",
    "news": "NewsOrganization", "times": "NewsOrganization", "post": "NewsOrganization", "agency's": "NewsOrganization",
    "press": "NewsOrganization", "tv": "NewsOrganization", "network": "NewsOrganization", "monitor": "NewsOrganization",
}
#: (an airport is not created: the shapes want its public coordinates, which a draft cannot know)
_PLACE_TAILS = {"base": "MilitaryBase", "airbase": "MilitaryBase", "airfield": "MilitaryBase",
                "province": "Region", "governorate": "Region", "district": "Region", "region": "Region"}
_PLACE_HEADS = {"camp": "MilitaryBase", "fort": "MilitaryBase"}
_ORG_HEADS = {"ministry": "GovernmentBody", "department": "GovernmentBody", "office": "GovernmentBody",
              "council": "GovernmentBody", "presidency": "GovernmentBody", "directorate": "GovernmentBody"}
_GROUP_NOUNS = {"militia": "ArmedGroup", "group": "ArmedGroup", "faction": "ArmedGroup", "organization": "ArmedGroup",
                "organisation": "ArmedGroup", "movement": "ArmedGroup"}
_LOADED = re.compile(r"\b(?:so-called|occupation|occupying|Takfiri|takfiri)\b", re.IGNORECASE)
#: capitalised words that start no name (sentence openers, days, months), which other rules skip as well
NOT_NAMES = {"the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "as", "it", "he", "she", "they", "we",
             "this", "that", "these", "those", "since", "after", "before", "when", "while", "during", "despite",
             "however", "meanwhile", "still", "also", "last", "next", "monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
             "august", "september", "october", "november", "december", "his", "her", "their", "its", "our", "there"}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    key: str
    types: tuple[str, ...]
    #: "registry" (a name as the registry has it), "folded" (a respelling), "new" (an entity the draft adds)
    how: str
    #: a description ("the coalition") rather than a name
    generic: bool = False

    def is_a(self, *types: str) -> bool:
        return bool(set(self.types) & set(types))


def _is_proper(name: str) -> bool:
    """A name, not a description: its first word (after an article, and an Arabic al-) is capitalised. "the U.S.
    State Department" and "al-Sudani" are names; "a senior U.S. administration and defense official" is not."""
    rest = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)
    first = re.sub(r"^(?:al|el|ad|as|an|ar|at|az)-", "", rest.split()[0] if rest.split() else "", flags=re.IGNORECASE)
    return first[:1].isupper() or first[:1].isdigit()


@dataclass
class NameIndex:
    """The registry's names, looked up lightly and folded; and the new entities one draft adds."""

    registry: Registry
    subclasses: dict[str, set[str]] = field(default_factory=dict)
    new: dict[str, NewEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._light: dict[str, tuple[str, str]] = {}
        folded: dict[str, set[str]] = {}
        self._folded: dict[str, str] = {}
        for ent in self.registry.entities.values():
            for name in ent.names():
                self._light.setdefault(normalize_name(name), (ent.key, name))
                if _is_proper(name):
                    folded.setdefault(fold(name), set()).add(ent.key)
        self._folded = {k: next(iter(v)) for k, v in folded.items() if len(v) == 1 and k}
        self._new_names: dict[str, str] = {}
        self._event_labels: dict[str, str] = {}

    # --- types -----------------------------------------------------------------------------------------------
    def types_of(self, key: str) -> tuple[str, ...]:
        if key in self.new:
            return self.new[key].types
        return tuple(self.registry.entities[key].types)

    def closure(self, key: str) -> set[str]:
        """The entity's types with their superclasses, so a rule can ask for a Place and get a MilitaryBase."""
        out: set[str] = set()
        for t in self.types_of(key):
            out |= {t, *(sup for sup, subs in self.subclasses.items() if t in subs)}
        return out

    # --- lookup ----------------------------------------------------------------------------------------------
    def lookup(self, words: str) -> tuple[str, str, bool] | None:
        """(key, how, generic) for a name, or None."""
        hit = self._lookup(words)
        if hit is None and _LOADED.search(words):
            # "US occupation forces", "the so-called international coalition": an outlet's loaded word is not part
            # of the name (Iranian and militia-aligned outlets' wording)
            plain = re.sub(r"\s+", " ", _LOADED.sub(" ", words)).strip()
            if plain and plain != words.strip() and len(plain.split()) >= 1 and plain.lower() not in ("the", "a"):
                hit = self._lookup(plain)
                # the words as written are not a name the build reads: claims name it by key
                hit = (hit[0], "folded", hit[2]) if hit else None
        return hit

    def _lookup(self, words: str) -> tuple[str, str, bool] | None:
        words = re.sub(r"(?:'s|’s|'|’)$", "", words.strip())
        light = normalize_name(words)
        hit = self._light.get(light)
        if hit:
            key, name = hit
            if _is_proper(name):
                if not any(c.isupper() for c in words):
                    return None  # "us" is not "US"
                if name.isupper() and len(name) <= 5 and not words.replace(".", "").isupper():
                    return None
                return key, "registry", False
            if set(self.types_of(key)) & _STANDING and not (set(self.types_of(key)) & {"Region", "City"}
                                                            and not any(c.isupper() for c in name)):
                # "the border", "the region": a place described without a name is another place in each article
                return key, "registry", True
            return None
        if not any(c.isupper() for c in words):
            return None
        key = self._folded.get(fold(words))
        if key:
            return key, "folded", False
        key = self._new_names.get(fold(words))
        if key:
            return key, "new", False
        return None

    def exact(self, words: str) -> str | None:
        """The registry entity one of whose names is ``words`` (up to case and a leading "the"), description or not."""
        hit = self._light.get(normalize_name(words))
        return hit[0] if hit else None

    def mentions(self, text: str, lo: int, hi: int) -> list[Mention]:
        """The longest names in ``text[lo:hi]``, left to right, not overlapping."""
        toks = [(m.start(), m.end()) for m in _TOKEN.finditer(text, lo, hi)]
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            found = None
            for n in range(min(_MAX_WORDS, len(toks) - i), 0, -1):
                s, e = toks[i][0], toks[i + n - 1][1]
                words = text[s:e]
                if words.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]\.$", words):
                    words, e = words[:-1], e - 1
                hit = self.lookup(words)
                if hit:
                    found = (n, Mention(s, e, words, hit[0], self.types_of(hit[0]), hit[1], hit[2]))
                    break
            if found:
                out.append(found[1])
                i += found[0]
            else:
                i += 1
        return out

    # --- new entities ----------------------------------------------------------------------------------------
    def add_new(self, label: str, types: tuple[str, ...], findable: bool = True) -> str | None:
        """The key of a new entity (a known one when the label folds to a name already known); None when the label
        is a description the registry gives to something else ("the raid"). An event's label is made by the draft
        from the words around it, so it is not ``findable`` in the text: it would swallow the names it was made of."""
        hit = self.lookup(label) or ((self._event_labels[fold(label)], "new", False) if fold(label) in self._event_labels else None)
        if hit:
            return hit[0]
        if normalize_name(label) in self._light:
            return None
        key = entity_key(label, [*self.registry.entities, *self.new])
        self.new[key] = NewEntry(key, label, types, by="oirld draft")
        (self._new_names if findable else self._event_labels)[fold(label)] = key
        return key

    def add_alias(self, key: str, alias: str) -> None:
        """A shorter name of a new entity ("Parnell" for "Sean Parnell"), unless another thing has it."""
        if key not in self.new or self.lookup(alias) or normalize_name(alias) in self._light:
            return
        ent = self.new[key]
        self.new[key] = replace(ent, aliases=(*ent.aliases, alias))
        self._new_names[fold(alias)] = key


def proper_runs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Runs of capitalised words (with name connectors such as al-, bin, of) inside ``text[lo:hi]``."""
    toks = [(m.start(), m.end()) for m in _TOKEN.finditer(text, lo, hi)]
    runs: list[tuple[int, int]] = []
    cur: list[tuple[int, int]] = []
    for s, e in toks:
        w = text[s:e]
        gap = text[cur[-1][1]:s] if cur else " "
        if cur and gap.strip() not in ("", "-"):
            _close(runs, cur, text)
            cur = []
        if w[:1].isupper() and w.lower().rstrip(".") not in NOT_NAMES or (cur and w.lower() in _CONNECTORS) \
                or (w.lower().startswith(("al-", "el-")) and len(w) > 3):
            cur.append((s, e))
        else:
            _close(runs, cur, text)
            cur = []
    _close(runs, cur, text)
    return runs


def _close(runs: list[tuple[int, int]], cur: list[tuple[int, int]], text: str) -> None:
    while cur and text[cur[-1][0]:cur[-1][1]].lower() in _CONNECTORS:
        cur = cur[:-1]
    if cur:
        e = cur[-1][1]
        if text[e - 1] == "." and not re.search(r"[A-Z]\.[A-Z]\.$", text[cur[0][0]:e]):
            e -= 1
        runs.append((cur[0][0], e))


def kind_of_name(words: str, before: str) -> str | None:
    """The type of a new capitalised name when its own words or the words before it say it; else None."""
    parts = words.split()
    last = parts[-1].lower().rstrip(".,")
    if last in _PLACE_TAILS and len(parts) > 1:
        return _PLACE_TAILS[last]
    if parts[0].lower() in _PLACE_HEADS and len(parts) > 1:
        return _PLACE_HEADS[parts[0].lower()]
    if last in _ORG_TAILS and len(parts) > 1:
        return _ORG_TAILS[last]
    if parts[0].lower() in _ORG_HEADS and len(parts) > 2 and parts[1].lower() == "of":
        return _ORG_HEADS[parts[0].lower()]
    prev = before.split()[-1].lower().rstrip(",") if before.split() else ""
    # "the Iran-backed militia Asaib Ahl al-Haq", "the armed group Saraya Awliya al-Dam": the noun before says the kind
    if prev in _GROUP_NOUNS and 1 <= len(parts) <= 6 and re.search(r"\b(?:the|a|an|[\w’'-]+-(?:backed|aligned|linked))\s+(?:[\w’'-]+\s+)?"
                                                                 + prev + r"\s*$", before, re.IGNORECASE):
        return _GROUP_NOUNS[prev]
    if prev in TITLE_HEADS and 2 <= len(parts) <= 5 and all(p[:1].isupper() or p.lower() in _CONNECTORS or
                                                          p.lower().startswith(("al-", "el-")) for p in parts):
        return "Person"
    return None
