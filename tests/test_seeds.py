import hashlib
import shutil
from pathlib import Path

import pytest

from oirld.errors import DataError
from oirld.seeds import load_seed, load_seeds

from .conftest import ROOT, SEED


def test_the_five_seeds_are_the_shared_articles_byte_for_byte():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for original in sorted(shared.glob("*.txt")):
        assert (ROOT / "seeds" / original.name).read_bytes() == original.read_bytes()


def test_every_seed_loads_with_metadata_and_both_hashes():
    seeds = load_seeds(ROOT / "seeds")
    assert [s.path.name for s in seeds] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    for s in seeds:
        assert s.bytes_sha256 == hashlib.sha256(s.path.read_bytes()).hexdigest()
        assert s.text_sha256 == hashlib.sha256(s.text.encode()).hexdigest()
        assert set(s.meta) == {"title", "publisher", "authors", "language", "date_published", "url"}


def test_the_misdecoded_seed_is_repaired_without_moving_offsets():
    s = load_seed(ROOT / "seeds" / "001_2f6905f1a8d1b6b7.txt")
    raw = s.path.read_bytes().decode("utf-8")
    assert "Â" in raw and "Â" not in s.text
    assert len(raw) == len(s.text)
    assert s.bytes_sha256 != s.text_sha256


def _copy(tmp_path: Path, stem: str = SEED) -> Path:
    for suffix in (".txt", ".meta.yaml"):
        shutil.copy(ROOT / "seeds" / f"{stem}{suffix}", tmp_path / f"{stem}{suffix}")
    return tmp_path / f"{stem}.txt"


def test_undecodable_text_names_file_and_line(tmp_path):
    path = _copy(tmp_path)
    path.write_bytes(b"first line\nsecond \xff line\n")
    with pytest.raises(DataError) as err:
        load_seed(path)
    assert f"{path}:2" in str(err.value) and "UTF-8" in str(err.value)


def test_misdecoded_text_without_a_declared_repair_is_refused(tmp_path):
    path = _copy(tmp_path)
    path.write_text("line one\nthe nations.Â\nline three\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_seed(path)
    assert f"{path}:2" in str(err.value) and "mis-decoded" in str(err.value)
    assert "text_repairs" in err.value.hint


def test_seed_without_metadata_says_what_to_create(tmp_path):
    path = _copy(tmp_path)
    path.with_suffix(".meta.yaml").unlink()
    with pytest.raises(DataError) as err:
        load_seed(path)
    assert "no metadata" in str(err.value) and ".meta.yaml" in err.value.hint


def test_unknown_field_with_a_value_is_refused(tmp_path):
    path = _copy(tmp_path)
    meta = path.with_suffix(".meta.yaml")
    meta.write_text(meta.read_text().replace("determined_by: publication-record\n  evidence: >-\n    The address has", "determined_by: unknown\n  evidence: >-\n    The address has", 1))
    with pytest.raises(DataError) as err:
        load_seed(path)
    assert "'unknown' but has a value" in str(err.value)
    assert str(meta) in str(err.value)


def test_repair_that_changes_length_is_refused(tmp_path):
    path = _copy(tmp_path, "001_2f6905f1a8d1b6b7")
    meta = path.with_suffix(".meta.yaml")
    meta.write_text(meta.read_text().replace('replace: "\\u00a0"', 'replace: ""'))
    with pytest.raises(DataError, match="keep the length"):
        load_seed(path)


def test_every_metadata_problem_of_every_seed_is_reported_at_once(tmp_path):
    """Seed metadata errors come all together, as the mappings' do: two bad fields in one file, and a second seed
    with its own problem, are one report of three problems, each with its file and line."""
    from oirld.errors import DataProblems

    first = _copy(tmp_path)
    meta = first.with_suffix(".meta.yaml")
    text = meta.read_text()
    text = text.replace('value: "2024-09-27"', 'value: "27 Sept"', 1).replace("value: en\n", "value: [en, fr]\n", 1)
    meta.write_text(text)
    second = _copy(tmp_path, "001_2f6905f1a8d1b6b7")
    second.with_suffix(".meta.yaml").unlink()
    with pytest.raises(DataProblems) as err:
        load_seeds(tmp_path)
    problems = err.value.problems
    assert len(problems) == 3 and isinstance(err.value, DataError)
    message = str(err.value)
    assert "3 problem(s)" in message and "date_published '27 Sept' is not a date" in message
    assert "language must be one value" in message and "001_2f6905f1a8d1b6b7.txt has no metadata" in message
    assert all(str(p.where).startswith(str(tmp_path)) for p in problems)
    lines = text.splitlines()
    assert f"{meta}:{next(i for i, l in enumerate(lines, 1) if l.startswith('date_published'))}" in message


def test_one_problem_is_reported_as_itself(tmp_path):
    path = _copy(tmp_path)
    path.with_suffix(".meta.yaml").unlink()
    with pytest.raises(DataError) as err:
        load_seeds(tmp_path)
    assert "no metadata" in str(err.value) and not str(err.value).startswith("1 problem")
