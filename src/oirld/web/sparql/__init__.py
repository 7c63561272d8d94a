"""The SPARQL 1.1 Protocol endpoint (``/sparql``, with its query page) and the Graph Store Protocol (``/store``):
where queries and updates run (worker processes, cut off the network), how their text is checked, and how answers
are written.

Kept free of imports at package level: query worker processes import :mod:`.workers` alone, without FastAPI."""
