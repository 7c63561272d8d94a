"""oirld.heap: what a build keeps is frozen out of the collector's walks while the build runs, and only then."""

from __future__ import annotations

import gc

import pytest

from oirld.heap import build_scope, settle


@pytest.fixture(autouse=True)
def _thawed():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_settle_freezes_only_inside_a_build_and_the_build_gives_it_back():
    settle()
    assert gc.get_freeze_count() == 0, "a step called outside a build froze the heap, and nothing would thaw it"
    kept = [[i] for i in range(1000)]
    with build_scope():
        settle()
        assert gc.get_freeze_count() >= len(kept)
        with build_scope():  # a nested build (or a second one in another thread) does not thaw the first's
            pass
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0


def test_a_failed_build_gives_it_back_too():
    with pytest.raises(RuntimeError):
        with build_scope():
            settle()
            raise RuntimeError("the build failed")
    assert gc.get_freeze_count() == 0


def test_a_build_leaves_nothing_frozen(project):
    from oirld.pipeline import build

    from .conftest import MINI_MAPPING

    seen: list[int] = []
    build(project(MINI_MAPPING), lambda n, m: seen.append(gc.get_freeze_count()), workers=1)
    assert max(seen) > 0, "the build froze nothing"
    assert gc.get_freeze_count() == 0
