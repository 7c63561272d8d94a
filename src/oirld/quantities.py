"""Numbers as the articles write them: "about 2,500 troops", "more than $4 billion", "42,000 square miles".

A stated quantity keeps its words, its amount, its unit, and the range the words allow. The range is what the
conflict finder compares (README, "When do two claims disagree?"):

* a bare number is as exact as its rounding: "2,500" allows 2,450-2,550 (half a unit of its last non-zero
  place), never more than 5% either way;
* "about", "around", "some", "roughly", "approximately", "an estimated" allow 10% either way (at least the rounding);
* "more than", "over", "at least" give only a lower bound; "up to", "at most", "fewer than", "under" only an upper;
  "nearly", "almost" allow 90-100% of the number.

Amounts of the same kind are compared in one base unit (square kilometres for area; US dollars for money).
Unit codes are UN/CEFACT Recommendation 20 common codes, the codes schema.org's ``unitCode`` expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Quantity", "QuantityParseError", "parse_quantity", "quantities_compatible", "UNITS"]


class QuantityParseError(ValueError):
    pass


@dataclass(frozen=True)
class Unit:
    kind: str        # local name of the skos:Concept in the ontology's quantity-kind scheme
    code: str        # UN/CEFACT Rec. 20 common code
    to_base: Decimal  # factor into the kind's base unit


# Square mile = 2.589988110336 km² exactly (international mile of 1959: 1.609344 km, squared).
_SQMI = Unit("Area", "MIK", Decimal("2.589988110336"))
_KM2 = Unit("Area", "KMK", Decimal(1))
_PERSON = Unit("PersonCount", "IE", Decimal(1))
_COUNTRY = Unit("CountryCount", "C62", Decimal(1))
_USD = Unit("MoneyAmount", "USD", Decimal(1))
_YEAR = Unit("TimeLength", "ANN", Decimal(1))

#: noun (last word of the quantity's words) -> unit; adjectives in between are kept in the unit text
UNITS: dict[str, Unit] = {
    **{w: _PERSON for w in (
        "troops", "troop", "soldiers", "soldier", "personnel", "operatives", "members", "leaders", "officials",
        "people", "militants", "fighters", "americans", "servicemembers", "persons", "staff")},
    **{w: _COUNTRY for w in ("countries", "nations", "states")},
    **{w: _SQMI for w in ("square miles", "square mile", "sq mi")},
    **{w: _KM2 for w in ("km²", "km2", "square kilometres", "square kilometers", "square km")},
    **{w: _USD for w in ("dollars", "usd")},
    **{w: _YEAR for w in ("years", "year", "decade", "decades")},
}

_UNIT_NAMES = {"MIK": "square miles", "KMK": "km²", "IE": "people", "C62": "countries", "ANN": "years"}

_APPROX = [
    (r"more than|over|upwards of|in excess of", "more-than"),
    (r"at least|no fewer than|no less than", "at-least"),
    (r"up to|at most|no more than", "up-to"),
    (r"fewer than|less than|under", "less-than"),
    (r"nearly|almost|close to", "nearly"),
    (r"about|around|some|roughly|approximately|an estimated|an|a|approx\.", "about"),
]
_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
               "hundred": 100, "dozen": 12, "a": 1, "an": 1})
_SCALE = {"thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9, "trillion": Decimal(10) ** 12}


@dataclass(frozen=True)
class Quantity:
    text: str
    amount: Decimal
    lower: Decimal | None
    upper: Decimal | None
    approximation: str   # exact | about | more-than | at-least | up-to | less-than | nearly
    unit_code: str
    unit_text: str
    kind: str
    to_base: Decimal

    @property
    def key(self) -> tuple[object, ...]:
        return (self.kind, self.unit_code, self.amount, self.lower, self.upper)

    def base_range(self) -> tuple[Decimal | None, Decimal | None]:
        f = self.to_base
        return (self.lower * f if self.lower is not None else None, self.upper * f if self.upper is not None else None)

    def label(self) -> str:
        return self.text

    def canonical(self) -> str:
        """The value in words, the same for every wording of it: 'about 2,500 people', 'more than US$4,000,000,000'."""
        words = {"exact": "", "about": "about ", "more-than": "more than ", "at-least": "at least ", "up-to": "up to ",
                 "less-than": "less than ", "nearly": "nearly "}[self.approximation]
        amount = f"{self.amount:,}"
        if self.kind == "MoneyAmount":
            return f"{words}US${amount}"
        return f"{words}{amount} {_UNIT_NAMES[self.unit_code]}"


def _rounding(n: Decimal) -> Decimal:
    digits = str(int(n)) if n == n.to_integral_value() else ""
    zeros = len(digits) - len(digits.rstrip("0")) if digits and digits != "0" else 0
    return min(Decimal(5) * Decimal(10) ** (zeros - 1) if zeros else Decimal("0.5"), n * Decimal("0.05"))


def parse_quantity(words: str, unit_hint: str | None = None) -> Quantity:
    """``unit_hint`` names what is counted when the words leave it implicit ("over 3,000" [troops])."""
    text = " ".join(words.split())
    s = text.lower().strip(" ,.")
    approximation = "exact"
    for pattern, name in _APPROX:
        m = re.match(rf"(?:{pattern})\s+(?=[$\d]|[a-z]+\s)", s)
        if m and not (name == "about" and m.group().strip() in ("a", "an") and not s.startswith(("a decade", "an estimated"))):
            approximation, s = name, s[m.end():]
            break
    money = s.startswith("$")
    s = s.lstrip("$")
    m = re.match(r"(?P<num>\d[\d,]*(?:\.\d+)?|[a-z]+)(?:[\s-]+(?P<scale>thousand|million|billion|trillion))?(?P<rest>.*)$", s)
    if not m:
        raise QuantityParseError(f"cannot read a number in {text!r}")
    raw = m.group("num")
    if raw[0].isdigit():
        if re.search(r",\d{0,2}(?!\d)", raw) and "," in raw:
            raise QuantityParseError(f"{raw!r} in {text!r} is not a well-formed number")
        amount = Decimal(raw.replace(",", ""))
    elif raw in _WORDS:
        amount = Decimal(_WORDS[raw])
    else:
        raise QuantityParseError(f"cannot read a number in {text!r} (numbers as digits or as words up to twenty)")
    if raw in ("a", "an") and "decade" not in s:
        raise QuantityParseError(f"cannot read a number in {text!r}")
    if m.group("scale"):
        amount *= _SCALE[m.group("scale")]
    rest = m.group("rest").strip(" -")
    if money:
        unit, unit_text = _USD, "US dollars"
    else:
        original = text.strip(" ,.")
        rest_text = original[len(original) - len(rest):] if rest else ""
        if unit_hint and not _has_unit(rest):
            unit, unit_text = _unit_of(unit_hint.lower(), text)
            unit_text = unit_hint
        else:
            unit, unit_text = _unit_of(rest, text)
            unit_text = rest_text
    if unit is _YEAR and rest.split()[-1].startswith("decade"):
        amount *= 10
        unit_text = "years"
    r = _rounding(amount)
    if approximation == "exact":
        lower, upper = amount - r, amount + r
    elif approximation == "about":
        spread = max(amount * Decimal("0.1"), r)
        lower, upper = amount - spread, amount + spread
    elif approximation in ("more-than", "at-least"):
        lower, upper = amount, None
    elif approximation in ("up-to", "less-than"):
        lower, upper = Decimal(0), amount
    else:  # nearly
        lower, upper = amount * Decimal("0.9"), amount
    return Quantity(text, _norm(amount), _norm(lower), _norm(upper), approximation, unit.code, unit_text, unit.kind, unit.to_base)


def _norm(d: Decimal | None) -> Decimal | None:
    if d is None:
        return None
    d = d.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _has_unit(rest: str) -> bool:
    try:
        _unit_of(rest, rest)
    except QuantityParseError:
        return False
    return True


def _unit_of(rest: str, text: str) -> tuple[Unit, str]:
    rest = rest.strip()
    for noun in sorted(UNITS, key=len, reverse=True):
        if rest == noun or rest.endswith(" " + noun) or rest.startswith(noun + " ") or f" {noun} " in f" {rest} ":
            return UNITS[noun], rest
    raise QuantityParseError(
        f"no unit in {text!r}: end the quoted value with what is counted or measured "
        f"(one of: {', '.join(sorted(set(k for k in UNITS if ' ' not in k)))}, square miles, km², or a $ amount)"
    )


def quantities_compatible(a: Quantity, b: Quantity) -> bool:
    """True when the two ranges overlap in the kind's base unit; different kinds never compare (also True)."""
    if a.kind != b.kind:
        return True
    (alo, ahi), (blo, bhi) = a.base_range(), b.base_range()
    lo = max(x for x in (alo, blo) if x is not None) if (alo is not None or blo is not None) else None
    hi = min(x for x in (ahi, bhi) if x is not None) if (ahi is not None or bhi is not None) else None
    return lo is None or hi is None or lo <= hi
