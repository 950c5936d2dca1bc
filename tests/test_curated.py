"""The curated core: every rejected fact names its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from foedus.errors import SourceError
from foedus.graph.curated import load_curated

OLD = '{member: 220, start: "1950-01", source: src}'
FIXTURE = Path(__file__).parent / "fixtures" / "curated"


def test_fixture_loads_with_atop_claim() -> None:
    core = load_curated(FIXTURE)
    assert str(core.alliance_iris[3180]).endswith("/id/alliance/mini-pact")
    assert len(core.graph) > 50


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (OLD, '{member: 220, start: "1950-01", source: src, x: 1}', 21,
         "unknown key 'x'"),
        (OLD, '{member: 220, start: "1950-01"}', 21, "no citation"),
        (OLD, '{member: 220, start: "1950-13-01", source: src}', 21,
         "bad date"),
        (OLD, '{member: 999, start: "1950-01", source: src}', 21,
         "unknown actor 999"),
        ("{type: signature,", "{type: signing,", 14, "unknown event type"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    root = tmp_path / "curated"
    shutil.copytree(FIXTURE, root)
    path = root / "alliances" / "mini-pact.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    with pytest.raises(SourceError) as err:
        load_curated(root)
    assert f"mini-pact.yaml:{line}:" in str(err.value)
    assert message in str(err.value)


def test_one_wikidata_item_links_one_thing(tmp_path: Path) -> None:
    """owl:sameAs from the alliance and its treaty to one item would merge them: the build refuses it."""
    root = tmp_path / "curated"
    shutil.copytree(FIXTURE, root)
    path = root / "alliances" / "mini-pact.yaml"
    text = path.read_text()
    text = text.replace("atop: [3180]\n", "atop: [3180]\nwikidata: Q7184\n")
    text = text.replace('    label: "Mini Treaty"\n', '    label: "Mini Treaty"\n    wikidata: Q7184\n')
    path.write_text(text)
    with pytest.raises(SourceError) as err:
        load_curated(root)
    message = str(err.value)
    assert "mini-pact.yaml:12:" in message  # the treaty's line
    assert "Q7184 is already the item of https://w3id.org/foedus/id/alliance/mini-pact" in message
    assert "mini-pact.yaml:5" in message  # where the alliance claimed it


def test_citation_to_an_uncitable_host_is_a_warning_naming_the_place(tmp_path: Path) -> None:
    root = tmp_path / "curated"
    shutil.copytree(FIXTURE, root)
    (root / "uncitable_hosts.csv").write_text("host,reason\nwikipedia.org,Wikipedia: cite its sources\n")
    path = root / "alliances" / "mini-pact.yaml"
    path.write_text(path.read_text().replace("https://example.org/src", "https://en.wikipedia.org/wiki/Mini"))
    core = load_curated(root)
    assert len(core.warnings) == 1
    assert "mini-pact.yaml:7:" in core.warnings[0] and "wikipedia.org (Wikipedia: cite its sources)" in core.warnings[0]
    (root / "uncitable_hosts.csv").write_text("host,reason\nexample.org,\n")
    with pytest.raises(SourceError, match=r"uncitable_hosts\.csv:2:.*host and a reason"):
        load_curated(root)


def test_a_dated_instrument_needs_a_source_for_its_dates(tmp_path: Path) -> None:
    """FORMAT.md: an instrument's `source:` cites its dates, so it is required once `start` or `end` is given."""
    root = tmp_path / "curated"
    shutil.copytree(FIXTURE.parent / "curated" / "golden", root)
    path = root / "instruments" / "golden-exercise.yaml"
    path.write_text(path.read_text().replace("source: k                # cites the dates and the place\n", ""))
    with pytest.raises(SourceError, match=r"golden-exercise\.yaml:1: no citation: add `source:`"):
        load_curated(root)
    path.write_text(path.read_text().replace('start: "1971"\n', ""))  # undated: nothing to cite
    assert load_curated(root).warnings == []


def test_an_end_before_its_start_is_an_error_but_a_coarse_end_in_the_start_year_is_not(tmp_path: Path) -> None:
    root = tmp_path / "curated"
    shutil.copytree(FIXTURE, root)
    path = root / "alliances" / "mini-pact.yaml"
    text = path.read_text()
    path.write_text(text.replace(OLD, '{member: 220, start: "1950-06-15", end: "1950", source: src}'))
    load_curated(root)  # ends some day in 1950: not before 15 June 1950 (graph/dates.py)
    path.write_text(text.replace(OLD, '{member: 220, start: "1950-06-15", end: "1949", source: src}'))
    with pytest.raises(SourceError, match=r"mini-pact\.yaml:21:.*end 1949 is before start 1950-06-15"):
        load_curated(root)


def test_a_port_visit_names_its_host_visitor_port_and_days() -> None:
    from conftest import curated_graph
    from rdflib import RDF, Literal
    from rdflib.namespace import XSD

    from foedus.fo_terms import FO
    from foedus.vocab import instrument_iri, state_iri

    g = curated_graph()
    visit = instrument_iri("carl-vinson-da-nang-2018")
    assert (visit, RDF.type, FO.PortVisit) in g
    roles = {(g.value(p, FO.participant), g.value(p, FO.participantRole).split("/")[-1])
             for p in g.objects(visit, FO.hasParticipation)}
    assert roles == {(state_iri(816), "host"), (state_iri(2), "participant")}
    assert g.value(visit, FO.placeName) == Literal("Da Nang, Vietnam")
    assert (g.value(visit, FO.startDate), g.value(visit, FO.endDate)) == (
        Literal("2018-03-05", datatype=XSD.date), Literal("2018-03-09", datatype=XSD.date))
