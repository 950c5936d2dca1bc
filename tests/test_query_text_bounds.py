"""Cheap input never buys expensive work in a web worker: a long query text is read in a child killed at
query_timeout, so 40 kB of `a.a.a.` (6.7 s of tokenising in the worker before) ends at the helper's timeout at the
latest, and a long but well-formed query still runs."""

from __future__ import annotations

from flask import Flask
from pyoxigraph import Store

from foedus.server.app import create_app
from foedus.server.query_check import INSPECT_IN_WORKER
from foedus.settings import load_settings


def _app(**settings: object) -> Flask:
    return create_app(load_settings().replace(workers=1, **settings), Store())


def _post(client_app: Flask, text: str) -> tuple[int, dict[str, object]]:
    r = client_app.test_client().post("/sparql", data=text.encode(), content_type="application/sparql-query")
    return r.status_code, r.get_json()


def test_slow_to_read_text_ends_at_the_query_timeout() -> None:
    status, body = _post(_app(query_timeout=0.3), "a." * 20000)
    assert status == 503
    error = body["error"]
    assert isinstance(error, dict) and error["title"] == "Query timeout" and "0.3 s (query_timeout)" in error["detail"]


def test_long_malformed_text_is_a_400_with_its_position() -> None:
    text = "SELECT * WHERE { " + "?s ?p ?o . " * (INSPECT_IN_WORKER // 10) + "}}"
    assert len(text) > INSPECT_IN_WORKER
    status, body = _post(_app(), text)
    assert status == 400
    detail = str(body["error"]["detail"])  # type: ignore[index]
    assert detail.startswith("malformed query") and "(line 1, column " in detail


def test_long_update_is_still_refused_as_read_only() -> None:
    status, _ = _post(_app(), "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }" + " " * INSPECT_IN_WORKER)
    assert status == 403


def test_long_wellformed_query_runs() -> None:
    status, body = _post(_app(), "ASK { FILTER(" + " || ".join(["false"] * 1000) + " || true) }")
    assert status == 200 and body["boolean"] is True
