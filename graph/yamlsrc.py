"""A YAML reader that remembers the line of every mapping, key and list item, so errors can name file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from foedus.errors import SourceError, location


class LDict(dict[str, Any]):
    """A YAML mapping that knows the file, its own line and the line of each key."""

    path: str = ""
    line: int = 0
    key_lines: dict[str, int]

    def where(self, key: str | None = None) -> str:
        """file:line of this mapping, or of one of its keys."""
        line = self.key_lines.get(key, self.line) if key is not None else self.line
        return location(self.path, line)


class LList(list[Any]):
    """A YAML sequence that knows the file, its own line and the line of each item."""

    path: str = ""
    line: int = 0
    item_lines: list[int]

    def where(self, index: int | None = None) -> str:
        """file:line of this list, or of one of its items."""
        line = self.item_lines[index] if index is not None and index < len(self.item_lines) else self.line
        return location(self.path, line)


class _Loader(yaml.SafeLoader):
    """SafeLoader building LDict/LList with line numbers and refusing duplicate keys."""

    source_path: str = ""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.path = loader.source_path
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise SourceError(
                f"mapping key {key!r} must be a string", where=location(loader.source_path, line)
            )
        if key in result:
            raise SourceError(f"duplicate key {key!r}", where=location(loader.source_path, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.path = loader.source_path
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file into LDict/LList/scalars; a syntax error becomes a SourceError at its line."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read: {exc}", where=shown) from None
    loader = _Loader(text)
    loader.source_path = shown
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = location(shown, mark.line + 1, mark.column + 1) if mark else shown
        raise SourceError(f"not valid YAML: {exc.problem or exc}", where=where) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"not valid YAML: {exc}", where=shown) from None
    finally:
        loader.dispose()
