"""The W3C SPARQL 1.1 Protocol, result-format and service-description tests that apply to a read-only service.

Driven from our own manifest-like files in tests/fixtures/server/ (protocol-cases.json, results-cases.json),
which restate the W3C tests (w3c/rdf-tests, sparql/sparql11/...) in our words; server/README.md lists those
that do not apply. Every protocol case runs twice: through Flask's test client and over HTTP against a real
gunicorn server.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask
from pyoxigraph import DefaultGraph, Literal, NamedNode, QueryResultsFormat, RdfFormat, Store, parse_query_results
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, Namespace
from test_server_live import running_server

from foedus.server.app import create_app
from foedus.server.store import load_files_store
from foedus.settings import load_settings
from foedus.sparql.formats import RESULT_FORMATS
from foedus.sparql.results import write_solutions

FIXTURES = Path(__file__).parent / "fixtures" / "server"
PROTOCOL = json.loads((FIXTURES / "protocol-cases.json").read_text(encoding="utf-8"))["cases"]
RESULTS = json.loads((FIXTURES / "results-cases.json").read_text(encoding="utf-8"))["cases"]
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/trig",
    "application/n-quads",
}


def _app(path: Path) -> Flask:
    store, info = load_files_store([path])
    return create_app(load_settings().replace(workers=1), store, info=info)


@pytest.fixture(scope="module")
def protocol_app() -> Flask:
    return _app(FIXTURES / "protocol-data.trig")


@pytest.fixture(scope="module")
def protocol_server() -> Iterator[str]:
    with running_server([FIXTURES / "protocol-data.trig"], workers=2) as base:
        yield base


def _target(case: dict[str, Any]) -> tuple[str, bytes | None, dict[str, str]]:
    query = urllib.parse.urlencode([(k, v) for k, vs in case["params"].items() for v in vs])
    path = "/sparql/" + ("?" + query if query else "")
    body = case.get("body")
    data = body.encode(case.get("encoding", "utf-8")) if body is not None else None
    headers = {"Content-Type": case["content_type"]} if case.get("content_type") else {}
    return path, data, headers


def _check(case: dict[str, Any], status: int, media: str, data: bytes) -> None:
    expect = case["expect"]
    if expect == "2xx":
        assert 200 <= status < 400, (status, data[:300])
    else:
        assert status == expect, (status, data[:300])
        assert set(json.loads(data)["error"]) == {"status", "title", "detail", "spec"}
        return
    kind = case.get("kind")
    if kind == "boolean":
        assert media in BOOLEAN_TYPES
    elif kind == "tabular":
        assert media in TABULAR_TYPES
    elif kind == "rdf":
        assert media in RDF_TYPES
    if "boolean" in case:
        assert json.loads(data)["boolean"] is case["boolean"]


@pytest.mark.parametrize("case", PROTOCOL, ids=[c["w3c"] for c in PROTOCOL])
def test_protocol_case_test_client(protocol_app: Flask, case: dict[str, Any]) -> None:
    path, data, headers = _target(case)
    response = protocol_app.test_client().open(path, method=case["method"], data=data, headers=headers)
    _check(case, response.status_code, response.mimetype, response.data)


@pytest.mark.parametrize("case", PROTOCOL, ids=[c["w3c"] for c in PROTOCOL])
def test_protocol_case_over_http(protocol_server: str, case: dict[str, Any]) -> None:
    path, data, headers = _target(case)
    host = urllib.parse.urlsplit(protocol_server)
    connection = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=30)
    try:
        # http.client sends exactly these headers: no Content-Type is invented for the "missing type" cases.
        connection.request(case["method"], path, body=data, headers=headers)
        response = connection.getresponse()
        body = response.read()
        media = (response.getheader("Content-Type") or "").split(";")[0].strip()
        _check(case, response.status, media, body)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def results_app() -> Flask:
    return _app(FIXTURES / "results-data.ttl")


def _normalise_bnodes(text: str) -> str:
    return re.sub(r"_:[A-Za-z0-9]+", "_:B", text)


@pytest.mark.parametrize("case", RESULTS, ids=["+".join(c["w3c"]) for c in RESULTS])
def test_result_format(results_app: Flask, case: dict[str, Any]) -> None:
    response = results_app.test_client().get(
        "/sparql?" + urllib.parse.urlencode({"query": case["query"], "format": case["format"]})
    )
    assert response.status_code == 200, response.data
    text = _normalise_bnodes(response.data.decode("utf-8"))
    if case["format"] == "csv":
        assert response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert text.split("\r\n")[0] == case["header"]
        expected = [next(csv.reader(io.StringIO(r, newline=""))) for r in case["rows"]]
        assert sorted(rows[1:]) == sorted(expected)
    elif case["format"] == "tsv":
        assert response.mimetype == "text/tab-separated-values"
        lines = text.rstrip("\n").split("\n")
        assert lines[0] == case["header"]
        assert sorted(lines[1:]) == sorted(case["rows"])
    else:
        assert response.mimetype == "application/sparql-results+json"
        body = json.loads(text)
        if "boolean" in case:
            assert body["boolean"] is case["boolean"]
        else:
            assert body["head"]["vars"] == case["vars"]
            key = lambda b: json.dumps(b, sort_keys=True)  # noqa: E731
            assert sorted(body["results"]["bindings"], key=key) == sorted(case["bindings"], key=key)


def test_xml_results_round_trip(results_app: Flask) -> None:
    """XML carries the same datatypes and languages as JSON (a consistency check, not a W3C test)."""
    query = "SELECT ?o WHERE { <http://example.org/results/s2> ?p ?o }"
    response = results_app.test_client().get(
        "/sparql?" + urllib.parse.urlencode({"query": query, "format": "xml"})
    )
    root = ElementTree.fromstring(response.data)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literals = root.findall(".//r:literal", ns)
    assert {
        lit.get("datatype") or lit.get("{http://www.w3.org/XML/1998/namespace}lang") for lit in literals
    } == {"http://www.w3.org/2001/XMLSchema#integer", "fr"}


# Service description: has-endpoint-triple, returns-rdf, conforms-to-schema.


def _description(app: Flask, accept: str, base_url: str = "http://localhost/") -> Graph:
    response = app.test_client().get("/sparql", headers={"Accept": accept}, base_url=base_url)
    assert response.status_code == 200
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld"}[response.mimetype]
    if fmt == "json-ld":
        return _jsonld_graph(response.data)
    return Graph().parse(data=response.data, format=fmt)


def _jsonld_graph(data: bytes) -> Graph:
    """JSON-LD to a graph through pyoxigraph (rdflib's JSON-LD parser warns under filterwarnings=error)."""
    store = Store()
    store.load(data, format=RdfFormat.JSON_LD)
    return Graph().parse(data=store.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph()), format="nt")


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json"])
def test_sd_returns_rdf_with_endpoint_triple(protocol_app: Flask, accept: str) -> None:
    graph = _description(protocol_app, accept, "http://sparql.example/")
    assert (None, SD.endpoint, URIRef("http://sparql.example/sparql")) in graph


def test_sd_conforms_to_schema(protocol_app: Flask) -> None:
    graph = _description(protocol_app, "text/turtle")
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV") in formats
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    assert (graph.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in graph
    names = {graph.value(n, SD.name) for n in graph.objects(dataset, SD.namedGraph)}
    assert names == {URIRef(f"http://example.org/protocol/data{i}") for i in (1, 2, 3)}
    for named in graph.objects(dataset, SD.namedGraph):
        assert (named, RDF.type, SD.NamedGraph) in graph
        assert (graph.value(named, SD.graph), RDF.type, SD.Graph) in graph


def test_sd_endpoint_uses_public_base_url() -> None:
    store, info = load_files_store([FIXTURES / "protocol-data.trig"])
    app = create_app(
        load_settings().replace(workers=1, public_base_url="https://foedus.example.org/"), store, info=info
    )
    graph = _description(app, "text/turtle", "http://10.0.0.5:8000/")
    assert (None, SD.endpoint, URIRef("https://foedus.example.org/sparql")) in graph


def test_relative_iris_resolve_against_the_endpoint() -> None:
    """W3C query_content_type_construct sends `CONSTRUCT { <s> <p> 1 } WHERE {}`: relative IRIs, base = endpoint."""
    store, info = load_files_store([FIXTURES / "protocol-data.trig"])
    public = create_app(
        load_settings().replace(workers=1, public_base_url="https://foedus.example.org/"), store, info=info
    )
    for app, base in ((public, "https://foedus.example.org/"), (_app(FIXTURES / "protocol-data.trig"), "http://localhost/")):
        response = app.test_client().post(
            "/sparql", data="CONSTRUCT { <s> <p> 1 } WHERE {}", content_type="application/sparql-query",
            headers={"Accept": "application/n-triples"},
        )
        assert response.status_code == 200, response.data
        assert response.data.decode().split() == [
            f"<{base}s>", f"<{base}p>", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "."
        ]
    own_base = public.test_client().get(
        "/sparql", query_string={"query": "BASE <http://example.org/> SELECT ?x { BIND(<y> AS ?x) }", "format": "tsv"}
    )
    assert own_base.data.decode().splitlines()[1] == "<http://example.org/y>"  # the query's BASE still wins


def test_service_targets_are_judged_resolved_against_the_endpoint() -> None:
    """A relative SERVICE IRI is the IRI the engine will call: the endpoint's base applied, then the allow-list."""
    from foedus.server.errors import ApiError
    from foedus.server.query_check import prepare

    settings = load_settings().replace(service_allowlist="https://foedus.example.org/peer")
    base = "https://foedus.example.org/sparql"
    query = "SELECT * WHERE { SERVICE <peer> { ?s ?p ?o } }"
    assert prepare(query, settings, None, None, base).services == ("https://foedus.example.org/peer",)
    with pytest.raises(ApiError):
        prepare(query, settings, None, None, "http://127.0.0.1:9/sparql")
    with pytest.raises(ApiError):
        prepare(query.replace("<peer>", "<../internal/peer>"), settings, None, None, base)


def test_tsv_keeps_datatypes_whose_lexical_form_is_not_canonical() -> None:
    """W3C csvtsv03: `"-3"^^xsd:negativeInteger` written bare (`-3`) would be read back as xsd:integer."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    pairs = (("-3", "negativeInteger"), ("042", "integer"), ("1.50", "decimal"), ("42", "integer"))
    terms = [Literal(value, datatype=NamedNode(xsd + dt)) for value, dt in pairs]
    out = io.BytesIO()
    write_solutions(out, next(f for f in RESULT_FORMATS if f.key == "tsv"), ["x"], [[t] for t in terms])
    assert out.getvalue().decode().splitlines()[1] == f'"-3"^^<{xsd}negativeInteger>'
    read = parse_query_results(out.getvalue(), format=QueryResultsFormat.TSV)
    assert [row["x"] for row in read] == terms  # type: ignore[index,union-attr]
