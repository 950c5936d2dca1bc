"""Answer a SPARQL query in the current request: the path /sparql and /api/<name> share.

query_check.prepare refuses what must never run (updates, SERVICE off the allow-list, judged with the endpoint's
IRI as base) and negotiates the format; `answer` runs the query through the backend with the limits and returns the
response through the one conditional-answer path (http.conditional: 304, ETag, Last-Modified, Vary).
"""

from __future__ import annotations

from flask import Response, request

from foedus.server.backend import Dataset, Query, Substitutions
from foedus.server.context import state
from foedus.server.http import conditional
from foedus.server.query_check import prepare_bounded
from foedus.server.service_description import endpoint_url

TRUNCATED_HEADER = "Foedus-Results-Truncated"


def answer(
    query: str,
    dataset: Dataset | None = None,
    *,
    accept: str | None = None,
    fmt_param: str | None = None,
    substitutions: Substitutions | None = None,
) -> Response:
    """Answer a query in the current request with the app's backend, limits, negotiation and HTTP caching."""
    st = state()
    accept = request.headers.get("Accept") if accept is None else accept
    # a long text is read in a killable child (query_check.py), a short one here
    prepared = prepare_bounded(query, st.settings, accept, fmt_param, endpoint_url())

    def run() -> Response:
        outcome = st.backend.answer(
            Query(
                prepared.query,
                prepared.form,
                dataset or Dataset(),
                substitutions or {},
                prepared.base_iri,
                federated=bool(prepared.services),
            ),
            prepared.fmt,
            st.limits,
        )
        response = Response(outcome.body, 200, content_type=outcome.fmt.content_type)
        if outcome.truncated:
            response.headers[TRUNCATED_HEADER] = f"max_result_rows={st.settings.max_result_rows}"
        return response

    return conditional(prepared.fmt.key, run)
