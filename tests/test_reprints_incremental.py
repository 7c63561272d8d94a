"""The wire-copy search of a rebuild compares only the pairs of texts it has not compared before
(oirld.reprints ``pairs``, kept by oirld.globalparts.cached_reprints), and finds exactly what a search from scratch
finds: after a text is added, removed or changed, after a representative changes so its reprints regroup, and
after a date change reorders who comes first."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest

from oirld import reprints
from oirld.globalparts import PAIRS_FILE, cached_reprints
from oirld.reprints import find_reprints
from oirld.seeds import load_seed

FIXTURES = Path(__file__).parent / "fixtures"
RNG = random.Random(11)
VOCABULARY = [f"w{i}" for i in range(2500)]
STOCK = "The US-led coalition was formed in 2014 to fight the Islamic State group in Iraq and Syria, officials said."


def _story() -> str:
    return STOCK + "\n\n" + " ".join(RNG.choice(VOCABULARY) for _ in range(220)) + "."


def _write(folder: Path, stem: str, text: str, day: str = "2024-09-28") -> None:
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    meta = (FIXTURES / "wire" / "reprint.meta.yaml").read_text(encoding="utf-8").replace("2024-09-28", day)
    (folder / f"{stem}.meta.yaml").write_text(meta, encoding="utf-8")


def _seeds(folder: Path) -> list:
    return [load_seed(p) for p in sorted(folder.glob("*.txt"))]


@pytest.fixture
def corpus(tmp_path):
    """Twenty stories; a02 reprinted byte for byte (b02) and edited (c02, d02), a05 cut and given a dateline (b05)."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    texts = {f"a{i:02d}": _story() for i in range(20)}
    texts["b02"] = texts["a02"]
    texts["c02"] = "BAGHDAD (AP) - " + texts["a02"][: int(len(texts["a02"]) * 0.85)]
    texts["d02"] = texts["a02"].replace("w1", "w9", 3) + " An added closing sentence here."
    texts["b05"] = "By a staff writer. " + texts["a05"][: int(len(texts["a05"]) * 0.7)]
    for stem, text in texts.items():
        _write(folder, stem, text)
    return folder, texts


def _counted(monkeypatch) -> list[int]:
    calls = [0]
    real = reprints._pair_score

    def score(a, b):
        calls[0] += 1
        return real(a, b)

    monkeypatch.setattr(reprints, "_pair_score", score)
    return calls


def _check(folder: Path, cache: Path, calls: list[int] | None = None) -> tuple:
    seeds = _seeds(folder)
    got = cached_reprints(seeds, cache)
    counted = calls[0] if calls else 0
    assert got == find_reprints(seeds), "the incremental search differs from one from scratch"
    if calls:
        calls[0] = counted  # only the incremental search's comparisons count
    return tuple(s.members for s in got.stories)


def test_a_rebuild_finds_what_a_search_from_scratch_finds_after_every_kind_of_change(corpus, tmp_path, monkeypatch):
    folder, texts = corpus
    cache = tmp_path / "cache"
    calls = _counted(monkeypatch)
    assert _check(folder, cache, calls) == (("a02", "b02", "c02", "d02"), ("a05", "b05"))
    first = calls[0]
    assert first > 0
    calls[0] = 0
    assert _check(folder, cache, calls) == (("a02", "b02", "c02", "d02"), ("a05", "b05"))
    assert calls[0] == 0, "an unchanged corpus compared texts again"

    # an added text: a new reprint of a07, and a new story
    _write(folder, "e07", texts["a07"][40:] + " More words at the end of it.")
    _write(folder, "f00", _story())
    assert _check(folder, cache, calls) == (("a02", "b02", "c02", "d02"), ("a05", "b05"), ("a07", "e07"))
    assert calls[0] < first, "an added text made the rebuild compare every pair again"

    # a removed text: the representative of a story goes, its reprints regroup around the next one
    (folder / "a02.txt").unlink()
    (folder / "a02.meta.yaml").unlink()
    assert _check(folder, cache, calls) == (("a05", "b05"), ("a07", "e07"), ("b02", "c02", "d02"))

    # a changed text: a reprint becomes its own story, another text becomes a reprint of a09
    _write(folder, "b05", _story())
    _write(folder, "a11", "WASHINGTON - " + texts["a09"])
    assert _check(folder, cache, calls) == (("a07", "e07"), ("a09", "a11"), ("b02", "c02", "d02"))

    # a date change reorders: d02, now the first published, represents the story the others reprint
    _write(folder, "d02", (folder / "d02.txt").read_text(encoding="utf-8"), day="2024-01-02")
    assert _check(folder, cache, calls)[-1] == ("d02", "b02", "c02")

    # the representative's text changes: its former reprints find each other
    _write(folder, "d02", _story(), day="2024-01-02")
    assert _check(folder, cache, calls)[-1] == ("b02", "c02")


def test_pairs_of_texts_that_are_gone_are_not_kept(corpus, tmp_path):
    folder, _ = corpus
    cache = tmp_path / "cache"
    _check(folder, cache)
    gone = load_seed(folder / "a05.txt").text_sha256
    (folder / "a05.txt").unlink()
    _check(folder, cache)
    pairs = pickle.loads((cache / PAIRS_FILE).read_bytes())["pairs"]
    assert pairs and gone not in pairs and all(gone not in m for m in pairs.values())


def test_pairs_from_another_version_of_the_search_are_not_read(corpus, tmp_path):
    """A kept answer is only used under the marker it was written with (oirld version and thresholds)."""
    folder, _ = corpus
    cache = tmp_path / "cache"
    cache.mkdir()
    seeds = _seeds(folder)
    wrong = {s.text_sha256: {t.text_sha256: None for t in seeds} for s in seeds}  # "nothing matches"
    (cache / PAIRS_FILE).write_bytes(pickle.dumps({"marker": "0|old", "pairs": wrong}))
    assert cached_reprints(seeds, cache) == find_reprints(seeds)
