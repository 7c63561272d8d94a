"""Shared fixtures: one real build of the repository's data per test session, and small throw-away projects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oirld.config import Config
from oirld.pipeline import BuildResult, build

ROOT = Path(__file__).resolve().parents[1]
SEED = "000_7eb36323e1462389"
#: The five articles curated by hand, which the README describes ("Where the sources disagree"). Tests that pin exact
#: results of the data compile these alone (the ``curated`` fixture), so adding an article never breaks them; tests on
#: the live build (``built``) only assert what holds for any corpus.
CURATED = ("000_7eb36323e1462389", "001_2f6905f1a8d1b6b7", "002_e1704b20f57f0b7c", "003_34efbd2517412712",
           "004_9283be5639869582")


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (pytest.mark.anyio) run on asyncio, as uvicorn does."""
    return "asyncio"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="module")
def world():
    """The repository's ontology and registry, as `oirld draft` reads them (the draft tests' harness,
    tests/drafting.py); loaded once per module, as each draft test module did."""
    from oirld.ontology import load_ontology
    from oirld.registry import load_registry

    ontology = load_ontology(ROOT / "ontology" / "oirld.ttl")
    return ontology, load_registry(ROOT / "ontology" / "registry", ontology.classes)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real build of seeds/ and mappings/ (what the README's first command publishes)."""
    out = tmp_path_factory.mktemp("out")
    return build(Config(home=ROOT, out=out))


def asgi_client(app, base_url: str = "http://testserver", **kwargs):
    """An httpx client that talks to ``app`` in-process."""
    import httpx

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url, **kwargs)


@pytest.fixture
def built_client(built):
    """Factory: an in-process client over the session's build, with the given ServeSettings fields."""
    from oirld.store import open_store
    from oirld.web import ServeSettings, create_app

    def factory(base_url: str = "http://testserver", **settings):
        return asgi_client(create_app(ServeSettings(**settings), open_store(built.path / "store")), base_url)

    return factory


@pytest.fixture(scope="session")
def config_built(built: BuildResult) -> Config:
    return Config(home=ROOT, out=built.path.parent.parent)


def make_project(dest: Path, mapping: str | None = None, seeds: tuple[str, ...] = (SEED,)) -> Path:
    """A project folder with the real ontology, registry and shapes, some seeds, and the given mapping for the first."""
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, dest / folder)
    (dest / "seeds").mkdir()
    (dest / "mappings").mkdir()
    for stem in seeds:
        for suffix in (".txt", ".meta.yaml"):
            shutil.copy(ROOT / "seeds" / f"{stem}{suffix}", dest / "seeds" / f"{stem}{suffix}")
    shutil.copy(ROOT / "mappings" / "wikidata.sssom.tsv", dest / "mappings" / "wikidata.sssom.tsv")
    if mapping is not None:
        (dest / "mappings" / f"{seeds[0]}.yaml").write_text(mapping, encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def curated(tmp_path_factory: pytest.TempPathFactory):
    """The curated articles and their mappings alone, compiled (claims and disagreements; no SHACL, no store)."""
    from oirld.pipeline import compile_dataset

    home = make_project(tmp_path_factory.mktemp("curated") / "project", seeds=CURATED)
    for stem in CURATED:
        shutil.copy(ROOT / "mappings" / f"{stem}.yaml", home / "mappings" / f"{stem}.yaml")
    return compile_dataset(Config(home=home, out=home / "var"))


@pytest.fixture
def project(tmp_path: Path):
    """Factory: project(mapping_text) -> Config of a small project in a temporary folder."""

    def factory(mapping: str | None = None, seeds: tuple[str, ...] = (SEED,)) -> Config:
        home = make_project(tmp_path / "project", mapping, seeds)
        return Config(home=home, out=tmp_path / "out")

    return factory


MINI_MAPPING = f"""source: {SEED}
claims:
  - about: the task force
    property: endDate
    value: by 2026
    quote: the decision will close the task force by 2026
  - about: United States
    property: troopCount
    value: 2,500 troops
    quote: The U.S., which has 2,500 troops in Iraq
    qualifiers: {{location: Iraq, asOf: "@published"}}
  - about: oir-phase-1
    property: endDate
    value: next September
    quote: The first will arrive next September
  - about: oir-phase-1
    property: phaseOf
    value: The task force itself
    quote: The task force itself will end in two phases.
  - about: the defense official
    property: said
    value: It’s time to do that transition.
    quote: “It’s time to do that transition. But that doesn’t mean every detail has been worked out,”
    qualifiers: {{statementKind: direct}}
"""
