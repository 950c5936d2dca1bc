"""HTTP manners shared by all surfaces: CORS, ETag / Last-Modified from the release version (304s), a bounded
request body whatever its transfer encoding, and the security headers every response carries (CSP, nosniff,
no framing, Referrer-Policy)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, request

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


def _validators(variant: str) -> tuple[str, str] | None:
    """ETag and Last-Modified of the current data in one representation; None when unknown (remote mode)."""
    from foedus.server.app import state

    st = state()
    if st.info is None:
        return None
    etag = f'"{st.info.version}.{st.generation}.{variant}"'
    stamp = st.info.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return etag, stamp


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def check_not_modified(variant: str) -> Response | None:
    """A 304 when the client's If-None-Match / If-Modified-Since still holds for this data, else None."""
    from foedus.server.app import state

    found = _validators(variant)
    if found is None:
        return None
    etag, stamp = found
    inm = request.headers.get("If-None-Match")
    fresh = False
    if inm is not None:
        fresh = _etag_matches(inm, etag)
    elif request.headers.get("If-Modified-Since"):
        try:
            since = parsedate_to_datetime(request.headers["If-Modified-Since"])
            info = state().info
            fresh = info is not None and since.tzinfo is not None and info.last_modified <= since
        except (TypeError, ValueError):
            fresh = False
    if not fresh:
        return None
    response = Response(status=304)
    set_validators(response, variant)
    response.headers["Vary"] = "Accept"
    return response


def set_validators(response: Response, variant: str) -> None:
    """Put ETag and Last-Modified on a response (none in remote mode: the data's version is unknown)."""
    found = _validators(variant)
    if found is not None:
        response.headers["ETag"], response.headers["Last-Modified"] = found


def _cors(response: Response) -> Response:
    from foedus.server.app import state

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
        from foedus.server.app import state

        raise too_large(int(state().settings.max_request_bytes))


def content_security_policy(public_base_url: str | None) -> str:
    """The CSP: our origin only, and for fetches also public_base_url's (the query page posts to the endpoint there)."""
    connect = "'self'"
    if public_base_url:
        parts = urlsplit(public_base_url)
        connect += f" {parts.scheme}://{parts.netloc}"
    return CSP.format(connect=connect)


def _security_headers(response: Response) -> Response:
    from foedus.server.app import state

    response.headers.setdefault("Content-Security-Policy", content_security_policy(state().settings.public_base_url))
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    """Bound every request body; add CORS and the security headers to every response of the app."""
    limit = int(app.extensions["foedus"].settings.max_request_bytes)
    app.wsgi_app = BoundedBody(app.wsgi_app, limit)  # type: ignore[method-assign]
    app.before_request(_refuse_too_large)
    app.after_request(_cors)
    app.after_request(_security_headers)
