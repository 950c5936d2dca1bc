"""Importers on small hand-written files: bad values name file:line:column; odd files still parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, TIME, XSD

from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph.context import ImportContext
from foedus.graph.sources import SOURCES, get
from foedus.vocab import instrument_iri, state_iri

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def test_registry_names_the_sources_and_their_graphs() -> None:
    assert set(SOURCES) == {"atop-5.1", "cow-states-2016", "dcad-1.0", "owid-crosswalk", "mme-7", "us-troops",
                            "us-bases"}
    assert all(spec.graph == name for name, spec in SOURCES.items())
    assert str(get("dcad-1.0").graph_iri) == "https://w3id.org/foedus/graph/dcad-1.0"


def test_unknown_source_is_an_error() -> None:
    with pytest.raises(SourceError, match="unknown source 'cow-alliances'"):
        get("cow-alliances")


def test_bad_number_names_file_line_column_and_column_name() -> None:
    with pytest.raises(SourceError) as caught:
        SOURCES["atop-5.1"].load(FIXTURES / "bad-number", ImportContext())
    path = FIXTURES / "bad-number" / "atop" / "atop5_1a.csv"
    assert caught.value.where == f"{path}:4:4"
    assert "column 4 'begyr'" in caught.value.message
    assert "'19x9'" in caught.value.message


def test_missing_column_header_is_an_error() -> None:
    with pytest.raises(SourceError) as caught:
        SOURCES["dcad-1.0"].load(FIXTURES / "missing-column", ImportContext())
    assert caught.value.where == f"{FIXTURES / 'missing-column' / 'dcad' / 'DCAD-v1.0-main.csv'}:1"
    assert "'DCAid'" in caught.value.message


def test_missing_file_is_an_error() -> None:
    with pytest.raises(SourceError, match="source file not found"):
        SOURCES["owid-crosswalk"].load(FIXTURES / "bad-number", ImportContext())


def test_cr_only_line_endings_parse() -> None:
    ctx = ImportContext()
    g = SOURCES["cow-states-2016"].load(FIXTURES / "cr-only", ctx)
    assert set(g.subjects(RDF.type, FO.State)) == {state_iri(2), state_iri(220)}
    assert len(set(g.subjects(RDF.type, FO.SystemMembership))) == 3
    assert len(set(g.subjects(RDF.type, FO.MajorPowerStatus))) == 1
    assert (state_iri(220), FO.cowLetters, Literal("FRN")) in g
    assert ctx.warnings == []  # system2016 agrees with the spells
    # 2016-12-31 means "still a member": an open spell, never an end date
    open_spells = [s for s in g.subjects(RDF.type, FO.SystemMembership) if (s, FO.endDate, None) not in g]
    assert len(open_spells) == 2


def test_dcad_special_codes_become_notes_never_dates_or_numbers() -> None:
    g = SOURCES["dcad-1.0"].load(FIXTURES / "codes", ImportContext())

    def notes(key: str) -> set[str]:
        return {str(o) for o in g.objects(instrument_iri(key), FO.note)}

    assert any("Indefinite" in n and "span = -77" in n for n in notes("dcad-0002"))
    assert any("span = -88" in n for n in notes("dcad-0003"))
    assert any("terminated = -88" in n for n in notes("dcad-0003"))
    assert any("terminated = -99" in n for n in notes("dcad-0005"))
    assert any("span blank" in n for n in notes("dcad-0005"))
    assert any("renewType and renewYears blank" in n for n in notes("dcad-0005"))
    for o in g.objects(None, FO.endDate):
        assert o == Literal("1995-12-31", datatype=XSD.date)  # only the agreement known to have terminated (in 1995)
    assert (instrument_iri("dcad-0002"), FO.asymmetric, Literal(True)) in g
    assert (instrument_iri("dcad-0003"), FO.asymmetric, Literal(False)) in g
    assert (instrument_iri("dcad-0004"), FO.asymmetric, None) not in g  # asymmetry = 1: possible only
    assert (instrument_iri("dcad-0002"), FO.hasParty, state_iri(20)) in g  # "20.0" is COW 20


def test_dcad_dates_carry_their_precision() -> None:
    g = SOURCES["dcad-1.0"].load(FIXTURES / "codes", ImportContext())
    sig = URIRef("https://w3id.org/foedus/id/event/dcad-0003/signature")
    assert (sig, FO.date, Literal("1993-11-01", datatype=XSD.date)) in g
    assert (sig, FO.datePrecision, TIME.unitMonth) in g
    year_only = URIRef("https://w3id.org/foedus/id/event/dcad-0004/signature")
    assert (year_only, FO.datePrecision, TIME.unitYear) in g
    day = URIRef("https://w3id.org/foedus/id/event/dcad-0005/entry-into-force")
    assert (day, FO.date, Literal("2001-05-04", datatype=XSD.date)) in g
    assert (day, FO.datePrecision, TIME.unitDay) in g  # every date states its precision, a day's too
    termination = URIRef("https://w3id.org/foedus/id/event/dcad-0004/termination")
    assert (termination, RDF.type, FO.Termination) in g
    # a year-precise end is the year's last day on the agreement (graph/dates.py), its event the first
    (year,) = g.objects(termination, FO.date)
    end = g.value(instrument_iri("dcad-0004"), FO.endDate)
    assert (str(year)[4:], str(end)[4:], str(year)[:4]) == ("-01-01", "-12-31", str(end)[:4])
    assert (instrument_iri("dcad-0004"), FO.endPrecision, TIME.unitYear) in g


def test_owid_float_codes_and_empty_cells() -> None:
    g = SOURCES["owid-crosswalk"].load(FIXTURES / "codes", ImportContext())
    assert (state_iri(700), SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q889")) in g
    assert (state_iri(700), FO.iso3166Alpha3, Literal("AFG")) in g
    assert (state_iri(260), SKOS.exactMatch, None) not in g  # no Wikidata item in the crosswalk
    assert (state_iri(260), FO.iso3166Alpha2, None) not in g
    assert not any("5689" in str(o) for o in g.objects())  # Åland has no COW code
