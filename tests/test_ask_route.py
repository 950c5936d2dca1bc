"""The question router alone (server/ask_route.py, ask_read.py): the packaged catalog and a small hand-made entity
lookup, no server. Right query and parameters for typical questions, years read as days and periods by rule,
ambiguity reported with its options, and nothing offered for a question outside the catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from foedus.queries.catalog import Catalog, load_catalog
from foedus.server.ask_read import Found, read
from foedus.server.ask_route import Candidate, route
from foedus.sparql.text_match import fold, matches

ID = "https://w3id.org/foedus/id/"
TODAY = dt.date(2026, 12, 3)


def state(code: int, name: str, *periods: tuple[str, str | None]) -> Found:
    return Found(f"{ID}state/{code}", name, "state", tuple(periods), "")


FRANCE = state(220, "France", ("1816-01-01", "1942-11-11"), ("1944-08-25", None))
JAPAN = state(740, "Japan", ("1860-01-01", "1945-09-02"), ("1952-04-28", None))
USA = state(2, "United States of America", ("1816-01-01", None))
INDIA = state(750, "India", ("1947-08-15", None))
GERMANY = state(255, "Germany", ("1816-01-01", "1945-05-08"), ("1990-10-03", None))
FRG = state(260, "German Federal Republic", ("1955-05-05", "1990-10-02"))
GDR = state(265, "German Democratic Republic", ("1954-03-25", "1990-10-02"))
NATO = Found(ID + "alliance/nato", "North Atlantic Treaty Organization", "alliance", (("1949-08-24", None),))
NAMES: dict[str, list[Found]] = {
    "france": [FRANCE], "japan": [JAPAN], "united states": [USA], "united states of america": [USA],
    "india": [INDIA], "germany": [GERMANY], "west germany": [FRG], "east germany": [GDR], "nato": [NATO],
}
CODES: dict[str, list[Found]] = {"us": [USA], "usa": [USA], "in": [INDIA], "frg": [FRG]}


class Names:
    """A lookup over a handful of names, with the label index's rules: codes only when typed as codes."""

    def exact(self, text: str, *, code: bool) -> Sequence[Found]:
        return NAMES.get(fold(text), []) + (CODES.get(fold(text), []) if code else [])

    def containing(self, text: str, kinds: Sequence[str]) -> Sequence[Found]:
        found = [f for key, fs in NAMES.items() if matches(text, key) for f in fs if f.kind in kinds]
        return list(dict.fromkeys(found))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def best(catalog: Catalog, question: str, **kw: object) -> Candidate:
    found = route(question, catalog, Names(), today=TODAY, **kw)  # type: ignore[arg-type]
    assert found, f"no candidate for {question!r}"
    return found[0]


@pytest.mark.parametrize(("question", "query", "params"), [
    ("Who was allied with France in 1914?", "allies-on-date", {"state": ID + "state/220", "date": "1914-01-01"}),
    ("Members of NATO on 1990-01-01", "alliance-members-on-date",
     {"alliance": ID + "alliance/nato", "date": "1990-01-01"}),
    ("Which NATO members joined after 2000?", "alliance-accession-timeline", {"alliance": ID + "alliance/nato"}),
    ("Exercises between India and the United States", "military-diplomacy-between-states",
     {"stateA": ID + "state/750", "stateB": ID + "state/2", "type": "joint-exercise"}),
    ("Alliances of Japan with a defence obligation", "state-alliances-by-obligation",
     {"state": ID + "state/740", "obligation": "defence"}),
    ("Which alliances ended in 1991?", "alliances-ended", {"from": "1991-01-01", "to": "1991-12-31"}),
    ("Withdrawals from alliances between 1960 and 1979", "political-shifts",
     {"from": "1960-01-01", "to": "1979-12-31", "kind": "withdrawal"}),
    ("Who were the allies of Japan on 1 September 1939?", "allies-on-date",
     {"state": ID + "state/740", "date": "1939-09-01"}),
    ("Alliances that expired in the 1930s", "alliances-ended", {"from": "1930-01-01", "to": "1939-12-31"}),
    ("Which alliances were in force in 1914?", "alliances-in-force", {"year": "1914"}),
    ("Cooperation between the United States and Japan in 1990", "cooperation-between-states",
     {"stateA": ID + "state/2", "stateB": ID + "state/740", "year": "1990"}),
])
def test_typical_questions_get_their_query_and_parameters(catalog: Catalog, question: str, query: str,
                                                          params: dict[str, str]) -> None:
    top = best(catalog, question)
    assert (top.query, top.params) == (query, params)
    assert top.ready and top.confidence >= 0.3


def test_a_year_where_a_day_is_wanted_is_its_first_day_and_says_so(catalog: Catalog) -> None:
    top = best(catalog, "Who was allied with France in 1914?")
    assert any("1914 read as its first day, 1914-01-01" in e for e in top.explanation)
    assert any("'France' is France" in e for e in top.explanation)
    joined = best(catalog, "Which NATO members joined after 2000?")
    assert any("not applied" in e for e in joined.explanation)  # the timeline takes no period: it says so


def test_germany_in_1960_is_ambiguous_and_offers_both_german_states(catalog: Catalog) -> None:
    top = best(catalog, "Who were Germany's allies in 1960?")
    assert top.query == "allies-on-date" and not top.ready and "state" not in top.params
    (doubt,) = top.ambiguous
    assert doubt.param == "state" and doubt.text == "Germany" and "1960" in doubt.why
    assert {o.iri for o in doubt.options} == {ID + "state/260", ID + "state/265"}
    chosen = best(catalog, "Who were Germany's allies in 1960?", only="allies-on-date",
                  given={"state": ID + "state/260"})
    assert chosen.ready and chosen.params == {"state": ID + "state/260", "date": "1960-01-01"}


def test_germany_in_2000_is_the_united_state(catalog: Catalog) -> None:
    top = best(catalog, "Who were Germany's allies in 2000?")
    assert top.ready and top.params["state"] == ID + "state/255"


def test_a_missing_parameter_is_reported_not_guessed(catalog: Catalog) -> None:
    top = best(catalog, "Members of NATO", only="alliance-members-on-date")
    assert top.missing == ["date"] and not top.ready and "date" not in top.params
    pair = best(catalog, "Cooperation between the United States and Japan", only="cooperation-between-states")
    assert pair.missing == ["year"]


@pytest.mark.parametrize("question", ["What is the capital of France?", "What is the weather in Paris today?",
                                      "How tall is Mount Everest?", "Who won the 1966 World Cup?"])
def test_no_query_is_offered_outside_the_catalog(catalog: Catalog, question: str) -> None:
    assert route(question, catalog, Names(), today=TODAY) == []


def test_codes_count_only_in_capitals(catalog: Catalog) -> None:
    reading = read("Tell us who was allied with India in 1990", Names())
    assert [m.text for m in reading.mentions] == ["India"]  # "us" and "in" are words, not codes
    reading = read("US troops in Japan", Names())
    assert [(m.text, m.found[0].iri) for m in reading.mentions] == [("US", ID + "state/2"), ("Japan", ID + "state/740")]


def test_dates_years_and_periods_by_rule() -> None:
    r = read("between 1 September 1939 and May 8, 1945 and 1950-02-30", Names())
    assert r.dates == ["1939-09-01", "1945-05-08"]  # 30 February is no day
    r = read("after 2000", Names())
    assert (r.after, r.years) == (2001, [2000])
    r = read("in the 1960s", Names())
    assert r.decades == [1960] and r.years == []
    assert read("non-aggression and unconditional", Names()).enums["obligation"] == ["non-aggression"]
    assert read("without conditions", Names()).enums["condition"] == ["none"]


def test_the_label_index_lookup_finds_the_states_of_the_year_among_many_namesakes(catalog: Catalog) -> None:
    """Over a real LabelIndex where 40 alliances hold the word "Germany" too, 1960's Germanies are still offered."""
    from pyoxigraph import Literal, NamedNode

    from foedus.server.ask import IndexLookup
    from foedus.server.label_index import build_index

    label, alias = NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), NamedNode(
        "http://www.w3.org/2004/02/skos/core#altLabel")
    names = [{"x": NamedNode(ID + "state/255"), "p": label, "l": Literal("Germany")},
             {"x": NamedNode(ID + "state/260"), "p": alias, "l": Literal("West Germany")},
             {"x": NamedNode(ID + "state/265"), "p": alias, "l": Literal("East Germany")}]
    names += [{"x": NamedNode(f"{ID}alliance/atop-{n}"), "p": label, "l": Literal(f"Germany pact {n}")}
              for n in range(40)]
    periods = [{"x": NamedNode(ID + f"state/{c}"), "start": Literal(s), "end": Literal(e)}
               for c, s, e in ((255, "1816-01-01", "1945-05-08"), (260, "1955-05-05", "1990-10-02"),
                               (265, "1954-03-25", "1990-10-02"))]
    index = build_index(names, [], [], periods, [], "https://w3id.org/foedus/")
    top = route("Who were Germany's allies in 1960?", catalog, IndexLookup(index), today=TODAY)[0]
    assert {o.iri for o in top.ambiguous[0].options} == {ID + "state/260", ID + "state/265"}
