"""Helpers the routers of several concerns share: reading client input strictly (:mod:`.inputs`) within the limits
(:mod:`.limits`), CPU work off the event loop (:mod:`.offload`), content negotiation (:mod:`.negotiation`), RDF out
(:mod:`.rdfout`) and links for people (:mod:`.hrefs`).

Kept free of imports at package level: query worker processes and ``oirld add`` import single modules of ``web``."""
