"""Is the attack this sentence tells the one another article already reports? Decided by what agrees.

Two sources often date one raid differently (a wire story says "in late August", an analysis a year off), so a date
alone can neither make nor break the identity. What decides is the facts both state: the same toll (killed, injured,
leaders killed) of the same victims, the same place, the same forces. Two agreeing facts make the same event (tolls
alone only when both name who was killed alike); another toll or other victims make another event, and so do two
facts stated differently. One disagreement is tolerated: a place named otherwise (a province for a region) when the
date and a toll agree, or a date in the same month of another year (the usual slip: the year, or a relative "last
January" read against another day) when a toll and another fact agree; that date is then this source's claim, and
the build shows it as a disagreement. A state is no other place than a region named after it ("Iraq" and "western
Iraq"). Unknown is better than wrong: with no single best match, nothing is resolved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..claims import Claim
from ..quantities import Quantity, quantities_compatible
from ..timeexpr import TimeValue, times_compatible
from .context import Context

__all__ = ["EventFacts", "known_attack"]

_TOLLS = ("killedCount", "injuredCount", "leadersKilledCount")


@dataclass
class EventFacts:
    """What one article says of an attack: its tolls by property, the places and forces named with it, its date."""

    tolls: dict[str, Quantity] = field(default_factory=dict)
    places: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    #: who the toll counts ("14 ISIS operatives"): a toll of others is another attack's
    victims: set[str] = field(default_factory=set)
    time: TimeValue | None = None


def _same_amount(a: Quantity, b: Quantity) -> bool:
    return a.amount == b.amount and quantities_compatible(a, b)


def _same_month_of_year(a: TimeValue, b: TimeValue) -> bool:
    """Both times lie within one calendar month, the same month of the year (years may differ)."""
    if not (a.earliest and a.latest and b.earliest and b.latest):
        return False
    months = {(a.earliest.month, a.latest.month), (b.earliest.month, b.latest.month)}
    return len(months) == 1 and next(iter(months))[0] == next(iter(months))[1] \
        and a.earliest.year == a.latest.year and b.earliest.year == b.latest.year


def _score(claims: list[Claim], facts: EventFacts, specific: bool, inside) -> int | None:
    """How many facts agree with the corpus's claims about one event; None when they describe another event."""
    agree: set[str] = set()
    differ: set[str] = set()
    stated_places = {c.value.entity for c in claims if c.prop == "location" and c.value.entity}
    if facts.places and stated_places:
        if facts.places & stated_places:
            agree.add("place")
        elif not any(inside(a, b) or inside(b, a) for a in facts.places for b in stated_places):
            differ.add("place")  # "in Iraq" for "in western Iraq" is neither
    if facts.actors & {c.value.entity for c in claims if c.prop == "carriedOutBy"}:
        agree.add("actor")
    same_victims = False
    for prop, mine in facts.tolls.items():
        stated = [c for c in claims if c.prop == prop and c.value.quantity is not None]
        hit = {v.entity for c in stated for q, v in c.qualifiers if q == "victim" and v.entity}
        if facts.victims and hit:
            if not any(v == h or inside(v, h) or inside(h, v) for v in facts.victims for h in hit):
                return None  # the same number of others killed ("American" soldiers are US forces)
            same_victims = True
        theirs = [c.value.quantity for c in stated]
        if theirs and not any(_same_amount(mine, q) for q in theirs):
            return None  # another toll is another attack
        if theirs:
            agree.add(prop)
    dates = [c.value.time for c in claims if c.prop == "date" and c.value.time is not None]
    if facts.time is not None and dates:
        same_month = any(_same_month_of_year(d, facts.time) for d in dates)
        if any(times_compatible(d, facts.time) for d in dates):
            agree.add("date")
        else:
            differ.add("date" if same_month else "other date")
    tolls = agree & set(_TOLLS)
    if len(agree) < 2 or len(differ) > 1 or "other date" in differ:
        return None
    if specific and not (tolls or "date" in agree):
        return None  # the same doer in the same place is a series, not this one attack
    if agree <= set(_TOLLS) and not same_victims:
        return None  # numbers alone, of victims nobody named alike, are a coincidence as often as not
    # one disagreement at most: a place named otherwise (a province for a region) when the date and a toll agree,
    # or a date a year off when a toll and another fact agree
    if differ == {"place"} and not ("date" in agree and tolls):
        return None
    if differ == {"date"} and not (tolls and len(agree) >= 2):
        return None
    return len(agree)


def _inside(ctx: Context, place: str, state: str) -> bool:
    """A place whose names name a state lies in it ("Western Iraq" in Iraq), forces so named are the state's ("US
    forces"): the registry's words are the gazetteer."""
    from .attacks import mentions_state, names_of

    if not all(k in ctx.index.registry.entities or k in ctx.index.new for k in (place, state)) \
            or "State" not in ctx.index.closure(state) or place == state:
        return False
    return any(mentions_state(ctx, n, state) for n in names_of(ctx, place))


def known_attack(ctx: Context, facts: EventFacts, specific: bool = True) -> str | None:
    """The one attack or raid of the corpus these facts describe, or None. A ``specific`` attack (one with a toll
    or a date) needs its toll or date among the agreeing facts; a series ("ISIS attacks in Syria") is known by its
    doer and place."""
    scores: list[tuple[int, str]] = []
    for key, claims in sorted(ctx.corpus.items()):
        if key not in ctx.index.registry.entities or not ctx.index.closure(key) & {"Attack", "Raid"}:
            continue
        score = _score(claims, facts, specific, lambda a, b: _inside(ctx, a, b))
        if score is not None:
            scores.append((score, key))
    best = sorted(scores, key=lambda s: (-s[0], s[1]))
    if best and (len(best) == 1 or best[0][0] > best[1][0]):
        return best[0][1]
    return None
