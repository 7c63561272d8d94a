"""A saved web page's publication record and article text, read offline.

The record comes from what the page says about itself, in this order of trust: schema.org JSON-LD of an article
type, Open Graph and article:* properties, plain meta tags (author, date, Dublin Core, citation_*), the canonical
link, the ``<html lang>`` and the ``<title>``. Each value keeps where it was read, so the seed's metadata can say so.
The article body is trafilatura's (precision first, no comments, no tables); a page where it finds no body of some
length has none.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PageRecord", "Found", "read_page", "decode_page", "MIN_BODY_WORDS"]

#: a body shorter than this is navigation, a teaser or a paywall notice, not an article
MIN_BODY_WORDS = 60

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "backgroundnewsarticle",
                  "opinionnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report", "webpage"}


@dataclass(frozen=True)
class Found:
    value: Any
    #: where in the page: 'JSON-LD NewsArticle "headline"', 'meta property="og:title"', ...
    where: str


@dataclass
class PageRecord:
    text: str | None
    title: Found | None = None
    authors: Found | None = None
    #: authors that JSON-LD types as an organisation (an agency byline)
    organisations: set[str] = field(default_factory=set)
    date: Found | None = None
    publisher: Found | None = None
    url: Found | None = None
    language: Found | None = None
    extractor: str = ""


def _jsonld_items(doc: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            out.append(node)
            if "@graph" in node:
                stack.append(node["@graph"])
    return out


def _types(item: dict[str, Any]) -> set[str]:
    t = item.get("@type", [])
    return {str(x).rsplit("/", 1)[-1].lower() for x in (t if isinstance(t, list) else [t])}


def _names(value: Any) -> list[tuple[str, bool]]:
    """(name, is an organisation) of a JSON-LD person/organisation value, a list of them, or plain strings."""
    out = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            name = v.get("name")
            if isinstance(name, str) and name.strip():
                out.append((_clean(name), "organization" in _types(v) or "newsmediaorganization" in _types(v)))
        elif isinstance(v, str) and v.strip() and not v.startswith("http"):
            out.append((_clean(v), False))
    return out


def _clean(text: str) -> str:
    return " ".join(text.split())


def _date(value: Any) -> str | None:
    """The date part of an ISO date-time as the page writes it (the publisher's own day, time zone not applied)."""
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", str(value or ""))
    return m.group(1) if m else None


def _json(script: str) -> Any:
    """A JSON-LD block's data, as lenient as pages need (raw newlines in strings, wrappers, trailing commas), or
    None when it is not JSON at all."""
    for text in (script, _unwrap(script)):
        try:
            return json.loads(text, strict=False)
        except (ValueError, TypeError, RecursionError):
            continue
    return None


def _unwrap(script: str) -> str:
    """A JSON-LD block as JSON: without the HTML comment or CDATA wrapper old templates put around scripts, and
    without trailing commas before a closing bracket."""
    body = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", script)
    body = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", body)
    return re.sub(r",(\s*[}\]])", r"\1", body)


def decode_page(html: bytes) -> str:
    """The page as text: its byte-order mark, else the charset it declares, else UTF-8 if it decodes, else
    Windows-1252 (what an undeclared legacy page almost always is); undecodable bytes become U+FFFD."""
    if html.startswith(codecs.BOM_UTF8):
        return html[3:].decode("utf-8", "replace")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if html.startswith(bom):
            return html[2:].decode(codec, "replace")
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", html[:8192], re.I)
    if declared:
        try:
            return html.decode(declared.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        return html.decode("cp1252", "replace")


def read_page(raw: bytes) -> PageRecord:
    import lxml.html
    import trafilatura

    # lxml refuses text that still declares an encoding
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_page(raw))
    tree = lxml.html.document_fromstring(html)
    text = trafilatura.extract(html, favor_precision=True, include_comments=False, include_tables=False,
                               output_format="txt", deduplicate=False)
    body = text if text and len(text.split()) >= MIN_BODY_WORDS else None
    rec = PageRecord(text=body, extractor=f"trafilatura {getattr(trafilatura, '__version__', '')}".strip())

    def first(*found: Found | None) -> Found | None:
        return next((f for f in found if f is not None and f.value not in (None, "", [])), None)

    article: dict[str, Any] = {}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        doc = _json(script.text_content())
        if doc is None:
            continue
        for item in _jsonld_items(doc):
            if _types(item) & _ARTICLE_TYPES and not (article and "webpage" in _types(item)):
                article = item
                if _types(item) - {"webpage"}:
                    break
    raw_type = article.get("@type", "") if article else ""
    kind = str(raw_type[0] if isinstance(raw_type, list) and raw_type else raw_type).rsplit("/", 1)[-1]
    jl = (lambda key: f'JSON-LD {kind} "{key}"')

    def meta(attr: str, *names: str) -> Found | None:
        for name in names:
            for el in tree.xpath(f'//meta[@{attr}=$n]', n=name):
                content = _clean(el.get("content") or "")
                if content:
                    return Found(content, f'meta {attr}="{name}"')
        return None

    if article:
        if isinstance(article.get("headline"), str):
            rec.title = Found(_clean(article["headline"]), jl("headline"))
        names = _names(article.get("author"))
        if names:
            rec.authors = Found([n for n, _ in names], jl("author"))
            rec.organisations = {n for n, org in names if org}
        if _date(article.get("datePublished")):
            rec.date = Found(_date(article["datePublished"]), jl("datePublished"))
        pub = _names(article.get("publisher"))
        if pub:
            rec.publisher = Found(pub[0][0], jl("publisher"))
        lang = article.get("inLanguage")
        if isinstance(lang, str) and lang.strip():
            rec.language = Found(lang.strip(), jl("inLanguage"))
        entity_of = article.get("mainEntityOfPage")
        url = article.get("url") or (entity_of.get("@id") if isinstance(entity_of, dict) else entity_of)
        if isinstance(url, str) and url.startswith("http"):
            rec.url = Found(url, jl("url"))
    rec.title = first(rec.title, meta("property", "og:title"), meta("name", "twitter:title", "citation_title", "dc.title", "DC.title"))
    authors = meta("name", "author", "citation_author", "dc.creator", "DC.creator", "byl")
    if authors is not None:
        authors = Found([_clean(a) for a in re.split(r"\s*(?:;|\band\b|,)\s*", re.sub(r"^By\s+", "", authors.value)) if a.strip()],
                        authors.where)
    article_author = meta("property", "article:author")
    if article_author is not None and article_author.value.startswith("http"):
        article_author = None
    rec.authors = first(rec.authors, authors, Found([article_author.value], article_author.where) if article_author else None)
    date = meta("property", "article:published_time") or meta("name", "date", "pubdate", "publishdate", "citation_publication_date",
                                                                "dc.date", "DC.date", "dcterms.created", "article.published")
    rec.date = first(rec.date, Found(_date(date.value), date.where) if date and _date(date.value) else None)
    rec.publisher = first(rec.publisher, meta("property", "og:site_name"), meta("name", "publisher", "dc.publisher", "DC.publisher",
                                                                                 "citation_publisher", "application-name"))
    canonical = next((Found(str(href), 'link rel="canonical"') for href in tree.xpath('//link[@rel="canonical"]/@href')
                      if href.startswith("http")), None)
    og_url = meta("property", "og:url")
    rec.url = first(canonical, rec.url, og_url if og_url and og_url.value.startswith("http") else None)
    html_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    og_locale = meta("property", "og:locale")
    rec.language = first(rec.language, Found(html_lang.strip(), "html lang") if html_lang and html_lang.strip() else None,
                         Found(og_locale.value.replace("_", "-"), og_locale.where) if og_locale else None)
    if rec.title is None:
        title = next((_clean(t.text_content()) for t in tree.xpath("//head/title")), "")
        if title:
            rec.title = Found(title, "the page's <title>")
    return rec
