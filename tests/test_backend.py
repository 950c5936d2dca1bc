"""The backend seam: the embedded store behind its killable helper, the remote store over HTTP without one.

A loopback listener plays the remote SPARQL store, so these run without Virtuoso (tests/test_server_virtuoso.py
runs remote mode against the real thing).
"""

from __future__ import annotations

import http.server
import json
import os
import urllib.parse
from pathlib import Path

import pytest
from conftest import loopback_server
from pyoxigraph import Literal, NamedNode, Variable

from foedus.server.app import create_app
from foedus.server.backend import Limits, Query
from foedus.server.embedded import EmbeddedBackend
from foedus.server.remote import RemoteBackend
from foedus.server.store import load_files_store
from foedus.settings import load_settings

ALLIANCES = Path(__file__).parent / "fixtures" / "server" / "alliances.nq"
LIMITS = Limits(timeout=10, max_rows=100)


def remote_handler(seen: list[str]) -> type[http.server.BaseHTTPRequestHandler]:
    """A remote store that records each query and answers two solutions (or, for the counts, one graph)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            query = form["query"][0]
            seen.append(query)
            if "COUNT(*)" in query:
                rows = [{"g": {"type": "uri", "value": "http://e/g"},
                         "n": {"type": "literal", "value": "7",
                               "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
                head = ["g", "n"]
            else:
                rows = [{"x": {"type": "uri", "value": f"http://e/{i}"}} for i in (1, 2)]
                head = ["x"]
            body = json.dumps({"head": {"vars": head}, "results": {"bindings": rows}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def test_the_remote_backend_forks_no_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remote queries have the HTTP client's timeout; a worker must not fork a helper for them."""

    def no_fork() -> int:
        raise AssertionError("the remote backend forked")

    seen: list[str] = []
    with loopback_server(remote_handler(seen)) as url:
        app = create_app(load_settings().replace(workers=1, remote_endpoint=url + "/sparql"))
        monkeypatch.setattr(os, "fork", no_fork)
        client = app.test_client()
        response = client.get("/sparql", query_string={"query": "SELECT ?x { ?x ?p ?o }", "format": "tsv"})
        assert response.status_code == 200 and response.data.decode().split() == ["?x", "<http://e/1>", "<http://e/2>"]
        assert response.headers["ETag"].startswith('"remote-')
        assert client.get("/healthz").json["mode"] == "remote"
    assert any("COUNT(*)" in q for q in seen)  # the data version behind the ETag was asked of the store


def test_remote_select_gets_terms_with_values_and_base(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    with loopback_server(remote_handler(seen)) as url:
        backend = RemoteBackend(load_settings().replace(remote_endpoint=url + "/sparql"))
        query = Query("SELECT ?x ?y WHERE { ?x <p> ?y }", substitutions={Variable("y"): Literal("a")},
                      base_iri="https://foedus.example.org/sparql")
        rows = backend.select(query, Limits(timeout=10, max_rows=1))
    assert rows == [{"x": NamedNode("http://e/1")}]  # capped at max_rows, terms not JSON
    assert seen[0].startswith("BASE <https://foedus.example.org/sparql>\n")
    assert 'VALUES (?y) { ("a") }' in seen[0]


def test_the_embedded_backend_updates_a_copy_and_counts_it() -> None:
    store, info = load_files_store([ALLIANCES])
    backend = EmbeddedBackend(store, info)
    before = backend.info()
    assert backend.ask(Query("ASK { <http://e/a> ?p ?o }", "ASK"), LIMITS) is False
    backend.update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> <http://e/c> } }")
    after = backend.info()
    assert after.generation == before.generation + 1 and after.graphs["http://e/g"] == 1
    assert backend.ask(Query("ASK { <http://e/a> ?p ?o }", "ASK"), LIMITS) is True  # the helper was replaced
    assert not store.query("ASK { <http://e/a> ?p ?o }")  # the update ran on a copy: the store handed in is as it was
