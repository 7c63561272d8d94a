"""Configuration: the only module that reads the environment.

Precedence, highest first: a command-line option, then an ``OIRLD_*`` environment variable, then the default here.
Relative paths are taken from the project folder (the one holding ``seeds/``), found from the working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Config", "DEFAULT_BASE_IRI", "ONTOLOGY_NS", "SHAPES_NS", "ENV_VARS", "load_config", "find_project_root"]

#: Where the data's IRIs live unless OIRLD_BASE_IRI says otherwise. w3id.org is the permanent-identifier
#: redirect service used by many open vocabularies; the path is this project's name.
DEFAULT_BASE_IRI = "https://w3id.org/oirld/"
#: The vocabulary namespaces do not move with the base IRI: a term's identity must not depend on where it is served.
ONTOLOGY_NS = "https://w3id.org/oirld/ontology#"
SHAPES_NS = "https://w3id.org/oirld/shapes#"

#: Every environment variable oirld reads, with what it sets (the README lists the same; a test compares them).
ENV_VARS = {
    "OIRLD_BASE_IRI": "base IRI of every resource the build mints",
    "OIRLD_HOME": "project folder holding seeds/, mappings/, ontology/ and shapes/",
    "OIRLD_OUT": "folder the build writes versions into (default: var/ in the project folder)",
    "OIRLD_PUBLIC_URL": "address oirld serve builds links from (default: http://HOST:PORT/ it listens on)",
}


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``seeds/`` and ``mappings/``; else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "seeds").is_dir() and (folder / "mappings").is_dir():
            return folder
    return here


@dataclass(frozen=True)
class Config:
    home: Path
    base_iri: str = DEFAULT_BASE_IRI
    out: Path = field(default=Path("var"))
    #: where clients reach `oirld serve` (links and base IRIs are built from it, never from the Host header)
    public_url: str | None = None

    @property
    def seeds_dir(self) -> Path:
        return self.home / "seeds"

    @property
    def mappings_dir(self) -> Path:
        return self.home / "mappings"

    @property
    def ontology_dir(self) -> Path:
        return self.home / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.home / "shapes"

    def with_overrides(self, **changes: object) -> "Config":
        """Apply command-line options; ``None`` means the option was not given."""
        given = {k: v for k, v in changes.items() if v is not None}
        if "out" in given:
            given["out"] = _absolute(Path(str(given["out"])))
        if "base_iri" in given:
            given["base_iri"] = _check_base(str(given["base_iri"]))
        if "public_url" in given:
            given["public_url"] = _check_public_url(str(given["public_url"]))
        return replace(self, **given)  # type: ignore[arg-type]


def _absolute(path: Path) -> Path:
    """An --out given on the command line is relative to where the command runs, as shells expect."""
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def _check_base(base: str) -> str:
    from .errors import RunError

    if not (base.startswith("http://") or base.startswith("https://")) or not base.endswith("/"):
        raise RunError(
            f"base IRI {base!r} must be an http(s) IRI ending in '/'",
            hint="set OIRLD_BASE_IRI (or --base-iri) to something like https://example.org/oirld/",
        )
    return base


def _check_public_url(url: str) -> str:
    from .errors import RunError
    from .web.middleware.publicurl import check_public_url

    try:
        return check_public_url(url)
    except ValueError as exc:
        raise RunError(str(exc), hint="set OIRLD_PUBLIC_URL (or --public-url) to the address clients use, like "
                       "https://data.example.org/") from None


def load_config(environ: dict[str, str] | None = None, cwd: Path | None = None) -> Config:
    env = os.environ if environ is None else environ
    home = Path(env["OIRLD_HOME"]).resolve() if env.get("OIRLD_HOME") else find_project_root(cwd)
    base = _check_base(env.get("OIRLD_BASE_IRI") or DEFAULT_BASE_IRI)
    out_raw = env.get("OIRLD_OUT")
    out = (Path(out_raw) if Path(out_raw).is_absolute() else home / out_raw) if out_raw else home / "var"
    public = _check_public_url(env["OIRLD_PUBLIC_URL"]) if env.get("OIRLD_PUBLIC_URL") else None
    return Config(home=home, base_iri=base, out=out.resolve(), public_url=public)
