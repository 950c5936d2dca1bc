"""POST /validate: check an uploaded RDF document against the Foedus ontology and shapes before joining it to ours.

The document comes as the request body with its RDF media type, or as a multipart upload (field `file`; its media
type or file extension names the syntax). The report is JSON by default, Turtle (the SHACL report graph) or plain
text by Accept. A document that does not parse is a 400 naming line and column; a body over max_request_bytes is 413.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, request

from foedus.errors import SourceError
from foedus.server.errors import bad_request, too_large, unsupported_media_type
from foedus.shapes.validate import format_for_media_type, format_for_suffix, validate_bytes

bp = Blueprint("validate", __name__)

SHACL_SPEC = "https://www.w3.org/TR/shacl/#validation-report"
RENDERINGS = {"application/json": "json", "text/turtle": "turtle", "text/plain": "text"}


def _limit() -> int:
    state = current_app.extensions.get("foedus")
    settings = getattr(state, "settings", None)
    limit = getattr(settings, "max_request_bytes", None) or current_app.config.get("MAX_CONTENT_LENGTH")
    return int(limit or 1048576)


def _media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


@bp.route("/validate", methods=["POST"])
def validate() -> Response:
    """Validate the uploaded document and answer with the report (200 whether or not it conforms)."""
    limit = _limit()
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    upload = request.files.get("file") if request.mimetype == "multipart/form-data" else None
    if upload is not None:
        data = upload.read(limit + 1)
        media = _media_type(upload.mimetype)
        fmt = format_for_media_type(media) if media != "application/octet-stream" else None
        if fmt is None:
            fmt = format_for_suffix(Path(upload.filename or "").suffix)
        shown = upload.filename or media
    else:
        data = request.get_data(cache=False)
        media = _media_type(request.content_type)
        fmt = format_for_media_type(media)
        shown = media
    if len(data) > limit:
        raise too_large(limit)
    if request.mimetype == "multipart/form-data" and upload is None:
        raise bad_request("multipart upload without a `file` field", spec=SHACL_SPEC)
    if fmt is None:
        raise unsupported_media_type(shown or "(none)")
    if not data.strip():
        raise bad_request("the document is empty", spec=SHACL_SPEC)
    try:
        report = validate_bytes(data, fmt)
    except SourceError as exc:
        raise bad_request(str(exc), spec=SHACL_SPEC) from None
    best = request.accept_mimetypes.best_match(list(RENDERINGS), default="application/json")
    kind = RENDERINGS.get(best or "application/json", "json")
    body = report.render(kind)
    mimetype = {"json": "application/json", "turtle": "text/turtle", "text": "text/plain"}[kind]
    response = Response(body, 200, mimetype=mimetype)
    response.headers["Vary"] = "Accept"
    return response
