"""The bare peer of the HTTP bench: Flask + pyoxigraph doing only what a SPARQL endpoint must, as a speed floor.

It loads the same release, takes the query from a SPARQL 1.1 Protocol request (GET ?query=, POST form, POST
application/sparql-query; default-graph-uri and named-graph-uri passed to the engine), picks the response format
from Accept, and writes the answer with pyoxigraph's own serialisers. No limits, caching, logging or pages: what
any Flask endpoint over pyoxigraph can reach, so `ours / bare` is what our HTTP layer costs.

gunicorn runs it (`gunicorn --preload 'bench.bare_app:create()'`) with BENCH_NQ naming the N-Quads and
BENCH_DEFAULT_GRAPH choosing the default graph: `merge` (the default) copies every named graph's triples into the
default graph, as our server does, so both give the same answers; `union` asks pyoxigraph for the union of the
named graphs on each query (use_default_graph_as_union), which holds each triple once in memory but answers a
triple once per graph that states it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, Response, request

RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/csv": ox.QueryResultsFormat.CSV,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV,
           "application/json": ox.QueryResultsFormat.JSON}
GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES,
          "text/turtle": ox.RdfFormat.TURTLE,
          "application/rdf+xml": ox.RdfFormat.RDF_XML,
          "application/ld+json": ox.RdfFormat.JSON_LD}


def load(nq: Path, default_graph: str = "merge") -> ox.Store:
    """The release in an in-memory store; with `merge`, its default graph is the RDF merge of the named graphs."""
    if default_graph not in ("merge", "union"):
        raise ValueError(f"BENCH_DEFAULT_GRAPH: {default_graph!r} is neither 'merge' nor 'union'")
    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    if default_graph == "merge":
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def _negotiate(answer: object) -> tuple[str, ox.QueryResultsFormat | ox.RdfFormat] | None:
    """The best media type the client accepts for this kind of answer (the first listed for */*), or None."""
    offers = GRAPHS if isinstance(answer, ox.QueryTriples) else RESULTS
    if not request.accept_mimetypes:
        media_type = next(iter(offers))
    else:
        media_type = request.accept_mimetypes.best_match(list(offers)) or ""
    return (media_type, offers[media_type]) if media_type else None


def create(nq: Path | None = None, default_graph: str | None = None) -> Flask:
    """The app at /sparql over one release (BENCH_NQ and BENCH_DEFAULT_GRAPH unless given)."""
    default_graph = default_graph or os.environ.get("BENCH_DEFAULT_GRAPH", "merge")
    store = load(nq or Path(os.environ["BENCH_NQ"]), default_graph)
    union = default_graph == "union"
    app = Flask(__name__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        if request.method == "POST" and request.mimetype == "application/sparql-query":
            query, args = request.get_data(as_text=True), request.args
        elif request.method == "POST":
            query, args = request.form.get("query", ""), request.form
        else:
            query, args = request.args.get("query", ""), request.args
        if not query:
            return Response("no query parameter\n", 400, mimetype="text/plain")
        try:
            default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = [
                ox.NamedNode(g) for g in args.getlist("default-graph-uri")] or None
            named: list[ox.NamedNode | ox.BlankNode] | None = [
                ox.NamedNode(g) for g in args.getlist("named-graph-uri")] or None
            answer = store.query(query, use_default_graph_as_union=union and default is None,
                                 default_graph=default, named_graphs=named)
        except (SyntaxError, ValueError) as exc:
            return Response(f"{exc}\n", 400, mimetype="text/plain")
        chosen = _negotiate(answer)
        if chosen is None:
            return Response("no acceptable format\n", 406, mimetype="text/plain")
        media_type, fmt = chosen
        body = answer.serialize(format=fmt)  # type: ignore[arg-type]
        return Response(body, 200, content_type=media_type, headers={"Vary": "Accept"})

    return app
