"""Every saved query answers its question (here, or in test_answers_trust.py for the research questions): real
answers on a release built from the public data sets, and on the
curated core alone where that is meaningful (e.g. NATO had 16 members on 1990-01-01 and 32 on 2024-04-01)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import curated_store, run_saved
from pyoxigraph import Store

from foedus.queries.catalog import Catalog, load_catalog

ID = "https://w3id.org/foedus/id/"
FO = "https://w3id.org/foedus/ontology/"
GRAPH = "https://w3id.org/foedus/graph/"
NATO = ID + "alliance/nato"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def full(full_store: Store) -> Store:
    return full_store


@pytest.fixture(scope="session")
def curated() -> Store:
    return curated_store()


def answer(store: Store, catalog: Catalog, name: str, **params: str) -> list[dict[str, str]]:
    """Rows of a saved query as {variable: lexical value}; parameters default to the header's examples."""
    saved = catalog.queries[name]
    given = {**saved.example_args(), **params}
    result: Any = run_saved(store, saved, {k: v for k, v in given.items() if v is not None})
    variables = [v.value for v in result.variables]
    return [{v: s[v].value for v in variables if s[v] is not None} for s in result]


def pick(rows: list[dict[str, str]], **match: str) -> list[dict[str, str]]:
    """The rows whose columns have all the given values."""
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


def test_every_query_has_a_test_here(catalog: Catalog) -> None:
    here = Path(__file__).parent
    text = "".join((here / f).read_text(encoding="utf-8") for f in ("test_queries_answers.py", "test_answers_trust.py"))
    missing = [q.name for q in catalog if f'"{q.name}"' not in text]
    assert not missing, f"saved queries without an answer test: {missing}"


def test_every_example_runs_and_answers_on_the_release(full: Store, catalog: Catalog) -> None:
    for q in catalog:
        assert answer(full, catalog, q.name), f"{q.name}: its header example gives no rows"


@pytest.mark.parametrize("store_name", ["full", "curated"])
def test_nato_members_on_a_date(store_name: str, request: pytest.FixtureRequest, catalog: Catalog) -> None:
    store = request.getfixturevalue(store_name)
    rows = answer(store, catalog, "alliance-members-on-date", alliance=NATO, date="1990-01-01")
    assert len(rows) == 16
    assert {ID + "state/260", ID + "state/230"} <= {r["member"] for r in rows}  # FRG, Spain
    assert ID + "state/255" not in {r["member"] for r in rows}  # unified Germany only from 1990-10-03
    assert len(answer(store, catalog, "alliance-members-on-date", alliance=NATO, date="2024-04-01")) == 32
    assert len(answer(store, catalog, "alliance-members-on-date", alliance=NATO, date="2024-03-06")) == 31


def test_nato_members_by_one_dating_each_row_on_the_release(full: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "alliance-members-on-date", alliance=NATO, date="1990-01-01")
    usa = pick(rows, member=ID + "state/2")
    assert [(r["since"], r["datesFrom"]) for r in usa] == [("1949-08-24", GRAPH + "curated")]  # NATO's own dating
    both = answer(full, catalog, "alliance-members-on-date", alliance=NATO, date="1990-01-01", dating="all")
    usa = pick(both, member=ID + "state/2")
    assert {(r["since"], r["datesFrom"]) for r in usa} == {
        ("1949-08-24", GRAPH + "curated"), ("1949-04-04", GRAPH + "atop-5.1")}  # ATOP dates it at signature


def test_alliances_in_force_in_1914(full: Store, curated: Store, catalog: Catalog) -> None:
    for store in (full, curated):
        rows = answer(store, catalog, "alliances-in-force", year="1914")
        triple = pick(rows, alliance=ID + "alliance/triple-alliance-1882")
        assert triple and triple[0]["members"] == "3"
        assert "defence obligation" in triple[0]["obligations"]
        assert pick(rows, alliance=ID + "alliance/atop-1380")  # the Franco-Russian accord, a part of its family
        assert not pick(rows, alliance=ID + "alliance/franco-russian-alliance")  # the family is no alliance
        assert not pick(rows, alliance=NATO)
    assert len(answer(full, catalog, "alliances-in-force", year="1914")) > 20  # ATOP codes many more
    nato_1990 = pick(answer(full, catalog, "alliances-in-force", year="1990"), alliance=NATO)[0]
    assert {"defence obligation", "consultation obligation"} <= set(nato_1990["obligations"].split(", "))


def test_state_allies_over_time(full: Store, curated: Store, catalog: Catalog) -> None:
    for store in (full, curated):
        rows = answer(store, catalog, "state-allies-over-time", state=ID + "state/2")
        sweden = pick(rows, ally=ID + "state/380", alliance=NATO)
        assert sweden and sweden[0]["start"] == "2024-03-07"
        assert not pick(rows, alliance=ID + "alliance/aukus")  # a partnership with no obligation makes no allies
        assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)


def test_longest_standing_allies(full: Store, curated: Store, catalog: Catalog) -> None:
    for store in (full, curated):
        rows = answer(store, catalog, "longest-allies", state=ID + "state/200")
        assert rows[0]["ally"] == ID + "state/235"  # Portugal: the oldest alliance in force
        assert "alliedUntil" not in rows[0]
        days = [int(r["days"]) for r in rows]
        assert days == sorted(days, reverse=True)
    france = pick(answer(full, catalog, "longest-allies", state=ID + "state/200"), ally=ID + "state/220")[0]
    assert int(france["alliances"]) > 10


def test_alliances_between_two_states(full: Store, curated: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "alliances-between-states", stateA=ID + "state/2", stateB=ID + "state/200",
                  dating="all")
    nato = {r["graph"]: r["alliedFrom"] for r in pick(rows, alliance=NATO)}
    assert nato == {GRAPH + "curated": "1949-08-24", GRAPH + "atop-5.1": "1949-04-04"}
    ours = answer(full, catalog, "alliances-between-states", stateA=ID + "state/2", stateB=ID + "state/200")
    assert {r["graph"] for r in pick(ours, alliance=NATO)} == {GRAPH + "curated"}  # NATO's own dating only
    assert len(ours) < len(rows)
    assert pick(rows, alliance=ID + "alliance/seato", graph=GRAPH + "curated", alliedUntil="1977-06-30")
    cur = answer(curated, catalog, "alliances-between-states", stateA=ID + "state/2", stateB=ID + "state/200")
    assert {r["alliance"] for r in cur} >= {NATO, ID + "alliance/seato"}
    assert ID + "alliance/aukus" not in {r["alliance"] for r in cur}


def test_accession_timeline(full: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "alliance-accession-timeline", alliance=NATO, dating="all")
    assert {r["graph"] for r in answer(full, catalog, "alliance-accession-timeline", alliance=NATO)} == {
        GRAPH + "curated"}  # by default, NATO's own dating
    curated_rows = pick(rows, graph=GRAPH + "curated")
    assert len(curated_rows) == 33  # 32 members now, plus the FRG's spell that ended in 1990
    assert pick(curated_rows, member=ID + "state/380", start="2024-03-07", startEvent="accession")
    assert pick(curated_rows, member=ID + "state/2", startEvent="entry into force")
    assert pick(rows, member=ID + "state/350", start="1951-10-22", graph=GRAPH + "atop-5.1")  # ATOP: protocol
    assert pick(curated_rows, member=ID + "state/350", start="1952-02-18")  # NATO: deposit
    assert all("endEvent" not in r for r in pick(curated_rows, member=ID + "state/2"))


def test_political_shifts_in_a_period(full: Store, curated: Store, catalog: Catalog) -> None:
    for store in (full, curated):
        rows = answer(store, catalog, "political-shifts", kind="withdrawal")
        assert pick(rows, actor=ID + "state/220", date="1966-07-01", eventType="partial withdrawal",
                    alliance=NATO)
        # year-precise in the curated core: an event is dated on its period's first day (graph/dates.py)
        years = [r["date"][:4] for r in pick(rows, actor=ID + "state/770", alliance=ID + "alliance/seato")]
        assert "1973" in years  # the withdrawal; its notice (1972) is listed too
        assert pick(rows, actor=ID + "state/339", date="1968-09-13", alliance=ID + "alliance/warsaw-pact")
        assert {r["eventType"] for r in rows} <= {"withdrawal", "withdrawal notice", "partial withdrawal"}
        suspensions = answer(store, catalog, "political-shifts", kind="suspension")
        assert pick(suspensions, actor=ID + "state/339", date="1962-02-01")
        everything = answer(store, catalog, "political-shifts", kind="all")
        assert len(everything) > len(rows) and all("1960-01-01" <= r["date"] <= "1979-12-31" for r in everything)


def test_alliances_by_obligation_and_condition(full: Store, catalog: Catalog) -> None:
    located = answer(full, catalog, "alliances-by-obligation", obligation="defence", condition="location")
    assert pick(located, alliance=ID + "alliance/anzus")
    assert all(r["obligation"] == "defence" for r in located)
    assert all("location" in r["conditions"] for r in located)
    unconditional = answer(full, catalog, "alliances-by-obligation", obligation="defence", condition="none")
    assert unconditional and all(r.get("conditions", "") == "" for r in unconditional)
    every = answer(full, catalog, "alliances-by-obligation", obligation="defence", condition="any")
    assert len(every) >= len(located) + len(unconditional) - 5
    assert all(not r["alliance"].startswith(ID + "treaty/") for r in every)


def test_alliance_obligations(full: Store, curated: Store, catalog: Catalog) -> None:
    rows = answer(curated, catalog, "alliance-obligations", alliance=NATO)
    art5 = pick(rows, type="defence obligation", article="5")
    assert art5 and art5[0]["commitment"] == ID + "obligation/north-atlantic-treaty/3"
    assert pick(rows, kind="provision", type="organisation provision")
    atop = pick(answer(full, catalog, "alliance-obligations", alliance=NATO), graph=GRAPH + "atop-5.1")
    assert pick(atop, type="defence obligation")


def test_state_memberships(full: Store, curated: Store, catalog: Catalog) -> None:
    for store in (full, curated):
        rows = answer(store, catalog, "state-memberships", state=ID + "state/365", date="1985-01-01")
        assert pick(rows, alliance=ID + "alliance/warsaw-pact", graph=GRAPH + "curated", start="1955-05-14")
        assert all(r["start"] <= "1985-01-01" and r.get("end", "9999") >= "1985-01-01" for r in rows)
    every = answer(full, catalog, "state-memberships", state=ID + "state/365", date=None)
    assert len(every) > len(answer(full, catalog, "state-memberships", state=ID + "state/365"))
    both = answer(full, catalog, "state-memberships", state=ID + "state/365", date="1985-01-01", dating="all")
    assert pick(both, alliance=ID + "alliance/warsaw-pact", graph=GRAPH + "atop-5.1")  # ATOP's spell too
    ours = answer(full, catalog, "state-memberships", state=ID + "state/365", date="1985-01-01")
    assert not pick(ours, alliance=ID + "alliance/warsaw-pact", graph=GRAPH + "atop-5.1")


def test_military_diplomacy_between_two_states(full: Store, curated: Store, catalog: Catalog) -> None:
    expected = {ID + "instrument/" + s for s in ("malabar", "cope-india", "quad", "us-india-2-plus-2-dialogue")}
    args = {"stateA": ID + "state/2", "stateB": ID + "state/750"}
    assert {r["instrument"] for r in answer(curated, catalog, "military-diplomacy-between-states", **args)} \
        >= expected
    rows = answer(full, catalog, "military-diplomacy-between-states", **args)
    assert {r["instrument"] for r in rows} >= expected
    dcad = pick(rows, graph=GRAPH + "dcad-1.0", kind="defence-cooperation-agreement")
    assert len(dcad) >= 3  # DCAD's US-India defence cooperation agreements
    exercises = answer(full, catalog, "military-diplomacy-between-states", type="joint-exercise", **args)
    curated_ones = {r["instrument"] for r in pick(exercises, graph=GRAPH + "curated")}
    assert curated_ones == {ID + "instrument/" + s for s in ("malabar", "cope-india", "yudh-abhyas", "tiger-triumph")}
    assert pick(exercises, graph=GRAPH + "mme-7")  # and MME's US-India exercises, 1980-2010


def test_joint_exercises_by_year_and_participant(full: Store, curated: Store, catalog: Catalog) -> None:
    for store in (full, curated):
        rows = answer(store, catalog, "joint-exercises", year="2024", participant=ID + "state/2")
        names = {r["exercise"].rsplit("/", 1)[1] for r in rows}
        assert names == {"steadfast-defender-2024", "red-flag", "baltops", "rimpac", "pitch-black", "balikatan",
                         "pacific-vanguard", "yama-sakura", "freedom-edge", "tiger-triumph", "yudh-abhyas"}
        assert pick(rows, exercise=ID + "instrument/rimpac", start="2024-06-27", end="2024-08-01",
                    participants="29")
        assert all(r["start"].startswith("2024") for r in answer(store, catalog, "joint-exercises", year="2024",
                                                                  participant=None))
        assert len(answer(store, catalog, "joint-exercises", year=None, participant=None)) > len(rows)


def test_treaties_signed_in_a_place_or_period(full: Store, curated: Store, catalog: Catalog) -> None:
    for store in (full, curated):
        rows = answer(store, catalog, "treaties-signed")  # Washington, 1945-1960
        nat = pick(rows, agreement=ID + "treaty/north-atlantic-treaty")
        assert nat and nat[0]["date"] == "1949-04-04" and nat[0]["foundsAlliance"] == NATO
        assert all("washington" in r["placeName"].lower() for r in rows)
        assert len(rows) >= 5
    period = answer(full, catalog, "treaties-signed", place=None, **{"from": "1949-01-01", "to": "1949-12-31"})
    assert pick(period, agreement=ID + "treaty/north-atlantic-treaty")
    assert all("1949-01-01" <= r["date"] <= "1949-12-31" for r in period)


def test_where_the_sources_disagree(full: Store, curated: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "source-disagreements", alliance=NATO)
    greece = {r["value"] for r in pick(rows, thing=ID + "membership/nato/350/1952-02-18", aspect="startDate")}
    assert greece == {"1951-10-22", "1952-02-18"}
    assert pick(rows, aspect="startDate", value="1949-04-04", claimGraph=GRAPH + "atop-5.1")
    assert pick(answer(curated, catalog, "source-disagreements", alliance=NATO),
                thing=ID + "membership/nato/350/1952-02-18", value="1951-10-22")
    assert len(answer(full, catalog, "source-disagreements", alliance=None)) > len(rows)


def test_provenance_of_a_statement(full: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "statement-provenance")
    assert {r["graph"] for r in rows} == {GRAPH + "curated"}
    assert pick(rows, value="1952-02-18", citation=ID + "citation/alliance/nato/nato-members")
    atop = answer(full, catalog, "statement-provenance", subject=ID + "membership/atop-3180/350/1951-10-22",
                  predicate=None)
    assert {r["graph"] for r in atop} == {GRAPH + "atop-5.1"}
    assert any(r.get("derivedFrom", "").startswith(ID + "dataset/") for r in atop)


def test_wikidata_links(full: Store, curated: Store, catalog: Catalog) -> None:
    wd = "http://www.wikidata.org/entity/"
    for store in (full, curated):
        rows = answer(store, catalog, "wikidata-links", entity=ID + "state/255")
        assert {r["wikidata"] for r in rows} >= {wd + "Q183", wd + "Q43287"}  # Germany, German Empire
        assert pick(rows, wikidata=wd + "Q43287", relation="http://www.w3.org/2004/02/skos/core#closeMatch")
        nato = answer(store, catalog, "wikidata-links", entity=NATO)
        assert pick(nato, about=NATO, wikidata=wd + "Q7184")


def test_class_hierarchy(full: Store, catalog: Catalog) -> None:
    events = answer(full, catalog, "class-hierarchy")  # root fo:Event
    assert pick(events, **{"class": FO + "Accession", "superclass": FO + "Event"})
    assert not pick(events, **{"class": FO + "Alliance"})
    everything = answer(full, catalog, "class-hierarchy", root=None)
    assert pick(everything, **{"class": FO + "DefencePact"}) and pick(everything, **{"class": FO + "AlliedPair"})
    assert pick(everything, **{"class": FO + "InstitutionalisedAlliance", "superclass": FO + "Alliance"})


def test_cooperation_between_the_us_and_japan_in_a_year(full: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "cooperation-between-states", stateA=ID + "state/2", stateB=ID + "state/740",
                  year="1990")
    categories = {r["category"] for r in rows}
    assert categories == {"alliance-obligation", "defence-cooperation-agreement", "joint-exercise", "us-troops"}
    assert pick(rows, category="defence-cooperation-agreement", item=ID + "instrument/dcad-0134")  # signed 1990
    (troops,) = pick(rows, category="us-troops")
    assert troops["graph"] == GRAPH + "us-troops" and troops["value"] == "46593"
    exercises = pick(rows, category="joint-exercise")
    assert exercises and all(r["start"].startswith("1990") for r in exercises)
    assert GRAPH + "mme-7" in {r["graph"] for r in exercises}
    sixty = answer(full, catalog, "cooperation-between-states", stateA=ID + "state/740", stateB=ID + "state/2",
                   year="1960")
    assert pick(sixty, category="us-troops", value="83586")  # either order of the two states
    assert pick(sixty, category="alliance-obligation")  # the 1960 treaty of mutual cooperation and security


def test_cooperation_names_defence_cooperation_agreements(full: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "cooperation-between-states", stateA=ID + "state/2", stateB=ID + "state/750",
                  year="2005")
    assert pick(rows, category="defence-cooperation-agreement", graph=GRAPH + "dcad-1.0")
    assert not pick(rows, category="alliance-obligation")  # the US and India are not allied
    none = answer(full, catalog, "cooperation-between-states", stateA=ID + "state/2", stateB=ID + "state/2",
                  year="2005")
    assert none == []


def test_an_exercise_series_over_time(full: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "exercise-series")
    assert len(rows) == 28  # MME's Cobra Gold editions
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts) and all(r["graph"] == GRAPH + "mme-7" for r in rows)
    assert all(int(r["participants"]) >= 2 for r in rows if r["start"] >= "2000")


def test_the_states_a_state_exercised_with_most(full: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "exercise-partners")
    counts = [int(r["exercises"]) for r in rows]
    assert counts == sorted(counts, reverse=True) and len(rows) == 50
    assert ID + "state/200" in {r["partner"] for r in rows[:5]}  # the United Kingdom, among the first
    assert all(1980 <= int(r["firstYear"]) <= int(r["lastYear"]) <= 2010 for r in rows)


def test_exercises_of_an_alliance_s_members_by_year(full: Store, catalog: Catalog) -> None:
    nato = answer(full, catalog, "alliance-members-exercises", alliance=NATO, **{"from": "1980", "to": "2010"})
    assert [int(r["year"]) for r in nato] == list(range(1980, 2011))  # MME's years, every one with exercises
    assert all(int(r["exercises"]) > 0 and int(r["memberParticipations"]) >= 2 * int(r["exercises"]) for r in nato)
    warsaw = answer(full, catalog, "alliance-members-exercises", alliance=ID + "alliance/warsaw-pact",
                    **{"from": "1980", "to": "2010"})
    years = [int(r["year"]) for r in warsaw]
    assert years and max(years) <= 1991  # no members after the pact's dissolution on 1991-07-01


def test_us_troops_in_alliance_hosts_add_up_the_members_observations(full: Store, catalog: Catalog) -> None:
    rows = answer(full, catalog, "us-troops-in-alliance-hosts", alliance=NATO, **{"from": "1960", "to": "1960"})
    assert len(rows) == 1
    members = {r["member"] for r in answer(full, catalog, "alliance-members-on-date", alliance=NATO,
                                          date="1960-06-30")} - {ID + "state/2"}
    values = " ".join(f"<{m}>" for m in members)
    found: Any = full.query(f"""PREFIX fo: <{FO}> SELECT ?host ?t WHERE {{ VALUES ?host {{ {values} }}
        ?o fo:host ?host ; fo:year 1960 ; fo:troopsActiveDuty ?t }}""")
    by_host = {s["host"].value: int(s["t"].value) for s in found}
    assert int(rows[0]["usTroops"]) == sum(by_host.values()) and int(rows[0]["hostStates"]) == len(by_host)
    assert int(rows[0]["mostInOneHost"]) == max(by_host.values())
