"""Fixtures for the hostile tests."""

from __future__ import annotations

from typing import Iterator

import pytest

from .recorder import Recorder


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A loopback HTTP server that records every connection and request made to it, new for each test."""
    server = Recorder()
    try:
        yield server
    finally:
        server.close()
