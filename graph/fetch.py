"""`foedus sources fetch`: download the declared public data sets into the official layout, verified by SHA-256.

Every file is written to a temporary name beside its target and renamed into place only after its checksum
matched the manifest, so an interrupted or corrupt download never leaves a file the build would trust.
"""

from __future__ import annotations

import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO

from foedus import __version__
from foedus.errors import ConfigError, SourceError
from foedus.graph.manifest import Download, Source, SourceFile, load_manifest, sha256_file
from foedus.settings import Settings

TIMEOUT = 60.0
CHUNK = 1 << 16


def _printer(enabled: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if enabled:
            print(message, file=sys.stderr, flush=True)

    return say


def mirror_url(url: str, base_url: str | None) -> str:
    """The address to download from: the official URL, or its file name under a mirror's base URL."""
    if not base_url:
        return url
    name = PurePosixPath(urllib.parse.urlparse(url).path).name
    return base_url.rstrip("/") + "/" + urllib.parse.quote(urllib.parse.unquote(name))


def _download(url: str, out: IO[bytes]) -> None:
    """Stream `url` into an open binary file; an HTTP or network failure is a SourceError naming the URL."""
    request = urllib.request.Request(url, headers={"User-Agent": f"foedus/{__version__} (sources fetch)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            for chunk in iter(lambda: response.read(CHUNK), b""):
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        exc.close()  # the error carries the open response; close it so no socket is left behind
        raise SourceError(f"download failed: HTTP {exc.code} {exc.reason}", where=url,
                          hint="check the address in graph/sources.toml or the mirror") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SourceError(f"download failed: {reason}", where=url) from None


def _temp(target: Path) -> tuple[IO[bytes], Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    fh = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False)
    return fh, Path(fh.name)


def _install(tmp: Path, target: Path, f: SourceFile) -> None:
    """Rename a finished temporary file onto its target if its SHA-256 matches; otherwise delete it and raise."""
    digest = sha256_file(tmp)
    if digest != f.sha256:
        tmp.unlink(missing_ok=True)
        raise SourceError(f"SHA-256 is {digest}, expected {f.sha256} (corrupt download or another version); "
                          "nothing was written", where=str(target))
    os.replace(tmp, target)


def _already_there(root: Path, f: SourceFile) -> bool:
    path = root / f.path
    return path.is_file() and sha256_file(path) == f.sha256


def _target_file(src: Source, d: Download) -> SourceFile:
    """The declared file a single-file download writes; a target that is not declared is a manifest error."""
    declared = [f for f in src.files if f.path == d.target]
    if not declared:
        raise ConfigError(f"source {src.name}: download target {d.target!r} is not a declared file",
                          where="graph/sources.toml")
    return declared[0]


def _fetch_csv(root: Path, src: Source, d: Download, url: str, say: Callable[[str], None]) -> list[Path]:
    f = _target_file(src, d)
    target = root / f.path
    if _already_there(root, f):
        say(f"  {f.path}: present, checksum ok")
        return [target]
    say(f"  {f.path} <- {url}")
    fh, tmp = _temp(target)
    try:
        with fh:
            _download(url, fh)
        _install(tmp, target, f)
    finally:
        tmp.unlink(missing_ok=True)
    return [target]


def embedded_csv(text: str) -> str:
    """The CSV a source file carries as one backtick-quoted string (OWID's CountriesRegions.ts), byte for byte."""
    start, end = text.find("`"), text.rfind("`")
    if start < 0 or end <= start:
        raise ValueError("no text between backticks")
    return text[start + 1 : end]


def _fetch_embedded_csv(root: Path, src: Source, d: Download, url: str, say: Callable[[str], None]) -> list[Path]:
    f = _target_file(src, d)
    target = root / f.path
    if _already_there(root, f):
        say(f"  {f.path}: present, checksum ok")
        return [target]
    say(f"  {f.path} <- CSV inside {url}")
    fh, downloaded = _temp(target.with_name(target.name + ".download"))
    try:
        with fh:
            _download(url, fh)
        try:
            data = embedded_csv(downloaded.read_text(encoding="utf-8")).encode("utf-8")
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceError(f"cannot take the CSV out of the downloaded file: {exc}", where=url) from None
    finally:
        downloaded.unlink(missing_ok=True)
    out, tmp = _temp(target)
    try:
        with out:
            out.write(data)
        _install(tmp, target, f)
    finally:
        tmp.unlink(missing_ok=True)
    return [target]


def _member(archive: zipfile.ZipFile, name: str) -> str | None:
    """The archive entry for a declared member: its exact name, else the only entry with that file name."""
    names = archive.namelist()
    if name in names:
        return name
    matches = [n for n in names if PurePosixPath(n).name == name and not n.endswith("/")]
    return matches[0] if len(matches) == 1 else None


def _fetch_zip(root: Path, src: Source, url: str, say: Callable[[str], None]) -> list[Path]:
    wanted = [f for f in src.files if f.archive_member]
    if wanted and all(_already_there(root, f) for f in wanted):
        say(f"  {', '.join(f.path for f in wanted)}: present, checksums ok")
        return [root / f.path for f in wanted]
    say(f"  {url}")
    root.mkdir(parents=True, exist_ok=True)
    fh, archive_path = _temp(root / f".{src.name}.zip")
    written: list[Path] = []
    try:
        with fh:
            _download(url, fh)
        try:
            archive = zipfile.ZipFile(archive_path)
        except zipfile.BadZipFile:
            raise SourceError("download is not a zip archive", where=url) from None
        with archive:
            for f in wanted:
                assert f.archive_member is not None
                entry = _member(archive, f.archive_member)
                if entry is None:
                    if f.optional:
                        say(f"  {f.path}: not in the archive (optional), skipped")
                        continue
                    raise SourceError(f"archive has no member {f.archive_member!r} (for {f.path})", where=url)
                target = root / f.path
                out, tmp = _temp(target)
                try:
                    with out, archive.open(entry) as member:
                        for chunk in iter(lambda: member.read(CHUNK), b""):  # noqa: B023 - used at once
                            out.write(chunk)
                    _install(tmp, target, f)
                finally:
                    tmp.unlink(missing_ok=True)
                say(f"  {f.path}: extracted, checksum ok")
                written.append(target)
    finally:
        archive_path.unlink(missing_ok=True)
    return written


def fetch_sources(settings: Settings, only: list[str] | None = None, base_url: str | None = None,
                  *, manifest: list[Source] | None = None, progress: bool = True) -> list[Path]:
    """Download the official files of each declared source (or those in `only`) into settings.sources, verified.

    `base_url` (else the `sources_url` setting) names a mirror that serves the official files by their file
    names. Sources without a stable file address (`manual`) are skipped with a note saying where to get them.
    Returns the paths of the verified files now in place.
    """
    say = _printer(progress)
    if not settings.sources:
        raise ConfigError("no sources directory to fetch into", where="FOEDUS_SOURCES",
                          hint="set FOEDUS_SOURCES or pass --sources DIR")
    root = Path(settings.sources)
    base_url = base_url or getattr(settings, "sources_url", None)
    declared = load_manifest() if manifest is None else manifest
    if only:
        known = {s.name for s in declared}
        unknown = sorted(set(only) - known)
        if unknown:
            raise ConfigError(f"unknown source {', '.join(unknown)}; declared: {', '.join(sorted(known))}",
                              where="--only")
        declared = [s for s in declared if s.name in only]
    root.mkdir(parents=True, exist_ok=True)
    done: list[Path] = []
    for src in declared:
        say(f"{src.name}: {src.title}, version {src.version}")
        manual = [d for d in src.downloads if d.kind == "manual"]
        if manual or not src.downloads:
            where = manual[0].url if manual else src.landing_page
            say(f"  skipped: no stable file address; download it by hand from {where} "
                f"and place {', '.join(f.path for f in src.files)} under {root}")
            continue
        for d in src.downloads:
            url = mirror_url(d.url, base_url)
            if d.kind == "zip":
                done.extend(_fetch_zip(root, src, url, say))
            elif d.kind == "csv":
                done.extend(_fetch_csv(root, src, d, url, say))
            elif d.kind == "embedded-csv":
                done.extend(_fetch_embedded_csv(root, src, d, url, say))
            else:
                raise ConfigError(f"source {src.name}: unknown download kind {d.kind!r} "
                                  "(zip, csv, embedded-csv or manual)", where="graph/sources.toml")
        fetched = {d.target for d in src.downloads} | {f.path for f in src.files if f.archive_member}
        for f in src.files:
            if f.path not in fetched:
                say(f"  {f.path}: no download address ({'optional' if f.optional else 'required'}); "
                    f"place it by hand under {root}")
    say(f"{len(done)} files in place and verified under {root}")
    return done
