"""`/update`: SPARQL Update for the operator only, and only when update_token is set (Bearer auth).

Registered by create_app only when the operator configured a token; the query endpoint stays read-only either
way. Updates address named graphs: the default graph is their merge, rebuilt after each update. Updates run in
the worker's process without the query timeout: the operator is trusted, the public is not.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, jsonify, request

from foedus.server import errors
from foedus.server.context import state
from foedus.server.errors import PROTOCOL

bp = Blueprint("update", __name__)


def _authorised() -> None:
    token = str(state().settings.update_token or "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
        raise errors.unauthorized()


def _update_text() -> str:
    if request.mimetype == "application/sparql-update":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise errors.unsupported_media_type(f"application/sparql-update; charset={charset}")
        try:
            return request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError:
            raise errors.bad_request("the body is not UTF-8", PROTOCOL + "#update-via-post-direct") from None
    if request.mimetype == "application/x-www-form-urlencoded":
        updates = request.form.getlist("update")
        if len(updates) != 1:
            raise errors.bad_request("send exactly one `update` parameter", PROTOCOL + "#update-operation")
        return updates[0]
    raise errors.unsupported_media_type(request.headers.get("Content-Type", ""))


@bp.route("/update", methods=["POST"])
def update() -> Response:
    """Apply one SPARQL Update through the backend (a copy of the embedded store, or the remote store)."""
    _authorised()
    state().backend.update(_update_text())
    return jsonify({"status": "ok"})
