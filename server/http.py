"""HTTP manners shared by all surfaces: CORS, and the one conditional-answer path (304, ETag, Last-Modified, Vary).

Every GET representation (query results, saved queries, resource pages and their RDF, the service description,
/ontology) is answered through `conditional`: a 304 when the client's copy still holds, else the body with its
validators and `Vary: Accept` when the representation was negotiated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime

from flask import Flask, Response, request

from foedus.server.context import state

EXPOSED = "ETag, Last-Modified, Foedus-Results-Truncated, Retry-After"
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


def register(app: Flask) -> None:
    """Add CORS headers to every response of the app."""
    app.after_request(_cors)
