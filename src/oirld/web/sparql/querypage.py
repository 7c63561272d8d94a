"""The query page for people: an editor with the dataset's prefixes, example queries, and answers as a table.

Written here, no CDN and no framework: it works without JavaScript (forms and links run queries; the server renders
the table), and a few lines of script only make the example links fill the editor.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from .examples import EXAMPLES, PREFIXES
from ..common.hrefs import person_href
from ..middleware.publicurl import site_url
from ..templating import ENV

__all__ = ["render_query_page", "ROW_DISPLAY_LIMIT"]

ROW_DISPLAY_LIMIT = 1000
_DOWNLOADS_SELECT = [("json", "JSON"), ("xml", "XML"), ("csv", "CSV"), ("tsv", "TSV")]
_DOWNLOADS_GRAPH = [("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML")]


def _cell(term: dict[str, str] | None, base: str) -> dict[str, str | None]:
    if term is None:
        return {"text": "", "href": None}
    if term["type"] == "uri":
        return {"text": term["value"], "href": person_href(term["value"], base)}
    return {"text": term["value"], "href": None, "lang": term.get("xml:lang")}


def _term_cell(term: object, base: str) -> dict[str, str | None]:
    if isinstance(term, ox.NamedNode):
        return {"text": term.value, "href": person_href(term.value, base)}
    return {"text": str(getattr(term, "value", term)), "href": None}


def render_query_page(request: Request, query: str | None, response: Response | None, error: object = None,
                      status: int = 200) -> HTMLResponse:
    endpoint = site_url(request, "sparql")
    base = request.app.state.settings.base_iri  # the data's IRIs link to their pages here (oirld.web.common.hrefs)
    columns = rows = boolean = None
    truncated = False
    downloads = _DOWNLOADS_SELECT
    if response is not None:
        media = (response.headers.get("content-type") or "").split(";")[0]
        if media == "application/n-triples":
            triples = list(ox.parse(response.body, format=ox.RdfFormat.N_TRIPLES))
            columns = ["subject", "predicate", "object"]
            rows = [[_term_cell(t.subject, base), _term_cell(t.predicate, base), _term_cell(t.object, base)]
                    for t in triples[:ROW_DISPLAY_LIMIT]]
            truncated = len(triples) > ROW_DISPLAY_LIMIT
            downloads = _DOWNLOADS_GRAPH
        else:
            data = json.loads(response.body)
            if "boolean" in data:
                columns, rows, boolean = [], [], data["boolean"]
            else:
                columns = data["head"]["vars"]
                bindings = data["results"]["bindings"]
                rows = [[_cell(b.get(c), base) for c in columns] for b in bindings[:ROW_DISPLAY_LIMIT]]
                truncated = len(bindings) > ROW_DISPLAY_LIMIT
    html = ENV.get_template("query.html").render(
        title="SPARQL results" if response is not None else "SPARQL query", endpoint=endpoint, examples=EXAMPLES,
        query=query if query is not None else PREFIXES + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 20",
        columns=columns, rows=rows or [], boolean=boolean, truncated=truncated, downloads=downloads, error=error,
    )
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept"})
