"""`/search?q=`: the label index answered as a page or as JSON (the autocompletion of the search boxes and YASGUI).

JSON comes with `format=json` or an `Accept` that prefers application/json; `kind=` (repeatable) keeps only some
kinds of entity (state, alliance, treaty, organisation, instrument, class, property...), `limit=` caps the answer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from foedus.server import errors
from foedus.server.describe import curie, href
from foedus.server.label_index import Hit, label_index

bp = Blueprint("search", __name__)
MAX_QUERY = 200
MAX_LIMIT = 200
HTTP_400 = "https://www.rfc-editor.org/rfc/rfc9110#status.400"
FIELD_WORDS = {
    "label": "name",
    "alias": "other name",
    "code": "code",
    "wikidata": "Wikidata item",
    "close-wikidata": "Wikidata item of a predecessor",
}


def hit_json(hit: Hit) -> dict[str, Any]:
    """One answer as JSON: what it is, which name matched and how, when it existed, its codes."""
    e = hit.entity
    return {
        "iri": e.iri,
        "href": href(e.iri),
        "curie": curie(e.iri),
        "name": e.name,
        "kind": e.kind,
        "matched": hit.name.text,
        "field": hit.name.field,
        "how": hit.how,
        "score": round(hit.score, 1),
        "period": e.period_text(),
        "codes": e.codes,
    }


def _limit(default: int) -> int:
    raw = request.args.get("limit", "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise errors.bad_request(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {raw!r}", HTTP_400)
    return int(raw)


def wants_json() -> bool:
    """format=json, or an Accept header that ranks application/json above text/html."""
    if request.args.get("format"):
        return request.args["format"] == "json"
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.route("/search", methods=["GET"])
def search() -> Response | str:
    """The resources whose names match the words typed (whole words or their starts, any order), best first."""
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY:
        raise errors.bad_request(f"q is {len(q)} characters long; at most {MAX_QUERY}", HTTP_400)
    kinds = request.args.getlist("kind") or None
    as_json = wants_json()
    hits = label_index().search(q, kinds=kinds, limit=_limit(10 if as_json else 100)) if q else []
    if as_json:
        return jsonify({"query": q, "results": [hit_json(h) for h in hits]})
    return render_template("search.html", q=q, results=[hit_json(h) | {"field_word": FIELD_WORDS[h.name.field]}
                                                         for h in hits])
