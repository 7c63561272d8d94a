"""The HTTP side of oirld: the SPARQL 1.1 Protocol endpoint and the Graph Store Protocol."""

__all__ = ["create_app", "ServeSettings"]


def __getattr__(name: str):
    # imported on first use, so worker processes (which import .workers only) do not load the web framework
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
