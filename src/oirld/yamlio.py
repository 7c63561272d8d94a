"""YAML with line numbers, so every data error can name ``file:line``.

Mappings and registry entries are plain YAML; this loader hands back ordinary dicts and lists whose dicts carry
the line they start on under ``__line__`` (and each key's line under ``__lines__``).

It refuses what no data file here needs and a hostile one could use: aliases (``*name``, which make a "billion
laughs" document from a few lines), nesting deeper than :data:`MAX_DEPTH` (the composer recurses), keys that are not
text, and numbers too long to read. Each refusal is a DataError with the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Location, disk_error

__all__ = ["load_yaml", "line_of", "not_single", "MAX_DEPTH"]

#: Deepest nesting of lists and mappings a data file may have (the project's own files use 4).
MAX_DEPTH = 32


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


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 ({exc.reason} at byte {exc.start})", Location(path), "save the file as UTF-8") from None
    except OSError as exc:
        raise disk_error(exc, "reading a YAML file", path) from None
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
