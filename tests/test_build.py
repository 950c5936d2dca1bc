"""The release build: reproducible bytes, atomic publication, and failures that publish nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from foedus.graph import build as build_mod
from foedus.graph.build import build_release

from foedus.errors import SourceError
from foedus.settings import load_settings

FIXTURE = Path(__file__).parent / "fixtures" / "curated"


def _settings(tmp_path: Path, sources: Path | None = None):  # noqa: ANN202
    return load_settings({"releases": tmp_path / "releases", "sources": sources})


def test_curated_only_build_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOEDUS_SOURCES", raising=False)
    first = build_release(_settings(tmp_path), progress=False, curated_dir=FIXTURE)
    copy = tmp_path / "first"
    shutil.copytree(first, copy)
    second = build_release(_settings(tmp_path), progress=False, curated_dir=FIXTURE)
    assert first == second
    for f in sorted(copy.iterdir()):
        assert f.read_bytes() == (second / f.name).read_bytes(), f.name
    assert os.readlink(tmp_path / "releases" / "latest") == second.name
    assert "0.1.0+" in second.name


def test_failed_build_keeps_previous_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = build_release(_settings(tmp_path), progress=False, curated_dir=FIXTURE)
    curated = tmp_path / "curated"
    shutil.copytree(FIXTURE, curated)
    extra = "365,RUS,Russia,,,,,,,curated\n"
    (curated / "states.csv").write_text((FIXTURE / "states.csv").read_text() + extra)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("step failed")

    monkeypatch.setattr(build_mod, "_report_md", boom)
    with pytest.raises(RuntimeError):
        build_release(_settings(tmp_path), progress=False, curated_dir=curated)
    releases = tmp_path / "releases"
    assert sorted(p.name for p in releases.iterdir()) == sorted([good.name, "latest"])
    assert os.readlink(releases / "latest") == good.name


def test_corrupt_source_stops_build(tmp_path: Path) -> None:
    data = os.environ.get("FOEDUS_SOURCES")
    assert data, "FOEDUS_SOURCES must point at the public data sets"
    src = tmp_path / "data"
    shutil.copytree(data, src)
    target = src / "cow_state_system" / "majors2016.csv"
    target.chmod(0o644)
    raw = bytearray(target.read_bytes())
    raw[-3] ^= 1
    target.write_bytes(bytes(raw))
    with pytest.raises(SourceError) as err:
        build_release(_settings(tmp_path, src), progress=False, curated_dir=FIXTURE)
    assert "majors2016.csv" in str(err.value)
    assert not (tmp_path / "releases").exists() or not any((tmp_path / "releases").iterdir())


def test_bad_header_names_line_and_column(tmp_path: Path) -> None:
    data = os.environ.get("FOEDUS_SOURCES")
    assert data, "FOEDUS_SOURCES must point at the public data sets"
    src = tmp_path / "data"
    shutil.copytree(data, src)
    target = src / "cow_state_system" / "states2016.csv"
    target.chmod(0o644)
    target.write_bytes(target.read_bytes().replace(b"stateabb,ccode", b"stateabb,code", 1))
    with pytest.raises(SourceError) as err:
        build_release(_settings(tmp_path, src), progress=False, curated_dir=FIXTURE)
    assert str(err.value).startswith(f"{target}:1:10:")


def test_missing_optional_source_is_a_note(tmp_path: Path) -> None:
    data = os.environ.get("FOEDUS_SOURCES")
    assert data, "FOEDUS_SOURCES must point at the public data sets"
    src = tmp_path / "data"
    shutil.copytree(data, src)
    shutil.rmtree(src / "dcad", ignore_errors=True)
    release = build_release(_settings(tmp_path, src), progress=False, curated_dir=FIXTURE)
    report = (release / "build-report.md").read_text()
    assert "source dcad-1.0 not present" in report
    assert "atop-5.1" in (release / "release.json").read_text()
