"""`/update`: SPARQL Update for the operator only, and only when update_token is set (Bearer auth).

Registered by create_app only when the operator configured a token; the query endpoint stays read-only either
way. Updates address named graphs: the default graph is their merge, rebuilt after each update. Updates run in
the worker's process without the query timeout: the operator is trusted, the public is not.
"""

from __future__ import annotations

import hmac
from dataclasses import replace

from flask import Blueprint, Response, jsonify, request
from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, Triple

from foedus.server import errors
from foedus.server.errors import PROTOCOL
from foedus.server.query_exec import EmbeddedBackend, reset_helper
from foedus.server.store import count_graphs, merge_into_default_graph

bp = Blueprint("update", __name__)


def _authorised() -> None:
    from foedus.server.app import state

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


def _own_default_triples(store: Store) -> set[Triple]:
    """Triples of the default graph that no named graph states: what a loaded file put there itself (TriG)."""
    rows = store.query("SELECT ?s ?p ?o WHERE { { ?s ?p ?o } MINUS { GRAPH ?g { ?s ?p ?o } } }")
    return {Triple(r["s"], r["p"], r["o"]) for r in rows}  # type: ignore[union-attr]


def _updated_copy(store: Store, text: str) -> Store:
    """The named graphs of `store` with the update applied, and their merge as the default graph.

    The update runs on a copy, so a malformed or refused update changes nothing. The default graph is the merge
    of the named graphs (store.py) plus what a loaded file put there itself; an update that writes into it directly
    is refused, since the rebuilt merge would mix what it wrote with copies it cannot tell apart.
    """
    own = _own_default_triples(store)
    copy = Store()
    copy.bulk_extend(q for q in store if isinstance(q.graph_name, NamedNode))
    copy.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in own)
    try:
        copy.update(text)
    except SyntaxError as exc:
        raise errors.bad_request(f"malformed update: {exc}", PROTOCOL + "#update-operation") from None
    except OSError as exc:
        raise errors.query_failed(f"the update failed: {exc}") from None
    if {q.triple for q in copy.quads_for_pattern(None, None, None, DefaultGraph())} != own:
        raise errors.bad_request(
            "the update writes into the default graph, which is the merge of the named graphs here; "
            "write into a named graph (INSERT DATA { GRAPH <…> { … } }). Nothing was changed",
            PROTOCOL + "#update-operation",
        )
    merge_into_default_graph(copy)
    return copy


@bp.route("/update", methods=["POST"])
def update() -> Response:
    """Apply one SPARQL Update to the embedded store (or forward it to the remote store); 200 {"status": "ok"}."""
    from foedus.server.app import state

    _authorised()
    text = _update_text()
    st = state()
    if st.store is not None:
        store = _updated_copy(st.store, text)
        graphs, default = count_graphs(store)
        st.store = store
        st.backend = EmbeddedBackend(store)
        if st.info is not None:
            st.info = replace(st.info, graphs=graphs, default_graph_triples=default)
        st.generation += 1
        reset_helper()  # the helper's copy of the store predates this update
    else:
        from foedus.server.remote import remote_update

        remote_update(st.settings, text)
    return jsonify({"status": "ok"})
