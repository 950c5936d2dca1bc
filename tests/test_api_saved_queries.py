"""The saved-query API over HTTP: typed parameters, 400 for bad or hostile values, every result format of the
endpoint, the OpenAPI 3.1 document, the HTML page, and a broken query file stopping the app at start-up."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import curated_store
from flask import Flask
from flask.testing import FlaskClient

from foedus.errors import QueryFileError
from foedus.queries.catalog import load_catalog
from foedus.settings import load_settings

ID = "https://w3id.org/foedus/id/"
NATO = ID + "alliance/nato"
MEMBERS = f"/api/alliance-members-on-date?alliance={NATO}&date=1990-01-01"
FIXTURES = Path(__file__).parent / "fixtures" / "queries"


def _app() -> Flask:
    from foedus.server.app import create_app

    return create_app(load_settings({"workers": 1}), store=curated_store())


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return _app().test_client()


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()["error"]
    assert set(body) == {"status", "title", "detail", "spec"} and body["status"] == status
    return body


def test_members_on_a_date_in_sparql_json(client: FlaskClient) -> None:
    r = client.get(MEMBERS)
    assert r.status_code == 200
    assert r.mimetype == "application/sparql-results+json"
    bindings = r.get_json()["results"]["bindings"]
    assert len(bindings) == 16
    assert {b["date"]["datatype"] for b in bindings} == {"http://www.w3.org/2001/XMLSchema#date"}
    r = client.get("/api/alliance-members-on-date?alliance=foid:alliance/nato&date=2024-04-01")
    assert len(r.get_json()["results"]["bindings"]) == 32


@pytest.mark.parametrize(("how", "mimetype"), [
    ({"format": "csv"}, "text/csv"),
    ({"format": "tsv"}, "text/tab-separated-values"),
    ({"format": "xml"}, "application/sparql-results+xml"),
    ({"accept": "text/csv"}, "text/csv"),
    ({"accept": "application/sparql-results+xml;q=1, application/json;q=0.5"}, "application/sparql-results+xml"),
    ({"accept": "*/*"}, "application/sparql-results+json"),
])
def test_every_result_format_of_the_endpoint(client: FlaskClient, how: dict[str, str], mimetype: str) -> None:
    url = MEMBERS + (f"&format={how['format']}" if "format" in how else "")
    r = client.get(url, headers={"Accept": how["accept"]} if "accept" in how else {})
    assert r.status_code == 200 and r.mimetype == mimetype
    text = r.get_data(as_text=True)
    if mimetype == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][:3] == ["alliance", "date", "member"] and len(rows) == 17
    elif mimetype == "text/tab-separated-values":
        assert text.splitlines()[0].startswith("?alliance\t?date") and len(text.splitlines()) == 17
        assert '"1990-01-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    elif mimetype.endswith("xml"):
        assert text.count("<result>") == 16


def test_unacceptable_format_is_406_in_the_one_error_shape(client: FlaskClient) -> None:
    _error(client.get(MEMBERS + "&format=turtle"), 406)
    _error(client.get(MEMBERS, headers={"Accept": "image/png"}), 406)


@pytest.mark.parametrize(("query", "param", "why"), [
    (f"alliance={NATO}> }} UNION {{ ?s ?p ?o }} #&date=1990-01-01", "alliance", "not an absolute IRI"),
    (f"alliance={NATO}&date=1990-01-01\"^^xsd:date) || true || (\"", "date", "YYYY-MM-DD"),
    (f"alliance={NATO}&date=1990-01-01%0A}} ; DROP ALL ; #", "date", "control characters"),
    (f"alliance={ID}state/2&date=1990-01-01", "alliance", "is not a fo:Alliance"),
    (f"alliance={NATO}&date=1990-02-30", "date", "calendar date"),
    ("date=1990-01-01", "alliance", "is required"),
    (f"alliance={NATO}&date=1990-01-01&dates=1990-01-01", "dates", "not a parameter"),
])
def test_bad_and_hostile_values_are_400_naming_the_parameter(client: FlaskClient, query: str, param: str,
                                                             why: str) -> None:
    body = _error(client.get("/api/alliance-members-on-date?" + query), 400)
    assert f"parameter {param!r}" in body["detail"] and why in body["detail"], body["detail"]


def test_repeated_parameter_is_400(client: FlaskClient) -> None:
    body = _error(client.get(MEMBERS + "&date=2024-04-01"), 400)
    assert "'date'" in body["detail"] and "2 times" in body["detail"]


def test_enum_and_optional_parameters(client: FlaskClient) -> None:
    base = "/api/political-shifts?from=1960-01-01&to=1979-12-31"
    everything = client.get(base).get_json()["results"]["bindings"]  # kind defaults to all
    withdrawals = client.get(base + "&kind=withdrawal").get_json()["results"]["bindings"]
    assert 0 < len(withdrawals) < len(everything)
    assert "not one of" in _error(client.get(base + "&kind=coup"), 400)["detail"]
    exercises = client.get("/api/joint-exercises").get_json()["results"]["bindings"]
    us_2024 = client.get(f"/api/joint-exercises?year=2024&participant={ID}state/2").get_json()
    assert len(us_2024["results"]["bindings"]) == 12 < len(exercises)  # 11 exercises; Freedom Edge has two 2024 rows
    # An empty optional value (as an HTML form sends it) counts as absent.
    assert client.get(f"/api/joint-exercises?year=&participant={ID}state/2").status_code == 200


def test_free_text_is_a_literal_or_a_400_never_query_text(client: FlaskClient) -> None:
    body = _error(client.get('/api/treaties-signed?place=Washington" ) } UNION { ?s ?p ?o } #'), 400)
    assert "parameter 'place'" in body["detail"] and "pattern" in body["detail"]
    ok = client.get("/api/treaties-signed?place=Washington").get_json()["results"]["bindings"]
    assert ok and all("washington" in b["placeName"]["value"].lower() for b in ok)


def test_unknown_query_is_404(client: FlaskClient) -> None:
    assert "no saved query" in _error(client.get("/api/no-such-question"), 404)["detail"]


def test_results_carry_validators_and_answer_304(client: FlaskClient) -> None:
    first = client.get(MEMBERS)
    assert first.headers.get("ETag")
    again = client.get(MEMBERS, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_openapi_document(client: FlaskClient) -> None:
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = r.get_json()
    assert doc["openapi"] == "3.1.0"
    assert {"title", "version"} <= set(doc["info"])
    catalog = load_catalog()
    assert set(doc["paths"]) == {f"/api/{q.name}" for q in catalog}
    operation_ids = [p["get"]["operationId"] for p in doc["paths"].values()]
    assert len(operation_ids) == len(set(operation_ids))
    for q in catalog:
        op = doc["paths"][f"/api/{q.name}"]["get"]
        assert op["summary"] == q.title and op["tags"] == list(q.tags)
        assert set(op["responses"]) >= {"200", "400"}
        assert "application/sparql-results+json" in op["responses"]["200"]["content"]
        assert "text/csv" in op["responses"]["200"]["content"]
        params = {p["name"]: p for p in op["parameters"]}
        assert set(params) == {p.name for p in q.params} | {"format"}
        for p in q.params:
            spec = params[p.name]
            assert spec["in"] == "query" and spec["required"] == p.required and spec["description"] == p.doc
            _check_example(spec["schema"], spec["example"])
        ref = op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Error" and "Error" in doc["components"]["schemas"]
    schema = doc["paths"]["/api/alliance-members-on-date"]["get"]["parameters"][1]["schema"]
    assert schema == {"type": "string", "format": "date"}
    kind = {p["name"]: p for p in doc["paths"]["/api/political-shifts"]["get"]["parameters"]}["kind"]
    assert kind["schema"]["enum"] == ["all", "withdrawal", "suspension", "termination", "ending"]
    assert kind["schema"]["default"] == "all" and kind["required"] is False


def _check_example(schema: dict[str, Any], example: Any) -> None:
    """The example fits its schema (the JSON Schema keywords the generator uses)."""
    assert schema["type"] in ("string", "integer")
    if schema["type"] == "integer":
        assert isinstance(example, int)
        assert schema.get("minimum", example) <= example <= schema.get("maximum", example)
    else:
        assert isinstance(example, str) and example
    if "enum" in schema:
        assert example in schema["enum"]
    if "pattern" in schema:
        assert re.search(schema["pattern"], example)
    if schema.get("format") == "date":
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", example)


def test_html_page_lists_every_query_with_a_form(client: FlaskClient) -> None:
    r = client.get("/api")
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    for q in load_catalog():
        assert f'action="/api/{q.name}"' in page
        assert f"<h2>{q.title}</h2>" in page.replace("&#39;", "'")
    assert 'name="date"' in page and 'type="date"' in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page)  # no CDN


def test_a_broken_query_file_stops_the_app_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from foedus.server import api

    monkeypatch.setattr(api, "load_catalog", lambda: load_catalog(FIXTURES / "bad-unused"))
    with pytest.raises(QueryFileError) as info:
        _app()
    assert info.value.where is not None and info.value.where.endswith("unused-param.rq:5")


def test_openapi_document_is_json_serialisable_and_stable() -> None:
    from foedus.queries.openapi import openapi_document

    catalog = load_catalog()
    assert json.dumps(openapi_document(catalog), sort_keys=True) == json.dumps(openapi_document(catalog),
                                                                               sort_keys=True)
