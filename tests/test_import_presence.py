"""The US presence importers on the real troopdata files: troop figures as a Data Cube, and the bases abroad."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph.context import ImportContext
from foedus.graph.sources import SOURCES
from foedus.vocab import base_iri, state_iri, territory_iri

QB = Namespace("http://purl.org/linked-data/cube#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")


@pytest.fixture(scope="module")
def troops_context() -> ImportContext:
    return ImportContext()


@pytest.fixture(scope="module")
def troops(sources: Path, troops_context: ImportContext) -> Graph:
    return SOURCES["us-troops"].load(sources, troops_context)


@pytest.fixture(scope="module")
def bases(sources: Path) -> Graph:
    return SOURCES["us-bases"].load(sources, ImportContext())


def _observation(g: Graph, host: URIRef, year: int) -> list[URIRef]:
    return [o for o in g.subjects(FO.host, host) if (o, FO.year, Literal(year)) in g]


def test_every_row_is_one_observation_of_the_cube(troops: Graph) -> None:
    observations = set(troops.subjects(RDF.type, QB.Observation))
    assert len(observations) == 13135
    assert set(troops.subjects(RDF.type, FO.TroopPresenceObservation)) == observations
    (cube,) = set(troops.objects(None, QB.dataSet))
    structure = troops.value(cube, QB.structure)
    components = set(troops.objects(structure, QB.component))
    assert len(components) == 3 + 21 + 3  # dimensions, measures, attributes
    measures = {troops.value(c, QB.measure) for c in components} - {None}
    assert all(len(set(troops.objects(o, m))) == 1 for o in list(observations)[:500] for m in measures)


def test_us_active_duty_troops_in_japan_1960(troops: Graph) -> None:
    (japan_1960,) = _observation(troops, state_iri(740), 1960)
    assert troops.value(japan_1960, FO.troopsActiveDuty) == Literal(83586)
    assert troops.value(japan_1960, FO.airForceActiveDuty) == Literal(37522)


def test_west_germany_is_260_to_1990_and_germany_255_after(troops: Graph) -> None:
    assert _observation(troops, state_iri(260), 1960) and _observation(troops, state_iri(260), 1990)
    assert not _observation(troops, state_iri(255), 1960)
    (united,) = _observation(troops, state_iri(255), 1991)
    assert troops.value(united, FO.sourceCountryCode) == Literal(255)
    (west,) = _observation(troops, state_iri(260), 1970)
    assert troops.value(west, FO.sourceCountryCode) == Literal(255)  # the code as the source gives it
    assert _observation(troops, state_iri(265), 1980)  # the GDR keeps its own code


def test_territories_keep_their_code_and_name_and_are_flagged(troops: Graph, troops_context: ImportContext) -> None:
    guam = territory_iri(1008)
    assert (guam, RDF.type, FO.Territory) in troops
    assert troops.value(guam, RDFS.label) == Literal("Guam", lang="en")
    assert (territory_iri(6), RDF.type, FO.Territory) in troops  # Puerto Rico: a code below 1000, no COW state
    assert (state_iri(740), RDF.type, FO.Territory) not in troops
    assert any("32 hosts are no COW state" in n for n in troops_context.notes)


def test_hosts_named_twice_in_a_year_stay_two_observations(troops: Graph) -> None:
    names = {str(troops.value(o, FO.sourceCountryName)) for o in _observation(troops, state_iri(346), 2013)}
    assert names == {"Bosnia & Herzegovina", "Bosnia and Herzegovina"}


def test_every_base_is_imported_with_its_kind(bases: Graph) -> None:
    sites = set(bases.subjects(RDF.type, FO.MilitaryBase))
    assert len(sites) == 414
    assert len(set(bases.subjects(RDF.type, FO.MajorBase))) == 255
    assert len(set(bases.subjects(RDF.type, FO.LilyPadSite))) == 114
    assert len(set(bases.subjects(RDF.type, FO.HostFundedSite))) == 46
    bagram = base_iri(700, "Bagram AB")
    assert bases.value(bagram, FO.hostState) == state_iri(700)
    assert str(bases.value(bases.value(bagram, GEO.hasGeometry), GEO.asWKT)) == "POINT(69.264639 34.946222)"


def test_latin1_names_round_trip(bases: Graph) -> None:
    name = "Fuerte Aguayo NB, Concón"
    (node,) = set(bases.subjects(RDFS.label, Literal(name, lang="en")))
    assert node == base_iri(155, name) and str(node).endswith("/fuerte-aguayo-nb-concon")
    text = bases.serialize(format="nt", encoding="utf-8").decode("utf-8")
    assert '"Fuerte Aguayo NB, Conc\\u00F3n"@en' in text or f'"{name}"@en' in text
    assert (None, RDFS.label, Literal(name, lang="en")) in Graph().parse(data=text, format="nt")


def test_a_bad_troop_figure_names_file_line_and_column(sources: Path, tmp_path: Path) -> None:
    (tmp_path / "troopdata").mkdir()
    shutil.copytree(sources / "cow_state_system", tmp_path / "cow_state_system")
    lines = (sources / "troopdata" / "troopdata-rebuild-country-year.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[5] = "many"
    path = tmp_path / "troopdata" / "troopdata-rebuild-country-year.csv"
    path.write_text("\n".join([lines[0], lines[1], ",".join(cells)]) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        SOURCES["us-troops"].load(tmp_path, ImportContext())
    assert caught.value.where == f"{path}:3:6" and "column 6 'troops_ad'" in caught.value.message


def test_a_base_file_read_as_utf8_would_fail_so_latin1_is_declared(sources: Path) -> None:
    raw = (sources / "troopdata" / "basedata.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "Concón" in raw.decode("latin-1")
