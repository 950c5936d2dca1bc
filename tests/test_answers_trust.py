"""Answers a researcher can trust, on the full release: one node per coded alliance, only obliging alliances make
allies, endings are events, the in-force standing says how far its source knows, datings are chosen and never mixed,
every alliance is named, and the research questions have saved queries (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import run_saved
from pyoxigraph import Store

from foedus.queries.catalog import Catalog, load_catalog

ID = "https://w3id.org/foedus/id/"
GRAPH = "https://w3id.org/foedus/graph/"
PREFIXES = """PREFIX fo: <https://w3id.org/foedus/ontology/> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX id: <https://w3id.org/foedus/id/>
"""


def state(code: int) -> str:
    return f"{ID}state/{code}"


def alliance(slug: str) -> str:
    return f"{ID}alliance/{slug}"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def rows(store: Store, text: str) -> list[dict[str, str]]:
    result: Any = store.query(PREFIXES + text)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def ask(store: Store, text: str) -> bool:
    return bool(store.query(PREFIXES + text))


def answer(store: Store, catalog: Catalog, name: str, **params: str | None) -> list[dict[str, str]]:
    """Rows of a saved query; parameters default to the header's examples, and None leaves one unbound."""
    saved = catalog.queries[name]
    given = {k: v for k, v in {**saved.example_args(), **params}.items() if v is not None}
    result: Any = run_saved(store, saved, given)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def dyad_pairs(store: Store, via: list[str]) -> set[frozenset[str]]:
    values = " ".join(f"<{a}>" for a in via)
    found = rows(store, f"""SELECT ?a ?b WHERE {{ VALUES ?x {{ {values} }}
        ?d a fo:AlliedDyad ; fo:viaAlliance ?x ; fo:dyadMember ?a , ?b . FILTER(STR(?a) < STR(?b)) }}""")
    return {frozenset((r["a"], r["b"])) for r in found}


# §1 One node per coded alliance


def test_no_node_carries_two_atop_ids(full_store: Store) -> None:
    found = rows(full_store, "SELECT ?x WHERE { ?x fo:atopId ?a , ?b FILTER(?a != ?b) } LIMIT 5")
    assert found == []


def test_locarno_is_a_family_of_three_alliances(full_store: Store) -> None:
    parts = rows(full_store, "SELECT ?p ?id WHERE { id:alliance\\/locarno-treaties dcterms:hasPart ?p . "
                             "?p a fo:Alliance ; fo:atopId ?id }")
    assert {(r["p"], r["id"]) for r in parts} == {
        (alliance("atop-2130"), "2130"), (alliance("atop-2135"), "2135"), (alliance("atop-2140"), "2140")}
    assert not ask(full_store, "ASK { id:alliance\\/locarno-treaties a fo:Alliance }")


def test_locarno_allies_poland_with_france_only_and_not_cut_at_1937(full_store: Store) -> None:
    family = [alliance(s) for s in ("locarno-treaties", "atop-2130", "atop-2135", "atop-2140")]
    poland_pairs = {p for p in dyad_pairs(full_store, family) if state(290) in p}
    assert poland_pairs == {frozenset((state(220), state(290)))}
    ends = rows(full_store, f"""SELECT ?e WHERE {{ ?d a fo:AlliedDyad ; fo:viaAlliance <{alliance('atop-2135')}> ;
        fo:dyadMember <{state(220)}> , <{state(290)}> ; fo:endDate ?e }}""")
    assert [r["e"] for r in ends] == ["1939-09-27"]


def test_each_coded_alliance_has_one_standing(full_store: Store) -> None:
    # France-Djibouti was "in effect and not in effect" on one node; now the 1977 protocol ended in 2014.
    found = rows(full_store, "SELECT ?x WHERE { ?x fo:inEffect ?a , ?b FILTER(?a != ?b) } LIMIT 5")
    assert found == []
    assert rows(full_store, f"SELECT ?v WHERE {{ <{alliance('atop-3790')}> fo:inEffect ?v }}") == [{"v": "false"}]
    assert rows(full_store, f"SELECT ?v WHERE {{ <{alliance('atop-6040')}> fo:inEffect ?v }}") == [{"v": "true"}]


# §2 What counts as an alliance


def test_partnerships_without_obligations_are_no_alliances_and_make_no_allies(full_store: Store) -> None:
    for slug in ("aukus", "lancaster-house-2010"):
        assert not ask(full_store, f"ASK {{ <{alliance(slug)}> a fo:Alliance }}"), slug
        assert dyad_pairs(full_store, [alliance(slug)]) == set(), slug


def test_every_alliance_carries_an_obligation(full_store: Store) -> None:
    found = rows(full_store, """SELECT ?a WHERE { ?a a fo:Alliance .
        FILTER NOT EXISTS { ?a fo:hasObligation|fo:basedOn/fo:hasObligation|fo:hasPhase/fo:hasObligation ?o } }""")
    assert found == []


def test_the_sco_is_no_alliance_by_default_and_the_disagreement_is_recorded(full_store: Store) -> None:
    sco = alliance("shanghai-cooperation-organisation")
    assert not ask(full_store, f"ASK {{ <{sco}> a fo:Alliance }}")
    claims = rows(full_store, f"""SELECT ?graph ?value WHERE {{ ?d a fo:Disagreement ; fo:aspect "classification" ;
        fo:concerns <{sco}> , <{alliance('atop-4810')}> ; fo:hasClaim ?c . ?c fo:sourceGraph ?graph ;
        fo:claimValue ?value }}""")
    assert {(r["graph"], r["value"]) for r in claims} == {
        (GRAPH + "curated", "not an alliance"), (GRAPH + "atop-5.1", "an alliance")}
    assert dyad_pairs(full_store, [sco, alliance("atop-4810")]) == set()


# §3 In force, ended, and the edge of knowledge


def test_atop_endings_are_events_and_1991_has_more_than_the_warsaw_pact(full_store: Store, catalog: Catalog) -> None:
    missing = rows(full_store, f"""SELECT ?a WHERE {{ GRAPH <{GRAPH}atop-5.1> {{ ?a a fo:Alliance ; fo:endDate ?e }}
        FILTER NOT EXISTS {{ GRAPH <{GRAPH}atop-5.1> {{ ?ev a fo:Ending ; fo:ofAlliance ?a ; fo:date ?d }} }} }}
        LIMIT 5""")
    assert missing == []
    ended = answer(full_store, catalog, "alliances-ended", **{"from": "1991-01-01", "to": "1991-12-31"})
    alliances = {r["alliance"] for r in ended}
    assert alliance("warsaw-pact") in alliances
    assert len(alliances) >= 13, sorted(alliances)
    assert {r["recordedIn"] for r in ended} >= {GRAPH + "curated", GRAPH + "atop-5.1"}


def test_no_dyad_between_a_state_and_its_successor(full_store: Store) -> None:
    for a, b in ((255, 260), (255, 265), (678, 679), (679, 680)):
        assert not ask(full_store, f"ASK {{ ?d a fo:AlliedDyad ; fo:dyadMember <{state(a)}> , <{state(b)}> }}"), (a, b)


def test_standing_says_how_far_the_dating_source_knows(full_store: Store, catalog: Catalog) -> None:
    nato = answer(full_store, catalog, "alliances-still-in-force", knowledge="in-force")
    assert {alliance("nato"), alliance("anzus")} <= {r["alliance"] for r in nato}
    assert all(r["inEffect"] == "true" and r["datesFrom"] == GRAPH + "curated" for r in nato
               if r["alliance"] == alliance("nato"))
    edge = answer(full_store, catalog, "alliances-still-in-force", knowledge="open-at-edge")
    oas = [r for r in edge if r["alliance"] == alliance("atop-3150")]
    assert oas and oas[0]["knowledgeEdge"] == "2018-12-31" and "inEffect" not in oas[0]
    assert "cannot say" in oas[0]["standing"]
    # Locarno's Rhineland Pact: the curated core records no end that ATOP gives, so it is not "in force".
    assert alliance("atop-2130") in {r["alliance"] for r in edge}
    since = [r["since"] for r in answer(full_store, catalog, "alliances-still-in-force")]
    assert since == sorted(since)


# §4 Datings chosen, never mixed


def test_nato_members_on_a_date_by_nato_s_own_dating_and_by_atop(full_store: Store, catalog: Catalog) -> None:
    args = {"alliance": alliance("nato"), "date": "2003-06-01"}
    ours = answer(full_store, catalog, "alliance-members-on-date", **args)
    assert len(ours) == 19 and {r["datesFrom"] for r in ours} == {GRAPH + "curated"}
    atop = answer(full_store, catalog, "alliance-members-on-date", dating="atop", **args)
    assert len(atop) == 26 and {r["datesFrom"] for r in atop} == {GRAPH + "atop-5.1"}
    both = answer(full_store, catalog, "alliance-members-on-date", dating="all", **args)
    assert len(both) == 45


# §5 Every alliance named


def test_every_alliance_has_a_name_and_no_generated_label_poses_as_a_title(full_store: Store) -> None:
    assert rows(full_store, "SELECT ?a WHERE { ?a a fo:Alliance FILTER NOT EXISTS { ?a rdfs:label ?l } } LIMIT 5") == []
    assert rows(full_store, """SELECT ?a WHERE { ?a a fo:Alliance ; rdfs:label ?l
        FILTER(STRSTARTS(STR(?l), "ATOP alliance")) } LIMIT 5""") == []
    assert rows(full_store, "SELECT ?a WHERE { ?a fo:generatedLabel ?g ; dcterms:title ?t } LIMIT 5") == []
    assert rows(full_store, "SELECT ?a WHERE { ?a a fo:Alliance ; dcterms:title ?t "
                            "FILTER NOT EXISTS { ?a fo:nameSource ?c } "
                            "FILTER NOT EXISTS { GRAPH <https://w3id.org/foedus/graph/curated> { ?a ?p ?o } } }"
                            " LIMIT 5") == []


def test_real_names_cover_the_best_known_atop_alliances(full_store: Store) -> None:
    label = rows(full_store, f"SELECT ?l WHERE {{ <{alliance('atop-3150')}> dcterms:title ?l }}")
    assert label == [{"l": "Charter of the Organization of American States"}]
    named = rows(full_store, """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a fo:Alliance ; fo:atopId ?id .
        FILTER NOT EXISTS { ?a fo:generatedLabel ?g } }""")
    assert int(named[0]["n"]) >= 140
    generated = rows(full_store, f"SELECT ?l WHERE {{ <{alliance('atop-1005')}> fo:generatedLabel ?l }}")
    assert generated and generated[0]["l"].endswith(", 1815")


# §6 The questions researchers ask


def test_allies_of_japan_on_a_date(full_store: Store, catalog: Catalog) -> None:
    found = answer(full_store, catalog, "allies-on-date", state=state(740), date="1990-01-01")
    us = [r for r in found if r["ally"] == state(2)]
    assert us and any("defence" in r.get("obligations", "") for r in us)
    assert all(r["datesFrom"].startswith(GRAPH) for r in found)


def test_japan_s_defence_alliances_say_who_is_bound(full_store: Store, catalog: Catalog) -> None:
    found = answer(full_store, catalog, "state-alliances-by-obligation", state=state(740), obligation="defence")
    bound = {(r["alliance"], r["codedIn"]): r["stateBound"] for r in found}
    assert bound[(alliance("us-japan-1951"), GRAPH + "curated")] == "no"
    assert bound[(alliance("us-japan-1951"), GRAPH + "atop-5.1")] == "no"
    # Art. V of the 1960 treaty binds each party (the text); ATOP codes the United States alone: both are shown.
    assert bound[(alliance("us-japan-1960"), GRAPH + "curated")] == "yes"
    assert bound[(alliance("us-japan-1960"), GRAPH + "atop-5.1")] == "no"


def test_states_outside_nato_s_integrated_military_structure(full_store: Store, catalog: Catalog) -> None:
    found = answer(full_store, catalog, "outside-integrated-command", date=None)
    spells = {(r["member"], r["start"], r.get("end")) for r in found}
    assert spells == {(state(220), "1966-07-01", "2009-04-04"), (state(350), "1974-08-14", "1980-10-20"),
                      (state(230), "1982-05-30", "1998-12-31")}
    assert all(r["source"].startswith("http") for r in found)
    assert len({r["source"] for r in found if r["member"] == state(230)}) == 3  # Spain: three cited pages
    on_day = answer(full_store, catalog, "outside-integrated-command", date="1990-06-01")
    assert {r["member"] for r in on_day} == {state(220), state(230)}
