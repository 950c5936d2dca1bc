"""The declared public sources (graph/sources.toml) and their checks, so a corrupt file is never imported."""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from foedus.errors import ConfigError, SourceError, location
from foedus.settings import Settings


@dataclass(frozen=True)
class SourceFile:
    """One file of a source: its path in the official layout, SHA-256 and (for CSV) the expected header."""

    path: str
    sha256: str
    header: tuple[str, ...] = ()
    optional: bool = False
    archive_member: str | None = None


@dataclass(frozen=True)
class Download:
    """Where the official file comes from: a zip to extract, a CSV to save, or a page to fetch by hand."""

    url: str
    kind: str
    target: str | None = None


@dataclass(frozen=True)
class Source:
    """A declared public data set: name (= importer and named graph), version, licence, citation, files."""

    name: str
    title: str
    version: str
    required: bool
    landing_page: str
    licence: str
    citation: str
    downloads: tuple[Download, ...]
    files: tuple[SourceFile, ...]


@dataclass
class PresentSource:
    """A source found and verified in the sources directory: its files present and their hashes."""

    source: Source
    root: Path
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256
    missing_optional: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The source's name."""
        return self.source.name


def _manifest_text() -> tuple[str, str]:
    resource = files("foedus.graph").joinpath("sources.toml")
    return resource.read_text(encoding="utf-8"), str(resource)


def load_manifest(text: str | None = None, where: str = "graph/sources.toml") -> list[Source]:
    """Parse the sources manifest (the packaged graph/sources.toml unless `text` is given)."""
    if text is None:
        text, where = _manifest_text()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", where=where) from None
    out = []
    for raw in data.get("source", []):
        try:
            out.append(_source(raw))
        except (KeyError, TypeError) as exc:
            name = raw.get("name", "?")
            raise ConfigError(f"source {name!r}: missing or bad field {exc}", where=where) from None
    return out


def _source(raw: dict[str, Any]) -> Source:
    return Source(
        name=raw["name"], title=raw["title"], version=str(raw["version"]), required=bool(raw["required"]),
        landing_page=raw["landing_page"], licence=raw["licence"], citation=raw["citation"],
        downloads=tuple(Download(d["url"], d["kind"], d.get("target")) for d in raw.get("download", [])),
        files=tuple(
            SourceFile(f["path"], f["sha256"].lower(), tuple(f.get("header", ())),
                       bool(f.get("optional", False)), f.get("archive_member"))
            for f in raw["file"]
        ),
    )


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_header(path: Path, expected: tuple[str, ...]) -> None:
    """Compare the CSV header with the declared one; a difference names file:1:column and the field."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    text = head.decode("utf-8", errors="replace")
    first = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", 1)[0]
    got = next(csv.reader(io.StringIO(first)), [])
    column = 1
    for i, want in enumerate(expected):
        have = got[i] if i < len(got) else None
        if have != want:
            raise SourceError(
                f"CSV header field {i + 1} is {have!r}, expected {want!r} (wrong file or version?)",
                where=location(path, 1, column),
            )
        column += len(have) + 1
    if len(got) != len(expected):
        raise SourceError(f"CSV header has {len(got)} fields, expected {len(expected)}",
                          where=location(path, 1, column))


def verify_file(root: Path, f: SourceFile) -> str:
    """Check one present file (header, then checksum) and return its SHA-256."""
    path = root / f.path
    if f.header:
        check_header(path, f.header)
    digest = sha256_file(path)
    if digest != f.sha256:
        raise SourceError(f"SHA-256 is {digest}, expected {f.sha256} (corrupt, truncated or another version)",
                          where=str(path))
    return digest


def verify_sources(source_dir: Path, manifest: list[Source] | None = None,
                   notes: list[str] | None = None) -> list[PresentSource]:
    """Verify every declared source under `source_dir`; an absent optional source only adds a note."""
    manifest = load_manifest() if manifest is None else manifest
    notes = [] if notes is None else notes
    root = Path(source_dir)
    if not root.is_dir():
        raise SourceError("sources directory not found", where=str(root))
    present: list[PresentSource] = []
    for src in manifest:
        needed = [f for f in src.files if not f.optional]
        have = [f for f in needed if (root / f.path).is_file()]
        if not have:
            if src.required:
                raise SourceError(
                    f"required source {src.name} is missing (expected {', '.join(f.path for f in needed)})",
                    where=str(root),
                    hint="run `foedus sources fetch`, or unset FOEDUS_SOURCES for a curated-only build",
                )
            notes.append(f"source {src.name} not present in {root}: skipped")
            continue
        if len(have) != len(needed):
            missing = [f.path for f in needed if f not in have]
            raise SourceError(f"source {src.name} is incomplete: {', '.join(missing)} missing",
                              where=str(root))
        ps = PresentSource(src, root)
        for f in src.files:
            if (root / f.path).is_file():
                ps.files[f.path] = verify_file(root, f)
            else:
                ps.missing_optional.append(f.path)
        present.append(ps)
    return present


def describe_sources(settings: Settings) -> str:
    """A readable listing of the declared sources and, when FOEDUS_SOURCES is set, which files are present."""
    root = Path(settings.sources) if settings.sources else None
    lines: list[str] = []
    for src in load_manifest():
        need = "required" if src.required else "optional"
        lines.append(f"{src.name}  {src.title}, version {src.version} ({need})")
        lines.append(f"  licence:  {src.licence}")
        lines.append(f"  citation: {src.citation}")
        for d in src.downloads:
            lines.append(f"  download: {d.url} [{d.kind}]")
        for f in src.files:
            state = ""
            if root is not None:
                state = "  present" if (root / f.path).is_file() else "  MISSING"
            opt = " (optional)" if f.optional else ""
            lines.append(f"  file:     {f.path}{opt}  sha256 {f.sha256[:12]}…{state}")
        lines.append("")
    if root is None:
        lines.append("FOEDUS_SOURCES is not set: the build uses the curated core only.")
    return "\n".join(lines).rstrip() + "\n"
