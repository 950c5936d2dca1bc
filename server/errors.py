"""One error shape for every HTTP error the server sends: JSON by default, HTML or plain text on request.

The body is `{"error": {"status", "title", "detail", "spec"}}`; `spec` links the rule being enforced, so a
client knows why it was refused (pySHACL's habit), and `detail` carries the parser's message and position
where there is one.
"""

from __future__ import annotations

import html
import json

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from foedus.errors import ApiError, FoedusError
from foedus.sparql.formats import not_acceptable as not_acceptable  # 406, raised by negotiation

PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
HTTP_SEMANTICS = "https://www.rfc-editor.org/rfc/rfc9110"


def bad_request(msg: str, spec: str = PROTOCOL + "#query-operation") -> ApiError:
    """400: the request or its query is malformed (with the parser's message and position if any)."""
    return ApiError(400, "Bad request", msg, spec)


def not_found(detail: str, spec: str = HTTP_SEMANTICS + "#status.404") -> ApiError:
    """404: no such resource, saved query, file or representation here (detail says what was looked for)."""
    return ApiError(404, "Not found", detail, spec)


def unsupported_media_type(ct: str) -> ApiError:
    """415: a POST body in a media type (or charset) the query operation does not take."""
    return ApiError(
        415,
        "Unsupported media type",
        f"cannot take a request body of type {ct or '(none)'!r}; send application/sparql-query "
        "(UTF-8) or application/x-www-form-urlencoded",
        PROTOCOL + "#query-via-post-direct",
    )


def read_only() -> ApiError:
    """403: SPARQL Update sent to the read-only query endpoint."""
    return ApiError(
        403,
        "Read-only endpoint",
        "this endpoint answers queries only; SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is refused",
        PROTOCOL + "#update-operation",
    )


def method_not_allowed(allowed: tuple[str, ...] = ("GET", "POST")) -> ApiError:
    """405: the query operation is invoked with a method other than GET or POST."""
    return ApiError(
        405,
        "Method not allowed",
        f"use one of {', '.join(allowed)}",
        PROTOCOL + "#query-operation",
        headers={"Allow": ", ".join(allowed)},
    )


def timeout(seconds: float) -> ApiError:
    """503: the query ran longer than query_timeout and was stopped; nothing of a result was sent."""
    return ApiError(
        503,
        "Query timeout",
        f"the query ran longer than {seconds:g} s and was stopped; narrow it (LIMIT, more specific "
        "patterns) or ask the operator to raise query_timeout",
        PROTOCOL + "#query-failure",
        headers={"Retry-After": "1"},
    )


def busy(retry_after: int) -> ApiError:
    """503: every query helper of this worker is busy and its queue is full (or no helper came free in time)."""
    return ApiError(
        503,
        "Server busy",
        f"every query slot is taken and the queue is full; try again in {retry_after} s",
        HTTP_SEMANTICS + "#status.503",
        headers={"Retry-After": str(retry_after)},
    )


def too_many_queries(limit: int, retry_after: int) -> ApiError:
    """429: this client already has client_query_limit queries running or queued."""
    return ApiError(
        429,
        "Too many requests",
        f"this client already has {limit} queries running or waiting (client_query_limit); wait for one to "
        "finish",
        "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        headers={"Retry-After": str(retry_after)},
    )


def forbidden_service(target: str) -> ApiError:
    """403: a SERVICE clause names an endpoint that is not on service_allowlist (refused before it runs)."""
    return ApiError(
        403,
        "Federation refused",
        f"SERVICE {target} is not on this server's service_allowlist; the query was not run",
        "https://www.w3.org/TR/sparql11-federated-query/#defn_service",
    )


def too_large(limit: int) -> ApiError:
    """413: the request is bigger than max_request_bytes."""
    return ApiError(
        413,
        "Request too large",
        f"requests are limited to {limit} bytes (max_request_bytes)",
        HTTP_SEMANTICS + "#name-413-content-too-large",
    )


def unauthorized() -> ApiError:
    """401: the update route needs the operator's bearer token."""
    return ApiError(
        401,
        "Unauthorized",
        "send the update token as `Authorization: Bearer <token>`",
        "https://www.rfc-editor.org/rfc/rfc6750",
        headers={"WWW-Authenticate": 'Bearer realm="foedus"'},
    )


def query_failed(detail: str, status: int = 500) -> ApiError:
    """500/502: the query parsed but its evaluation failed (store error, remote store or SERVICE failure)."""
    return ApiError(status, "Query failed", detail, PROTOCOL + "#query-failure")


def unanswerable(detail: str, spec: str = "https://text2sparql.aksw.org/") -> ApiError:
    """422: a question in plain words that no saved query answers with confidence (/text2sparql says why)."""
    return ApiError(422, "Question not answered", detail, spec)


def _wanted() -> str:
    """Which rendering the client asked for: json (the default), html or text."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html", "text/plain"])
    if best and request.accept_mimetypes[best] > request.accept_mimetypes["application/json"]:
        return {"text/html": "html", "text/plain": "text"}.get(best, "json")
    return "json"


def render(error: ApiError) -> Response:
    """Turn an ApiError into the response: one shape, rendered as JSON, HTML or plain text."""
    kind = _wanted()
    if kind == "html":
        e = {k: html.escape(str(v)) for k, v in error.body()["error"].items()}
        text = (
            f"<!doctype html><html lang=en><meta charset=utf-8><title>{e['status']} {e['title']}</title>"
            f"<h1>{e['status']} {e['title']}</h1><p>{e['detail']}</p>"
            f'<p>See <a href="{e["spec"]}">{e["spec"]}</a></p></html>\n'
        )
        response = Response(text, error.status, mimetype="text/html")
    elif kind == "text":
        text = f"{error.status} {error.title}\n\n{error.detail}\n\nSee {error.spec}\n"
        response = Response(text, error.status, mimetype="text/plain")
    else:
        response = Response(json.dumps(error.body()) + "\n", error.status, mimetype="application/json")
    response.headers.update(error.headers)
    response.headers["Vary"] = "Accept"
    return response


def _from_http_exception(exc: HTTPException) -> ApiError:
    """Werkzeug's own errors (404, 405, 413, ...) in our shape."""
    status = exc.code or 500
    if status == 405:
        valid = set(exc.valid_methods or ["GET", "POST"])  # type: ignore[attr-defined]
        return method_not_allowed(tuple(m for m in ("GET", "POST", "PUT", "DELETE", "PATCH") if m in valid))
    if status == 413:
        from flask import current_app

        return too_large(int(current_app.config.get("MAX_CONTENT_LENGTH") or 0))
    return ApiError(status, exc.name, exc.description or exc.name, f"{HTTP_SEMANTICS}#status.{status}")


def _from_foedus_error(exc: FoedusError) -> ApiError:
    """Any other error of the family (a parameter, a query file, a setting) in the shape, its place and hint kept."""
    if isinstance(exc, ApiError):
        return exc
    detail = f"{exc.where}: {exc.message}" if exc.where else exc.message
    if exc.hint:
        detail += f" (hint: {exc.hint})"
    return ApiError(exc.status, exc.title, detail, f"{HTTP_SEMANTICS}#status.{exc.status}")


def register(app: Flask) -> None:
    """Make every error of the app, ours (the FoedusError family) and Werkzeug's, render in the one shape."""
    app.register_error_handler(FoedusError, lambda exc: render(_from_foedus_error(exc)))
    app.register_error_handler(HTTPException, lambda exc: render(_from_http_exception(exc)))
