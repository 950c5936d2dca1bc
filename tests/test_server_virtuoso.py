"""Remote mode against a real Virtuoso (Debian's virtuoso-opensource) started on loopback for these tests.

The test writes its own virtuoso.ini (temp dir, free ports), publishes a release into it by the Graph Store
Protocol and by SPARQL Update (`foedus publish`'s two ways), then answers queries from it through our server,
and stops it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, TSV, SPARQLWrapper
from test_server_live import ALLIANCES, FIXTURES, free_port, running_server, stop, wait_until_up

from foedus.server.app import create_app
from foedus.server.remote import publish_release
from foedus.server.virtuoso import write_virtuoso_ini
from foedus.settings import Settings, load_settings

pytestmark = pytest.mark.virtuoso
CURATED = "https://w3id.org/foedus/graph/curated"



@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso on free loopback ports (user dba/dba); yields its HTTP URL; stopped afterwards."""
    binary = shutil.which("virtuoso-t")
    assert binary, "virtuoso-t is missing: `apt-get install virtuoso-opensource` (make test does it)"
    home = tmp_path_factory.mktemp("virtuoso")
    http = free_port()
    write_virtuoso_ini(home, sql_port=free_port(), http_port=http)
    proc = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(home / "virtuoso.ini")],
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        wait_until_up(base + "/sparql?query=ASK%7B%7D", proc, "Virtuoso", 120, 0.5,
                      lambda: (home / "virtuoso.log").read_text(errors="replace")[-2000:])
        yield base
    finally:
        stop(proc, 60)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("release") / "0.1.0+0123456789ab"
    directory.mkdir()
    shutil.copy(ALLIANCES, directory / "foedus.nq")
    shutil.copy(FIXTURES / "release.json", directory / "release.json")
    return directory


def remote(base: str, **changes: object) -> Settings:
    return load_settings().replace(
        workers=1, remote_endpoint=base + "/sparql", remote_user="dba", remote_password="dba", **changes
    )


def ask_count(base: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def test_publish_by_graph_store_protocol(virtuoso: str, release: Path) -> None:
    settings = remote(virtuoso, remote_graph_store=virtuoso + "/sparql-graph-crud-auth")
    message = publish_release(settings, release)
    assert "4 graphs, 25 triples" in message and "Graph Store Protocol" in message
    assert ask_count(virtuoso, CURATED) == 9
    publish_release(settings, release)  # PUT replaces: publishing twice does not double the data
    assert ask_count(virtuoso, CURATED) == 9


def test_publish_by_sparql_update(virtuoso: str, release: Path) -> None:
    settings = remote(virtuoso, remote_update_endpoint=virtuoso + "/sparql-auth")
    message = publish_release(settings, release)
    assert "SPARQL Update" in message
    assert ask_count(virtuoso, "https://w3id.org/foedus/graph/cow-states-2016") == 8
    publish_release(settings, release)
    assert ask_count(virtuoso, "https://w3id.org/foedus/graph/cow-states-2016") == 8


def test_remote_mode_answers_through_our_endpoint(virtuoso: str, release: Path) -> None:
    publish_release(remote(virtuoso, remote_graph_store=virtuoso + "/sparql-graph-crud-auth"), release)
    app = create_app(remote(virtuoso))
    client = app.test_client()
    query = (
        f"SELECT ?label WHERE {{ GRAPH <{CURATED}> {{ <https://w3id.org/foedus/id/alliance/nato> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } }"
    )
    tsv = client.get("/sparql", query_string={"query": query, "format": "tsv"})
    assert tsv.status_code == 200
    assert '"North Atlantic Treaty Organization"@en' in tsv.data.decode()
    construct = client.get(
        "/sparql",
        query_string={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{CURATED}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/n-triples"},
    )
    assert construct.status_code == 200 and len(construct.data.splitlines()) == 9
    dataset = client.get(
        "/sparql",
        query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": CURATED},
    )
    assert json.loads(dataset.data)["results"]["bindings"][0]["n"]["value"] == "9"
    bad = client.get("/sparql", query_string={"query": "SELECT * {"})
    assert bad.status_code == 400 and "Virtuoso" in bad.json["error"]["detail"]  # type: ignore[index]
    assert client.get("/sparql", query_string={"query": "CLEAR ALL"}).status_code == 403
    assert client.get("/healthz").json["mode"] == "remote"  # type: ignore[index]


def test_live_server_in_remote_mode(virtuoso: str, release: Path) -> None:
    publish_release(remote(virtuoso, remote_graph_store=virtuoso + "/sparql-graph-crud-auth"), release)
    with running_server([], workers=2, remote_endpoint=virtuoso + "/sparql") as base:
        sparql = SPARQLWrapper(base + "/sparql")
        sparql.setQuery(f"ASK {{ GRAPH <{CURATED}> {{ ?s a <https://w3id.org/foedus/ontology/Alliance> }} }}")
        sparql.setReturnFormat(JSON)
        assert sparql.queryAndConvert()["boolean"] is True  # type: ignore[index]
        sparql.setQuery("SELECT ?s WHERE { GRAPH ?g { ?s <https://w3id.org/foedus/ontology/cowCode> 740 } }")
        sparql.setReturnFormat(TSV)
        assert b"<https://w3id.org/foedus/id/state/740>" in sparql.queryAndConvert()  # type: ignore[operator]


# Virtuoso 7.2 (Debian) can drop every row of `GRAPH ?g { ?s org:organization <nato> ; fo:startDate ?d }
# FILTER(?d <= "1990-01-01"^^xsd:date)` over data loaded by the Graph Store Protocol, while the same query gives 16
# rows without GRAPH ?g, with the graph named, or over the same data loaded by SPARQL Update. Whether it does depends
# on the plan Virtuoso picks for the data at hand (it did on main at 59792b4, not at e0fcf54), so this case cannot be
# strict either way; the update route below is, and test_publish_by_graph_store_protocol checks what GSP loads.
# README: for Virtuoso, publish with remote_update_endpoint.
VIRTUOSO_GSP_RANGE = pytest.mark.xfail(strict=False, reason="Virtuoso may lose GRAPH ?g + date-range rows of data "
                                       "loaded by the Graph Store Protocol, depending on its plan")


@pytest.mark.parametrize("route", [pytest.param("remote_graph_store", marks=VIRTUOSO_GSP_RANGE),
                                   "remote_update_endpoint"])
def test_saved_queries_answer_from_the_remote_store(virtuoso: str, tmp_path: Path, route: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """/api in remote mode, the release published either way: parameters go to Virtuoso as a VALUES block; class
    checks are ASKed there too (Virtuoso answered `a/rdfs:subClassOf*` false for data published by Update)."""
    from foedus.graph.build import build_release

    monkeypatch.delenv("FOEDUS_SOURCES", raising=False)
    release = build_release(load_settings({"releases": tmp_path / "releases", "sources": None}), progress=False)
    target = {"remote_graph_store": "/sparql-graph-crud-auth", "remote_update_endpoint": "/sparql-auth"}[route]
    publish_release(remote(virtuoso, **{route: virtuoso + target}), release)
    client = create_app(remote(virtuoso)).test_client()
    members = client.get("/api/alliance-members-on-date", query_string={
        "alliance": "https://w3id.org/foedus/id/alliance/nato", "date": "1990-01-01", "format": "json"})
    assert members.status_code == 200, members.data
    rows = json.loads(members.data)["results"]["bindings"]
    assert len({r["member"]["value"] for r in rows}) == 16  # the curated core alone: 16 members on 1990-01-01
    not_an_alliance = client.get("/api/alliance-members-on-date", query_string={
        "alliance": "https://w3id.org/foedus/id/state/2", "date": "1990-01-01"})
    assert not_an_alliance.status_code == 400 and b"is not a fo:Alliance" in not_an_alliance.data


def test_remote_mode_sends_an_etag_and_describes_the_named_graphs(virtuoso: str, release: Path) -> None:
    """The remote data's version (triples per graph, release version) is the ETag; an update changes it."""
    from rdflib import Graph, Namespace, URIRef

    publish_release(remote(virtuoso, remote_graph_store=virtuoso + "/sparql-graph-crud-auth"), release)
    settings = remote(virtuoso, update_token="t0k", remote_update_endpoint=virtuoso + "/sparql-auth")
    client = create_app(settings).test_client()
    query = {"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CURATED}> {{ ?s ?p ?o }} }}", "format": "json"}
    first = client.get("/sparql", query_string=query)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"remote-') and "Last-Modified" not in first.headers
    assert client.get("/sparql", query_string=query, headers={"If-None-Match": etag}).status_code == 304

    sd_ns = Namespace("http://www.w3.org/ns/sparql-service-description#")
    described = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    names = {str(described.value(n, sd_ns.name)): n for n in described.subjects(sd_ns.name, None)}
    assert CURATED in names
    triples = described.value(described.value(names[CURATED], sd_ns.graph), URIRef("http://rdfs.org/ns/void#triples"))
    assert int(triples) == 9  # type: ignore[arg-type]

    scratch = "https://w3id.org/foedus/graph/test-scratch"
    negative = '"-3"^^<http://www.w3.org/2001/XMLSchema#negativeInteger>'
    insert = f"INSERT DATA {{ GRAPH <{scratch}> {{ <urn:x:s> <urn:x:p> {negative} }} }}"
    auth = {"Authorization": "Bearer t0k"}
    try:
        assert client.post("/update", data={"update": insert}, headers=auth).status_code == 200
        changed = client.get("/sparql", query_string=query, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["ETag"] != etag
        tsv = client.get("/sparql", query_string={"query": f"SELECT ?o {{ GRAPH <{scratch}> {{ ?s ?p ?o }} }}",
                                                   "format": "tsv"})
        assert tsv.data.decode().splitlines()[1] == negative  # kept as typed, never written bare
    finally:
        client.post("/update", data={"update": f"DROP SILENT GRAPH <{scratch}>"}, headers=auth)
