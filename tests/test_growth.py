"""Adding an article must not break the suite: a copy of the project with one more article (the fixture page, added
with `oirld add`, its mapping partly drafted, its troop figure disputing seed 000's) passes every test that reads the
live corpus. The copy runs those tests in a pytest of its own, so they see the grown corpus exactly as they would
see the repository's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from oirld.adding import AddRequest, add_article
from oirld.config import Config

from .conftest import ROOT

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
#: the modules whose tests read the live seeds, mappings, registry, README or build
CORPUS_MODULES = ("test_seeds.py", "test_links.py", "test_build.py", "test_conflicts.py", "test_readme.py", "test_cli.py",
                  "test_add.py", "test_registry.py", "test_ontology.py", "test_linkeddata.py")
_COPY = ("README.md", "CHANGELOG.md", "pyproject.toml", ".ci", "bin", "seeds", "mappings", "ontology", "shapes", "tests")


def test_the_corpus_dependent_tests_pass_with_one_more_article(tmp_path):
    grown = tmp_path / "grown"
    grown.mkdir()
    for name in _COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, grown / name, ignore=shutil.ignore_patterns("__pycache__", "test-artifacts"))
        elif src.is_file():
            shutil.copy(src, grown / name)
    before = len(list((grown / "seeds").glob("*.txt")))
    added = add_article(Config(home=grown, out=grown / "var"),
                        AddRequest(ARTICLES / "wire-ain-al-asad.html", date="2024-09-27", language="en"))
    mapping = (ARTICLES / "wire-ain-al-asad.mapping.yaml").read_text(encoding="utf-8").replace("NAME", added.name)
    (grown / "mappings" / f"{added.name}.yaml").write_text(mapping, encoding="utf-8")
    assert len(list((grown / "seeds").glob("*.txt"))) == before + 1

    env = {k: v for k, v in os.environ.items() if not k.startswith("OIRLD_")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *(f"tests/{m}" for m in CORPUS_MODULES)],
                         cwd=grown, env=env, capture_output=True, text=True, timeout=3600)
    assert run.returncode == 0, f"with {added.name} added:\n" + run.stdout[-6000:] + run.stderr[-2000:]
