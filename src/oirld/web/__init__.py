"""The HTTP side of oirld: the SPARQL 1.1 Protocol endpoint and the Graph Store Protocol."""

from .app import ServeSettings, create_app

__all__ = ["create_app", "ServeSettings"]
