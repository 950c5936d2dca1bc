"""Allied dyads on a hand-made graph: every dyad and every per-pair total is the one worked out by hand below."""

from __future__ import annotations

import datetime as dt

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from foedus.fo_terms import FO
from foedus.graph.dyads import Spell, build_dyads, collect_spells, union_days
from foedus.vocab import ORG, alliance_iri, mint, state_iri, treaty_iri

USA, UK, FRANCE = state_iri(2), state_iri(200), state_iri(220)  # sorted by IRI: 2 < 200 < 220
A1, A2 = alliance_iri("a1"), alliance_iri("a2")
TREATY, DEFENCE = treaty_iri("a1-treaty"), mint("obligation", "a1-treaty", "defence")
CONSULT = mint("obligation", "a2", "consultation")  # ATOP's way: the obligation on the alliance itself
AS_OF = dt.date(1970, 12, 31)

# (spell, member, alliance, start, end or None = still running)
SPELLS = [
    ("a1-usa", USA, A1, "1950-01-01", "1959-12-31"),
    ("a1-uk", UK, A1, "1955-01-01", None),
    ("a1-fra", FRANCE, A1, "1960-01-01", "1960-12-31"),  # starts the day after the USA left: no USA-France dyad
    ("a2-usa", USA, A2, "1958-01-01", None),
    ("a2-uk", UK, A2, "1957-01-01", "1961-06-30"),
    ("a2-fra", FRANCE, A2, "1962-01-01", None),  # after the UK left A2: no UK-France dyad in A2
]


def _d(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def _add_spell(g: Graph, key: str, member: URIRef, alliance: URIRef, start: str, end: str | None) -> None:
    ms = mint("membership", key)
    g.add((ms, RDF.type, FO.AllianceMembership))
    g.add((ms, ORG.member, member))
    g.add((ms, ORG.organization, alliance))
    g.add((ms, FO.startDate, _d(start)))
    if end:
        g.add((ms, FO.endDate, _d(end)))


def _graph() -> Graph:
    g = Graph()
    for key, member, alliance, start, end in SPELLS:
        _add_spell(g, key, member, alliance, start, end)
    g.add((A1, FO.basedOn, TREATY))
    g.add((TREATY, FO.hasObligation, DEFENCE))
    g.add((A2, FO.hasObligation, CONSULT))
    return g


def _dyad(a: str, b: str, alliance: str, start: str) -> URIRef:
    return mint("dyad", f"state-{a}", f"state-{b}", f"alliance-{alliance}", start)


def _expected() -> set[tuple[URIRef, URIRef, object]]:
    t: set[tuple[URIRef, URIRef, object]] = set()

    def dyad(iri: URIRef, a: URIRef, b: URIRef, alliance: URIRef, start: str, end: str | None, days: int,
             spells: tuple[str, str], obligations: tuple[URIRef, ...] = ()) -> None:
        t.update({(iri, RDF.type, FO.AlliedDyad), (iri, FO.dyadMember, a), (iri, FO.dyadMember, b),
                  (iri, FO.viaAlliance, alliance), (iri, FO.startDate, _d(start)),
                  (iri, FO.durationDays, Literal(days))})
        if end:
            t.add((iri, FO.endDate, _d(end)))
        t.update((iri, PROV.wasDerivedFrom, mint("membership", s)) for s in spells)
        t.update((iri, FO.underObligation, o) for o in obligations)

    # A1 USA-UK: 1955-01-01..1959-12-31 = 1955..1959, one leap year (1956): 5 * 365 + 1 = 1826 days.
    d1 = _dyad("2", "200", "a1", "1955-01-01")
    dyad(d1, USA, UK, A1, "1955-01-01", "1959-12-31", 1826, ("a1-usa", "a1-uk"), (DEFENCE,))
    # A1 UK-France: 1960-01-01..1960-12-31, a leap year: 366 days.
    d2 = _dyad("200", "220", "a1", "1960-01-01")
    dyad(d2, UK, FRANCE, A1, "1960-01-01", "1960-12-31", 366, ("a1-uk", "a1-fra"), (DEFENCE,))
    # A2 USA-UK: 1958-01-01..1961-06-30 = 1958, 1959, 1960 (leap) + Jan..Jun 1961: 1096 + 181 = 1277 days.
    d3 = _dyad("2", "200", "a2", "1958-01-01")
    dyad(d3, USA, UK, A2, "1958-01-01", "1961-06-30", 1277, ("a2-usa", "a2-uk"), (CONSULT,))
    # A2 USA-France: both open, from 1962-01-01 to AS_OF 1970-12-31 = 9 years, leap 1964 and 1968: 3287 days.
    d4 = _dyad("2", "220", "a2", "1962-01-01")
    dyad(d4, USA, FRANCE, A2, "1962-01-01", None, 3287, ("a2-usa", "a2-fra"), (CONSULT,))

    def pair(a: str, b: str, ma: URIRef, mb: URIRef, start: str, end: str | None, days: int,
             parts: dict[URIRef, URIRef]) -> None:
        iri = mint("dyad", f"state-{a}", f"state-{b}")
        t.update({(iri, RDF.type, FO.AlliedPair), (iri, FO.dyadMember, ma), (iri, FO.dyadMember, mb),
                  (iri, FO.startDate, _d(start)), (iri, FO.durationDays, Literal(days))})
        if end:
            t.add((iri, FO.endDate, _d(end)))
        for part, alliance in parts.items():
            t.update({(iri, DCTERMS.hasPart, part), (iri, FO.viaAlliance, alliance)})

    # USA-UK: A1 1955-01-01..1959-12-31 and A2 1958-01-01..1961-06-30 overlap for 1958-1959 (730 days), so the
    # union is 1955-01-01..1961-06-30 = 1955..1960 (two leap years) + 181 = 2192 + 181 = 2373, not 1826 + 1277.
    pair("2", "200", USA, UK, "1955-01-01", "1961-06-30", 2373, {d1: A1, d3: A2})
    pair("200", "220", UK, FRANCE, "1960-01-01", "1960-12-31", 366, {d2: A1})
    pair("2", "220", USA, FRANCE, "1962-01-01", None, 3287, {d4: A2})  # still allied: no end date
    return t


def test_dyads_and_pairs_as_computed_by_hand() -> None:
    g = _graph()
    spells, warnings = collect_spells({"curated": g})
    assert warnings == []
    got = set(build_dyads(spells, [g], AS_OF))
    want = _expected()
    missing = "\n".join(sorted(" ".join(x.n3() for x in t) for t in want - got))
    extra = "\n".join(sorted(" ".join(x.n3() for x in t) for t in got - want))
    assert got == want, f"missing:\n{missing}\nunexpected:\n{extra}"


def test_union_days_counts_each_day_once() -> None:
    d = dt.date
    assert union_days([]) == 0
    assert union_days([(d(2000, 1, 1), d(2000, 1, 1))]) == 1
    assert union_days([(d(2000, 1, 1), d(2000, 1, 10)), (d(2000, 1, 5), d(2000, 1, 20))]) == 20
    assert union_days([(d(2000, 1, 1), d(2000, 1, 10)), (d(2000, 1, 11), d(2000, 1, 20))]) == 20  # adjacent
    assert union_days([(d(2000, 1, 1), d(2000, 1, 10)), (d(2000, 1, 12), d(2000, 1, 20))]) == 19  # a gap
    assert union_days([(d(2000, 1, 5), d(2000, 1, 6)), (d(2000, 1, 1), d(2000, 1, 31))]) == 31  # nested


def test_curated_spells_win_and_undated_spells_warn() -> None:
    curated, atop = _graph(), Graph()
    for key, member, alliance, start in [("atop-a1-usa", USA, A1, "1949-01-01"),
                                         ("atop-a3-usa", USA, alliance_iri("a3"), "1990-01-01")]:
        ms = mint("membership", key)
        atop.add((ms, RDF.type, FO.AllianceMembership))
        atop.add((ms, ORG.member, member))
        atop.add((ms, ORG.organization, alliance))
        atop.add((ms, FO.startDate, _d(start)))
    undated = mint("membership", "undated")
    atop.add((undated, RDF.type, FO.AllianceMembership))
    atop.add((undated, ORG.member, UK))
    atop.add((undated, ORG.organization, alliance_iri("a3")))
    spells, warnings = collect_spells({"atop-5.1": atop, "curated": curated})
    keys = {str(s.iri).rsplit("/", 1)[1] for s in spells}
    assert keys == {key for key, *_ in SPELLS} | {"atop-a3-usa"}  # A1 is curated: ATOP's A1 spell is left out
    assert warnings == [f"{undated}: membership without a start date, left out of the allied dyads"]
    assert isinstance(spells[0], Spell)


def _dyad_alliances(g: Graph, **kwargs: object) -> set[URIRef]:
    spells, _ = collect_spells({"curated": g})
    out = build_dyads(spells, [g], AS_OF, **kwargs)  # type: ignore[arg-type]
    return {a for a in out.objects(None, FO.viaAlliance) if isinstance(a, URIRef)}


def test_an_alliance_without_obligations_allies_nobody() -> None:
    g = _graph()
    g.remove((A2, FO.hasObligation, CONSULT))  # AUKUS-like: members, no obligation in any graph
    assert _dyad_alliances(g) == {A1}


def test_an_alliance_the_curated_core_classes_as_none_allies_nobody() -> None:
    assert _dyad_alliances(_graph(), not_alliances=frozenset({A2})) == {A1}


def test_no_dyad_when_one_spell_ends_on_the_day_the_other_begins() -> None:
    # ATOP ends West Germany (260) on the day unified Germany (255) begins: a one-day overlap no treaty made.
    g = _graph()
    a3 = alliance_iri("a3")
    g.add((a3, FO.hasObligation, CONSULT))
    for key, member, start, end in (("a3-frg", state_iri(260), "1955-05-05", "1990-10-03"),
                                    ("a3-de", state_iri(255), "1990-10-03", None),
                                    ("a3-usa", USA, "1955-05-05", None)):
        _add_spell(g, key, member, a3, start, end)
    spells, _ = collect_spells({"curated": g})
    out = build_dyads(spells, [g], AS_OF)
    pairs = {frozenset(out.objects(d, FO.dyadMember)) for d in out.subjects(FO.viaAlliance, a3)}
    assert frozenset({state_iri(255), state_iri(260)}) not in pairs
    assert frozenset({USA, state_iri(255)}) in pairs and frozenset({USA, state_iri(260)}) in pairs
