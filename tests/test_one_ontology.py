"""The server parses the ontology once and hands that copy to everything that reads it (issue 13, item 2): the
reconciler's class hierarchy, data extension's property names, the pages' labels and the vocabulary pages."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from oirld.store import open_store
from oirld.web import ServeSettings, create_app

from .conftest import ROOT, asgi_client

pytestmark = pytest.mark.anyio
ONTOLOGY = ROOT / "ontology" / "oirld.ttl"


async def test_the_ontology_file_is_parsed_once(built, monkeypatch):
    data = ONTOLOGY.read_bytes()
    reads: list[str] = []
    real_parse, real_graph_parse = pyoxigraph.parse, rdflib.Graph.parse

    def parse(*args, **kwargs):
        source = kwargs.get("path") or (args[0] if args else kwargs.get("input"))
        if (isinstance(source, (str, Path)) and Path(source).resolve() == ONTOLOGY.resolve()) or source == data:
            reads.append("pyoxigraph.parse")
        return real_parse(*args, **kwargs)

    def graph_parse(self, source=None, *args, **kwargs):
        if source is not None and str(source).endswith("oirld.ttl"):
            reads.append("rdflib.Graph.parse")
        return real_graph_parse(self, source, *args, **kwargs)

    monkeypatch.setattr(pyoxigraph, "parse", parse)
    monkeypatch.setattr(rdflib.Graph, "parse", graph_parse)
    app = create_app(ServeSettings(ontology_path=str(ONTOLOGY)), open_store(built.path / "store"))
    async with asgi_client(app) as c:
        assert (await c.get("/ontology", headers={"Accept": "text/html"})).status_code == 200
        page = await c.get("/doc/id/united-states", headers={"Accept": "text/html"})
        assert page.status_code == 200 and ">troops deployed<" in page.text  # the ontology's label
        query = {"ids": ["oir-phase-1"], "properties": [{"id": "phaseOf"}]}
        r = await c.post("/reconcile", data={"extend": json.dumps(query)})
        assert r.status_code == 200 and r.json()["meta"][0]["name"] != "phaseOf"
        types = (await c.get("/reconcile/propose_properties", params={"type": "Event"}))
        assert types.status_code == 200
    assert reads == ["pyoxigraph.parse"], reads
