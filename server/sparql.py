"""The SPARQL 1.1 Protocol query operation at /sparql: GET, POST form-encoded, POST application/sparql-query.

A GET without `query` returns the service description, or the query page to a browser (Accept preferring
text/html to every RDF syntax), as Fuseki and Oxigraph do. Update requests are refused here (read-only), whatever
way they are sent; see update.py for the operator's token-protected route.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, make_response, request
from werkzeug.datastructures import MultiDict

from foedus.server import errors
from foedus.server.context import state
from foedus.server.errors import PROTOCOL
from foedus.server.query_exec import Dataset, answer
from foedus.sparql.formats import RDF_FORMATS, prefers

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


def _dataset(params: MultiDict[str, str]) -> Dataset:
    """The protocol dataset: every default-graph-uri and named-graph-uri, in order, without repeats."""
    return Dataset(
        tuple(dict.fromkeys(params.getlist("default-graph-uri"))),
        tuple(dict.fromkeys(params.getlist("named-graph-uri"))),
    )


def _one_query(params: MultiDict[str, str]) -> str | None:
    queries = params.getlist("query")
    if len(queries) > 1:
        raise errors.bad_request(
            f"{len(queries)} `query` parameters; send exactly one", PROTOCOL + "#query-operation"
        )
    return queries[0] if queries else None


def _check_size() -> None:
    limit = int(state().settings.max_request_bytes)
    if len(request.query_string) > limit or (request.content_length or 0) > limit:
        raise errors.too_large(limit)


@bp.route("/sparql", methods=["GET", "POST"], strict_slashes=False)
def sparql() -> Response:
    """Answer one query by the protocol's three bindings, or describe the service when there is no query."""
    _check_size()
    args = request.args
    if "update" in args or "using-graph-uri" in args or "using-named-graph-uri" in args:
        raise errors.read_only()
    if request.method == "GET":
        query = _one_query(args)
        if query is None:
            from foedus.server.service_description import describe

            page = current_app.view_functions.get("ui.query_page")
            if page is None or "format" in args or not prefers("text/html", RDF_FORMATS, request.headers.get("Accept")):
                return describe()
            response = make_response(page())
            response.vary.add("Accept")
            return response
            return describe()
        return answer(query, _dataset(args), fmt_param=args.get("format"))
    ctype = request.mimetype
    if ctype == FORM:
        params: MultiDict[str, str] = MultiDict(args)
        for key, values in request.form.lists():
            params.setlist(key, params.getlist(key) + values)
        if "update" in params:
            raise errors.read_only()
        query = _one_query(params)
        if query is None:
            raise errors.bad_request(
                "the form has no `query` parameter", PROTOCOL + "#query-via-post-urlencoded"
            )
        return answer(query, _dataset(params), fmt_param=params.get("format"))
    if ctype == DIRECT:
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise errors.unsupported_media_type(f"{ctype}; charset={charset}")
        if "query" in args:
            raise errors.bad_request(
                "a direct POST carries the query in its body, not also in `query`",
                PROTOCOL + "#query-via-post-direct",
            )
        try:
            query = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise errors.bad_request(
                f"the body is not UTF-8 (byte {exc.start})", PROTOCOL + "#query-via-post-direct"
            ) from None
        return answer(query, _dataset(args), fmt_param=args.get("format"))
    if ctype == UPDATE:
        raise errors.read_only()
    raise errors.unsupported_media_type(request.headers.get("Content-Type", ""))
