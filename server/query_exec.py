"""Check a SPARQL query and answer it in the current request: the path /sparql and /api/<name> share.

`prepare` refuses what must never run (updates, SERVICE off the allow-list, judged with the endpoint's IRI as
base) and negotiates the format; `answer` runs the query through the backend with the limits and returns the
response through the one conditional-answer path (http.conditional: 304, ETag, Last-Modified, Vary).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, request

from foedus.server import errors
from foedus.server.backend import Dataset, Query, Substitutions
from foedus.server.context import state
from foedus.server.federation import check_services
from foedus.server.http import conditional
from foedus.server.service_description import endpoint_url
from foedus.settings import Settings
from foedus.sparql.formats import Format, formats_for, negotiate
from foedus.sparql.lexer import inspect_query

TRUNCATED_HEADER = "Foedus-Results-Truncated"


@dataclass(frozen=True)
class Prepared:
    """A query checked and negotiated, ready to run: text, form, the chosen format, the services it calls."""

    query: str
    form: str
    fmt: Format
    services: tuple[str, ...] = ()
    base_iri: str | None = None


def prepare(
    query: str, settings: Settings, accept: str | None, fmt_param: str | None, base_iri: str | None = None
) -> Prepared:
    """Check a query before it runs: refuse updates and SERVICE off the allow-list, pick the format."""
    facts = inspect_query(query, base_iri or "")
    if facts.is_update:
        raise errors.read_only()
    allowed = set(str(settings.service_allowlist or "").split())
    services = tuple(check_services(query, facts, allowed, base_iri))
    form = facts.form or "SELECT"  # not a recognisable query: the parser will say where it goes wrong (400)
    what = "query results" if form in ("SELECT", "ASK") else "an RDF graph"
    return Prepared(query, form, negotiate(formats_for(form), accept, fmt_param, what), services, base_iri)


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
    prepared = prepare(query, st.settings, accept, fmt_param, endpoint_url())

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
