"""Names people type for states: "Britain", "Holland", "Persia", "Burma", "Siam", "America", "West Germany" ... find
their state in /search and /ask, from the data (alternative names in graph/curated/states_overrides.csv, the Kingdom
of England's own name and dates in actors.yaml), not from special cases in code. "England" names the Kingdom of
England to 1707 and the United Kingdom after, and the router tells them apart by the year."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from fixtures.ui.release import shared_releases
from flask.testing import FlaskClient
from pyoxigraph import Literal, NamedNode

from foedus.queries.catalog import load_catalog
from foedus.server.app import create_app
from foedus.server.ask_read import Found
from foedus.server.ask_route import route
from foedus.server.label_index import build_index
from foedus.settings import load_settings
from foedus.sparql.text_match import fold

ID = "https://w3id.org/foedus/id/"
ENGLAND = ID + "actor/kingdom-of-england"
TYPED = {
    "Britain": 200, "Great Britain": 200, "Holland": 210, "Persia": 630, "Burma": 775, "Siam": 800,
    "Soviet Union": 365, "USSR": 365, "West Germany": 260, "East Germany": 265, "South Korea": 732,
    "North Korea": 731, "America": 2, "Prussia": 255,
}


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    yield create_app(load_settings({"releases": str(shared_releases())})).test_client()


def search(client: FlaskClient, q: str) -> list[dict[str, Any]]:
    response = client.get("/search", query_string={"q": q, "format": "json", "limit": 5})
    assert response.status_code == 200
    results: list[dict[str, Any]] = response.get_json()["results"]
    return results


def ask(client: FlaskClient, question: str) -> dict[str, Any]:
    response = client.get("/ask", query_string={"question": question, "format": "json"})
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


@pytest.mark.parametrize(("typed", "code"), TYPED.items())
def test_a_typed_name_finds_its_state_first(client: FlaskClient, typed: str, code: int) -> None:
    top = search(client, typed)[0]
    assert top["iri"] == f"{ID}state/{code}" and top["kind"] == "state", top
    assert top["how"] == "exact" and fold(top["matched"]) == fold(typed)
    assert "period" in top


def test_england_finds_the_united_kingdom_and_the_kingdom_of_england_with_its_period(client: FlaskClient) -> None:
    hits = {h["iri"]: h for h in search(client, "England")}
    assert ID + "state/200" in hits and ENGLAND in hits
    assert hits[ENGLAND]["period"] == "0927–1707" and hits[ENGLAND]["how"] == "exact"
    assert search(client, "Kingdom of England")[0]["iri"] == ENGLAND


@pytest.mark.parametrize(("question", "code"), [
    ("Alliances of Persia in 1930", 630), ("Alliances of Siam in 1935", 800), ("Alliances of Burma in 1960", 775),
    ("Alliances of Holland in 1950", 210), ("Who was allied with Britain in 1914?", 200),
    ("Alliances of America in 1990", 2), ("Alliances of West Germany in 1970", 260),
])
def test_ask_reads_a_typed_name_as_its_state_and_answers(client: FlaskClient, question: str, code: int) -> None:
    body = ask(client, question)
    assert body["status"] == "answered", body.get("message")
    answer = body["answer"]
    assert answer["params"]["state"] == f"{ID}state/{code}"
    api = client.get(f"/api/{answer['query']}", query_string={**answer["params"], "format": "json"})
    assert api.status_code == 200

    def rows(bindings: list[dict[str, Any]]) -> Counter[str]:
        return Counter(json.dumps(b, sort_keys=True) for b in bindings)

    assert rows(answer["results"]["bindings"]) == rows(api.get_json()["results"]["bindings"])


def test_holland_in_1950_is_a_nato_member(client: FlaskClient) -> None:
    holland = {b["alliance"]["value"] for b in ask(client, "Alliances of Holland in 1950")["answer"]["results"][
        "bindings"]}
    assert ID + "alliance/nato" in holland


UK = Found(ID + "state/200", "United Kingdom", "state", (("1816-01-01", None),), "1816–", 900)
KINGDOM = Found(ENGLAND, "Kingdom of England", "state", (("0927-01-01", "1707-05-01"),), "0927–1707", 3)


class England:
    """The router's lookup for one name that two states bear, each with its period (as the full release has)."""

    def exact(self, text: str, *, code: bool) -> Sequence[Found]:
        return [UK, KINGDOM] if fold(text) == "england" else []

    def containing(self, text: str, kinds: Sequence[str]) -> Sequence[Found]:
        return [f for f in (UK, KINGDOM) if f.kind in kinds] if "england" in fold(text) else []


@pytest.mark.parametrize(("question", "meant"), [
    ("Alliances of England in 1600", ENGLAND), ("Alliances of England in 1400", ENGLAND),
    ("Alliances of England in 1950", ID + "state/200"), ("Who was allied with England in 1914?", ID + "state/200"),
])
def test_england_before_1707_is_the_kingdom_and_after_the_united_kingdom(question: str, meant: str) -> None:
    top = route(question, load_catalog(), England())[0]
    assert top.ready and top.params["state"] == meant, top


def test_a_place_named_like_a_state_ranks_below_the_state() -> None:
    """An MME exercise's place is named by MME's text ("West Germany"); the state of that alternative name wins."""
    frg, place = ID + "state/260", ID + "instrument/mme-847/place"
    rdfs, skos = "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2004/02/skos/core#"
    names = [{"x": NamedNode(frg), "p": NamedNode(rdfs + "label"), "l": Literal("German Federal Republic")},
             {"x": NamedNode(frg), "p": NamedNode(skos + "altLabel"), "l": Literal("West Germany", language="en")},
             {"x": NamedNode(place), "p": NamedNode(rdfs + "label"), "l": Literal("West Germany", language="en")}]
    types = [{"x": NamedNode(frg), "t": NamedNode("https://w3id.org/foedus/ontology/State")},
             {"x": NamedNode(place), "t": NamedNode("http://www.w3.org/ns/prov#Location")}]
    index = build_index(names, [], [], [], types, "https://w3id.org/foedus/")
    hits = index.search("West Germany")
    assert [h.entity.iri for h in hits] == [frg, place]
    assert [h.entity.kind for h in hits] == ["state", "place"]
