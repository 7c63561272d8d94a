"""oirld: linked open data on what the news says about the end of Operation Inherent Resolve."""

from __future__ import annotations

__version__ = "0.3.0"

__all__ = ["__version__"]
