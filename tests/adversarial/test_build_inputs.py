"""Property-based fuzzing of what the build reads: mappings, registry files and seed metadata (issue 9).

Whatever the text of such a file (YAML or not: alias bombs, deep nesting, huge numbers, tabs, binary, wrong
types at every key), loading it either succeeds or raises an OirldError that names the file; never another
exception, never a hang. Input sizes are bounded so every example is quick. ``OIRLD_FUZZ_EXAMPLES=2000`` runs
more examples per property than CI's 120.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from oirld.config import Config  # noqa: E402
from oirld.errors import DataError, OirldError  # noqa: E402
from oirld.mapping import compile_mappings  # noqa: E402
from oirld.ontology import load_ontology  # noqa: E402
from oirld.registry import load_registry  # noqa: E402
from oirld.seeds import load_seed, load_seeds  # noqa: E402
from oirld.yamlio import MAX_DEPTH, load_yaml  # noqa: E402

from ..conftest import MINI_MAPPING, ROOT, SEED, make_project  # noqa: E402

FUZZ = settings(max_examples=int(os.environ.get("OIRLD_FUZZ_EXAMPLES", "120")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
SPECIALS = [
    BOMB,
    BOMB + f"source: {SEED}\nclaims:\n  - {{about: oir, property: endDate, value: *i, quote: *i}}\n",
    "[" * 5000 + "]" * 5000,
    "{a: " * 3000 + "1" + "}" * 3000,
    "- " * 2000 + "x\n",
    f"source: {SEED}\nclaims:\n" + "  " + "- " * 800 + "x\n",
    "occurrence: " + "9" * 6000 + "\n",
    f"source: {SEED}\nclaims:\n  - {{about: oir, property: endDate, value: by 2026, quote: the task force, occurrence: {'9' * 5000}}}\n",
    "a: 1e999999\nb: -.inf\nc: .nan\nd: 0x" + "f" * 5000 + "\ne: 0o777777777777777777777777\n",
    "source:\t000\n\tclaims: []\n",
    "\x00\x01\x02\xff\ufffe binary\n",
    "\ufeffsource: x\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "<<: {a: 1}\nb: 2\n",
    "1: a\ntrue: b\nnull: c\n",
    "!!python/object/apply:os.system ['true']\n",
    "a: !!binary AAAA\nb: !!set {x}\nc: !!omap [{a: 1}]\nd: !!timestamp 2001-12-14\n",
    "%YAML 1.1\n---\na: 1\n---\nb: 2\n",
    f"source: {SEED}\nclaims:\n  - {{about: '{'the ' * 5000}', property: endDate, value: by 2026, quote: '{'ethe ' * 4000}'}}\n",
    "'unclosed\n",
    "a: b: c\n",
]

NAMES = ["source", "claims", "about", "property", "value", "quote", "occurrence", "qualifiers", "anchor", "direction",
         "unit", "rank", "reason", "note", "entities", "label", "types", "aliases", "description", "coordinates",
         "lat", "lon", "title", "publisher", "authors", "language", "date_published", "url", "determined_by",
         "evidence", "entity", "text_repairs", "find", "replace", "published_not_before", "notes", "asOf",
         "location", "statementKind", "accordingTo", "__line__", "__lines__"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                    st.floats(allow_nan=True), st.text(max_size=40), st.sampled_from(NAMES + [SEED, "oir", "by 2026"]))
keys = st.one_of(st.sampled_from(NAMES), st.text(max_size=12), st.integers(-5, 5), st.booleans())
trees = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(keys, kids, max_size=5)),
                     max_leaves=25)


def dumped(tree: Any) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, default_flow_style=None)


def mutate(doc: Any, path: list[int], replacement: Any) -> Any:
    """``doc`` with the node reached by ``path`` (indices into keys/items, modulo their number) replaced."""
    if not path or not isinstance(doc, (dict, list)) or not doc:
        return replacement
    if isinstance(doc, dict):
        k = list(doc)[path[0] % len(doc)]
        return {**doc, k: mutate(doc[k], path[1:], replacement)}
    i = path[0] % len(doc)
    return [*doc[:i], mutate(doc[i], path[1:], replacement), *doc[i + 1:]]


def texts(valid: str) -> st.SearchStrategy[str]:
    """Arbitrary text, arbitrary YAML trees, the valid file with one node anywhere replaced by anything, and the
    valid file with a few characters changed."""
    doc = yaml.safe_load(valid)
    return st.one_of(
        st.text(max_size=400),
        st.binary(max_size=300).map(lambda b: b.decode("utf-8", "replace")),
        trees.map(dumped),
        st.builds(lambda p, r: dumped(mutate(doc, p, r)), st.lists(st.integers(0, 50), max_size=5), trees),
        st.builds(lambda i, s: valid[:i] + s + valid[i + len(s):], st.integers(0, len(valid)),
                  st.text(alphabet="\t\n :-[]{}&*!|>'\"#%@`?,x0", max_size=6)),
    )


@pytest.fixture(scope="module")
def world():
    """One project folder for the whole module; each example rewrites the file under test."""
    folder = Path(tempfile.mkdtemp(prefix="oirld-fuzz-"))
    home = make_project(folder / "p", MINI_MAPPING)
    config = Config(home=home, out=folder / "out")
    ontology = load_ontology(config.ontology_dir / "oirld.ttl")
    registry = load_registry(config.ontology_dir / "registry", ontology.classes)
    seeds = load_seeds(config.seeds_dir)
    yield config, ontology, registry, seeds
    shutil.rmtree(folder, ignore_errors=True)


def outcome(call, path: Path) -> None:
    """Success, or an OirldError that names the file."""
    try:
        call()
    except OirldError as exc:
        assert path.name in str(exc), f"{type(exc).__name__} does not name {path.name}: {exc}"


MAPPING_TEXT = (ROOT / "mappings" / f"{SEED}.yaml").read_text(encoding="utf-8")
REGISTRY_TEXT = (ROOT / "ontology" / "registry" / "actors.yaml").read_text(encoding="utf-8")
META_TEXT = (ROOT / "seeds" / f"{SEED}.meta.yaml").read_text(encoding="utf-8")


@FUZZ
@given(texts(MAPPING_TEXT))
def test_mapping_loader(world, text):
    config, ontology, registry, seeds = world
    path = config.mappings_dir / f"{SEED}.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome(lambda: compile_mappings(config.mappings_dir, seeds, ontology, registry, config.home), path)


@pytest.mark.parametrize("text", SPECIALS)
def test_mapping_loader_hostile_specials(world, text):
    test_mapping_loader.hypothesis.inner_test(world, text)


@FUZZ
@given(texts(REGISTRY_TEXT))
def test_registry_loader(world, text):
    config, ontology, _, _ = world
    folder = config.home / "fuzz-registry"
    folder.mkdir(exist_ok=True)
    path = folder / "entities.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome(lambda: load_registry(folder, ontology.classes), path)


@pytest.mark.parametrize("text", SPECIALS)
def test_registry_loader_hostile_specials(world, text):
    test_registry_loader.hypothesis.inner_test(world, text)


@FUZZ
@given(texts(META_TEXT))
def test_seed_metadata_loader(world, text):
    config, _, registry, _ = world
    path = config.seeds_dir / f"{SEED}.meta.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")

    def load() -> None:
        seed = load_seed(config.seeds_dir / f"{SEED}.txt")
        for field in ("publisher", "authors"):
            for key in seed.meta[field].entities:
                assert isinstance(key, str)
                _ = key in registry

    outcome(load, path)


@pytest.mark.parametrize("text", SPECIALS)
def test_seed_metadata_loader_hostile_specials(world, text):
    test_seed_metadata_loader.hypothesis.inner_test(world, text)


def test_alias_bomb_is_refused_with_its_line(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    with pytest.raises(DataError) as err:
        load_yaml(path)
    assert err.value.where.line == 2 and "alias" in err.value.what


def test_deep_nesting_is_refused_with_its_line(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a:\n  b: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    with pytest.raises(DataError) as err:
        load_yaml(path)
    assert err.value.where.line == 2 and f"{MAX_DEPTH}" in err.value.what
    path.write_text("a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n")
    assert isinstance(load_yaml(path)["a"], list)


def test_non_text_keys_and_huge_numbers_and_control_characters_name_the_line(tmp_path):
    path = tmp_path / "x.yaml"
    for text, line in (("a: 1\n2: b\n", 2), ("a: 1\nb: " + "9" * 5000 + "\n", 2), ("a: 1\n\nb: \x00\n", 3),
                       ("a: 1\n? [x]\n: y\n", 2)):
        path.write_text(text)
        with pytest.raises(DataError) as err:
            load_yaml(path)
        assert err.value.where.line == line, (text[:20], err.value)


def test_input_files_that_are_not_regular_or_too_large_are_refused_before_reading(tmp_path):
    """A device behind a symlink (/dev/zero would never end) or a huge file is refused from its stat, by name."""
    from oirld.errors import RunError
    from oirld.yamlio import MAX_FILE_BYTES

    device = tmp_path / "registry.yaml"
    device.symlink_to("/dev/null")
    with pytest.raises(RunError) as err:
        load_yaml(device)
    assert "not a regular file" in err.value.what and str(err.value.where) == str(device)
    seed = tmp_path / "article.txt"
    seed.symlink_to("/dev/null")
    with pytest.raises(RunError):
        load_seed(seed)
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(DataError) as err:
        load_yaml(huge)
    assert "larger than 16 MiB" in err.value.what and str(err.value.where) == str(huge)
