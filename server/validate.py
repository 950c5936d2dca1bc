"""POST /validate: check an uploaded RDF document against the Foedus ontology and shapes before joining it to ours.

The document comes as the request body with its RDF media type, or as a multipart upload (field `file`; its media
type or file extension names the syntax). The report is JSON by default, Turtle (the SHACL report graph) or plain
text by Accept, and always says how many triples it read. A document that does not parse is a 400 naming line and
column; a body over max_request_bytes is 413 (chunked or not).

Uploads are untrusted: an RDF/XML document with a DTD is refused before any parser expands its entities (the
"billion laughs"), and parsing and validation run in a forked child that is killed at query_timeout (503), so
neither a slow document nor a crashing parser holds or kills the web worker.
"""

from __future__ import annotations

import xml.sax
from pathlib import Path

import pyoxigraph as ox
from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from flask import Blueprint, Response, current_app, request

from foedus.errors import SourceError, location
from foedus.server import forked
from foedus.server.errors import ApiError, bad_request, too_large, unsupported_media_type
from foedus.shapes.validate import format_for_media_type, format_for_suffix, prepare_validation, validate_bytes

bp = Blueprint("validate", __name__)

SHACL_SPEC = "https://www.w3.org/TR/shacl/#validation-report"
XML_DTD_SPEC = "https://www.w3.org/TR/xml/#dt-doctype"
RENDERINGS = {"application/json": "json", "text/turtle": "turtle", "text/plain": "text"}


def _setting(name: str, fallback: float) -> float:
    state = current_app.extensions.get("foedus")
    value = getattr(getattr(state, "settings", None), name, None)
    return float(value) if value else fallback


def _limit() -> int:
    return int(_setting("max_request_bytes", float(current_app.config.get("MAX_CONTENT_LENGTH") or 1048576)))


def refuse_dtd(data: bytes) -> None:
    """400 for an RDF/XML upload with a DTD (its entities could expand without bound) or that is not XML.

    defusedxml's expat reader stops at the `<!DOCTYPE`, before a single entity is declared, let alone expanded;
    it reads the same bytes the RDF/XML parser will, so a document it cannot read as XML is refused too.
    """
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(xml.sax.handler.ContentHandler())
    try:
        parser.feed(data)
        parser.close()
    except DefusedXmlException:
        where = location("upload", parser.getLineNumber(), (parser.getColumnNumber() or 0) + 1)
        raise bad_request(
            f"{where}: a DTD (<!DOCTYPE ...>) is not accepted in uploads: its entities can expand without bound; "
            "write the IRIs in full, or send Turtle", XML_DTD_SPEC,
        ) from None
    except xml.sax.SAXParseException as exc:
        where = location("upload", exc.getLineNumber(), (exc.getColumnNumber() or 0) + 1)
        raise bad_request(f"{where}: not well-formed XML: {exc.getMessage()}", SHACL_SPEC) from None
    except LookupError as exc:  # expat knows no such encoding (and the RDF/XML parser may guess instead)
        raise bad_request(f"upload:1: not readable XML: {exc}", SHACL_SPEC) from None


def _report(data: bytes, fmt: ox.RdfFormat, kind: str) -> tuple[bool, str]:
    """In the child: (True, the rendered report) or (False, the parse error naming its place)."""
    try:
        return True, validate_bytes(data, fmt).render(kind)
    except SourceError as exc:
        return False, str(exc)


def _validate_in_child(data: bytes, fmt: ox.RdfFormat, kind: str) -> str:
    """The rendered report, computed in a forked child killed at query_timeout."""
    seconds = _setting("query_timeout", 20.0)
    prepare_validation()  # shapes and ontology parsed once here, inherited by every child
    try:
        ok, text = forked.call(lambda: _report(data, fmt, kind), seconds)
    except forked.ChildTimeout:
        raise ApiError(
            503, "Validation timeout",
            f"parsing and validating the upload took longer than {seconds:g} s and was stopped; send a smaller "
            "document or ask the operator to raise query_timeout",
            SHACL_SPEC, headers={"Retry-After": "1"},
        ) from None
    except forked.ChildDied:
        raise ApiError(
            500, "Validation failed", "the validation stopped without an answer (the document broke the parser)",
            SHACL_SPEC,
        ) from None
    if not ok:
        raise bad_request(text, spec=SHACL_SPEC)
    return text


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
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_dtd(data)
    best = request.accept_mimetypes.best_match(list(RENDERINGS), default="application/json")
    kind = RENDERINGS.get(best or "application/json", "json")
    body = _validate_in_child(data, fmt, kind)
    mimetype = {"json": "application/json", "turtle": "text/turtle", "text": "text/plain"}[kind]
    response = Response(body, 200, mimetype=mimetype)
    response.headers["Vary"] = "Accept"
    return response
