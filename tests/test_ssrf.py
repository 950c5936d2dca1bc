"""Probes as an attacker would send them: can a query or a page make the server call an address it should not?

Every probe runs on 127.0.0.1. A listener on a free loopback port records each request it receives, so a test
knows whether the server connected to it, whatever the response says. The SERVICE allow-list must judge the
IRI the engine will call (escapes decoded, relative IRIs and PREFIX resolved), never the text as written; page
routes must bind values, never paste them into SPARQL.
"""

from __future__ import annotations

import http.server
import json
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import loopback_server
from flask import Flask

from foedus.server.app import create_app
from foedus.server.store import load_files_store
from foedus.settings import load_settings

ALLIANCES = Path(__file__).parent / "fixtures" / "server" / "alliances.nq"
SECRET = "internal build token 7f3a"
LEAK = "leaked-from-listener"


@dataclass
class Listener:
    """A loopback HTTP service that answers like a SPARQL endpoint and records every path asked for."""

    url: str
    hits: list[str] = field(default_factory=list)


def recording_handler(hits: list[str], redirect_to: str = "") -> type[http.server.BaseHTTPRequestHandler]:
    """A handler that appends each path to `hits` and answers one SPARQL row (or a redirect, a 405, HTML)."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            hits.append(self.path)
            if self.path.startswith("/redirect") and redirect_to:
                self.send_response(302)
                self.send_header("Location", redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path.startswith("/fail"):
                body = SECRET.encode()
                self.send_response(405)
                self.send_header("Content-Type", "text/plain")
            elif self.path.startswith("/html"):
                body = f"<html>{SECRET}</html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
            else:
                body = json.dumps(
                    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": LEAK}}]}}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def forbidden() -> Iterator[Listener]:
    """A service no query may reach."""
    hits: list[str] = []
    with loopback_server(recording_handler(hits)) as url:
        yield Listener(url, hits)


@pytest.fixture
def allowed(forbidden: Listener) -> Iterator[Listener]:
    """A service on the allow-list; its /redirect path sends the client on to the forbidden one."""
    hits: list[str] = []
    with loopback_server(recording_handler(hits, forbidden.url + "/secret")) as url:
        yield Listener(url, hits)


def make_app(allowlist: str = "") -> Flask:
    store, info = load_files_store([ALLIANCES])
    settings = load_settings().replace(workers=1, service_allowlist=allowlist, query_timeout=10)
    return create_app(settings, store, info=info)


def query(app: Flask, text: str) -> tuple[int, dict]:
    response = app.test_client().get("/sparql?" + urllib.parse.urlencode({"query": text}))
    return response.status_code, json.loads(response.data)


def host_port(url: str) -> tuple[str, str]:
    parsed = urllib.parse.urlsplit(url)
    return f"{parsed.hostname}:{parsed.port}", str(parsed.port)


# SERVICE targets: judged as the engine reads them ----------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        # \u escapes inside the IRI: the engine decodes them, the check must too
        r"SELECT * WHERE { SERVICE <{url}/\u0073parql> { ?s ?p ?o } }",
        r"SELECT * WHERE { SERVICE <{url}/\U00000073parql> { ?s ?p ?o } }",
        # relative IRI against BASE
        "BASE <{url}/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "BASE <http://127.0.0.1:9/a/> BASE <{url}/> SELECT * WHERE { SERVICE <./sparql> { ?s ?p ?o } }",
        # PREFIX tricks: redefined, escaped, resolved against BASE
        "PREFIX s: <https://query.wikidata.org/> PREFIX s: <{url}/> SELECT * WHERE { SERVICE s:sparql { ?s ?p ?o } }",
        r"PREFIX s: <{url}/\u0073> SELECT * WHERE { SERVICE s:parql { ?s ?p ?o } }",
        "BASE <{url}/> PREFIX s: <x/> SELECT * WHERE { SERVICE s:sparql { ?s ?p ?o } }",
        # hidden deeper: subquery, EXISTS, OPTIONAL, a comment and a string that name the allowed one
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } } } }",
        "SELECT * WHERE { BIND(1 AS ?one) FILTER EXISTS { SERVICE SILENT <{url}/sparql> { ?s ?p ?o } } }",
        "ASK { OPTIONAL { SERVICE <{url}/sparql> { ?s ?p ?o } } }",
        "SELECT * WHERE { ?s ?p \"SERVICE <https://query.wikidata.org/sparql>\" . "
        "SERVICE <{url}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { # SERVICE <https://query.wikidata.org/sparql>\n SERVICE <{url}/sparql> { ?s ?p ?o } }",
        # lower case keyword, no space before the IRI
        "select * where { service<{url}/sparql>{ ?s ?p ?o } }",
    ],
)
def test_service_targets_off_the_allowlist_are_refused_however_written(
    forbidden: Listener, template: str
) -> None:
    app = make_app("https://query.wikidata.org/sparql")
    status, body = query(app, template.replace("{url}", forbidden.url))
    assert status in (400, 403), body
    assert forbidden.hits == [], f"the server called the forbidden listener: {forbidden.hits}"
    assert LEAK not in json.dumps(body)


def test_a_variable_or_unreadable_service_target_is_refused(forbidden: Listener) -> None:
    app = make_app(forbidden.url + "/sparql")
    for text in (
        "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<" + forbidden.url + "/sparql> AS ?where) SERVICE ?where { ?s ?p ?o } }",
    ):
        status, body = query(app, text)
        assert status == 403, body
    assert forbidden.hits == []


def test_an_allowed_service_written_with_escapes_is_still_allowed(allowed: Listener) -> None:
    """The check decodes what the engine decodes: the same IRI, escaped, is the same allowed target."""
    app = make_app(allowed.url + "/sparql")
    status, body = query(app, r"SELECT ?x WHERE { SERVICE <" + allowed.url + r"/\u0073parql> { ?x ?p ?o } }")
    assert status == 200, body
    assert [b["x"]["value"] for b in body["results"]["bindings"]] == [LEAK]
    assert allowed.hits and allowed.hits[0].startswith("/sparql")


def test_a_redirect_from_an_allowed_service_to_a_forbidden_one_is_not_followed(
    allowed: Listener, forbidden: Listener
) -> None:
    app = make_app(allowed.url + "/redirect")
    status, body = query(app, "SELECT * WHERE { SERVICE <" + allowed.url + "/redirect> { ?s ?p ?o } }")
    assert allowed.hits, "the allowed service was not asked at all"
    assert forbidden.hits == [], f"the redirect was followed to {forbidden.hits}"
    assert status == 502, body
    detail = body["error"]["detail"]
    assert "remote service failed" in detail
    assert host_port(forbidden.url)[1] not in detail and "/secret" not in detail


# Error oracles: a failing remote service tells its status class, never its body --------------------------


def test_a_failing_service_error_says_its_status_class_not_its_body(allowed: Listener) -> None:
    app = make_app(allowed.url + "/fail")
    status, body = query(app, "SELECT * WHERE { SERVICE <" + allowed.url + "/fail> { ?s ?p ?o } }")
    assert status == 502, body
    detail = body["error"]["detail"]
    assert "remote service failed" in detail and "4xx" in detail
    assert SECRET not in json.dumps(body)
    assert host_port(allowed.url)[1] not in detail


def test_a_service_answering_the_wrong_content_type_is_reported_without_names(allowed: Listener) -> None:
    app = make_app(allowed.url + "/html")
    status, body = query(app, "ASK { SERVICE <" + allowed.url + "/html> { ?s ?p ?o } }")
    assert status == 502, body
    detail = body["error"]["detail"]
    assert "remote service failed" in detail
    assert SECRET not in json.dumps(body) and "text/html" not in detail
    assert host_port(allowed.url)[1] not in detail
