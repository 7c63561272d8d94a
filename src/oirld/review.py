"""``oirld review``: what a person still has to check, per article.

Two kinds of thing are unreviewed: mapping lines that still say ``draft: true`` (a machine read the claim), and
registry entries a command added whose ``added`` record does not say ``reviewed: true``. Both are read from the
files as they are, without building, so the list is right even while a draft does not compile yet.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .errors import DataError, Location, RunError
from .registry import load_registry
from .seeds import load_seed
from .yamlio import line_of, load_yaml

__all__ = ["DraftLine", "AddedEntry", "ArticleReview", "unreviewed"]


@dataclass(frozen=True)
class DraftLine:
    file: str
    line: int
    about: str
    property: str
    value: str
    quote: str
    rule: str | None
    confidence: float | None


@dataclass(frozen=True)
class AddedEntry:
    key: str
    label: str
    types: tuple[str, ...]
    by: str
    date: str
    note: str
    where: str


@dataclass
class ArticleReview:
    #: the seed's name; None for registry entries tied to no article
    name: str | None
    claims: list[DraftLine] = field(default_factory=list)
    entities: list[AddedEntry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def unreviewed(config: Config, name: str | None = None) -> list[ArticleReview]:
    """Every article with something left to review (only ``name`` when given), then entries tied to no article."""
    seeds = sorted(p.stem for p in config.seeds_dir.glob("*.txt") if not p.name.startswith("."))
    if name is not None and name not in seeds:
        raise RunError(f"no seed named {name!r} in {config.seeds_dir}", hint="oirld review without a name lists every article")
    reviews = {s: ArticleReview(s) for s in seeds}
    for path in sorted(config.mappings_dir.glob("*.yaml")):
        doc = load_yaml(path)
        if not isinstance(doc, dict) or str(doc.get("source")) not in reviews:
            continue
        rel = _rel(path, config)
        for item in doc.get("claims") or []:
            if isinstance(item, dict) and item.get("draft") is True:
                conf = item.get("confidence")
                reviews[str(doc["source"])].claims.append(DraftLine(
                    rel, line_of(item) or 0, str(item.get("about", "")), str(item.get("property", "")),
                    str(item.get("value", "")) if item.get("value") is not None else "", str(item.get("quote", "")),
                    str(item["rule"]) if item.get("rule") else None,
                    float(conf) if isinstance(conf, (int, float)) and not isinstance(conf, bool) else None))
    registry = load_registry(config.ontology_dir / "registry")
    owners: dict[str, str] = {}
    for s in seeds:  # entries without a source: the article whose metadata names them
        try:
            seed = load_seed(config.seeds_dir / f"{s}.txt")
        except DataError:
            continue
        for f in ("publisher", "authors"):
            for key in seed.meta[f].entities:
                owners.setdefault(key, s)
    loose = ArticleReview(None)
    for ent in registry.entities.values():
        if not ent.unreviewed or ent.added is None:
            continue
        entry = AddedEntry(ent.key, ent.label, tuple(ent.types), ent.added.by, ent.added.date, ent.added.note,
                           str(Location(_rel(Path(ent.where.path), config), ent.where.line)))
        owner = ent.added.source if ent.added.source in reviews else owners.get(ent.key)
        (reviews[owner] if owner else loose).entities.append(entry)
    out = [r for s, r in reviews.items() if (name is None or s == name) and (r.claims or r.entities)]
    if name is None and loose.entities:
        out.append(loose)
    return out


def _rel(path: Path, config: Config) -> str:
    try:
        return str(path.resolve().relative_to(config.home))
    except ValueError:
        return str(path)
