"""Search: the folding rule, the label index over the curated core, /search as a page and as JSON, and the SPARQL
function fofn:match that filters by the same rule (both paths must find the same resources)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import Literal, Store

from foedus.server.app import create_app
from foedus.server.label_index import LabelIndex, label_index
from foedus.server.page_queries import run_select
from foedus.settings import load_settings
from foedus.sparql.text_match import fold, matches

ID = "https://w3id.org/foedus/id/"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, full_store: Store) -> Flask:
    """The app over the full release: the periods of states come from COW's state system."""
    return create_app(load_settings({"releases": str(tmp_path_factory.mktemp("rel"))}), full_store)


@pytest.fixture(scope="module")
def index(app: Flask) -> Iterator[LabelIndex]:
    with app.app_context():
        yield label_index()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_fold_drops_accents_case_and_punctuation() -> None:
    assert fold("Côte d'Ivoire") == "cote d ivoire"
    assert fold("  SÃO  Tomé & Príncipe ") == "sao tome principe"
    assert fold("Straße") == "strasse"
    assert fold("Łódź–Ørsted") == "lodz orsted"


def test_matches_whole_words_and_prefixes_in_any_order() -> None:
    assert matches("fed rep germ", "Federal Republic of Germany")
    assert matches("germany federal", "Federal Republic of Germany")
    assert matches("cote", "Côte d'Ivoire")
    assert not matches("erman", "Germany")  # inside a word is no match
    assert not matches("", "Germany")
    assert not matches("germany x", "Germany")


def top(index: LabelIndex, q: str, **kw: object) -> list[str]:
    return [h.entity.iri[len(ID):] for h in index.search(q, **kw)]  # type: ignore[arg-type]


def test_historical_names_find_their_state_with_its_period(index: LabelIndex) -> None:
    hit = index.search("Prussia")[0]
    assert hit.entity.iri == ID + "state/255" and hit.name.text == "Prussia" and hit.how == "exact"
    assert hit.entity.period_text() == "1816–1945, 1990–"
    ussr = index.search("USSR")[0]
    assert ussr.entity.iri == ID + "state/365" and ussr.entity.name == "Russia"
    frg = top(index, "Federal Republic of Germany")[:2]
    assert frg == ["state/255", "state/260"]
    assert index.entity(ID + "state/260").period_text() == "1955–1990"  # type: ignore[union-attr]


def test_codes_and_wikidata_items_find_states(index: LabelIndex) -> None:
    assert top(index, "GMY")[0] == "state/255"
    assert top(index, "DEU")[0] == "state/255"
    assert top(index, "Q183")[0] == "state/255"
    assert top(index, "255", kinds=["state"]) == ["state/255"]
    assert top(index, "cote d'ivoire")[0] == "state/437"


def test_prefixes_rank_by_match_then_kind(index: LabelIndex) -> None:
    assert top(index, "prus")[0] == "state/255"
    assert top(index, "nato")[0] == "alliance/nato"
    assert top(index, "warsaw", kinds=["alliance"])[0] == "alliance/warsaw-pact"
    classes = [h.entity.iri for h in index.search("alliance memb", kinds=["class"])]
    assert classes[0] == "https://w3id.org/foedus/ontology/AllianceMembership"


def test_search_json_and_page(client: FlaskClient) -> None:
    body = client.get("/search?q=prussia&format=json").get_json()
    first = body["results"][0]
    assert first["iri"] == ID + "state/255" and first["href"] == "/id/state/255"
    assert first["matched"] == "Prussia" and first["period"] == "1816–1945, 1990–"
    assert first["codes"]["cowCode"] == "255" and first["codes"]["wikidata"] == "Q183"
    by_accept = client.get("/search?q=ussr", headers={"Accept": "application/json"}).get_json()
    assert by_accept["results"][0]["iri"] == ID + "state/365"
    html = client.get("/search?q=warsaw").get_data(as_text=True)
    assert 'href="/id/alliance/warsaw-pact"' in html
    assert "other name: “Prussia”" in client.get("/search?q=prussia").get_data(as_text=True)


def test_search_refuses_bad_parameters(client: FlaskClient) -> None:
    response = client.get("/search?q=x&limit=0&format=json")
    assert response.status_code == 400 and "limit" in response.get_json()["error"]["detail"]
    response = client.get("/search?q=" + "x" * 201)
    assert response.status_code == 400 and "at most 200" in response.get_json()["error"]["detail"]


@pytest.mark.parametrize("q", ["germany", "prus", "north atl", "GMY", "255", "treaty of", "pact", "côte"])
def test_sparql_function_agrees_with_the_index(app: Flask, index: LabelIndex, q: str) -> None:
    """label-match.rq (fofn:match, run by the endpoint's executor) finds exactly the index's candidates."""
    from_index = {
        index.entities[index.names[n].entity].iri
        for n in index.candidates(q)
        if index.names[n].field not in ("wikidata", "close-wikidata")  # QIDs are IRIs, not literals
    }
    with app.app_context():
        from_sparql = {row["x"].value for row in run_select("label-match", q=Literal(q))}
    assert from_index and from_sparql == from_index


def test_sparql_function_on_the_endpoint(client: FlaskClient) -> None:
    query = (
        "PREFIX fofn: <https://w3id.org/foedus/function/>\n"
        "SELECT ?x WHERE { ?x <http://www.w3.org/2004/02/skos/core#altLabel> ?l FILTER(fofn:match(?l, 'prus')) }"
    )
    body = client.get("/sparql", query_string={"query": query},
                      headers={"Accept": "application/sparql-results+json"}).get_json()
    assert {b["x"]["value"] for b in body["results"]["bindings"]} == {ID + "state/255"}
