"""YAML with line numbers, so every data error can name ``file:line``.

Mappings and registry entries are plain YAML; this loader hands back ordinary dicts and lists whose dicts carry
the line they start on under ``__line__`` (and each key's line under ``__lines__``).

It refuses what no data file here needs and a hostile one could use: aliases (``*name``, which make a "billion
laughs" document from a few lines), nesting deeper than :data:`MAX_DEPTH` (the composer recurses), keys that are not
text, and numbers too long to read. Each refusal is a DataError with the file and line.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Location, RunError, disk_error

__all__ = ["load_yaml", "line_of", "not_single", "read_data_file", "MAX_DEPTH", "MAX_FILE_BYTES"]

#: Deepest nesting of lists and mappings a data file may have (the project's own files use 4).
MAX_DEPTH = 32
#: Largest input file (seed, mapping, registry, metadata) the build reads; the real ones are tens of KiB.
MAX_FILE_BYTES = 16 * 2**20


class _LineLoader(yaml.SafeLoader):
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed: write the value out",
                                              self.peek_event().start_mark)
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels",
                                              self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(None, None, "a number too long to read", node.start_mark) from None


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
    seen: dict[object, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be text, not {type(key).__name__} (put it in quotes)", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {k: v for k, v in seen.items()}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
# Dates stay strings: the engine parses time itself, with the words kept.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_data_file(path: Path) -> bytes:
    """The bytes of an input file (a seed, a mapping, a registry file), refusing what is not a regular file (a FIFO,
    /dev/zero behind a symlink) or is larger than :data:`MAX_FILE_BYTES`, either of which would hang the build."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise RunError("cannot read: not a regular file", Location(path),
                           "put the file itself there (a folder, device or pipe cannot be read as one)")
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise disk_error(exc, "reading an input file", path) from None
    if len(data) > MAX_FILE_BYTES:
        raise DataError(f"larger than {MAX_FILE_BYTES // 2**20} MiB", Location(path),
                        "no article or mapping is this long: check it is the file you meant")
    return data


def load_yaml(path: Path) -> Any:
    data = read_data_file(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 ({exc.reason} at byte {exc.start})", Location(path), "save the file as UTF-8") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(x for x in (exc.context, exc.problem) if x)
        raise DataError(
            f"malformed YAML: {problem}", Location(path, line),
            "fix the YAML syntax there (indentation, a missing ':' or an unclosed quote are the usual causes)",
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise DataError(f"character {exc.character!r} is not allowed in YAML", Location(path, line),
                        "remove it (control characters and NUL cannot appear in a YAML file)") from None
    except yaml.YAMLError as exc:
        raise DataError(f"malformed YAML: {exc}", Location(path), "fix the YAML syntax") from None


def line_of(node: Any, key: str | None = None) -> int | None:
    """The line of a mapping (or of one of its keys) read by :func:`load_yaml`."""
    if not isinstance(node, dict):
        return None
    if key is not None and key in node.get("__lines__", {}):
        return node["__lines__"][key]
    return node.get("__line__")


def not_single(node: dict[str, Any], keys: Any) -> str | None:
    """The first of ``keys`` whose value in ``node`` is a list or a mapping where one value (text, a number) is
    expected; None when every one is absent or single."""
    return next((k for k in keys if isinstance(node.get(k), (dict, list))), None)
