"""HTTP manners shared by all surfaces: CORS, the one conditional-answer path (304, ETag, Last-Modified, Vary), a
bounded request body whatever its transfer encoding, and the security headers every response carries (CSP,
nosniff, no framing, Referrer-Policy).

Every GET representation (query results, saved queries, resource pages and their RDF, the service description,
/ontology) is answered through `conditional`: a 304 when the client's copy still holds, else the body with its
validators and `Vary: Accept` when the representation was negotiated.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, request

from foedus.server.context import state

EXPOSED = "ETag, Last-Modified, Foedus-Results-Truncated, Retry-After"
# On every response. Pages load only our own scripts (YASGUI, vis-*, Chart.js are served from /vendor/); styles may
# be inline because vis-network, YASGUI and pyLODE's documentation write them; images and fonts may be data: URIs
# (YASGUI's and vis-network's icons). No page may be framed (clickjacking) and none leaks its URL, a query in it,
# to another site.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src {connect}; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Set on the WSGI environ when a chunked body went past max_request_bytes; the request is then answered 413.
TOO_LARGE = "foedus.body_too_large"
# How much of an over-long chunked body is read and dropped so that the client gets to read its 413 (closing the
# socket with unread data makes the kernel reset the connection, and the answer with it); past this we close.
DRAIN_FACTOR = 16
# The version a representation is validated by: an ETag stem and a modification time (None: no Last-Modified).
Version = tuple[str, datetime | None]


def data_version() -> Version | None:
    """The served data's version (release version and update generation) and time; None when it is unknown."""
    info = state().info
    if info is None:
        return None
    return f"{info.version}.{info.generation}", info.last_modified


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def _fresh(etag: str, modified: datetime | None) -> bool:
    """True when the request's If-None-Match (or, without it, If-Modified-Since) says the client's copy holds."""
    inm = request.headers.get("If-None-Match")
    if inm is not None:
        return _etag_matches(inm, etag)
    since_header = request.headers.get("If-Modified-Since")
    if not since_header or modified is None:
        return False
    try:
        since = parsedate_to_datetime(since_header)
    except (TypeError, ValueError):
        return False
    return since.tzinfo is not None and modified <= since


def conditional(
    variant: str, make: Callable[[], Response], *, negotiated: bool = True, version: Version | None = None
) -> Response:
    """Answer a GET/HEAD representation: 304 without calling `make` when the client's copy holds, else make().

    `variant` names the representation (its format key) within the version, which is the data's unless given
    (the ontology's file is versioned by its bytes). `negotiated` adds `Vary: Accept`. Other methods get make()
    with no validators.
    """
    response: Response
    found = (version or data_version()) if request.method in ("GET", "HEAD") else None
    etag = f'"{found[0]}.{variant}"' if found else ""
    if found and _fresh(etag, found[1]):
        response = Response(status=304)
    else:
        response = make()
        if response.status_code != 200:
            found = None
    if found:
        response.headers["ETag"] = etag
        if found[1] is not None:
            response.headers["Last-Modified"] = found[1].strftime("%a, %d %b %Y %H:%M:%S GMT")
    if negotiated:
        response.vary.add("Accept")
    return response


def _cors(response: Response) -> Response:
    origins = str(state().settings.cors_origins or "").split()
    origin = request.headers.get("Origin")
    if "*" in origins:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin and origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    else:
        return response
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = (
            "Accept, Content-Type, Authorization, If-None-Match"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


class BoundedBody:
    """WSGI middleware: read a chunked body (no Content-Length) up to `limit` bytes and hand the app an ordinary
    Content-Length body; a longer one is marked TOO_LARGE for a 413.

    Without it Werkzeug reads a chunked body only up to max_content_length and silently stops there, so a 3 MiB
    query became "malformed at 1:1048577" and an upload was validated on its first MiB.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int) -> None:
        self.app, self.limit = app, limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            data, over = _read_at_most(environ["wsgi.input"], self.limit)
            if over:
                environ[TOO_LARGE] = True
                data = b""
            environ["wsgi.input"] = io.BytesIO(data)
            environ["CONTENT_LENGTH"] = str(len(data))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.pop("wsgi.input_terminated", None)
        return self.app(environ, start_response)


def _read_at_most(stream: Any, limit: int) -> tuple[bytes, bool]:
    """The body if it has at most `limit` bytes, else (b"", True) after dropping a bounded amount of the rest."""
    data = bytearray()
    while len(data) <= limit:
        chunk = stream.read(min(65536, limit + 1 - len(data)))
        if not chunk:
            return bytes(data), False
        data += chunk
    dropped = 0
    while dropped < DRAIN_FACTOR * limit and (chunk := stream.read(65536)):
        dropped += len(chunk)
    return b"", True


def _refuse_too_large() -> None:
    """Answer 413 for a chunked body BoundedBody found too long (before any route reads it)."""
    from foedus.server.errors import too_large

    if request.environ.get(TOO_LARGE):
        raise too_large(int(state().settings.max_request_bytes))


def content_security_policy(public_base_url: str | None) -> str:
    """The CSP: our origin only, and for fetches also public_base_url's (the query page posts to the endpoint there)."""
    connect = "'self'"
    if public_base_url:
        parts = urlsplit(public_base_url)
        connect += f" {parts.scheme}://{parts.netloc}"
    return CSP.format(connect=connect)


def framable(response: Response) -> Response:
    """Let any site frame this response: a reconciliation preview is shown in its client's iframe (OpenRefine runs
    on another origin). Everything else of the CSP stays; X-Frame-Options, which cannot say "anyone", is left out."""
    policy = content_security_policy(state().settings.public_base_url)
    response.headers["Content-Security-Policy"] = policy.replace("frame-ancestors 'none'", "frame-ancestors *")
    return response


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", content_security_policy(state().settings.public_base_url))
    for name, value in SECURITY_HEADERS.items():
        if name == "X-Frame-Options" and "frame-ancestors *" in response.headers["Content-Security-Policy"]:
            continue  # framable(): framing allowed on purpose
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    """Bound every request body; add CORS and the security headers to every response of the app."""
    limit = int(app.extensions["foedus"].settings.max_request_bytes)
    app.wsgi_app = BoundedBody(app.wsgi_app, limit)  # type: ignore[method-assign]
    app.before_request(_refuse_too_large)
    app.after_request(_cors)
    app.after_request(_security_headers)
