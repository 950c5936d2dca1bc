"""/ask and /text2sparql on the small UI release (curated core + an ATOP sample): real answers through the backend,
equal to the saved query's own; the page and JSON; the error shape; the TEXT2SPARQL shape, whose query runs on
/sparql with the same rows, also for a question that tries to smuggle SPARQL in."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fixtures.ui.release import shared_releases
from flask.testing import FlaskClient

from foedus.server.app import create_app
from foedus.settings import load_settings

ID = "https://w3id.org/foedus/id/"
DATASET = ID + "dataset/foedus"
NATO_1990 = "Members of NATO on 1990-01-01"


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    yield create_app(load_settings({"releases": str(shared_releases())})).test_client()


def ask(client: FlaskClient, question: str, **extra: str) -> dict[str, Any]:
    response = client.get("/ask", query_string={"question": question, "format": "json", **extra})
    assert response.status_code == 200, response.data[:300]
    body: dict[str, Any] = response.get_json()
    return body


def rows(bindings: list[dict[str, Any]]) -> Counter[str]:
    return Counter(json.dumps(b, sort_keys=True) for b in bindings)


def api_rows(client: FlaskClient, name: str, params: dict[str, str]) -> Counter[str]:
    response = client.get(f"/api/{name}", query_string={**params, "format": "json"})
    assert response.status_code == 200
    return rows(response.get_json()["results"]["bindings"])


def test_a_question_is_answered_by_its_saved_query(client: FlaskClient) -> None:
    body = ask(client, NATO_1990)
    answer = body["answer"]
    assert body["status"] == "answered" and answer["query"] == "alliance-members-on-date"
    assert answer["params"] == {"alliance": ID + "alliance/nato", "date": "1990-01-01"}
    members = {b["member"]["value"] for b in answer["results"]["bindings"]}
    assert len(members) == 16 and ID + "state/2" in members and ID + "state/255" not in members  # FRG, not 255
    assert rows(answer["results"]["bindings"]) == api_rows(client, answer["query"], answer["params"])
    assert answer["sparql"].startswith("#+ title: Members of an alliance on a date")
    assert "VALUES" in answer["bound_sparql"] and "<https://w3id.org/foedus/id/alliance/nato>" in answer[
        "bound_sparql"]
    assert answer["api"] == "/api/alliance-members-on-date?alliance=https%3A%2F%2Fw3id.org%2Ffoedus%2Fid%2F" \
                            "alliance%2Fnato&date=1990-01-01"


def test_a_year_becomes_a_day_and_the_answer_says_so(client: FlaskClient) -> None:
    body = ask(client, "Who was in the Warsaw Pact in 1980?")
    answer = body["answer"]
    assert (answer["query"], answer["params"]["date"]) == ("alliance-members-on-date", "1980-01-01")
    assert any("1980 read as its first day" in e for e in answer["explanation"])
    members = {b["member"]["value"] for b in answer["results"]["bindings"]}
    assert ID + "state/365" in members and ID + "state/265" in members and len(members) == 7


def test_the_page_shows_answer_parameters_and_sparql(client: FlaskClient) -> None:
    response = client.get("/ask", query_string={"question": NATO_1990})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert '<a href="/api/alliance-members-on-date?' in html and "<code>alliance-members-on-date</code>" in html
    assert html.count("<tr>") >= 16 + 3 and 'id="ask-sparql"' in html and "1990-01-01" in html
    assert 'href="/id/state/2"' in html
    home = client.get("/").get_data(as_text=True)
    assert 'id="home-ask"' in home and 'action="/ask"' in home


def test_not_sure_offers_the_choices_and_runs_nothing(client: FlaskClient) -> None:
    body = ask(client, "Members of NATO")
    assert body["status"] == "not-sure" and body["answer"] is None
    forced = next(c for c in body["candidates"] if c["query"] == "alliance-members-on-date")
    assert forced["missing"] == ["date"] and not forced["ready"] and "Nothing was run" in body["message"]
    chosen = ask(client, "Members of NATO", query="alliance-members-on-date", date="1990-01-01")
    assert chosen["status"] == "answered" and len(chosen["answer"]["results"]["bindings"]) == 16
    page = client.get("/ask", query_string={"question": "Members of NATO"}).get_data(as_text=True)
    assert "Not sure." in page and "query=alliance-members-on-date" in page


def test_a_question_outside_the_catalog_gets_no_answer(client: FlaskClient) -> None:
    body = ask(client, "What is the capital of France?")
    assert body["status"] == "no-match" and body["answer"] is None and body["candidates"] == []
    assert "nothing was run" in body["message"]


def test_errors_in_the_one_shape(client: FlaskClient) -> None:
    for url in ("/ask?question=&format=json", "/ask?question=%20%20", "/ask?format=json"):
        response = client.get(url, headers={"Accept": "application/json"})
        error = response.get_json()["error"]
        assert response.status_code == 400 and error["status"] == 400 and "'question' is required" in error["detail"]
    too_long = client.get("/ask", query_string={"question": "x " * 300, "format": "json"})
    assert too_long.status_code == 400 and "at most 500" in too_long.get_json()["error"]["detail"]
    unknown = client.get("/ask", query_string={"question": NATO_1990, "query": "no-such-query"})
    assert unknown.status_code == 404 and unknown.get_json()["error"]["title"] == "Not found"
    assert client.get("/ask").status_code == 200  # the bare page is the form


def sparql_rows(client: FlaskClient, query: str) -> Counter[str]:
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data[:300]
    return rows(json.loads(response.data)["results"]["bindings"])


def test_text2sparql_shape_and_its_query_runs_on_sparql(client: FlaskClient) -> None:
    response = client.get("/text2sparql", query_string={"dataset": DATASET, "question": NATO_1990})
    body = response.get_json()
    assert response.status_code == 200 and set(body) == {"dataset", "question", "query"}
    assert body["dataset"] == DATASET and body["question"] == NATO_1990
    assert '"1990-01-01"^^<http://www.w3.org/2001/XMLSchema#date>' in body["query"]
    answered = ask(client, NATO_1990)["answer"]["results"]["bindings"]
    assert sparql_rows(client, body["query"]) == rows(answered) and len(answered) == 16


def test_text2sparql_quotes_values_safely_for_an_adversarial_question(client: FlaskClient) -> None:
    hostile = 'Treaties signed in Washington" } } ; INSERT DATA { <urn:a> <urn:b> <urn:c> } # \\" \' >'
    response = client.get("/text2sparql", query_string={"dataset": DATASET, "question": hostile})
    assert response.status_code == 200
    query = response.get_json()["query"]
    assert '"Washington"' in query and "INSERT" not in query and "urn:a" not in query
    found = sparql_rows(client, query)
    assert found == api_rows(client, "treaties-signed", {"place": "Washington"}) and found
    assert any("north-atlantic" in k for k in found)  # the North Atlantic Treaty, signed in Washington


def test_text2sparql_errors(client: FlaskClient) -> None:
    missing = client.get("/text2sparql", query_string={"question": NATO_1990})
    assert missing.status_code == 400 and "'dataset' is required" in missing.get_json()["error"]["detail"]
    other = client.get("/text2sparql", query_string={"dataset": "https://example.org/x", "question": NATO_1990})
    assert other.status_code == 400 and DATASET in other.get_json()["error"]["detail"]
    empty = client.get("/text2sparql", query_string={"dataset": DATASET, "question": ""})
    assert empty.status_code == 400 and "'question'" in empty.get_json()["error"]["detail"]
    unsure = client.get("/text2sparql", query_string={"dataset": DATASET, "question": "What is the capital of Peru?"})
    assert unsure.status_code == 422 and "no saved query fits" in unsure.get_json()["error"]["detail"]


def test_an_entity_of_the_wrong_class_is_refused_and_the_right_ones_offered(client: FlaskClient) -> None:
    """The Little Entente is a treaty family, no fo:Alliance: nothing runs, its 1933 pact is offered and runs."""
    body = ask(client, "Who were the members of the Little Entente in 1935?")
    assert body["status"] == "not-sure" and body["answer"] is None and "is not a fo:Alliance" in body["message"]
    (doubt,) = body["candidates"][0]["ambiguous"]
    pact = next(o for o in doubt["options"] if o["iri"] == ID + "alliance/atop-2302")
    chosen = client.get(pact["ask"] + "&format=json").get_json()
    assert chosen["status"] == "answered"  # the pact's members are ATOP's (not in this small release's sample)
    assert chosen["answer"]["params"] == {"alliance": ID + "alliance/atop-2302", "date": "1935-01-01"}
    assert rows(chosen["answer"]["results"]["bindings"]) == api_rows(client, "alliance-members-on-date",
                                                                     chosen["answer"]["params"])
