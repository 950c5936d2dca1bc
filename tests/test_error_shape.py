"""Every server error has one shape: {"error": {"status", "title", "detail", "spec"}}, or its HTML/text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from pyoxigraph import Store

from foedus.server import errors
from foedus.server.app import create_app
from foedus.settings import load_settings

HELPERS = [
    errors.bad_request("malformed query: error at 1:3"),
    errors.unsupported_media_type("text/plain"),
    errors.not_acceptable(["text/turtle"]),
    errors.read_only(),
    errors.method_not_allowed(),
    errors.timeout(2.5),
    errors.forbidden_service("<http://example.org/sparql>"),
    errors.too_large(10),
    errors.unauthorized(),
    errors.query_failed("boom"),
]


@pytest.mark.parametrize("error", HELPERS, ids=lambda e: f"{e.status}-{e.title}")
def test_every_helper_has_the_shape(error: errors.ApiError) -> None:
    body = error.body()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"status", "title", "detail", "spec"}
    assert body["error"]["status"] == error.status and 400 <= error.status < 600
    assert str(body["error"]["spec"]).startswith("https://")
    assert body["error"]["detail"] and body["error"]["title"]


@pytest.fixture()
def app() -> Flask:
    return create_app(load_settings().replace(max_request_bytes=64, workers=1), Store())


# Requests that provoke each error status through the real routes.
CASES = {
    400: ("GET", "/sparql?query=SELECT%20*%20%7B", {}, None),
    403: ("GET", "/sparql?update=CLEAR%20ALL", {}, None),
    404: ("GET", "/no-such-page", {}, None),
    405: ("PUT", "/sparql", {}, None),
    406: ("GET", "/sparql?query=ASK%20%7B%7D", {"Accept": "image/png"}, None),
    413: ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, "ASK {}" + " " * 100),
    415: ("POST", "/sparql", {"Content-Type": "text/plain"}, "ASK {}"),
}


@pytest.mark.parametrize("status", sorted(CASES))
def test_routes_answer_errors_in_the_shape(app: Flask, status: int) -> None:
    method, url, headers, data = CASES[status]
    response = app.test_client().open(url, method=method, headers=headers, data=data)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = json.loads(response.data)
    assert set(body["error"]) == {"status", "title", "detail", "spec"}
    assert body["error"]["status"] == status


def test_html_and_text_renderings(app: Flask) -> None:
    client = app.test_client()
    html = client.get("/sparql?update=x", headers={"Accept": "text/html"})
    assert html.status_code == 403 and html.mimetype == "text/html"
    assert b"Read-only endpoint" in html.data and b"sparql11-protocol" in html.data
    text = client.get("/sparql?update=x", headers={"Accept": "text/plain"})
    assert text.mimetype == "text/plain" and text.data.startswith(b"403 Read-only endpoint")


def test_method_not_allowed_names_the_allowed_methods(app: Flask) -> None:
    response = app.test_client().delete("/sparql")
    assert response.headers["Allow"] == "GET, POST"


def test_shape_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[1] / "server" / "README.md").read_text(encoding="utf-8")
    assert '"status"' in readme and '"spec"' in readme


def test_any_foedus_error_reaching_flask_keeps_its_place_and_hint() -> None:
    """One family, one handler: a FoedusError escaping a route is our shape with its where and hint, not a bare 500."""
    from foedus.errors import ConfigError
    from foedus.queries.params import ParamError

    app = create_app(load_settings().replace(workers=1), Store())

    @app.route("/boom-config")
    def boom_config() -> str:
        raise ConfigError("cannot use this value", where="foedus.toml:3", hint="set it to a number")

    @app.route("/boom-param")
    def boom_param() -> str:
        raise ParamError("year", "is not a year")

    config = app.test_client().get("/boom-config")
    assert config.status_code == 500 and config.mimetype == "application/json"
    error = json.loads(config.data)["error"]
    assert set(error) == {"status", "title", "detail", "spec"}
    assert error["detail"] == "foedus.toml:3: cannot use this value (hint: set it to a number)"
    param = app.test_client().get("/boom-param", headers={"Accept": "text/plain"})
    assert param.status_code == 400 and param.data.startswith(b"400 Bad request") and b"parameter 'year'" in param.data
