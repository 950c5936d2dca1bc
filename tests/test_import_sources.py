"""Importers on the public data sets (FOEDUS_SOURCES): counts and known answers that any user could check."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS, XSD

from foedus.fo_terms import FO, ROLE
from foedus.graph.context import ImportContext
from foedus.graph.sources import SOURCES
from foedus.vocab import PREFIXES, alliance_iri, state_iri

NATO = alliance_iri("nato")


@pytest.fixture(scope="module")
def atop(sources: Path) -> Graph:
    return SOURCES["atop-5.1"].load(sources, ImportContext(alliance_iris={3180: NATO}))


@pytest.fixture(scope="module")
def cow(sources: Path) -> Graph:
    return SOURCES["cow-states-2016"].load(sources, ImportContext())


@pytest.fixture(scope="module")
def dcad(sources: Path) -> Graph:
    return SOURCES["dcad-1.0"].load(sources, ImportContext())


@pytest.fixture(scope="module")
def owid(sources: Path) -> Graph:
    return SOURCES["owid-crosswalk"].load(sources, ImportContext())


def count(g: Graph, cls: URIRef) -> int:
    return len(set(g.subjects(RDF.type, cls)))


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def test_atop_has_every_alliance(atop: Graph) -> None:
    assert count(atop, FO.Alliance) == 789
    assert 0 < count(atop, FO.BilateralAlliance) < 789


def test_nato_keeps_its_curated_iri_and_atop_identifiers(atop: Graph) -> None:
    assert (NATO, FO.atopId, Literal(3180)) in atop
    assert (NATO, FO.startDate, day("1949-04-04")) in atop
    assert (NATO, FO.cowAllianceId, Literal(3521)) in atop
    assert (NATO, FO.cow4AllianceId, Literal(227)) in atop
    assert (alliance_iri("atop-3180"), None, None) not in atop


def test_nato_members_on_1990_01_01(atop: Graph) -> None:
    query = """
        SELECT (COUNT(DISTINCT ?state) AS ?n) WHERE {
          ?m a fo:AllianceMembership ; org:organization ?nato ; org:member ?state ; fo:startDate ?start .
          OPTIONAL { ?m fo:endDate ?end }
          FILTER (?start <= "1990-01-01"^^xsd:date && (!BOUND(?end) || ?end >= "1990-01-01"^^xsd:date))
        }"""
    rows = list(atop.query(query, initNs=PREFIXES, initBindings={"nato": NATO}))
    assert rows[0][0].toPython() == 16


def test_membership_spells_merge_consecutive_phases(atop: Graph) -> None:
    usa = [m for m in atop.subjects(ORG.member, state_iri(2)) if (m, ORG.organization, NATO) in atop]
    assert len(usa) == 1  # phases 1 (1949-1951) and 2 (1951-) are one spell
    assert (usa[0], FO.startDate, day("1949-04-04")) in atop
    assert (usa[0], FO.endDate, None) not in atop


def test_atop_dates_the_2004_cohort_at_the_protocol_signature(atop: Graph) -> None:
    for code in (317, 349, 355, 360, 366, 367, 368):
        spells = [m for m in atop.subjects(ORG.member, state_iri(code))
                  if (m, ORG.organization, NATO) in atop]
        assert [atop.value(m, FO.startDate) for m in spells] == [day("2003-03-26")]


def test_us_japan_1960_has_a_defence_obligation(atop: Graph) -> None:
    alliance = atop.value(None, FO.atopId, Literal(3375))
    assert alliance is not None
    assert (alliance, FO.startDate, day("1960-01-19")) in atop
    assert {state_iri(2), state_iri(740)} == set(atop.objects(alliance, FO.hasParty))
    kinds = {atop.value(o, RDF.type) for o in atop.objects(alliance, FO.hasObligation)}
    assert FO.DefenceObligation in kinds


def test_every_condition_and_provision_keeps_its_atop_code(atop: Graph) -> None:
    conditions = set(atop.objects(None, FO.hasCondition))
    provisions = set(atop.objects(None, FO.hasProvision))
    assert conditions and provisions
    assert all(atop.value(n, URIRef("http://www.w3.org/2004/02/skos/core#notation")) for n in conditions)
    assert all(atop.value(n, RDF.value) is not None for n in provisions)


def test_cow_states_and_spells(cow: Graph) -> None:
    assert count(cow, FO.State) == 217
    assert count(cow, FO.SystemMembership) == 243
    assert count(cow, FO.MajorPowerStatus) == 14
    assert (state_iri(2), FO.cowLetters, Literal("USA")) in cow


def test_dcad_agreements(dcad: Graph) -> None:
    assert count(dcad, FO.DefenceCooperationAgreement) == 1871
    assert count(dcad, FO.Signature) == 1871
    first = URIRef("https://w3id.org/foedus/id/instrument/dcad-0001")
    assert (first, FO.dcadId, Literal("DCADv1.0-0001")) in dcad
    assert {state_iri(2), state_iri(20)} == set(dcad.objects(first, FO.hasParty))
    roles = {dcad.value(p, FO.participantRole) for p in dcad.objects(first, FO.hasParticipation)}
    assert roles == {ROLE.participant}
    assert not any(lit.toPython() in (-77, -88, -99) for lit in dcad.objects() if isinstance(lit, Literal))


def test_owid_crosswalk(owid: Graph) -> None:
    assert len(set(owid.subjects(FO.iso3166Alpha3, None))) == 196
    assert (state_iri(2), SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q30")) in owid
    assert (state_iri(700), FO.iso3166Alpha2, Literal("AF")) in owid
