"""``oirld add``: a new article becomes a seed, ``seeds/NAME.txt`` with ``seeds/NAME.meta.yaml``.

A plain-text article is kept byte for byte (offsets are counted in it). A saved web page gives its article text
(see :mod:`oirld.pagemeta`) and its publication record. Every field of the record says how it was determined:
``given`` (an option of the command, which always wins), ``page-metadata``, ``stated-in-text`` (a headline on the
first line, a byline), ``inferred`` (a date in the address, a headline read back from the address, the language from
the text's words) or ``unknown``. A publisher or author the registry lacks becomes a new registry entry, marked
added and unreviewed, so the next build passes.

Everything is checked before anything is written; a refusal names the file and leaves the project as it was.
Problems of the input (not UTF-8, mis-decoded, empty, no article body, another language) are DataErrors (exit 1);
problems of the command (a name taken, a bad date, URL, language tag or name) are RunErrors (exit 2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import Config
from .errors import DataError, Location, RunError
from .language import guess, mismatch
from .ontology import load_ontology
from .registry import NewEntry, Registry, add_entities, entity_key, load_registry, normalize_name
from .seeds import check_decoding, date_span, decode_text, load_seed

__all__ = ["AddRequest", "AddResult", "add_article", "default_name", "NAME_PATTERN"]

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_PUBLISHER_TYPES = {"NewsOrganization", "ResearchOrganization", "GovernmentBody", "MilitaryCommand"}
_AUTHOR_TYPES = {"Person", "NewsOrganization", "ResearchOrganization"}
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|$)")


@dataclass(frozen=True)
class AddRequest:
    path: Path
    name: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    language: str | None = None
    force: bool = False


@dataclass(frozen=True)
class AddResult:
    name: str
    text_path: Path
    meta_path: Path
    html: bool
    #: registry keys of the entries this run added (unreviewed)
    new_entities: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class _Field:
    value: Any
    how: str
    evidence: str
    entities: list[str] = field(default_factory=list)


def default_name(seeds_dir: Path, raw: bytes) -> str:
    """``NNN_<16 hex>`` as the existing seeds are named: the next free three-digit number, then the start of the
    SHA-256 of the bytes as given."""
    numbers = [int(m.group(1)) for p in seeds_dir.glob("*.txt") if (m := re.match(r"^(\d{3,})_", p.name))]
    return f"{max(numbers, default=-1) + 1:03d}_{hashlib.sha256(raw).hexdigest()[:16]}"


def _is_html(path: Path, raw: bytes) -> bool:
    if path.suffix.lower() in _HTML_SUFFIXES:
        return True
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _check_options(req: AddRequest) -> None:
    where = Location(req.path)  # what was being added
    if req.name is not None and not NAME_PATTERN.match(req.name):
        raise RunError(f"--name {req.name!r} is not a usable seed name", where,
                       hint="use letters, digits, '-' and '_' (e.g. 005_reuters-2025-01-15); leave it out for NNN_<hash>")
    if req.date is not None:
        try:
            date_span(req.date)
        except ValueError:
            raise RunError(f"--date {req.date!r} is not a date", where,
                           hint="give YYYY-MM-DD, YYYY-MM or YYYY: the precision you know") from None
    if req.url is not None and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", req.url):
        raise RunError(f"--url {req.url!r} is not an http(s) address", where,
                       hint="give the article's address, e.g. https://example.org/news/1")
    if req.language is not None and not _LANG.match(req.language):
        raise RunError(f"--language {req.language!r} is not a language tag", where,
                       hint="give a BCP 47 tag such as en, fr or ar")
    for what, value in (("--title", req.title), ("--publisher", req.publisher), *(("--author", a) for a in req.authors)):
        if value is not None and not value.strip():
            raise RunError(f"{what} is empty", where,
                           hint=f"leave {what} out when it is not known")


def _first_line_headline(text: str) -> str | None:
    """The first line, when it reads as a headline: short, several words, not ending a sentence, more text after."""
    lines = text.split("\n")
    first = lines[0].strip().lstrip("\ufeff")
    rest = "\n".join(lines[1:]).strip()
    words = first.split()
    if not rest or not 3 <= len(words) <= 30 or len(first) > 200 or first.endswith((".", ",", ";", ":", "…")):
        return None
    if first.startswith(("“", '"', "'", "‘")):
        return None
    return first


def _byline(text: str) -> list[str] | None:
    for line in text.split("\n")[:6]:
        m = re.match(r"^\s*By\s+([A-Z][^\n]{1,100}?)\s*$", line)
        if m and not m.group(1).endswith("."):
            names = [n.strip() for n in re.split(r",\s*|\s+and\s+", m.group(1)) if n.strip()]
            if names and all(_looks_like_a_name(n) for n in names):
                return names
    return None


_PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "da", "di", "van", "von", "der", "le", "la", "du"}


def _looks_like_a_name(words: str) -> bool:
    """Two to five capitalised words (particles such as al-, bin, van allowed), no digits: 'Jane Roe', 'Omar al-Said'."""
    parts = words.split()
    return 2 <= len(parts) <= 5 and not any(c.isdigit() for c in words) and all(
        p[0].isupper() or p.split("-")[0].lower() in _PARTICLES for p in parts)


def _slug_title(url: str) -> tuple[str, str] | None:
    path = re.sub(r"[?#].*$", "", url).rstrip("/")
    slug = re.sub(r"\.(s?html?|php|aspx?)$", "", path.rsplit("/", 1)[-1])
    slug = re.sub(r"^\d+[-_]", "", slug)
    words = [w for w in re.split(r"[-_]+", slug) if w]
    if len(words) < 4 or not all(re.fullmatch(r"[A-Za-z0-9']+", w) for w in words) or sum(w.isalpha() for w in words) < 3:
        return None
    title = " ".join(words)
    return title[0].upper() + title[1:], slug


class _Names:
    """Registry look-up for publishers and authors: the registry's own folding, then the reconciliation folding
    (Mohamed = Mohammed) when it points to exactly one entity."""

    def __init__(self, registry: Registry) -> None:
        from .web.reconcile.transliterate import fold

        self.registry, self.fold = registry, fold
        self.folded: dict[str, set[str]] = {}
        for ent in registry.entities.values():
            for name in ent.names():
                self.folded.setdefault(fold(name), set()).add(ent.key)

    def find(self, name: str) -> str | None:
        found = self.registry.find(name)
        if found:
            return found.key
        keys = self.folded.get(self.fold(name), set())
        return next(iter(keys)) if len(keys) == 1 else None


def add_article(config: Config, req: AddRequest, today: dt.date | None = None) -> AddResult:
    _check_options(req)
    today = today or dt.date.today()
    path = req.path
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RunError(f"cannot read {path}: {exc.strerror}", hint="give the path of a saved article (.txt or .html)") from None
    seeds_dir = config.seeds_dir
    if not seeds_dir.is_dir():
        raise RunError(f"no seeds folder in {config.home}", hint="run oirld add in the project folder (or set OIRLD_HOME)")
    html = _is_html(path, raw)
    warnings: list[str] = []
    page = None
    if html:
        from .pagemeta import read_page

        page = read_page(raw)
        if page.text is None:
            raise DataError("the page has no article body (the extractor found no text of article length)", Location(path),
                            "save the article's own page (not an index, a paywall notice or an app shell), or give its text as a .txt file")
        text = page.text if page.text.endswith("\n") else page.text + "\n"
        check_decoding(text, path, "save the page again with its charset, or give the text as a UTF-8 .txt file")
        if "\ufffd" in text:
            line = text.count("\n", 0, text.index("\ufffd")) + 1
            raise DataError(f"the page has bytes its charset cannot decode (U+FFFD in line {line} of the article text)",
                            Location(path), "save the page again with its charset, or give the text as a UTF-8 .txt file")
        data = text.encode("utf-8")
    else:
        text = decode_text(raw, path)
        check_decoding(text, path, "convert the file to UTF-8 from the encoding it was saved in, or fix the characters named")
        data = raw
    if not text.strip():
        raise DataError("the article is empty", Location(path), "give a file with the article's text")

    name = req.name or default_name(seeds_dir, raw)
    text_path, meta_path = seeds_dir / f"{name}.txt", seeds_dir / f"{name}.meta.yaml"
    if not req.force:
        for p in (text_path, meta_path):
            if p.exists():
                raise RunError(f"{p.relative_to(config.home)} exists already", Location(p),
                               "choose another --name, or give --force to replace the seed (its mapping is kept)")
        for other in seeds_dir.glob("*.txt"):
            if other != text_path and other.read_bytes() == data:
                raise RunError(f"this article is already a seed: {other.relative_to(config.home)}", Location(path),
                               "there is nothing to add; give --force to add it again under another name")
    source = f"the saved page {path.name}" if html else f"the text {path.name}"
    fields = _record(req, text, page, source)
    lang = fields["language"].value
    if lang:
        problem = mismatch(text, str(lang))
        if problem:
            raise DataError(f"the text is not in the language declared: {problem}", Location(path),
                            "give the right --language, or check that the file is the article you meant")

    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry_dir = config.ontology_dir / "registry"
    registry = load_registry(registry_dir, ontology.classes)
    new = _entities(fields, registry, page.organisations if page else set(), name, warnings)

    doc = _meta_doc(fields)
    if page is not None:
        doc["notes"] = (f"Text extracted by {page.extractor} from the saved page {path.name} "
                        f"(SHA-256 {hashlib.sha256(raw).hexdigest()}); offsets count in this text, not in the page.")
    header = (f"# Publication record of {name}.txt, written by oirld add on {today.isoformat()} from {path.name}.\n"
              "# Each field says how it was determined; check them, and the text, before relying on them.\n")
    meta_text = header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110)
    tmp_text, tmp_meta = seeds_dir / f".{name}.adding.txt", seeds_dir / f".{name}.adding.meta.yaml"
    try:
        tmp_text.write_bytes(data)
        tmp_meta.write_text(meta_text, encoding="utf-8")
        load_seed(tmp_text)  # what the build will read, read now
        add_entities(registry_dir, new, ontology.classes, today)
        os.replace(tmp_meta, meta_path)
        os.replace(tmp_text, text_path)
    finally:
        for tmp in (tmp_text, tmp_meta):
            tmp.unlink(missing_ok=True)
    if req.force and (config.mappings_dir / f"{name}.yaml").is_file():
        warnings.append(f"mappings/{name}.yaml was kept: check that its quotes are still in the new text")
    return AddResult(name, text_path, meta_path, html, tuple(e.key for e in new), tuple(warnings))


def _record(req: AddRequest, text: str, page: Any, source: str) -> dict[str, _Field]:
    def given(option: str, value: Any) -> _Field:
        return _Field(value, "given", f"Given when the article was added (oirld add {option}).")

    def from_page(found: Any) -> _Field:
        return _Field(found.value, "page-metadata", f"Read from {source}: {found.where}.")

    unknown_why = "Not given, and not found in the page's metadata or in the text." if page else "Not given, and not found in the text."
    out: dict[str, _Field] = {}
    # title
    headline = _first_line_headline(text)
    slug = _slug_title(req.url or (page.url.value if page and page.url else "") or "")
    if req.title:
        out["title"] = given("--title", req.title.strip())
    elif page and page.title:
        out["title"] = from_page(page.title)
    elif headline:
        out["title"] = _Field(headline, "stated-in-text", "The first line of the text, read as its headline.")
    elif slug:
        out["title"] = _Field(slug[0], "inferred", f"Read back from the address slug {slug[1]!r}; words, capitals and "
                                                    "punctuation of the real headline are unverified.")
    else:
        out["title"] = _Field(None, "unknown", unknown_why)
    # publisher
    if req.publisher:
        out["publisher"] = given("--publisher", req.publisher.strip())
    elif page and page.publisher:
        out["publisher"] = from_page(page.publisher)
    else:
        out["publisher"] = _Field(None, "unknown", unknown_why)
    # authors
    byline = _byline(text)
    if req.authors:
        out["authors"] = given("--author", [a.strip() for a in req.authors])
    elif page and page.authors:
        out["authors"] = from_page(page.authors)
    elif byline:
        out["authors"] = _Field(byline, "stated-in-text", f"The byline “By {', '.join(byline)}” in the text.")
    else:
        out["authors"] = _Field([], "unknown", unknown_why)
    # language
    if req.language:
        out["language"] = given("--language", req.language)
    elif page and page.language and _LANG.match(page.language.value.lower()):
        out["language"] = _Field(page.language.value.lower(), "page-metadata", f"Read from {source}: {page.language.where}.")
    else:
        read = guess(text)
        if read is None:
            raise DataError("the language of the text is not clear from its words, and none was given", Location(req.path),
                            "give --language (a BCP 47 tag such as en)")
        out["language"] = _Field(read[0], "inferred", f"Read from the text: {read[1]}.")
    # date
    url_value = req.url or (page.url.value if page and page.url else None)
    url_date = _URL_DATE.search(url_value or "")
    if req.date:
        out["date_published"] = given("--date", req.date)
    elif page and page.date and _valid_date(page.date.value):
        out["date_published"] = from_page(page.date)
    elif url_date and _valid_date(d := f"{url_date.group(1)}-{int(url_date.group(2)):02d}-{int(url_date.group(3)):02d}"):
        out["date_published"] = _Field(d, "inferred", f"The address has the date ({url_date.group(0).rstrip('/')}/); "
                                                      "the day of publication is otherwise unconfirmed.")
    else:
        out["date_published"] = _Field(None, "unknown", unknown_why)
    # url
    if req.url:
        out["url"] = given("--url", req.url)
    elif page and page.url:
        out["url"] = from_page(page.url)
    else:
        out["url"] = _Field(None, "unknown", unknown_why)
    return out


def _valid_date(value: str) -> bool:
    try:
        date_span(value)
        return True
    except ValueError:
        return False


def _entities(fields: dict[str, _Field], registry: Registry, organisations: set[str], name: str,
              warnings: list[str]) -> list[NewEntry]:
    """Registry keys for the publisher and the authors, and the entries to add for those the registry lacks."""
    names = _Names(registry)
    taken = set(registry.entities)
    new: list[NewEntry] = []
    pending: dict[str, str] = {}  # folded name -> key of an entry added in this run

    def key_for(label: str, fits: set[str], types: tuple[str, ...], role: str) -> str | None:
        norm = normalize_name(label)
        if norm in pending:
            return pending[norm]
        key = names.find(label)
        if key:
            if set(registry[key].types) & fits:
                return key
            warnings.append(f"{role} {label!r} is the name of {key} ({', '.join(registry[key].types)}), which cannot be a {role}; "
                            "it is recorded as text, with no entity")
            return None
        key = entity_key(label, taken)
        taken.add(key)
        pending[norm] = key
        new.append(NewEntry(key, label, types, by="oirld add", note=f"{role} of seeds/{name}.txt", source=name))
        return key

    pub = fields["publisher"]
    if pub.value:
        key = key_for(str(pub.value), _PUBLISHER_TYPES, ("NewsOrganization",), "publisher")
        pub.entities = [key] if key else []
    authors = fields["authors"]
    if authors.value:
        keys = [key_for(a, _AUTHOR_TYPES, ("NewsOrganization",) if a in organisations else ("Person",), "author")
                for a in authors.value]
        # the build pairs authors and entities by position: all or none
        authors.entities = [k for k in keys if k] if all(keys) else []
    return new


def _meta_doc(fields: dict[str, _Field]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for name, f in fields.items():
        item: dict[str, Any] = {"value": f.value}
        if f.entities and name == "publisher":
            item["entity"] = f.entities[0]
        elif f.entities:
            item["entities"] = f.entities
        item["determined_by"] = f.how
        item["evidence"] = f.evidence
        doc[name] = item
    return doc
