"""The web UI without a browser: pages render, assets come from our package, picture data is right."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fixtures.ui.release import VERSION, shared_releases
from flask.testing import FlaskClient
from pyoxigraph import Literal, NamedNode, RdfFormat, Variable, parse

from foedus.queries.inline import inline_values
from foedus.server.app import create_app
from foedus.server.vendor import VENDOR
from foedus.settings import load_settings

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
PAGES = ("/", "/query", "/timeline", "/timeline?of=state/365", "/network?year=1914", "/dataset",
         "/search?q=pact", "/id/alliance/nato", "/id/state/255")


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    """A test client over the UI test release."""
    yield create_app(load_settings({"releases": str(shared_releases())})).test_client()


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_no_third_party_assets(client: FlaskClient, path: str) -> None:
    """Every page is HTML in English whose scripts and stylesheets all come from this server."""
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.data[:300]
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>") and '<html lang="en">' in html
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    external = [a for a in assets if a.startswith(("http:", "https:", "//"))]
    assert external == []
    assert 'id="main"' in html and "Skip to content" in html


@pytest.mark.parametrize("name", sorted(VENDOR))
def test_vendor_files_are_served_from_the_package(client: FlaskClient, name: str) -> None:
    """YASGUI, vis-timeline, vis-network, Chart.js, d3-geo, topojson-client and the country shapes are shipped in
    the package and served by us."""
    with client.get(f"/vendor/{name}") as response:
        assert response.status_code == 200
        assert len(response.data) > 1000
        assert response.mimetype in ("text/javascript", "application/javascript", "text/css", "application/json")


def test_vendor_route_serves_only_its_list(client: FlaskClient) -> None:
    """Nothing else (the notice, licences, anything outside) is reachable through /vendor/."""
    assert client.get("/vendor/package.json").status_code == 404
    assert client.get("/vendor/NOTICE.md").status_code == 404
    assert client.get("/vendor/..%2Fpackage.json").status_code == 404


def test_query_page_config_has_endpoint_prefixes_and_runnable_examples(client: FlaskClient) -> None:
    """The editor gets our endpoint and prefixes; each saved query is an example that runs on /sparql."""
    html = client.get("/query").get_data(as_text=True)
    raw = re.search(r'<script type="application/json" id="yasgui-config">(.*?)</script>', html, re.S)
    assert raw is not None
    config = json.loads(raw.group(1))
    assert config["endpoint"].endswith("/sparql")
    assert config["prefixes"]["fo"] == "https://w3id.org/foedus/ontology/"
    assert len(config["examples"]) >= 5
    by_name = {ex["name"]: ex for ex in config["examples"]}
    for ex in config["examples"]:
        response = client.post("/sparql", data={"query": ex["query"]},
                               headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})
        assert response.status_code == 200, (ex["name"], response.data[:300])
    members = client.post("/sparql", data={"query": by_name["alliance-members-on-date"]["query"]},
                          headers={"Accept": "application/sparql-results+json"}).get_json()
    assert len(members["results"]["bindings"]) == 16  # NATO on 1990-01-01


def test_example_values_go_first_in_the_where_block() -> None:
    """Parameters become a VALUES row at the start of WHERE, so FILTERs and aggregates see them."""
    text = "PREFIX fo: <x:>\nSELECT ?a WHERE {\n  ?a ?p ?date FILTER(?date > ?d)\n} GROUP BY ?a"
    out = inline_values(text, {Variable("d"): Literal("1990-01-01", datatype=NamedNode(XSD_DATE))})
    assert out.index("VALUES (?d)") > out.index("WHERE {") and out.index("VALUES") < out.index("FILTER")
    assert '"1990-01-01"^^<http://www.w3.org/2001/XMLSchema#date>' in out
    assert inline_values(text, {}) == text


def test_timeline_data_of_an_alliance(client: FlaskClient) -> None:
    """NATO's timeline: a row per member, spells from the curated core and from ATOP, open spells to today."""
    data = client.get("/timeline/data.json?of=alliance/nato").get_json()
    assert data["kind"] == "alliance" and data["label"] == "North Atlantic Treaty Organization"
    assert len(data["groups"]) >= 30
    assert set(data["sources"]) == {"curated", "atop-5.1"}
    greece = [i for i in data["items"] if i["group"].endswith("/state/350")]
    assert {i["start"] for i in greece} == {"1952-02-18", "1951-10-22"}
    assert all(g["href"].startswith("/id/") for g in data["groups"])


def test_timeline_data_of_a_state(client: FlaskClient) -> None:
    """A state's timeline has one row per alliance it was in."""
    data = client.get("/timeline/data.json?of=/id/state/2").get_json()
    assert data["kind"] == "state"
    assert "https://w3id.org/foedus/id/alliance/nato" in {g["id"] for g in data["groups"]}


def test_timeline_data_needs_a_subject(client: FlaskClient) -> None:
    """Without `of`, the JSON route says what it needs."""
    assert client.get("/timeline/data.json").status_code == 400


def test_network_data_of_a_year(client: FlaskClient) -> None:
    """1990: NATO and Warsaw Pact states are nodes, their ties are defence edges, none crosses the blocs."""
    data = client.get("/network/data.json?year=1990").get_json()
    ids = {n["id"] for n in data["nodes"]}
    state = "https://w3id.org/foedus/id/state/"
    assert {state + "2", state + "365", state + "220"} <= ids
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edges[(state + "2", state + "220")]["obligation"] == "defence"
    assert edges[(state + "2", state + "220")]["color"] == "#c0392b"
    assert (state + "2", state + "365") not in edges
    assert {entry["obligation"] for entry in data["legend"]} >= {"defence", "consultation", "not coded"}


def test_network_data_by_source_and_year(client: FlaskClient) -> None:
    """Restricting to one source graph, or going to another year, changes the network."""
    everything = client.get("/network/data.json?year=1990").get_json()
    atop = client.get("/network/data.json?year=1990&graph=atop-5.1").get_json()
    assert 0 < len(atop["edges"]) < len(everything["edges"])
    state = "https://w3id.org/foedus/id/state/"
    later = client.get("/network/data.json?year=1995").get_json()
    assert state + "365" not in {n["id"] for n in later["nodes"]} or all(
        state + "290" not in (e["from"], e["to"]) or state + "365" not in (e["from"], e["to"])
        for e in later["edges"])
    assert client.get("/network/data.json?year=nineteen").status_code == 400


def test_dataset_page_lists_sources_licences_citations_and_downloads(client: FlaskClient) -> None:
    """The dataset page shows each named graph with licence and citation, and the release files."""
    html = client.get("/dataset").get_data(as_text=True)
    for text in ('id="graph-curated"', 'id="graph-atop-5.1"', "CC-BY-4.0", "Leeds, Brett Ashley", VERSION,
                 f"/releases/{VERSION}/foedus.nq", "foedus.jsonld", "void.ttl"):
        assert text in html, text


def test_downloads(client: FlaskClient) -> None:
    """Release files download by version or `latest`; N-Quads parse; nothing else is served."""
    with client.get(f"/releases/{VERSION}/foedus.nq") as response:
        assert response.status_code == 200 and response.mimetype == "application/n-quads"
        assert "attachment" in response.headers["Content-Disposition"]
        assert sum(1 for _ in parse(response.data, format=RdfFormat.N_QUADS)) > 10000
    with client.get("/releases/latest/void.ttl") as response:
        assert response.mimetype == "text/turtle"
    assert client.get("/releases/9.9.9/foedus.nq").status_code == 404
    assert client.get("/releases/latest/secrets.txt").status_code == 404


def test_dataset_description_as_turtle(client: FlaskClient) -> None:
    """A client asking /dataset for Turtle gets void.ttl."""
    with client.get("/dataset", headers={"Accept": "text/turtle"}) as response:
        assert response.status_code == 200 and response.mimetype == "text/turtle"
        assert b"rdfs.org/ns/void" in response.data


def test_ontology_iri_gives_docs_or_rdf(client: FlaskClient) -> None:
    """/ontology: pyLODE's documentation for browsers, the ontology in RDF by Accept or suffix."""
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["Content-Location"] == "/ontology.ttl"
    assert b"owl:Ontology" in turtle.data
    assert client.get("/ontology.rdf").mimetype == "application/rdf+xml"
    assert client.get("/ontology.jsonld").mimetype == "application/ld+json"
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'id="Alliance"' in html
    for link in re.findall(r'href="(/ontology-docs/extensions/[^"]+)"', html):
        with client.get(link) as response:
            assert response.status_code == 200
    assert client.get("/ontology.exe").status_code == 404


def test_search_finds_by_label(client: FlaskClient) -> None:
    """Search lists alliances first and links them locally."""
    html = client.get("/search?q=warsaw").get_data(as_text=True)
    assert 'href="/id/alliance/warsaw-pact"' in html
