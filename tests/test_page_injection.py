"""Page routes bind the path and their parameters as values, never paste them into SPARQL: an injected SERVICE
never reaches the loopback listener, and a value that is no IRI is a 404 or 400 before any query runs."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
from conftest import loopback_server
from test_ssrf import Listener, make_app, recording_handler


@pytest.fixture
def forbidden() -> Iterator[Listener]:
    """A loopback service no page may make the server call."""
    hits: list[str] = []
    with loopback_server(recording_handler(hits)) as url:
        yield Listener(url, hits)


def test_a_resource_path_cannot_inject_a_service_call(forbidden: Listener) -> None:
    app = make_app()
    client = app.test_client()
    injected = f"nato> ?p ?x }} UNION {{ SERVICE <{forbidden.url}/> {{ ?x ?p ?o }} }} #"
    for path in (
        "/id/alliance/" + urllib.parse.quote(injected),
        "/id/alliance/" + urllib.parse.quote(injected) + ".ttl",
        "/ontology/" + urllib.parse.quote(injected),
        "/graph/" + urllib.parse.quote(injected),
    ):
        for accept in ("text/html", "text/turtle"):
            response = client.get(path, headers={"Accept": accept})
            assert response.status_code == 404, (path, accept, response.data[:300])
    assert forbidden.hits == [], f"a page query called the listener: {forbidden.hits}"


def test_a_path_holding_a_bracket_is_a_404_not_a_malformed_query() -> None:
    response = make_app().test_client().get("/id/alliance/nato%3E", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "malformed" not in response.json["error"]["detail"]  # type: ignore[index]


def test_timeline_and_network_parameters_cannot_inject(forbidden: Listener) -> None:
    client = make_app().test_client()
    of = (f"<https://w3id.org/foedus/id/alliance/nato> ?p ?x }} UNION {{ SERVICE <{forbidden.url}/> "
          "{ ?x ?p ?o } } #")
    response = client.get("/timeline/data.json?" + urllib.parse.urlencode({"of": of}))
    assert response.status_code == 400, response.data[:300]
    assert "IRI" in response.json["error"]["detail"]  # type: ignore[index]
    graph = f"x> }} SERVICE <{forbidden.url}/> {{ ?a ?b ?c }} #"
    response = client.get("/network/data.json?" + urllib.parse.urlencode({"year": "1990", "graph": graph}))
    assert response.status_code == 400, response.data[:300]
    search = f'" ) }} SERVICE <{forbidden.url}/> {{ ?a ?b ?c }} # '
    assert client.get("/search?" + urllib.parse.urlencode({"q": search})).status_code == 200
    assert forbidden.hits == [], f"a page parameter called the listener: {forbidden.hits}"


def test_pages_still_answer_for_real_iris() -> None:
    client = make_app().test_client()
    page = client.get("/id/alliance/nato", headers={"Accept": "text/html"})
    assert page.status_code == 200 and b"North Atlantic Treaty Organization" in page.data
    ttl = client.get("/id/alliance/nato.ttl")
    assert ttl.status_code == 200 and b"North Atlantic Treaty Organization" in ttl.data
    timeline = client.get("/timeline/data.json?of=alliance/nato")
    assert timeline.status_code == 200 and timeline.json["iri"].endswith("/id/alliance/nato")  # type: ignore


def test_every_page_query_is_a_parsed_select_file_and_no_page_module_writes_sparql() -> None:
    """The page queries live in server/rq/*.rq (parsed at start-up); server/*.py holds no query text of its own."""
    import re
    from pathlib import Path

    from foedus.server.page_queries import page_queries

    queries = page_queries()
    assert {"resource-exists", "labels", "members-of-alliance", "network-members", "dataset-subsets"} <= set(queries)
    pasted = re.compile(r"(SELECT|CONSTRUCT|ASK|DESCRIBE)\b[^\n]*\bWHERE\b|GRAPH \?g \{")
    server = Path(__file__).resolve().parents[1] / "server"
    for name in ("resources.py", "describe.py", "ui.py", "dataset.py", "page_queries.py"):
        text = (server / name).read_text(encoding="utf-8")
        assert not pasted.search(text), f"server/{name} writes SPARQL text: {pasted.search(text)}"
