"""The registry as a build last parsed it, kept in the build cache so an unchanged registry is not parsed again.

Parsing the registry with line numbers (:mod:`oirld.yamlio`) is the slowest read of a rebuild: two seconds for the
1,000-article bench corpus, spent again on every build though the registry rarely changes. The parsed
:class:`~oirld.registry.Registry` is kept in ``<cache>/registry.pickle`` under a SHA-256 of the files' names and
bytes, the folder, the classes the ontology defines and the oirld version. Only a registry that loaded cleanly is
kept: a broken one is parsed (and its error reported with file and line) on every build until it is fixed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from . import __version__, registry, yamlio
from .registry import Registry, load_registry

__all__ = ["cached_registry", "registry_key", "REGISTRY_FORMAT", "REGISTRY_FILE"]

#: bumped when what the cache file holds changes shape
REGISTRY_FORMAT = "1"
REGISTRY_FILE = "registry.pickle"
#: the code that parses the registry: an edit to it (between releases, too) parses again
_PARSER = hashlib.sha256(Path(registry.__file__).read_bytes() + Path(yamlio.__file__).read_bytes()).hexdigest()


def registry_key(folder: Path, known_types: set[str] | None) -> str:
    """What a parsed registry depends on: its files (names and bytes), where they are, the ontology's classes."""
    types = sorted(known_types) if known_types is not None else None
    h = hashlib.sha256(f"{REGISTRY_FORMAT}|{__version__}|{folder.resolve()}|{types!r}|{_PARSER}".encode())
    for p in sorted(folder.glob("*.yaml")):
        h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def cached_registry(folder: Path, known_types: set[str] | None, cache: Path) -> Registry:
    """:func:`oirld.registry.load_registry`, from ``cache`` when the registry has not changed since it was kept."""
    key = registry_key(folder, known_types)
    path = cache / REGISTRY_FILE
    try:
        with open(path, "rb") as fh:
            kept_key, kept = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        kept_key, kept = None, None
    if kept_key == key and isinstance(kept, Registry):
        return kept
    registry = load_registry(folder, known_types)  # a DataError here leaves the cache as it was
    if registry_key(folder, known_types) == key:  # not edited while it was parsed: the key names what was parsed
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(pickle.dumps((key, registry), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    return registry
