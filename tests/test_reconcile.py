"""/reconcile, the W3C Reconciliation Service API v0.2: every response valid against the spec's schemas (written
from the spec in reconcile_schemas.py), real answers on the full release (time-aware states, codes, treaties by
year), clear errors, and a real client from PyPI (`reconciler`) against the service on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import reconcile_schemas as schemas
from conftest import serving
from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import Store

from foedus.server.app import create_app
from foedus.settings import load_settings


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, full_store: Store) -> Flask:
    return create_app(load_settings({"releases": str(tmp_path_factory.mktemp("rel"))}), full_store)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def batch(client: FlaskClient, queries: dict[str, Any], method: str = "POST") -> dict[str, Any]:
    """POST (form) or GET a batch; the answer is checked against the result-batch schema."""
    data = {"queries": json.dumps(queries)}
    response = client.post("/reconcile", data=data) if method == "POST" else client.get("/reconcile",
                                                                                          query_string=data)
    assert response.status_code == 200, response.data[:300]
    body: dict[str, Any] = response.get_json()
    jsonschema.validate(body, schemas.RESULT_BATCH)
    assert set(body) == set(queries)
    return body


def test_the_schemas_can_fail() -> None:
    """Our schemas refuse what the spec forbids, so a passing validation means something."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "identifierSpace": "a", "schemaSpace": "b"}, schemas.MANIFEST)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"q0": {"result": [{"id": "a", "name": "b", "score": 150}]}}, schemas.RESULT_BATCH)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"meta": [], "rows": {"a": {"p": [{"str": 1}]}}}, schemas.EXTEND_RESPONSE)


def test_manifest(client: FlaskClient) -> None:
    body = client.get("/reconcile").get_json()
    jsonschema.validate(body, schemas.MANIFEST)
    assert body["identifierSpace"] == "https://w3id.org/foedus/id/"
    assert [t["id"] for t in body["defaultTypes"]] == ["State", "Alliance", "Treaty", "InternationalOrganization",
                                                       "Instrument"]
    jsonp = client.get("/reconcile?callback=cb")
    assert jsonp.mimetype == "application/javascript" and jsonp.get_data(as_text=True).startswith("cb({")
    assert client.get("/reconcile?callback=alert(1)").status_code == 400


def test_germany_in_1960_is_ambiguous_and_says_so(client: FlaskClient) -> None:
    body = batch(client, {"q0": {"query": "Germany", "type": "State", "properties": [{"pid": "year", "v": 1960}]}})
    results = body["q0"]["result"]
    assert {r["id"] for r in results[:2]} == {"state/260", "state/265"}
    assert not any(r["match"] for r in results)
    gmy = next(r for r in results if r["id"] == "state/255")
    assert {"id": "in_period", "value": False} in gmy["features"] and gmy["score"] < results[1]["score"]
    assert "1955–1990" in next(r for r in results if r["id"] == "state/260")["description"]


def test_codes_years_and_types_decide(client: FlaskClient) -> None:
    body = batch(client, {
        "frg": {"query": "Germany", "type": "State", "properties": [{"pid": "cowCode", "v": "260"}]},
        "today": {"query": "Germany", "type": "State", "properties": [{"pid": "year", "v": "2000"}]},
        "prussia": {"query": "Prussia", "type": "State", "properties": [{"pid": "year", "v": "1850"}]},
        "nat": {"query": "North Atlantic Treaty", "type": "Treaty", "properties": [{"pid": "year", "v": "1949"}]},
        "nato": {"query": "NATO", "type": "Alliance", "limit": 3},
        "letters": {"query": "AUS", "type": "State"},
        "typo": {"query": "Phillipines", "type": "State"},
        "nothing": {"query": "Atlantis of the Nine Seas", "type": "State"},
    }, method="GET")
    first = {k: v["result"][0] if v["result"] else None for k, v in body.items()}
    assert first["frg"]["id"] == "state/260" and first["frg"]["match"]
    assert first["today"]["id"] == "state/255" and first["today"]["match"]
    assert first["prussia"]["id"] == "state/255" and first["prussia"]["match"]
    assert first["nat"]["id"] == "treaty/north-atlantic-treaty" and first["nat"]["match"]
    assert first["nato"]["id"] == "alliance/nato" and len(body["nato"]["result"]) <= 3
    # COW's Austria and ISO's Australia both answer "AUS": COW's first, neither certain
    assert [r["id"] for r in body["letters"]["result"][:2]] == ["state/305", "state/900"]
    assert not any(r["match"] for r in body["letters"]["result"])
    assert first["typo"]["id"] == "state/840" and not first["typo"]["match"]
    assert body["nothing"]["result"] == [] or not any(r["match"] for r in body["nothing"]["result"])


@pytest.mark.parametrize(("queries", "words"), [
    ({"q0": {"query": "x", "type": "Planet"}}, "queries['q0'].type: unknown type 'Planet'"),
    ({"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}, "unknown property 'colour'"),
    ({"q0": {"query": "x", "properties": [{"pid": "year", "v": "soon"}]}}, "the year must start with a year"),
    ({"q0": {"query": "x", "limit": 0}}, "queries['q0'].limit must be a positive whole number"),
    ({"q0": "Germany"}, "queries['q0'] must be an object"),
    ([], "queries must be a non-empty JSON object"),
])
def test_bad_queries_are_refused_by_name(client: FlaskClient, queries: Any, words: str) -> None:
    response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 400 and words in response.get_json()["error"]["detail"]
    assert client.post("/reconcile", data={"queries": "{oops"}).status_code == 400


def test_suggest_and_propose(client: FlaskClient) -> None:
    entity = client.get("/reconcile/suggest/entity?prefix=warsaw&type=Alliance").get_json()
    jsonschema.validate(entity, schemas.SUGGEST)
    assert entity["result"][0]["id"] == "alliance/warsaw-pact"
    types = client.get("/reconcile/suggest/type?prefix=all").get_json()
    jsonschema.validate(types, schemas.SUGGEST)
    assert [t["id"] for t in types["result"]] == ["Alliance"]
    props = client.get("/reconcile/suggest/property?prefix=iso").get_json()
    jsonschema.validate(props, schemas.SUGGEST)
    assert {p["id"] for p in props["result"]} == {"iso2", "iso3"}
    proposed = client.get("/reconcile/propose_properties?type=State").get_json()
    jsonschema.validate(proposed, schemas.PROPOSE_PROPERTIES)
    assert "alliances" in [p["id"] for p in proposed["properties"]]
    assert client.get("/reconcile/propose_properties?type=Planet").status_code == 400


def test_extend_codes_and_alliances_in_a_year(client: FlaskClient) -> None:
    request = {"ids": ["state/255", "state/260", "state/9999"],
               "properties": [{"id": "cowCode"}, {"id": "iso3"}, {"id": "wikidata"},
                              {"id": "alliances", "settings": {"year": 1960}}]}
    body = client.post("/reconcile", data={"extend": json.dumps(request)}).get_json()
    jsonschema.validate(body, schemas.EXTEND_RESPONSE)
    assert body["rows"]["state/255"]["cowCode"] == [{"int": 255}]
    assert body["rows"]["state/255"]["iso3"] == [{"str": "DEU"}]
    assert body["rows"]["state/255"]["alliances"] == []  # no Germany 255 in 1960
    assert {"id": "alliance/nato", "name": "North Atlantic Treaty Organization"} in \
        body["rows"]["state/260"]["alliances"]
    assert body["rows"]["state/9999"] == {"cowCode": [], "iso3": [], "wikidata": [], "alliances": []}
    bad = client.post("/reconcile", data={"extend": json.dumps({"ids": ["state/2"], "properties": [{"id": "x"}]})})
    assert bad.status_code == 400 and "unknown property 'x'" in bad.get_json()["error"]["detail"]


def test_preview_and_docs(client: FlaskClient) -> None:
    html = client.get("/reconcile/preview?id=state/260").get_data(as_text=True)
    assert "German Federal Republic" in html and "1955–1990" in html and "GFR" in html
    assert client.get("/reconcile/preview?id=state/9999").status_code == 404
    assert "Reconciliation service" in client.get("/reconcile/docs").get_data(as_text=True)


def test_a_preview_may_be_framed_by_any_client_and_no_other_page_may(client: FlaskClient) -> None:
    """OpenRefine shows previews in an iframe from its own origin; every other page keeps frame-ancestors 'none'."""
    preview = client.get("/reconcile/preview?id=state/260")
    assert "frame-ancestors *" in preview.headers["Content-Security-Policy"]
    assert "script-src 'self'" in preview.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in preview.headers
    docs = client.get("/reconcile/docs")
    assert "frame-ancestors 'none'" in docs.headers["Content-Security-Policy"]
    assert docs.headers["X-Frame-Options"] == "DENY"


@pytest.fixture(scope="module")
def live(app: Flask) -> Iterator[str]:
    """The app on a free loopback port, for a client that speaks HTTP."""
    with serving(app) as url:
        yield url + "/reconcile"


@pytest.mark.filterwarnings("ignore:The inplace keyword:Warning", "ignore::DeprecationWarning")
def test_a_real_client_reconciles_a_column(live: str) -> None:
    """The `reconciler` package (PyPI) batches a pandas column to the service, as it does for Wikidata."""
    import pandas as pd
    from reconciler import reconcile

    names = pd.Series(["Kingdom of Prussia", "West Germany", "Russian Empire", "Ivory Coast", "Czechoslovakia"])
    result = reconcile(names, type_id="State", reconciliation_endpoint=live)
    best = dict(zip(result["input_value"], result["id"], strict=True))
    assert best == {"Kingdom of Prussia": "state/255", "West Germany": "state/260", "Russian Empire": "state/365",
                    "Ivory Coast": "state/437", "Czechoslovakia": "state/315"}
    assert set(result["type_id"]) == {"State"}
    years = pd.Series(["1960", "1960"])
    dated = reconcile(pd.Series(["Germany", "Russia"]), type_id="State", top_res="all",
                      property_mapping={"year": years}, reconciliation_endpoint=live)
    germany = dated[dated["input_value"] == "Germany"]
    assert not germany["match"].any() and {"state/260", "state/265"} <= set(germany["id"])
