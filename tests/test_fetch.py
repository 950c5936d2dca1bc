"""`foedus sources fetch` against a local mirror: verified layout, bad checksums and 404s leave nothing behind."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import loopback_server, sources_dir

from foedus.errors import ConfigError, SourceError
from foedus.graph.fetch import embedded_csv, fetch_sources, mirror_url
from foedus.graph.manifest import load_manifest
from foedus.settings import load_settings

CSV = b"ccode,name\r\n2,United States of America\r\n200,United Kingdom\r\n"
MEMBER = b"atopid,member\r\n3180,2\r\n"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serve a directory without logging each request to stderr."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 (a free port) serving tmp_path/mirror; yields its base URL and directory."""
    root = tmp_path / "mirror"
    root.mkdir()
    with zipfile.ZipFile(root / "pact.zip", "w") as zf:
        zf.writestr("Pact 1.0 (.csv)/pact_m.csv", MEMBER)
        zf.writestr("Pact 1.0 (.csv)/readme.txt", b"not declared")
    (root / "states.csv").write_bytes(CSV)
    with loopback_server(functools.partial(_Quiet, directory=str(root))) as base:
        yield base, root


def _manifest(csv_sha: str = _sha(CSV), member_sha: str = _sha(MEMBER), csv_url: str = "states.csv") -> str:
    return f"""
[[source]]
name = "pact-1.0"
title = "Pact data"
version = "1.0"
required = true
landing_page = "https://example.org/pact"
licence = "CC0"
citation = "Pact 1.0"
[[source.download]]
url = "https://example.org/files/pact.zip"
kind = "zip"
[[source.file]]
path = "pact/pact_m.csv"
sha256 = "{member_sha}"
archive_member = "pact_m.csv"
header = ["atopid", "member"]
[[source.file]]
path = "pact/codebook.pdf"
sha256 = "{'0' * 64}"
archive_member = "codebook.pdf"
optional = true

[[source]]
name = "states-1"
title = "States"
version = "1"
required = true
landing_page = "https://example.org/states"
licence = "CC0"
citation = "States 1"
[[source.download]]
url = "https://example.org/wp/{csv_url}"
kind = "csv"
target = "states/states.csv"
[[source.file]]
path = "states/states.csv"
sha256 = "{csv_sha}"
header = ["ccode", "name"]

[[source]]
name = "by-hand"
title = "By hand"
version = "1"
required = false
landing_page = "https://example.org/by-hand"
licence = "CC0"
citation = "By hand"
[[source.download]]
url = "https://example.org/by-hand/download-page"
kind = "manual"
[[source.file]]
path = "hand/data.csv"
sha256 = "{'1' * 64}"
"""


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_fetch_writes_the_official_layout(tmp_path: Path, mirror: tuple[str, Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = mirror
    out = tmp_path / "sources"
    settings = load_settings({"sources": out})
    paths = fetch_sources(settings, base_url=base, manifest=load_manifest(_manifest()))
    assert sorted(p.relative_to(out).as_posix() for p in paths) == ["pact/pact_m.csv", "states/states.csv"]
    assert _files(out) == ["pact/pact_m.csv", "states/states.csv"]
    assert (out / "pact" / "pact_m.csv").read_bytes() == MEMBER
    assert (out / "states" / "states.csv").read_bytes() == CSV
    err = capsys.readouterr().err
    assert "by-hand" in err and "https://example.org/by-hand/download-page" in err and "skipped" in err
    assert "codebook.pdf: not in the archive (optional)" in err
    # A second run finds the verified files and downloads nothing.
    again = fetch_sources(settings, base_url=base, manifest=load_manifest(_manifest()))
    assert sorted(again) == sorted(paths)
    assert "present, checksum" in capsys.readouterr().err


def test_wrong_checksum_names_file_and_leaves_nothing(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    base, _ = mirror
    out = tmp_path / "sources"
    wrong = "ab" * 32
    with pytest.raises(SourceError) as err:
        fetch_sources(load_settings({"sources": out}), only=["states-1"], base_url=base,
                      manifest=load_manifest(_manifest(csv_sha=wrong)), progress=False)
    message = str(err.value)
    assert err.value.where == str(out / "states" / "states.csv")
    assert wrong in message and _sha(CSV) in message
    assert _files(out) == []


def test_wrong_checksum_inside_zip_leaves_nothing(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    base, _ = mirror
    out = tmp_path / "sources"
    with pytest.raises(SourceError) as err:
        fetch_sources(load_settings({"sources": out}), only=["pact-1.0"], base_url=base,
                      manifest=load_manifest(_manifest(member_sha="cd" * 32)), progress=False)
    assert "pact_m.csv" in str(err.value) and _sha(MEMBER) in str(err.value)
    assert _files(out) == []


def test_not_found_is_a_clear_error(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    base, _ = mirror
    out = tmp_path / "sources"
    with pytest.raises(SourceError) as err:
        fetch_sources(load_settings({"sources": out}), only=["states-1"], base_url=base,
                      manifest=load_manifest(_manifest(csv_url="gone.csv")), progress=False)
    assert "HTTP 404" in str(err.value)
    assert err.value.where == f"{base}/gone.csv"
    assert _files(out) == []


def test_only_filters_sources(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    base, _ = mirror
    out = tmp_path / "sources"
    paths = fetch_sources(load_settings({"sources": out}), only=["pact-1.0"], base_url=base,
                          manifest=load_manifest(_manifest()), progress=False)
    assert paths == [out / "pact" / "pact_m.csv"]
    assert _files(out) == ["pact/pact_m.csv"]
    with pytest.raises(ConfigError) as err:
        fetch_sources(load_settings({"sources": out}), only=["nope"], base_url=base,
                      manifest=load_manifest(_manifest()), progress=False)
    assert "nope" in str(err.value) and "pact-1.0" in str(err.value)


def test_mirror_setting_is_used(tmp_path: Path, mirror: tuple[str, Path],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    base, _ = mirror
    monkeypatch.setenv("FOEDUS_SOURCES_URL", base + "/")
    out = tmp_path / "sources"
    fetch_sources(load_settings({"sources": out}), only=["states-1"],
                  manifest=load_manifest(_manifest()), progress=False)
    assert _files(out) == ["states/states.csv"]


def test_mirror_url_keeps_the_official_file_name() -> None:
    official = "http://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip"
    assert mirror_url(official, None) == official
    assert mirror_url(official, "http://127.0.0.1:9/m/") == "http://127.0.0.1:9/m/atop_5.1__.csv_.zip"


def test_every_declared_download_is_fetchable_or_manual() -> None:
    for src in load_manifest():
        kinds = {d.kind for d in src.downloads}
        assert kinds <= {"zip", "csv", "embedded-csv", "manual"}, src.name
        declared = {f.path for f in src.files}
        for d in src.downloads:
            if d.kind in ("csv", "embedded-csv"):
                assert d.target in declared, (src.name, d.target)
        if "zip" in kinds:
            assert all(f.archive_member for f in src.files), src.name


def test_cli_fetches_the_real_manifest_from_a_mirror(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    """`foedus sources fetch --only cow-states-2016 --from-url` with the declared files, served by file name."""
    from click.testing import CliRunner

    from foedus.cli import cli

    base, root = mirror
    data = sources_dir()
    cow = next(s for s in load_manifest() if s.name == "cow-states-2016")
    for d in cow.downloads:
        assert d.target is not None
        shutil.copyfile(data / d.target, root / mirror_url(d.url, "x").rsplit("/", 1)[1])
    out = tmp_path / "sources"
    result = CliRunner().invoke(cli, ["sources", "fetch", "--sources", str(out), "--only", "cow-states-2016",
                                      "--from-url", base])
    assert result.exit_code == 0, result.output
    assert _files(out) == sorted(f.path for f in cow.files)


def test_embedded_csv_is_the_text_between_backticks() -> None:
    assert embedded_csv("export const t = `a,b\n1,\\u00e9\n`\n") == "a,b\n1,\\u00e9\n"
    with pytest.raises(ValueError):
        embedded_csv("export const t = 1\n")


def test_cli_fetches_dcad_and_owid_from_a_mirror(tmp_path: Path, mirror: tuple[str, Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """DCAD comes out of COW's zip and the OWID table out of the pinned TypeScript file, to the declared SHA-256."""
    base, root = mirror
    data = sources_dir()
    with zipfile.ZipFile(root / "kinne_dca.zip", "w") as zf:
        zf.write(data / "dcad" / "DCAD-v1.0-main.csv", "kinne_dca/DCAD-v1.0-main.csv")
    table = (data / "owid" / "countries_regions.csv").read_text(encoding="utf-8")
    (root / "CountriesRegions.ts").write_text(f"export const countriesRegionsCsv = `{table}`\n", encoding="utf-8")
    out = tmp_path / "sources"
    paths = fetch_sources(load_settings({"sources": out}), only=["dcad-1.0", "owid-crosswalk"], base_url=base)
    assert sorted(p.relative_to(out).as_posix() for p in paths) == ["dcad/DCAD-v1.0-main.csv",
                                                                     "owid/countries_regions.csv"]
    table_bytes = (data / "owid" / "countries_regions.csv").read_bytes()
    assert (out / "owid" / "countries_regions.csv").read_bytes() == table_bytes
    err = capsys.readouterr().err
    assert "dcad/DCAD-Codebook1.0.pdf: not in the archive (optional), skipped" in err
    assert "owid/historical_states_wikidata.csv: no download address (optional)" in err
    assert _files(out) == ["dcad/DCAD-v1.0-main.csv", "owid/countries_regions.csv"]


def test_embedded_csv_without_backticks_is_a_clear_error(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    base, root = mirror
    (root / "CountriesRegions.ts").write_text("export const nothing = 1\n", encoding="utf-8")
    out = tmp_path / "sources"
    with pytest.raises(SourceError) as err:
        fetch_sources(load_settings({"sources": out}), only=["owid-crosswalk"], base_url=base, progress=False)
    assert "between backticks" in str(err.value) and err.value.where == f"{base}/CountriesRegions.ts"
    assert _files(out) == []


def test_cli_fetches_mme_and_troopdata_from_a_mirror(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    """MME v7 and the two troopdata files are plain CSVs at their pinned addresses, kept at the declared SHA-256."""
    base, root = mirror
    data = sources_dir()
    names = ("mme-7", "us-troops", "us-bases")
    declared = [s for s in load_manifest() if s.name in names]
    for src in declared:
        for d in src.downloads:
            assert d.kind == "csv" and d.target is not None
            shutil.copyfile(data / d.target, root / d.url.rsplit("/", 1)[1])
    out = tmp_path / "sources"
    paths = fetch_sources(load_settings({"sources": out}), only=list(names), base_url=base, progress=False)
    assert sorted(p.relative_to(out).as_posix() for p in paths) == [
        "mme/mme_v7.csv", "troopdata/basedata.csv", "troopdata/troopdata-rebuild-country-year.csv"]
    assert (out / "troopdata" / "basedata.csv").read_bytes() == (data / "troopdata" / "basedata.csv").read_bytes()
