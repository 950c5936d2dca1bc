"""Check a query before it runs (`prepare`), without letting its text hold the web worker (`prepare_bounded`).

`prepare` reads the text twice before the store sees it (our tokenizer; rdflib's parser when SERVICE may appear),
and neither is linear on every input: 40 kB of `a.a.a.` took 6.7 s to reject. A text of at most
INSPECT_IN_WORKER characters is checked in the worker (its cost is bounded by its size); a longer one in a child
forked for it (`forked.call`) and killed at query_timeout (503), so no text keeps a worker past the limit that
holds for queries anyway. Saved queries and what people type stay below the threshold and pay no fork.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foedus.server import errors, forked
from foedus.server.errors import PROTOCOL
from foedus.server.federation import check_services
from foedus.settings import Settings
from foedus.sparql.formats import Format, formats_for, negotiate
from foedus.sparql.lexer import inspect_query


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


# Characters of query text checked in the worker itself; above, in a forked child with the query timeout.
INSPECT_IN_WORKER = 4096


def prepare_bounded(
    query: str, settings: Settings, accept: str | None, fmt_param: str | None, base_iri: str | None = None
) -> Prepared:
    """`prepare`, in bounded time: in the worker for a short text, else in a child killed at query_timeout."""
    if len(query) <= INSPECT_IN_WORKER:
        return prepare(query, settings, accept, fmt_param, base_iri)
    seconds = float(settings.query_timeout)
    try:
        found = forked.call(lambda: _prepare_plain(query, settings, accept, fmt_param, base_iri), seconds)
    except forked.ChildTimeout:
        raise errors.ApiError(
            503, "Query timeout",
            f"reading the query text ({len(query)} characters) took longer than {seconds:g} s (query_timeout) "
            "and was stopped; send a shorter or simpler query",
            PROTOCOL + "#query-failure", headers={"Retry-After": "1"},
        ) from None
    except forked.ChildDied:
        raise errors.query_failed("the query text could not be read (its checker stopped without an answer)") from None
    if found[0] == "error":
        status, title, detail, spec, headers = found[1:]
        raise errors.ApiError(status, title, detail, spec, headers)
    _, form, key, services = found
    fmt = next(f for f in formats_for(form) if f.key == key)
    return Prepared(query, form, fmt, tuple(services), base_iri)


def _prepare_plain(
    query: str, settings: Settings, accept: str | None, fmt_param: str | None, base_iri: str | None
) -> tuple[Any, ...]:
    """In the child: `prepare`'s outcome as plain data (pyoxigraph's format objects do not pickle)."""
    try:
        prepared = prepare(query, settings, accept, fmt_param, base_iri)
    except errors.ApiError as exc:
        return ("error", exc.status, exc.title, exc.detail, exc.spec, exc.headers)
    return ("ok", prepared.form, prepared.fmt.key, list(prepared.services))
