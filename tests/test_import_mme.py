"""The MME v7 importer on the real file (FOEDUS_SOURCES/mme): every row kept, known exercises as MME codes them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, TIME, XSD

from foedus.errors import SourceError
from foedus.fo_terms import EXERCISE_KIND, FO
from foedus.graph.context import ImportContext
from foedus.graph.sources import SOURCES
from foedus.vocab import alliance_iri, exercise_iri, exercise_series_iri, numbered_iri, state_iri, sub_iri

GEO = "http://www.opengis.net/ont/geosparql#"
NATO = alliance_iri("nato")


@pytest.fixture(scope="module")
def context() -> ImportContext:
    return ImportContext(alliance_iris={3180: NATO})


@pytest.fixture(scope="module")
def mme(sources: Path, context: ImportContext) -> Graph:
    return SOURCES["mme-7"].load(sources, context)


def _rows(sources: Path) -> list[dict[str, str]]:
    with open(sources / "mme" / "mme_v7.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_row_is_an_exercise_and_none_is_lost(mme: Graph, sources: Path) -> None:
    rows = _rows(sources)
    exercises = set(mme.subjects(FO.mmeId, None))
    assert len(rows) == len(exercises) == 3707
    assert len({str(o) for o in mme.objects(None, FO.mmeId)}) == 3704
    assert all((e, RDF.type, FO.JointExercise) in mme for e in exercises)
    # every participant cell of the file is one participation, mapped or kept by name
    cells = sum(1 for r in rows for k, v in r.items() if k.startswith("State") and v.strip())
    assert len(set(mme.subjects(RDF.type, FO.Participation))) == cells == 13887


def test_repeated_ids_get_one_iri_each(mme: Graph) -> None:
    for number, first, second in ((3457, "Baltic Circle", "Noble Award"), (3458, "Ulan Eagle 2000", "Kindred Sword"),
                                  (3460, "Unnamed exercise (mme3460 in MME)", "Unnamed exercise (mme3460 in MME)")):
        one, two = exercise_iri(number), numbered_iri(exercise_iri(number), 2)
        assert mme.value(one, RDFS.label) == Literal(first, lang="en")
        assert mme.value(two, RDFS.label) == Literal(second, lang="en")
        assert mme.value(one, FO.mmeId) == mme.value(two, FO.mmeId) == Literal(f"mme{number}")
    assert mme.value(numbered_iri(exercise_iri(3460), 2), FO.placeName) == Literal(
        "off the coast of Shanghai, near the Yangshan deep water port")


def test_readex_1_80_as_mme_codes_it(mme: Graph) -> None:
    readex = exercise_iri(87)
    assert mme.value(readex, RDFS.label) == Literal("Readex 1-80", lang="en")
    assert mme.value(readex, FO.startDate) == Literal("1980-01-14", datatype=XSD.date)
    assert mme.value(readex, FO.endDate) == Literal("1980-01-21", datatype=XSD.date)
    assert mme.value(readex, FO.startPrecision) == TIME.unitDay
    assert set(mme.objects(readex, FO.exerciseKind)) == {
        EXERCISE_KIND.sea, EXERCISE_KIND.amphibious, EXERCISE_KIND.warfighting}
    assert set(mme.objects(readex, FO.hasParticipant)) == {state_iri(210), state_iri(200), state_iri(2)}
    assert mme.value(readex, FO.occurrenceOf) == exercise_series_iri("Readex")
    assert mme.value(readex, DCTERMS.description) == Literal("realistic war-at-sea scenario", lang="en")
    place = mme.value(readex, URIRef("http://www.w3.org/ns/prov#atLocation"))
    assert place == sub_iri(readex, "place")
    wkt = mme.value(mme.value(place, URIRef(GEO + "hasGeometry")), URIRef(GEO + "asWKT"))
    assert str(wkt) == "POINT(-65.4400985 18.1262854)"


def test_unknown_day_is_a_month_precise_date(mme: Graph) -> None:
    node = exercise_iri(88)  # "1980-01-xx"
    assert mme.value(node, FO.startDate) == Literal("1980-01-01", datatype=XSD.date)
    assert mme.value(node, FO.endDate) == Literal("1980-01-31", datatype=XSD.date)
    assert mme.value(node, FO.startPrecision) == mme.value(node, FO.endPrecision) == TIME.unitMonth


def test_an_end_before_the_start_is_kept_as_a_note(mme: Graph, context: ImportContext) -> None:
    node = exercise_iri(281)
    assert mme.value(node, FO.endDate) is None
    assert any("1982-11-10" in str(n) for n in mme.objects(node, FO.note))
    assert any("mme281 ends (1982-11-10)" in w for w in context.warnings)


def test_series_gather_their_editions(mme: Graph) -> None:
    cobra = exercise_series_iri("Cobra Gold")
    assert (cobra, RDF.type, FO.ExerciseSeries) in mme
    assert len(set(mme.subjects(FO.occurrenceOf, cobra))) == 28
    # two spellings of one series name are one series, both names kept
    forge = exercise_series_iri("Autumn Forge")
    assert exercise_series_iri("Autumn forge") == forge
    names = {str(o) for p in (RDFS.label, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))
             for o in mme.objects(forge, p)}
    assert names == {"Autumn Forge", "Autumn forge"}


def test_a_cobra_gold_edition_and_its_participants(mme: Graph) -> None:
    cobra = exercise_series_iri("Cobra Gold")
    editions = {e for e in mme.subjects(FO.occurrenceOf, cobra)
                if str(mme.value(e, FO.startDate)).startswith("2005")}
    assert len(editions) == 1
    (edition,) = editions
    who = set(mme.objects(edition, FO.hasParticipant))
    assert {state_iri(800), state_iri(2)} <= who  # Thailand and the United States


def test_unmapped_participants_are_kept_by_name_and_counted(mme: Graph, context: ImportContext) -> None:
    names = [str(o) for o in mme.objects(None, FO.participantName)]
    assert names.count("-9") == 208 and "Baltic States" in names and "Hong Kong SAR China" in names
    assert any("215 participations of unmapped participants kept by name" in n for n in context.notes)
    assert (None, FO.participant, NATO) in mme  # the organisation, through the curated alliance


def test_germany_is_260_before_unification_and_255_after(mme: Graph) -> None:
    before = {e for e in mme.subjects(FO.hasParticipant, state_iri(260))}
    after = {e for e in mme.subjects(FO.hasParticipant, state_iri(255))}
    assert before and after
    assert max(str(mme.value(e, FO.startDate)) for e in before) < "1990-10-03"
    assert min(str(mme.value(e, FO.startDate)) for e in after) >= "1990-10-03"


def _copy_with(sources: Path, tmp_path: Path, line: int, column: str, value: str) -> Path:
    """A copy of the MME file with one cell changed (line counted from 1, header = 1)."""
    target = tmp_path / "mme"
    target.mkdir()
    with open(sources / "mme" / "mme_v7.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with open(target / "mme_v7.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows[:line])
    shutil.copytree(sources / "cow_state_system", tmp_path / "cow_state_system")
    return tmp_path


@pytest.mark.parametrize(("column", "value", "message"), [
    ("lat", "north", "expected degrees"), ("s.day", "3x", "expected a whole number"),
    ("StateB", "Atlantis", "'Atlantis' is not in graph/sources/mme_participants.csv"),
    ("MMEID", "87", "expected an identifier like mme87"), ("Sea", "2", "expected 0 or 1"),
])
def test_a_bad_cell_names_file_line_and_column(
    sources: Path, tmp_path: Path, column: str, value: str, message: str
) -> None:
    root = _copy_with(sources, tmp_path, 3, column, value)
    with pytest.raises(SourceError) as caught:
        SOURCES["mme-7"].load(root, ImportContext())
    with open(root / "mme" / "mme_v7.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert caught.value.where == f"{root / 'mme' / 'mme_v7.csv'}:3:{header.index(column) + 1}"
    assert message in caught.value.message
