"""The release build: reproducible bytes, atomic publication, and failures that publish nothing.

Tests of other things than validation replace the validation step (`no_validation`), so they do not depend on
the SHACL validator's speed; `test_curated_only_build_validates` runs the real validator on the small build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import sources_dir

from foedus.errors import SourceError, ValidationFailed
from foedus.graph import build as build_mod
from foedus.graph import release as release_mod
from foedus.graph.build import build_release
from foedus.graph.staging import LOCK
from foedus.settings import load_settings

FIXTURE = Path(__file__).parent / "fixtures" / "curated"
ROOT = Path(__file__).resolve().parents[1]


def _settings(tmp_path: Path, sources: Path | None = None):  # noqa: ANN202
    return load_settings({"releases": tmp_path / "releases", "sources": sources})


def _copy_of_sources(tmp_path: Path, only: tuple[str, ...] = ()) -> Path:
    """A copy of the public data sets in tmp_path/data (or of the folders `only` names), to break or trim."""
    src = tmp_path / "data"
    if not only:
        shutil.copytree(sources_dir(), src)
    for folder in only:
        shutil.copytree(sources_dir() / folder, src / folder)
    return src


def _curated_with_one_more_state(tmp_path: Path) -> Path:
    """A copy of the curated fixture in tmp_path/curated whose states.csv adds Russia: changed inputs."""
    curated = tmp_path / "curated"
    shutil.copytree(FIXTURE, curated)
    (curated / "states.csv").write_text((FIXTURE / "states.csv").read_text() + "365,RUS,Russia,,,,,,,curated\n")
    return curated


@pytest.fixture
def no_validation(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Replace the build's validation step by a counter, for tests about other things than validation."""
    calls: list[int] = []

    def skip(state: build_mod.BuildState, quads: object, say: object) -> None:
        calls.append(len(state.graphs))

    monkeypatch.setattr(build_mod, "_validate", skip)
    return calls


def test_curated_only_build_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              no_validation: list[int]) -> None:
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
    assert len(no_validation) == 2


def test_curated_only_build_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOEDUS_SOURCES", raising=False)
    release = build_release(_settings(tmp_path), progress=False, curated_dir=FIXTURE)
    report = (release / "build-report.md").read_text()
    assert "validation skipped" not in report
    assert os.readlink(tmp_path / "releases" / "latest") == release.name


def test_validation_failure_publishes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from foedus.shapes import validate as validate_mod  # here, so the other tests need no validator

    monkeypatch.delenv("FOEDUS_SOURCES", raising=False)

    class Report:
        def __init__(self, conforms: bool) -> None:
            self.conforms = conforms

        def summary(self) -> str:
            return "conforms" if self.conforms else "does NOT conform"

        def by_shape(self, severity: str) -> dict[tuple[str, str], list[object]]:
            return {}

        def render(self, fmt: str) -> str:
            return "a focus node broke a shape"

    results = [Report(True), Report(False)]  # the first build conforms, the second does not
    monkeypatch.setattr(validate_mod, "validate_release_graph", lambda ds: results.pop(0))
    good = build_release(_settings(tmp_path), progress=False, curated_dir=FIXTURE)
    curated = _curated_with_one_more_state(tmp_path)
    with pytest.raises(ValidationFailed) as err:
        build_release(_settings(tmp_path), progress=False, curated_dir=curated)
    assert "a focus node broke a shape" in str(err.value)
    assert results == []
    releases = tmp_path / "releases"
    assert sorted(p.name for p in releases.iterdir() if p.name != LOCK) == sorted([good.name, "latest"])
    assert os.readlink(releases / "latest") == good.name


def test_failed_build_keeps_previous_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             no_validation: list[int]) -> None:
    monkeypatch.delenv("FOEDUS_SOURCES", raising=False)
    good = build_release(_settings(tmp_path), progress=False, curated_dir=FIXTURE)
    curated = _curated_with_one_more_state(tmp_path)

    written: list[str] = []
    write = release_mod._write

    def flaky(path: Path, data: bytes | None) -> None:  # the disk fills up after two files of the new release
        written.append(path.name)
        if len(written) == 3:
            raise RuntimeError("step failed")
        write(path, data)

    monkeypatch.setattr(release_mod, "_write", flaky)
    with pytest.raises(RuntimeError):
        build_release(_settings(tmp_path), progress=False, curated_dir=curated)
    releases = tmp_path / "releases"
    assert sorted(p.name for p in releases.iterdir() if p.name != LOCK) == sorted([good.name, "latest"])
    assert os.readlink(releases / "latest") == good.name
    assert len(written) == 3


def test_corrupt_source_stops_build(tmp_path: Path) -> None:
    src = _copy_of_sources(tmp_path)
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
    src = _copy_of_sources(tmp_path)
    target = src / "cow_state_system" / "states2016.csv"
    target.chmod(0o644)
    target.write_bytes(target.read_bytes().replace(b"stateabb,ccode", b"stateabb,code", 1))
    with pytest.raises(SourceError) as err:
        build_release(_settings(tmp_path, src), progress=False, curated_dir=FIXTURE)
    assert str(err.value).startswith(f"{target}:1:10:")


def test_missing_optional_source_is_a_note(tmp_path: Path, no_validation: list[int]) -> None:
    src = _copy_of_sources(tmp_path, only=("atop", "cow_state_system"))  # the required sources, and no DCAD
    release = build_release(_settings(tmp_path, src), progress=False, curated_dir=FIXTURE)
    report = (release / "build-report.md").read_text()
    assert "source dcad-1.0 not present" in report and "source mme-7 not present" in report
    assert "atop-5.1" in (release / "release.json").read_text()


def test_report_lists_what_has_no_wikidata_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                no_validation: list[int]) -> None:
    """The build report counts Wikidata links per kind and names each curated thing still without one."""
    import json

    monkeypatch.delenv("FOEDUS_SOURCES", raising=False)
    release = build_release(_settings(tmp_path), progress=False, curated_dir=FIXTURE)
    links = json.loads((release / "build-report.json").read_text())["wikidata"]
    assert links["state"] == {"total": 3, "linked": 3, "missing": []}
    assert links["alliance"] == {"total": 1, "linked": 0, "missing": [
        {"iri": "https://w3id.org/foedus/id/alliance/mini-pact", "label": "Mini Pact"}]}
    assert links["treaty"]["missing"][0]["label"] == "Mini Treaty"
    md = (release / "build-report.md").read_text()
    assert "| alliance | 0 | 1 |" in md and "<https://w3id.org/foedus/id/alliance/mini-pact> Mini Pact" in md


def test_void_describes_the_wikidata_linksets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              no_validation: list[int]) -> None:
    """void.ttl has one void:Linkset per predicate that links to Wikidata, with its real triple count."""
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import SKOS

    void = Namespace("http://rdfs.org/ns/void#")
    monkeypatch.delenv("FOEDUS_SOURCES", raising=False)
    release = build_release(_settings(tmp_path), progress=False, curated_dir=FIXTURE)
    g = Graph().parse(release / "void.ttl")
    linksets = {g.value(ls, void.linkPredicate): g.value(ls, void.triples).toPython()
                for ls in g.subjects(void.linkPredicate, None)}
    assert linksets == {SKOS.exactMatch: 3}  # the fixture's three states, each with its Wikidata item
    target = g.value(next(g.subjects(void.linkPredicate, SKOS.exactMatch)), void.objectsTarget)
    assert g.value(target, void.uriSpace).toPython() == "http://www.wikidata.org/entity/"
    dataset = URIRef("https://w3id.org/foedus/id/dataset/foedus")
    assert g.value(dataset, void.uriSpace).toPython() == "https://w3id.org/foedus/id/"
