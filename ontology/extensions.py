"""Ontology extensions: ontology/extensions/<name>.ttl (+ <name>.shapes.ttl), so nobody forks the core."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

SHAPES_SUFFIX = ".shapes.ttl"


@dataclass(frozen=True)
class Extension:
    """One extension: its name (file stem), its ontology file, and its SHACL shapes file if it has one."""

    name: str
    ontology: Path
    shapes: Path | None

    @property
    def prefix(self) -> str:
        """The conventional prefix of the extension's namespace (`crisis-communication` -> `fo-cc`)."""
        return "fo-" + "".join(word[0] for word in self.name.split("-"))


def extensions_dir() -> Path:
    """The folder holding the extensions, read through the package."""
    return Path(str(files("foedus.ontology") / "extensions"))


def list_extensions(directory: Path | None = None) -> list[Extension]:
    """Every extension in `directory` (default: the packaged one) by name; shapes files are not extensions."""
    folder = directory or extensions_dir()
    found: list[Extension] = []
    for path in sorted(folder.glob("*.ttl")):
        if path.name.endswith(SHAPES_SUFFIX):
            continue
        shapes = path.with_name(path.stem + SHAPES_SUFFIX)
        found.append(Extension(path.stem, path, shapes if shapes.exists() else None))
    return found
