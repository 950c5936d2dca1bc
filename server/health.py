"""`/healthz`: is the server up and what does it serve (for load balancers and operators)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from foedus.server.context import state

bp = Blueprint("health", __name__)


@bp.route("/healthz", methods=["GET"])
def healthz() -> Response:
    """200 with mode, version and triple counts (the data is loaded before the first request)."""
    st = state()
    body: dict[str, object] = {"status": "ok", "mode": st.mode}
    if st.info is not None:
        body.update(
            version=st.info.version,
            named_graphs=len(st.info.graphs),
            triples=st.info.default_graph_triples,
        )
    else:
        body["remote_endpoint"] = st.settings.remote_endpoint
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response
