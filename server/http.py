"""HTTP manners shared by all surfaces: CORS, and ETag / Last-Modified from the release version (304s)."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from flask import Flask, Response, request

EXPOSED = "ETag, Last-Modified, Foedus-Results-Truncated, Retry-After"


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


def register(app: Flask) -> None:
    """Add CORS headers to every response of the app."""
    app.after_request(_cors)
