"""Security headers on every response, the endpoint's address never taken from Host when public_base_url is set,
and /sparql opened in a browser shows the query page (the service description stays for RDF clients)."""

from __future__ import annotations

import pytest
from flask import Flask
from pyoxigraph import Store
from rdflib import Graph, URIRef

from foedus.server.app import create_app
from foedus.settings import load_settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
PUBLIC = "https://foedus.example.org/"
SD_ENDPOINT = URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")


def _app(**settings: object) -> Flask:
    return create_app(load_settings().replace(workers=1, **settings), Store())


@pytest.mark.parametrize("path", ["/", "/query", "/sparql", "/sparql?query=ASK%7B%7D", "/healthz", "/no-such-page",
                                  "/vendor/none.js"])
def test_every_response_carries_the_security_headers(path: str) -> None:
    r = _app().test_client().get(path, headers={"Accept": BROWSER})
    csp = r.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                      "connect-src 'self'"):
        assert directive in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_csp_lets_the_query_page_reach_the_public_endpoint() -> None:
    r = _app(public_base_url=PUBLIC).test_client().get("/query")
    assert "connect-src 'self' https://foedus.example.org;" in r.headers["Content-Security-Policy"]


def test_cors_stays_open_for_the_read_only_endpoint() -> None:
    r = _app().test_client().get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://elsewhere.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_query_page_and_service_description_name_public_base_url_not_the_host_header() -> None:
    client = _app(public_base_url=PUBLIC).test_client()
    page = client.get("/query", headers={"Host": "attacker.example"}).get_data(as_text=True)
    assert "https://foedus.example.org/sparql" in page and "attacker.example" not in page
    r = client.get("/sparql", headers={"Host": "attacker.example", "Accept": "text/turtle"})
    g = Graph().parse(data=r.get_data(as_text=True), format="turtle")
    assert set(g.objects(None, SD_ENDPOINT)) == {URIRef("https://foedus.example.org/sparql")}


def test_sparql_in_a_browser_shows_the_query_page() -> None:
    r = _app().test_client().get("/sparql", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert 'id="yasgui"' in r.get_data(as_text=True)
    assert "Accept" in r.headers["Vary"]


@pytest.mark.parametrize("accept, mimetype", [
    (None, "text/turtle"),
    ("*/*", "text/turtle"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("text/html;q=0.5, text/turtle", "text/turtle"),
    ("text/turtle, text/html", "text/turtle"),
])
def test_rdf_clients_still_get_the_service_description(accept: str | None, mimetype: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = _app().test_client().get("/sparql", headers=headers)
    assert r.status_code == 200 and r.mimetype == mimetype


def test_format_parameter_wins_over_a_browser_accept() -> None:
    r = _app().test_client().get("/sparql?format=ttl", headers={"Accept": BROWSER})
    assert r.mimetype == "text/turtle"
