"""The sources manifest: verified files, a flipped byte or a wrong header named by file, optional sources noted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import sources_dir

from foedus.errors import SourceError
from foedus.graph.manifest import describe_sources, load_manifest, verify_sources
from foedus.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def _copy(tmp_path: Path, skip: tuple[str, ...] = ()) -> Path:
    """Copy only the declared files (minus the sources named in `skip`) into tmp_path/data, writable."""
    src, out = sources_dir(), tmp_path / "data"
    for source in load_manifest():
        if source.name in skip:
            continue
        for f in source.files:
            if (src / f.path).is_file():
                (out / f.path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src / f.path, out / f.path)
    return out


def test_all_present_verify(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    notes: list[str] = []
    present = verify_sources(data, notes=notes)
    manifest = load_manifest()
    assert [p.name for p in present] == [s.name for s in manifest]
    assert notes == []
    for p in present:
        assert p.files == {f.path: f.sha256 for f in p.source.files if f.path not in p.missing_optional}


def test_flipped_byte_names_the_file(tmp_path: Path) -> None:
    data = _copy(tmp_path, skip=("dcad-1.0", "owid-crosswalk"))
    target = data / "cow_state_system" / "majors2016.csv"
    raw = bytearray(target.read_bytes())
    raw[-3] ^= 1
    target.write_bytes(bytes(raw))
    with pytest.raises(SourceError) as err:
        verify_sources(data)
    assert err.value.where == str(target)
    assert "6ba42de12f2f63401ff5a61e6d0037d17b5dd03ed9aca07d0bc16660e03694eb" in err.value.message


def test_wrong_header_names_file_line_column(tmp_path: Path) -> None:
    data = _copy(tmp_path, skip=("dcad-1.0", "owid-crosswalk"))
    target = data / "cow_state_system" / "states2016.csv"
    target.write_bytes(target.read_bytes().replace(b"stateabb,ccode", b"stateabb,code", 1))
    with pytest.raises(SourceError) as err:
        verify_sources(data)
    assert err.value.where == f"{target}:1:10"
    assert "'code'" in err.value.message and "'ccode'" in err.value.message


def test_missing_optional_source_is_a_note(tmp_path: Path) -> None:
    data = _copy(tmp_path, skip=("dcad-1.0",))
    notes: list[str] = []
    present = verify_sources(data, notes=notes)
    assert "dcad-1.0" not in [p.name for p in present]
    assert notes == [f"source dcad-1.0 not present in {data}: skipped"]


def test_missing_required_source_is_an_error(tmp_path: Path) -> None:
    data = _copy(tmp_path, skip=("atop-5.1",))
    with pytest.raises(SourceError) as err:
        verify_sources(data)
    assert "atop-5.1" in err.value.message and "foedus sources fetch" in (err.value.hint or "")


def test_missing_optional_file_is_recorded(tmp_path: Path) -> None:
    data = _copy(tmp_path, skip=("dcad-1.0", "owid-crosswalk"))
    (data / "atop" / "atop_5_1_codebook.pdf").unlink()
    atop = next(p for p in verify_sources(data) if p.name == "atop-5.1")
    assert atop.missing_optional == ["atop/atop_5_1_codebook.pdf"]


def test_describe_names_every_source_and_licence(tmp_path: Path) -> None:
    data = _copy(tmp_path, skip=("dcad-1.0",))
    text = describe_sources(load_settings({"sources": data}))
    for source in load_manifest():
        assert source.name in text and source.licence in text and source.version in text
    assert "dcad/DCAD-v1.0-main.csv" in text and "MISSING" in text
    unset = describe_sources(load_settings({"sources": ""}))
    assert "FOEDUS_SOURCES is not set" in unset


def test_corrupt_mme_or_troopdata_file_names_the_file(tmp_path: Path) -> None:
    data = _copy(tmp_path, skip=("dcad-1.0", "owid-crosswalk", "us-bases"))
    target = data / "troopdata" / "troopdata-rebuild-country-year.csv"
    target.write_bytes(target.read_bytes()[:-200])  # truncated
    with pytest.raises(SourceError) as err:
        verify_sources(data)
    assert err.value.where == str(target) and "875aa5c712506950786d791feb2a01b030c61e9afbc6df37baee5f453ce5fe5e" in (
        err.value.message)
    mme = data / "mme" / "mme_v7.csv"
    mme.write_bytes(mme.read_bytes().replace(b"MMEID,Ex_Name", b"MMEID,ExName", 1))
    with pytest.raises(SourceError) as err:
        verify_sources(data)
    assert err.value.where == f"{mme}:1:7" and "'ExName'" in err.value.message


def test_absent_mme_and_troopdata_are_notes(tmp_path: Path) -> None:
    data = _copy(tmp_path, skip=("mme-7", "us-troops", "us-bases"))
    notes: list[str] = []
    present = verify_sources(data, notes=notes)
    assert {"mme-7", "us-troops", "us-bases"}.isdisjoint(p.name for p in present)
    assert notes == [f"source {n} not present in {data}: skipped" for n in ("mme-7", "us-troops", "us-bases")]
