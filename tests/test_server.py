"""The server through Flask's test client: negotiation, datasets, refusals, caching, CORS, update, loading."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from flask import Flask
from pyoxigraph import NamedNode, Store
from werkzeug.test import TestResponse

from foedus.errors import ConfigError
from foedus.server import errors
from foedus.server.app import create_app
from foedus.server.backend import Limits, Query
from foedus.server.embedded import EmbeddedBackend
from foedus.server.query_check import prepare
from foedus.server.store import load_files_store, load_release_store
from foedus.settings import Settings, load_settings
from foedus.sparql.formats import RDF_FORMATS, RESULT_FORMATS, negotiate

FIXTURES = Path(__file__).parent / "fixtures" / "server"
ALLIANCES = FIXTURES / "alliances.nq"
CURATED = "https://w3id.org/foedus/graph/curated"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def settings(**changes: object) -> Settings:
    return load_settings().replace(**{"workers": 1, **changes})


def make_app(**changes: object) -> Flask:
    store, info = load_files_store([ALLIANCES])
    return create_app(settings(**changes), store, info=info)


@pytest.fixture(scope="module")
def app() -> Flask:
    return make_app(max_result_rows=100)


def get(
    app: Flask, query: str, headers: dict[str, str] | None = None, **params: str | list[str]
) -> TestResponse:
    pairs = [("query", query)] + [
        (k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)
    ]
    return app.test_client().get("/sparql?" + urllib.parse.urlencode(pairs), headers=headers or {})


def count(response: TestResponse) -> int:
    assert response.status_code == 200, response.data
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


# Datasets --------------------------------------------------------------------------------------------------


def test_default_graph_is_a_set_a_triple_two_graphs_state_comes_once(tmp_path: Path) -> None:
    """SPARQL's default graph is an RDF graph: a triple stated by two sources is one solution, not two."""
    same = "<http://e/nato> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/Alliance>"
    data = tmp_path / "two-sources.nq"
    data.write_text(f"{same} <http://e/curated> .\n{same} <http://e/atop> .\n", encoding="utf-8")
    store, info = load_files_store([data])
    app = create_app(settings(), store, info=info)
    assert count(get(app, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://e/Alliance> }")) == 1
    both = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a <http://e/Alliance> } }"
    assert count(get(app, both)) == 2  # each source's graph still says it
    assert info.default_graph_triples == 1 and info.graphs == {"http://e/atop": 1, "http://e/curated": 1}


def test_default_graph_is_the_union_of_all_graphs(app: Flask) -> None:
    assert count(get(app, COUNT)) == 25


def test_each_source_graph_by_name(app: Flask) -> None:
    assert count(get(app, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CURATED}> {{ ?s ?p ?o }} }}")) == 9


def test_default_graph_uri_is_honoured_not_ignored(app: Flask) -> None:
    assert count(get(app, COUNT, **{"default-graph-uri": CURATED})) == 9
    assert count(get(app, COUNT, **{"default-graph-uri": "http://example.org/absent"})) == 0


def test_named_graph_uri_limits_the_named_graphs(app: Flask) -> None:
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(get(app, query)) == 4
    assert count(get(app, query, **{"named-graph-uri": CURATED})) == 1


def test_files_keep_named_graphs_and_name_triple_files(tmp_path: Path) -> None:
    turtle = tmp_path / "extra.ttl"
    turtle.write_text("<http://e/s> <http://e/p> 'x' .\n", encoding="utf-8")
    store, info = load_files_store([ALLIANCES, turtle])
    assert CURATED in info.graphs and turtle.resolve().as_uri() in info.graphs
    app = create_app(settings(), store, info=info)
    assert count(get(app, COUNT)) == 26


def test_release_store_reads_version(tmp_path: Path) -> None:
    release = tmp_path / "0.1.0+0123456789ab"
    release.mkdir()
    (release / "foedus.nq").write_bytes(ALLIANCES.read_bytes())
    (release / "release.json").write_text(
        (FIXTURES / "release.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "latest").symlink_to(release.name)
    store, info = load_release_store(tmp_path / "latest")
    assert info.version == "0.1.0+0123456789ab" and sum(info.graphs.values()) == 25
    assert info.default_graph_triples == 25 and len(store) == 50  # each quad, and its triple in the merge
    app = create_app(settings(releases=tmp_path))
    health = app.test_client().get("/healthz")
    assert health.json == {
        "status": "ok",
        "mode": "embedded",
        "version": "0.1.0+0123456789ab",
        "named_graphs": 4,
        "triples": 25,
    }
    assert "0.1.0+0123456789ab" in get(app, "ASK {}").headers["ETag"]


def test_missing_release_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="foedus build"):
        create_app(settings(releases=tmp_path))


# Formats and negotiation -----------------------------------------------------------------------------------

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/foedus/ontology/Alliance> }"
CONSTRUCT = "CONSTRUCT WHERE { ?s a <https://w3id.org/foedus/ontology/Alliance> }"


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*;q=0.8, application/sparql-results+json;q=0.1", "text/csv"),
        ("text/tab-separated-values, */*;q=0.1", "text/tab-separated-values"),
    ],
)
def test_select_negotiation(app: Flask, accept: str | None, media: str) -> None:
    response = get(app, SELECT, {"Accept": accept} if accept else None)
    assert response.status_code == 200 and response.mimetype == media
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/trig", "application/trig"),
        ("application/n-quads", "application/n-quads"),
        ("application/n-quads;q=0.2, text/turtle;q=0.4", "text/turtle"),
    ],
)
def test_construct_negotiation(app: Flask, accept: str | None, media: str) -> None:
    response = get(app, CONSTRUCT, {"Accept": accept} if accept else None)
    assert response.status_code == 200 and response.mimetype == media
    assert b"https://w3id.org/foedus/id/alliance/nato" in response.data


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("json", "application/sparql-results+json"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
    ],
)
def test_format_parameter_wins_over_accept(app: Flask, fmt: str, media: str) -> None:
    response = get(app, SELECT, {"Accept": "application/sparql-results+json"}, format=fmt)
    assert response.mimetype == media


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("turtle", "text/turtle"),
        ("json-ld", "application/ld+json"),
        ("rdf+xml", "application/rdf+xml"),
        ("nt", "application/n-triples"),
        ("trig", "application/trig"),
        ("nquads", "application/n-quads"),
    ],
)
def test_format_parameter_for_graphs(app: Flask, fmt: str, media: str) -> None:
    assert get(app, CONSTRUCT, format=fmt).mimetype == media


def test_describe(app: Flask) -> None:
    response = get(app, "DESCRIBE <https://w3id.org/foedus/id/state/2>", {"Accept": "application/n-triples"})
    assert response.status_code == 200 and b'"United States of America"@en' in response.data


def test_nothing_acceptable_is_406(app: Flask) -> None:
    assert get(app, CONSTRUCT, {"Accept": "text/csv"}).status_code == 406
    assert get(app, SELECT, {"Accept": "text/turtle"}).status_code == 406
    assert get(app, SELECT, {"Accept": "application/sparql-results+json;q=0"}).status_code == 406
    assert get(app, SELECT, format="yaml").status_code == 406


def test_negotiate_prefers_server_order_on_ties() -> None:
    assert negotiate(RESULT_FORMATS, "text/csv, application/sparql-results+json", None, "x").key == "json"
    assert negotiate(RDF_FORMATS, "application/*", None, "x").key == "ntriples"


def test_tsv_keeps_datatypes_and_languages(app: Flask) -> None:
    query = "SELECT ?o WHERE { <https://w3id.org/foedus/id/alliance/nato> ?p ?o FILTER(isLiteral(?o)) }"
    lines = set(get(app, query, format="tsv").data.decode().splitlines())
    assert '"1949-04-04"^^<http://www.w3.org/2001/XMLSchema#date>' in lines
    assert '"32"^^<http://www.w3.org/2001/XMLSchema#integer>' in lines
    assert '"North Atlantic Treaty Organization"@en' in lines
    assert any(
        line.startswith('"Article 5: \\"an armed') and "\\t" in line and "\\n" in line for line in lines
    )


def test_plain_literals_stay_plain_in_json(app: Flask) -> None:
    query = (
        "SELECT ?l WHERE { <https://w3id.org/foedus/id/alliance/atop-1055> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    binding = json.loads(get(app, query).data)["results"]["bindings"][0]["l"]
    assert binding == {"type": "literal", "value": "ATOP 1055"}


# Protocol bindings -----------------------------------------------------------------------------------------


def test_post_form_and_direct(app: Flask) -> None:
    client = app.test_client()
    form = client.post("/sparql", data={"query": COUNT, "default-graph-uri": CURATED})
    assert count(form) == 9
    direct = client.post(
        f"/sparql?default-graph-uri={urllib.parse.quote(CURATED)}",
        data=COUNT,
        content_type="application/sparql-query",
    )
    assert count(direct) == 9


def test_malformed_query_gives_parser_message_and_position(app: Flask) -> None:
    response = get(app, "SELECT * WHERE {\n  ?s ?p }")
    assert response.status_code == 400
    detail = response.json["error"]["detail"]  # type: ignore[index]
    assert "line 2, column" in detail and "error at 2:" in detail


def test_direct_post_with_query_parameter_too_is_400(app: Flask) -> None:
    response = app.test_client().post(
        "/sparql?query=ASK%7B%7D", data="ASK {}", content_type="application/sparql-query"
    )
    assert response.status_code == 400


def test_empty_form_is_400(app: Flask) -> None:
    assert app.test_client().post("/sparql", data={"x": "1"}).status_code == 400


def test_non_utf8_body_is_400(app: Flask) -> None:
    response = app.test_client().post(
        "/sparql", data=b"ASK { \xff }", content_type="application/sparql-query"
    )
    assert response.status_code == 400


def test_long_get_is_413() -> None:
    app = make_app(max_request_bytes=100)
    assert get(app, "ASK {" + " " * 200 + "}").status_code == 413


# Refusals --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "PREFIX e: <http://e/> DELETE WHERE { ?s e:p ?o }",
    ],
)
def test_update_is_refused_every_way(app: Flask, update: str) -> None:
    client = app.test_client()
    for response in (
        get(app, update),
        client.get("/sparql?" + urllib.parse.urlencode({"update": update})),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data=update, content_type="application/sparql-update"),
    ):
        assert response.status_code == 403
        assert response.json["error"]["title"] == "Read-only endpoint"  # type: ignore[index]
    assert count(get(app, COUNT)) == 25


def test_service_outside_allowlist_is_refused_before_it_runs(app: Flask) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = get(app, query)
    assert response.status_code == 403 and "service_allowlist" in response.json["error"]["detail"]  # type: ignore
    assert get(app, "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }").status_code == 403
    prefixed = (
        "PREFIX w: <https://query.wikidata.org/> SELECT * WHERE { SERVICE SILENT w:sparql { ?s ?p ?o } }"
    )
    assert get(app, prefixed).status_code == 403


def test_allowlisted_service_passes_the_check() -> None:
    allowing = settings(service_allowlist="https://query.wikidata.org/sparql")
    query = "PREFIX w: <https://query.wikidata.org/> SELECT * WHERE { SERVICE w:sparql { ?s ?p ?o } }"
    assert prepare(query, allowing, None, None).form == "SELECT"
    with pytest.raises(errors.ApiError):
        prepare(query.replace("w:sparql", "<https://evil.example/sparql>"), allowing, None, None)


def test_timeout_through_the_test_client() -> None:
    app = make_app(query_timeout=0.5)
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
    )
    response = get(app, query)
    assert response.status_code == 503 and response.json["error"]["title"] == "Query timeout"  # type: ignore
    assert count(get(app, COUNT)) == 25


def test_row_cap_truncates_with_header() -> None:
    app = make_app(max_result_rows=3)
    response = get(app, "SELECT * WHERE { ?s ?p ?o }")
    assert len(json.loads(response.data)["results"]["bindings"]) == 3
    assert response.headers["Foedus-Results-Truncated"] == "max_result_rows=3"
    graph = get(app, "CONSTRUCT WHERE { ?s ?p ?o }", format="nt")
    assert len(graph.data.splitlines()) == 3 and "Foedus-Results-Truncated" in graph.headers
    assert "Foedus-Results-Truncated" not in get(app, "SELECT * WHERE { ?s a ?o }").headers


def test_the_backend_answers_bytes_and_terms() -> None:
    store, _ = load_files_store([ALLIANCES])
    backend = EmbeddedBackend(store)
    outcome = backend.answer(Query("SELECT ?s WHERE { ?s a ?t }"), RESULT_FORMATS[2], Limits(timeout=10, max_rows=100))
    assert outcome.body.startswith(b"s\r\n") and len(outcome.body.splitlines()) == 3 and not outcome.truncated
    limits = Limits(timeout=10, max_rows=1)
    rows = backend.select(Query("SELECT ?s ?t WHERE { ?s a ?t } ORDER BY ?s"), limits)
    assert len(rows) == 1 and isinstance(rows[0]["s"], NamedNode) and set(rows[0]) == {"s", "t"}
    assert backend.ask(Query("ASK { ?s a ?t }", "ASK"), limits) is True
    triples, truncated = backend.construct(Query("CONSTRUCT WHERE { ?s a ?t }", "CONSTRUCT"), limits)
    assert len(triples) == 1 and truncated


# HTTP: caching, CORS, health -------------------------------------------------------------------------------


def test_etag_and_last_modified_give_304(app: Flask) -> None:
    first = get(app, SELECT)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert get(app, SELECT, {"If-None-Match": etag}).status_code == 304
    assert get(app, SELECT, {"If-None-Match": '"other"'}).status_code == 200
    assert get(app, SELECT, {"If-Modified-Since": modified}).status_code == 304
    assert get(app, SELECT, {"If-Modified-Since": "Mon, 01 Jan 1990 00:00:00 GMT"}).status_code == 200
    assert get(app, SELECT, format="csv").headers["ETag"] != etag
    sd = app.test_client().get("/sparql")
    assert app.test_client().get("/sparql", headers={"If-None-Match": sd.headers["ETag"]}).status_code == 304


def test_ontology_and_service_description_answer_through_the_conditional_path(app: Flask) -> None:
    """/ontology (it sent no ETag) is versioned by its file; a changed representation has another ETag."""
    client = app.test_client()
    turtle = client.get("/ontology.ttl")
    assert turtle.status_code == 200 and turtle.headers["ETag"].endswith('.turtle"')
    assert "Last-Modified" in turtle.headers
    assert "Vary" not in turtle.headers  # the suffix chose the format
    assert client.get("/ontology.ttl", headers={"If-None-Match": turtle.headers["ETag"]}).status_code == 304
    negotiated = client.get("/ontology", headers={"Accept": "application/n-triples"})
    assert negotiated.headers["Vary"] == "Accept" and negotiated.headers["ETag"] != turtle.headers["ETag"]
    sd = client.get("/sparql/service-description", headers={"Accept": "application/n-triples"})
    assert sd.headers["ETag"].endswith('.sd-ntriples"') and "Accept" in sd.headers["Vary"]


def test_cors(app: Flask) -> None:
    response = get(app, SELECT, {"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = app.test_client().options(
        "/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200 and "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_cors_origin_list() -> None:
    app = make_app(cors_origins="https://a.example https://b.example")
    assert (
        get(app, SELECT, {"Origin": "https://b.example"}).headers["Access-Control-Allow-Origin"]
        == "https://b.example"
    )
    assert "Access-Control-Allow-Origin" not in get(app, SELECT, {"Origin": "https://c.example"}).headers


def test_healthz(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok"  # type: ignore[index]


# The operator's update route -------------------------------------------------------------------------------


def test_no_update_route_without_token(app: Flask) -> None:
    assert app.test_client().post("/update", data={"update": "CLEAR ALL"}).status_code == 404


def test_update_route_needs_the_bearer_token() -> None:
    app = make_app(update_token="s3cret")
    client = app.test_client()
    insert = "INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> <http://e/c> } }"
    assert client.post("/update", data={"update": insert}).status_code == 401
    assert (
        client.post("/update", data={"update": insert}, headers={"Authorization": "Bearer wrong"}).status_code
        == 401
    )
    etag = get(app, COUNT).headers["ETag"]
    done = client.post(
        "/update",
        data=insert,
        content_type="application/sparql-update",
        headers={"Authorization": "Bearer s3cret"},
    )
    assert done.status_code == 200
    after = get(app, COUNT)
    assert count(after) == 26 and after.headers["ETag"] != etag
    # A delete in a named graph leaves the merged default graph too.
    delete = "DELETE DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> <http://e/c> } }"
    auth = {"Authorization": "Bearer s3cret"}
    assert client.post("/update", data={"update": delete}, headers=auth).status_code == 200
    assert count(get(app, COUNT)) == 25
    # A write into the default graph would be lost when the merge is rebuilt: refused, and nothing changes.
    into_default = ("INSERT DATA { <http://e/x> <http://e/y> <http://e/z> . "
                    "GRAPH <http://e/g> { <http://e/a> <http://e/b> <http://e/d> } }")
    refused = client.post("/update", data={"update": into_default}, headers=auth)
    assert refused.status_code == 400 and b"named graph" in refused.data
    assert count(get(app, COUNT)) == 25
    # The query endpoint stays read-only even with a token configured.
    assert get(app, insert).status_code == 403


def test_update_token_with_several_workers_is_refused() -> None:
    with pytest.raises(ConfigError, match="workers = 1"):
        create_app(settings(update_token="t", workers=2), Store())


def test_an_update_keeps_what_a_file_put_in_the_default_graph() -> None:
    """A TriG file's own default-graph triple survives an update to a named graph, and stays in the merge."""
    store, info = load_files_store([FIXTURES / "protocol-data.trig"])
    app = create_app(settings(update_token="s3cret", workers=1), store, info=info)
    marker = "ASK { <http://example.org/protocol/default-marker> <http://example.org/protocol/in> \"default\" }"
    assert json.loads(get(app, marker).data)["boolean"] is True
    insert = "INSERT DATA { GRAPH <http://example.org/protocol/data1> { <http://e/a> <http://e/b> <http://e/c> } }"
    done = app.test_client().post("/update", data={"update": insert}, headers={"Authorization": "Bearer s3cret"})
    assert done.status_code == 200
    assert json.loads(get(app, marker).data)["boolean"] is True
    assert json.loads(get(app, "ASK { <http://e/a> <http://e/b> <http://e/c> }").data)["boolean"] is True
