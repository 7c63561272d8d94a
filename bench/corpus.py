"""A synthetic project folder of N articles in the style of the real seeds, for measuring the build at scale.

    .venv/bin/python bench/corpus.py --articles 1000 --out /tmp/corpus-1k [--seed 7]
    OIRLD_HOME=/tmp/corpus-1k .venv/bin/oirld build --out /tmp/out-1k

The folder holds everything ``oirld build`` reads: ``seeds/`` (text + metadata), ``mappings/`` (one per article),
``ontology/`` (the repository's ontology and registry, plus ``registry/synthetic.yaml`` with the invented bases,
events, people and outlets) and ``shapes/``. Deterministic for a given ``--seed``.

What makes it look like the real corpus:

* *Topics shared by several sources.* A topic is a slot the articles report on (a state's troop count at a base as
  of a month, when a withdrawal ends, how many an attack killed, when an event began, where a base lies, what an
  official's title is, what an official said). Each article reports on about 40 topics drawn from a pool of about
  ten per article, so a topic is covered by about four articles on average.
* *Conflicts at a realistic rate.* About a third of the topics that carry a number or a time have two versions
  (a different count, another month); each article reporting such a topic takes one of them, so the build finds
  a disagreement wherever two sources took different versions.
* *Varied wording and spelling.* Several sentence templates per topic; names written by label or by alias,
  including vowel/doubled-letter variants ("Camp Qarrar" / "Camp Qarar") that the build reports as spellings;
  numbers with thousands separators, approximations ("about", "more than") and words for the unit.

Synthetic data says so: every title starts "[Synthetic]", every metadata record has ``synthetic: true`` and says
which generator wrote it, the invented registry entries say they are fictitious, and the dataset description
(VoID) of a build of this folder says the data are synthetic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
STATES = [("united-states", ["United States", "the United States", "U.S.", "Washington"]),
          ("united-kingdom", ["United Kingdom", "Britain", "the UK"]),
          ("iraq", ["Iraq", "the Iraqi government"])]
REGIONS = ["anbar", "kurdistan-region", "western-iraq", "northern-iraq", "eastern-syria"]
SYLLABLES = ["qa", "ra", "sha", "mi", "du", "ka", "li", "ha", "za", "ba", "ni", "ta", "ru", "sa", "ma", "fa"]
FIRST = ["Ahmed", "Sarah", "John", "Layla", "Michael", "Hassan", "Emily", "Karim", "David", "Noor", "James", "Rana"]
LAST = ["Haddad", "Miller", "Saleh", "Carter", "Jaber", "Thompson", "Rashid", "Walker", "Aziz", "Bennett", "Kareem"]
TITLES = ["spokesperson for the coalition", "deputy defense minister", "commander of the base", "senior US official",
          "Iraqi lawmaker", "regional security adviser", "military analyst", "army spokesperson"]
SAYINGS = ["The transition is on schedule", "We will not leave a vacuum behind us", "Our partners are ready",
           "The threat from ISIS has not disappeared", "This is a responsible drawdown", "Security comes first",
           "The talks are going well", "Nothing has been decided yet"]
PUBLISHERS = 40


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _variant(name: str) -> str:
    """A spelling variant that differs only in vowels or doubled letters, as transliterations do."""
    for a, b in (("aa", "a"), ("rr", "r"), ("ou", "u"), ("ee", "i"), ("a", "aa")):
        if a in name[1:]:
            return name[0] + name[1:].replace(a, b, 1)
    return name + "h"


class World:
    """The invented entities, sized to the corpus: bases, withdrawals, attacks, events, officials, outlets."""

    def __init__(self, n_articles: int, rng: random.Random) -> None:
        seen: set[str] = set()

        def unique(parts: int) -> str:
            tries = 0
            while True:
                n = _name(rng, parts + tries // 50)  # longer names once the short ones run out
                tries += 1
                if n.lower() not in seen and _variant(n).lower() not in seen:
                    seen.update({n.lower(), _variant(n).lower()})
                    return n

        def named(count: int, parts: int, entry: Callable[[int, str], dict]) -> list[dict]:
            """``count`` registry entries, each from its number and a fresh name of ``parts`` syllables."""
            return [entry(i, unique(parts)) for i in range(count)]

        self.bases = named(max(8, n_articles // 3), 3, lambda i, core: {
            "key": f"syn-base-{i}", "label": f"Camp {core}", "types": ["MilitaryBase"],
            "aliases": [f"Camp {_variant(core)}", f"{core} base", f"the {core} base"],
            "description": f"A fictitious military base invented by bench/corpus.py (number {i}).",
            "region": REGIONS[i % len(REGIONS)]})
        self.withdrawals = [{"key": f"syn-withdrawal-{i}", "label": f"Withdrawal from {b['label']}", "types": ["Withdrawal"],
                             "aliases": [f"the withdrawal from {b['label']}", f"the pull-out from {b['aliases'][1]}"],
                             "description": "A fictitious withdrawal invented by bench/corpus.py."}
                            for i, b in enumerate(self.bases)]
        self.attacks = [{"key": f"syn-attack-{i}", "label": f"Attack on {b['label']}", "types": ["Attack"],
                         "aliases": [f"the attack on {b['label']}", f"the strike on {b['aliases'][1]}"],
                         "description": "A fictitious attack invented by bench/corpus.py."}
                        for i, b in enumerate(self.bases)]
        self.events = named(max(5, n_articles // 4), 2, lambda i, core: {
            "key": f"syn-talks-{i}", "label": f"{core} talks", "types": ["Meeting"],
            "aliases": [f"the {core} talks", f"the {_variant(core)} talks", f"{core} round"],
            "description": "Fictitious talks invented by bench/corpus.py."})
        n_people = max(10, n_articles // 2)
        self.people = []
        for i in range(n_people):
            first, last = rng.choice(FIRST), unique(2) + rng.choice(["", "i", "y"])
            self.people.append({"key": f"syn-person-{i}", "label": f"{first} {last}", "types": ["Person"],
                                "aliases": [last, f"{first} {_variant(last)}"],
                                "description": "A fictitious official invented by bench/corpus.py.",
                                "title": rng.choice(TITLES), "saying": rng.choice(SAYINGS)})
        self.outlets = []
        for i in range(PUBLISHERS):
            core = unique(2)
            self.outlets.append({"key": f"syn-outlet-{i}", "label": f"The {core} Herald", "types": ["NewsOrganization"],
                                 "aliases": [], "description": "A fictitious news outlet invented by bench/corpus.py."})
        self.reporters = []
        for i in range(PUBLISHERS * 2):
            name = f"{rng.choice(FIRST)} {unique(2)}"
            self.reporters.append({"key": f"syn-reporter-{i}", "label": name, "types": ["Person"], "aliases": [],
                                   "description": "A fictitious reporter invented by bench/corpus.py."})

    def registry_yaml(self) -> str:
        lines = ["# Fictitious entities for a synthetic corpus, written by bench/corpus.py. Nothing here is real.", "entities:"]
        for group in (self.bases, self.withdrawals, self.attacks, self.events, self.people, self.outlets, self.reporters):
            for e in group:
                lines.append(f"  {e['key']}:")
                lines.append(f"    label: {_q(e['label'])}")
                lines.append(f"    types: [{', '.join(e['types'])}]")
                if e["aliases"]:
                    lines.append(f"    aliases: [{', '.join(_q(a) for a in e['aliases'])}]")
                lines.append(f"    description: {_q(e['description'])}")
        return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _month(i: int) -> str:
    return f"{MONTHS[i % 12]} {2024 + (i // 12) % 3}"


class Topic:
    """One slot several articles report on; ``render`` gives an article's sentence and the claims it supports."""

    def __init__(self, index: int, world: World, rng: random.Random) -> None:
        self.index = index
        self.kind = rng.choice(["troops", "troops", "withdrawal", "attack", "talks", "located", "title", "said"])
        self.conflicting = rng.random() < 1 / 3 and self.kind in ("troops", "withdrawal", "attack", "talks")
        self.base = rng.randrange(len(world.bases))
        self.state = rng.randrange(len(STATES))
        self.person = rng.randrange(len(world.people))
        self.event = rng.randrange(len(world.events))
        self.month = rng.randrange(36)
        self.count = rng.choice([150, 200, 350, 500, 900, 1200, 2500, 3000, 4000])
        self.dead = rng.randrange(2, 40)

    def render(self, world: World, rng: random.Random, version: int) -> tuple[str, list[dict]]:
        """The sentence and its claims; ``version`` picks one of a conflicting topic's two versions."""
        alt = self.conflicting and version % 2 == 1
        base = world.bases[self.base]
        base_name = rng.choice([base["label"], base["aliases"][0], base["label"]])
        person = world.people[self.person]
        person_name = rng.choice([person["label"], person["aliases"][1], person["label"]])
        if self.kind == "troops":
            state_key, state_names = STATES[self.state]
            state_name = rng.choice(state_names)
            n = self.count + (self.count // 2 if alt else 0)
            qty = rng.choice([f"{n:,} troops", f"about {n:,} troops", f"{n:,} personnel", f"more than {n:,} soldiers"])
            month = _month(self.month)
            template = rng.choice(["As of {month}, {state} had {qty} at {base}", "{state} kept {qty} at {base} as of {month}",
                                   "In {month} there were {qty} from {state} at {base}"])
            quote = template.format(month=month, state=state_name, qty=qty, base=base_name)
            quote = quote[0].upper() + quote[1:]
            return (f"{quote}, according to {person_name}.",
                    [{"about": state_key, "property": "troopCount", "value": qty, "quote": quote,
                      "qualifiers": {"location": base_name, "asOf": month}},
                     {"about": base_name, "property": "locatedIn", "value": base["region"], "quote": quote}])
        if self.kind == "withdrawal":
            w = world.withdrawals[self.base]
            month = _month(self.month + (7 if alt else 0) + 12)
            quote = rng.choice([f"the withdrawal from {base_name} is due to end in {month}",
                                f"the withdrawal from {base_name} will be completed in {month}"])
            return (f"Officials said {quote}, a timetable {person_name} confirmed.",
                    [{"about": w["key"], "property": "endDate", "value": f"in {month}", "quote": quote},
                     {"about": w["key"], "property": "location", "value": base_name, "quote": quote}])
        if self.kind == "attack":
            a = world.attacks[self.base]
            day = 1 + self.month % 27
            when = f"{day} {_month(self.month)}"
            n = self.dead + (3 if alt else 0)
            unit = rng.choice(["people", "soldiers", "people"])
            quote = f"The attack on {base_name} on {when} killed {n} {unit}"
            return (f"{quote}, the second such strike this year.",
                    [{"about": a["key"], "property": "killedCount", "value": f"{n} {unit}", "quote": quote},
                     {"about": a["key"], "property": "date", "value": when, "quote": quote},
                     {"about": a["key"], "property": "location", "value": base_name, "quote": quote}])
        if self.kind == "talks":
            e = world.events[self.event]
            month = _month(self.month + (2 if alt else 0))
            name = rng.choice([e["label"], e["aliases"][0], e["aliases"][1]])
            name = name[0].upper() + name[1:]
            quote = f"{name} began in {month}"
            return (f"{quote}, with {person_name} among the delegates.",
                    [{"about": e["key"], "property": "startDate", "value": f"in {month}", "quote": quote},
                     {"about": e["key"], "property": "participant", "value": person["key"], "quote": quote + f", with {person_name}"}])
        if self.kind == "located":
            quote = f"{base_name} lies in {rng.choice(['the province', 'the region', 'the area'])}"
            return (f"{quote}, far from the capital.",
                    [{"about": base_name, "property": "locatedIn", "value": base["region"], "quote": quote}])
        if self.kind == "title":
            quote = f"{person_name}, the {person['title']},"
            return (f"{quote} spoke to reporters on condition that the details stay general.",
                    [{"about": person["key"], "property": "jobTitle", "value": person["title"], "quote": quote}])
        saying = person["saying"]
        quote = f"“{saying},” {person_name} said"
        return (f"{quote} on a call with reporters.",
                [{"about": person["key"], "property": "said", "value": saying, "quote": quote,
                  "qualifiers": {"statementKind": "direct"}}])


def _yaml_claim(c: dict) -> str:
    out = [f"  - about: {_q(c['about'])}", f"    property: {c['property']}"]
    if c.get("value") is not None:
        out.append(f"    value: {_q(c['value'])}")
    out.append(f"    quote: {_q(c['quote'])}")
    if c.get("qualifiers"):
        out.append("    qualifiers: {" + ", ".join(f"{k}: {_q(v)}" for k, v in c["qualifiers"].items()) + "}")
    return "\n".join(out)


def write_corpus(n_articles: int, out: Path, seed: int = 7, topics_per_article: int = 40) -> None:
    rng = random.Random(seed)
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} exists and is not empty; give a new --out")
    for sub in ("seeds", "mappings", "ontology/registry", "shapes"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "ontology" / "oirld.ttl", out / "ontology" / "oirld.ttl")
    for f in (ROOT / "ontology" / "registry").glob("*.yaml"):
        shutil.copy(f, out / "ontology" / "registry" / f.name)
    for f in (ROOT / "shapes").glob("*.ttl"):
        shutil.copy(f, out / "shapes" / f.name)
    shutil.copy(ROOT / "mappings" / "wikidata.sssom.tsv", out / "mappings" / "wikidata.sssom.tsv")
    world = World(n_articles, rng)
    (out / "ontology" / "registry" / "synthetic.yaml").write_text(world.registry_yaml(), encoding="utf-8")
    pool = [Topic(i, world, random.Random(f"{seed}-topic-{i}")) for i in range(max(20, n_articles * 10))]
    start = dt.date(2024, 1, 1)
    for a in range(n_articles):
        write_article(a, out, world, pool, random.Random(f"{seed}-article-{a}"), start, topics_per_article)


def write_article(a: int, out: Path, world: World, pool: list[Topic], rng: random.Random, start: dt.date,
                  topics_per_article: int) -> None:
    stem = f"syn{a:06d}_{rng.getrandbits(32):08x}"
    published = start + dt.timedelta(days=rng.randrange(900))
    outlet = world.outlets[rng.randrange(len(world.outlets))]
    reporter = world.reporters[rng.randrange(len(world.reporters))]
    chosen = rng.sample(pool, min(len(pool), topics_per_article))
    sentences, claims = [], []
    for topic in chosen:
        sentence, cs = topic.render(world, rng, rng.randrange(2))
        if sentence in sentences or any(sentence.count(c["quote"]) != 1 for c in cs):
            continue
        sentences.append(sentence)
        claims.extend(cs)
    # a quote must occur exactly once in the whole text
    text_body = " ".join(sentences)
    claims = [c for c in claims if text_body.count(c["quote"]) == 1]
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    headline = f"[Synthetic] Coalition drawdown: {len(claims)} details reported by {outlet['label']}"
    text = "\n\n".join(paragraphs) + f"\n\n{reporter['label']} reports for {outlet['label']}.\n"
    (out / "seeds" / f"{stem}.txt").write_text(text, encoding="utf-8")
    note = "Synthetic article written by bench/corpus.py; not a real publication."
    meta = f"""# Publication record of {stem}.txt. SYNTHETIC: written by bench/corpus.py for benchmarks.
synthetic: true
notes: {_q(note)}
title:
  value: {_q(headline)}
  determined_by: publication-record
  evidence: {_q(note)}
publisher:
  value: {_q(outlet['label'])}
  entity: {outlet['key']}
  determined_by: stated-in-text
  evidence: {_q(note + ' The last line names the outlet.')}
authors:
  value: [{_q(reporter['label'])}]
  entities: [{reporter['key']}]
  determined_by: stated-in-text
  evidence: {_q(note + ' The last line names the reporter.')}
language:
  value: en
  determined_by: stated-in-text
  evidence: {_q(note + ' The text is in English.')}
date_published:
  value: "{published.isoformat()}"
  determined_by: publication-record
  evidence: {_q(note)}
url:
  value: https://synthetic.example/{stem}
  determined_by: publication-record
  evidence: {_q(note + ' The address is invented (example domain).')}
"""
    (out / "seeds" / f"{stem}.meta.yaml").write_text(meta, encoding="utf-8")
    mapping = f"# Claims of synthetic article {stem}, written by bench/corpus.py.\nsource: {stem}\nclaims:\n"
    mapping += "\n".join(_yaml_claim(c) for c in claims) + "\n"
    (out / "mappings" / f"{stem}.yaml").write_text(mapping, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, help="how many articles")
    ap.add_argument("--out", type=Path, required=True, help="an empty or new folder")
    ap.add_argument("--seed", type=int, default=7, help="random seed (the same seed gives the same folder)")
    ap.add_argument("--topics", type=int, default=40, help="topics per article (about 1.5 claims each)")
    args = ap.parse_args()
    write_corpus(args.articles, args.out, args.seed, args.topics)
    print(f"wrote {args.articles} synthetic articles to {args.out}")


if __name__ == "__main__":
    main()
