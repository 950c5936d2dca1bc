"""The saved-query API: /api/<name>?param=value runs queries/<name>.rq; /api/openapi.json and /api list them.

The catalog is loaded and checked when the blueprint is registered, so a broken query file stops the server at
start-up. A request's values are parsed into typed RDF terms and bound by substitution (SEP-0007) in the embedded
store, or as a VALUES block written from those terms for a remote endpoint (queries/inline.py); a value never
becomes query text of its own, so a hostile value is a 400, not another query. Execution, limits, format
negotiation and HTTP caching are the SPARQL endpoint's own (server/query_exec.py, through the backend).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from pyoxigraph import NamedNode

from foedus.queries.catalog import Catalog, ParamError, instance_check, load_catalog
from foedus.queries.openapi import openapi_document
from foedus.queries.run import check_classes
from foedus.server import errors
from foedus.server.backend import Query
from foedus.server.context import state
from foedus.server.query_exec import answer
from foedus.sparql.formats import formats_for

bp = Blueprint("api", __name__, template_folder="templates")
EXTENSION = "foedus.queries"
DOCS = "https://w3id.org/foedus/api/openapi.json"


@bp.record_once
def _load(setup: BlueprintSetupState) -> None:
    """Load the catalog once, when the app registers the blueprint (a bad query file fails at start-up)."""
    setup.app.extensions[EXTENSION] = load_catalog()


def catalog() -> Catalog:
    """The catalog of the current app."""
    cat: Catalog = current_app.extensions[EXTENSION]
    return cat


def _is_a(value: NamedNode, cls: str) -> bool:
    """Whether an IRI is an instance of a class, asked of the backend with the endpoint's timeout and row cap."""
    st = state()
    text, subs = instance_check(value, cls)
    return st.backend.ask(Query(text, "ASK", substitutions=subs), st.limits)


def _given() -> dict[str, str]:
    """The request's parameters without `format`; an empty value (a blank form field) counts as absent.

    A repeated parameter is refused rather than silently dropped.
    """
    given: dict[str, str] = {}
    for key, values in request.args.lists():
        values = [v for v in values if v != ""]
        if key == "format" or not values:
            continue
        if len(values) > 1:
            raise errors.bad_request(f"parameter {key!r} is given {len(values)} times; give it once", DOCS)
        given[key] = values[0]
    return given


@bp.route("/api/<name>", methods=["GET"])
def run(name: str) -> Response:
    """Run one saved query with typed, validated parameters, in the format the client asks for."""
    saved = catalog().get(name)
    if saved is None:
        raise errors.not_found(f"no saved query named {name!r}; see /api for the list", DOCS)
    try:
        subs = saved.bind(_given())
        check_classes(_is_a, saved, subs)
    except ParamError as exc:
        raise errors.bad_request(
            f"parameter {exc.param!r} {exc.message}", DOCS + "#/paths/~1api~1" + name
        ) from None
    # The endpoint's own answer: bound by substitution in the embedded store, inlined as VALUES in a remote one.
    return answer(saved.text, fmt_param=request.args.get("format"), substitutions=subs)


@bp.route("/api/openapi.json", methods=["GET"])
def openapi() -> Response:
    """The OpenAPI 3.1 description of every saved query, generated from the query files."""
    base = request.script_root + "/" if request.script_root else "/"
    body = json.dumps(openapi_document(catalog(), base), indent=1, ensure_ascii=False)
    return Response(body + "\n", 200, content_type="application/json; charset=utf-8")


@bp.route("/api", methods=["GET"], strict_slashes=False)
def index() -> str:
    """A readable page listing the saved queries, each with a form that runs it."""
    queries = list(catalog())
    formats = {q.name: [f.key for f in formats_for(q.form)] for q in queries}
    return render_template("api.html", queries=queries, formats=formats)

