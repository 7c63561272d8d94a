"""Links for people: where a click on an IRI of the data should go.

The data's IRIs live under the base IRI (``https://w3id.org/oirld/`` by default), which answers only once its
redirect is registered and points at a running server. A page, the query page's answer table, a reconciliation
``view`` URL or preview that linked the IRI itself would be a dead link whenever the base IRI is not this server
(a laptop, a test, a new deployment). So links for people go to this server's own page about the IRI; when the base
IRI *is* served here (``--public-url`` equal to or under it), the IRI itself is the link, since it answers here.
The IRIs in the data, and the text that shows them, stay as they are.
"""

from __future__ import annotations

from ...config import ONTOLOGY_NS
from ..templating import safe_href

__all__ = ["KINDS", "doc_path", "person_href", "absolute_href", "served_here"]

#: the first path segment of the base IRI's resources that have documents (``/doc/<kind>/…``)
KINDS = ("id", "claim", "evidence", "value", "source", "wire", "disagreement", "current", "mapping", "build", "input")


def doc_path(iri: str, base: str) -> str | None:
    """The path of the page about ``iri`` on this server, or None for IRIs minted elsewhere."""
    if iri.startswith(ONTOLOGY_NS):
        return "/ontology#" + iri[len(ONTOLOGY_NS):]
    if iri.startswith(base):
        rest = iri[len(base):]
        if rest == "dataset":
            return "/"
        # things, claims, evidence…: their documents; the rest (dumps, the link file, the endpoint) is served as is
        return ("/doc/" if rest.split("/", 1)[0] in KINDS else "/") + rest
    return None


def person_href(iri: str, base: str) -> str | None:
    """A link on one of this server's pages: a path here for IRIs of ours, the IRI for safe ones minted elsewhere,
    None (show it as text) for anything else."""
    return doc_path(iri, base) or safe_href(iri)


def served_here(base: str, public: str) -> bool:
    """This server, at ``public``, answers for the base IRI."""
    return base.startswith(public)


def absolute_href(iri: str, base: str, public: str) -> str | None:
    """An absolute link for people that leaves this server's pages (a reconciliation view URL, a preview in another
    tool's frame): the IRI when this server answers for it, else this server's page about it at ``public``."""
    if iri.startswith(base) and served_here(base, public):
        return safe_href(iri)
    path = doc_path(iri, base)
    return public + path.lstrip("/") if path is not None else safe_href(iri)
