"""Run one SPARQL query with the server's limits, and answer it: the function every blueprint calls.

Queries never run in the web worker itself: they go to killable query helpers (query_pool.py), forked children
that share the loaded store and answer one query at a time; a query past query_timeout has its helper SIGKILLed
and gets a JSON 503. No byte of a 200 is sent before the result is complete. Admission to the helpers (a bounded
queue, a per-client cap) is query_pool's too.
"""

from __future__ import annotations

import io
import json
import re
import threading
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from flask import Response, has_request_context, request
from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Store, Triple, Variable

from foedus.server import errors
from foedus.server.federation import check_services
from foedus.server.formats import RDF_FORMATS, RESULT_FORMATS, Format, formats_for, negotiate
from foedus.server.query_pool import Admission, HelperPool
from foedus.server.query_text import inspect_query
from foedus.server.serialize import capped, write_boolean, write_solutions, write_triples
from foedus.settings import Settings

TRUNCATED_HEADER = "Foedus-Results-Truncated"
_POSITION = re.compile(r"error at (\d+):(\d+)")
# Bindings of variables to terms (a saved query's typed parameters), evaluated as SEP-0007 substitutions.
Substitutions = dict[Variable, NamedNode | BlankNode | Literal | Triple]


@dataclass(frozen=True)
class Dataset:
    """The protocol's RDF dataset (default-graph-uri, named-graph-uri); both empty = the server's default."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """True when the request names its own dataset, which overrides FROM / FROM NAMED in the query."""
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class Limits:
    """How long a query may run, how many rows (or triples) it may return, and who may run how many at once."""

    timeout: float
    max_rows: int
    admission: Admission = Admission()

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits the operator configured."""
        admission = Admission(int(settings.query_helpers), int(settings.query_queue),
                              int(settings.client_query_limit))
        return cls(float(settings.query_timeout), int(settings.max_result_rows), admission)


@dataclass
class Outcome:
    """A finished result: serialised body, format, row count, and whether it was cut at max_rows."""

    body: bytes
    fmt: Format
    rows: int
    truncated: bool
    extra: dict[str, Any] = field(default_factory=dict)


class Backend(Protocol):
    """Where queries are answered: the embedded store or a remote SPARQL 1.1 endpoint."""

    def run(self, query: str, form: str, dataset: Dataset, substitutions: Substitutions | None = None) -> Any:
        """Evaluate a query: a bool (ASK), QuerySolutions-like rows (SELECT) or an iterable of Triples."""
        ...


class EmbeddedBackend:
    """The pyoxigraph store loaded at start-up; its default graph is the merge of all graphs (store.py)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def run(self, query: str, form: str, dataset: Dataset, substitutions: Substitutions | None = None) -> Any:
        """Evaluate with pyoxigraph; a protocol dataset replaces the merged default graph and FROM clauses."""
        if not dataset.given:
            return self.store.query(query, substitutions=substitutions)
        return self.store.query(
            query,
            default_graph=[NamedNode(g) for g in dataset.default_graphs] or [],
            named_graphs=[NamedNode(g) for g in dataset.named_graphs],
            substitutions=substitutions,
        )


class ChildFailure(Exception):
    """A query failed inside the child: carries the error to render in the parent."""

    def __init__(self, kind: str, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status


def _write_result(result: Any, form: str, fmt: Format, max_rows: int, out: IO[bytes]) -> dict[str, Any]:
    """Serialise a result into `out`; return its row count and truncation flag."""
    if isinstance(result, bool | QueryBoolean):
        write_boolean(out, fmt, bool(result))
        return {"rows": 1, "truncated": False}
    if form == "SELECT" or isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        solutions, truncated = capped(result, max_rows)
        rows = [[_get(s, v) for v in variables] for s in solutions]
        write_solutions(out, fmt, variables, rows)
        return {"rows": len(rows), "truncated": truncated}
    triples, truncated = capped(
        (t if isinstance(t, Triple) else Triple(t.subject, t.predicate, t.object) for t in result), max_rows
    )
    write_triples(out, fmt, triples)
    return {"rows": len(triples), "truncated": truncated}


def _get(solution: Any, variable: str) -> Any:
    try:
        return solution[variable]
    except KeyError:
        return None


def _format_by_key(key: str) -> Format:
    return next(f for f in (*RESULT_FORMATS, *RDF_FORMATS) if f.key == key)


def _encode_substitutions(substitutions: Substitutions) -> dict[str, list[str | None]]:
    """Substitutions as JSON for the pipe: an IRI as [iri], a literal as [value, datatype, language]."""
    encoded: dict[str, list[str | None]] = {}
    for var, term in substitutions.items():
        if isinstance(term, NamedNode):
            encoded[var.value] = [term.value]
        elif isinstance(term, Literal):
            encoded[var.value] = [term.value, term.datatype.value, term.language]
        else:
            raise TypeError(f"?{var.value}: only IRIs and literals can be bound for the query helper")
    return encoded


def _decode_substitutions(encoded: dict[str, list[Any]]) -> Substitutions:
    """The terms _encode_substitutions wrote, back as pyoxigraph terms."""
    out: Substitutions = {}
    for name, parts in encoded.items():
        if len(parts) == 1:
            out[Variable(name)] = NamedNode(parts[0])
        elif parts[2]:
            out[Variable(name)] = Literal(parts[0], language=parts[2])
        else:
            out[Variable(name)] = Literal(parts[0], datatype=NamedNode(parts[1]))
    return out


def _answer_one(backend: Backend, request_: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Run one query inside the helper; the result serialised, or the error to report."""
    fmt = _format_by_key(request_["fmt"])
    dataset = Dataset(tuple(request_["default"]), tuple(request_["named"]))
    substitutions = _decode_substitutions(request_["subs"]) or None
    out = io.BytesIO()
    try:
        result = backend.run(request_["query"], request_["form"], dataset, substitutions)
        meta = _write_result(result, request_["form"], fmt, int(request_["max_rows"]), out)
    except SyntaxError as exc:
        return {"error": "syntax", "message": str(exc)}, b""
    except ChildFailure as exc:
        return {"error": exc.kind, "message": exc.message, "status": exc.status}, b""
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        if request_.get("federated"):
            return {"error": "service", "message": remote_service_failure(str(exc)), "status": 502}, b""
        return {"error": "evaluation", "message": f"{type(exc).__name__}: {exc}"}, b""
    return meta, out.getvalue()


_REMOTE_STATUS = re.compile(r"\bError ([1-5])\d\d\b")


def remote_service_failure(message: str) -> str:
    """What a client learns of a failed SERVICE call: that it failed, and the class of the HTTP status if any.

    The engine's message carries the remote's body, its address and content type (an oracle for probing
    internal services); none of that is repeated.
    """
    status = _REMOTE_STATUS.search(message)
    if status:
        return f"the remote service failed: it answered with an HTTP {status.group(1)}xx status"
    return "the remote service failed: no usable SPARQL answer came back"


# One pool of helpers per process and admission policy (tests build apps with different settings in one
# process). After gunicorn forks a worker, the pool it inherited from the master starts afresh (query_pool).
_pools: dict[Admission, HelperPool] = {}
_pools_lock = threading.Lock()


def pool_for(limits: Limits) -> HelperPool:
    """This process's helper pool for these limits' admission policy."""
    return _pool(limits.admission)


def _pool(admission: Admission) -> HelperPool:
    with _pools_lock:
        return _pools.setdefault(admission, HelperPool(admission))


def reset_helper() -> None:
    """Stop this worker's query helpers (after an update made their copy of the store stale)."""
    with _pools_lock:
        pools = list(_pools.values())
    for pool in pools:
        pool.reset()


def execute(
    backend: Backend,
    query: str,
    form: str,
    fmt: Format,
    dataset: Dataset,
    limits: Limits,
    substitutions: Substitutions | None = None,
    *,
    federated: bool = False,
) -> Outcome:
    """Run a query in the killable helper with the timeout and row cap; ApiError (400, 5xx) when it fails.

    `federated` (the query calls an allowed SERVICE) makes an evaluation failure a 502 that names only the status
    class of the remote answer: the remote's body, address and content type never reach the client.

    Helpers are forked once per backend and kept: per-request values travel in the request (the dataset,
    `substitutions`), never in a backend of their own, which would cost a fresh helper per query.
    """
    request_ = {
        "query": query,
        "form": form,
        "fmt": fmt.key,
        "default": list(dataset.default_graphs),
        "named": list(dataset.named_graphs),
        "subs": _encode_substitutions(substitutions or {}),
        "max_rows": limits.max_rows,
        "federated": federated,
    }
    encoded = json.dumps(request_).encode("utf-8")
    client = request.remote_addr if has_request_context() else None
    parts = _pool(limits.admission).run(backend, _answer_one, encoded, limits.timeout, client)
    meta: dict[str, Any] = json.loads(parts[0])
    if "error" in meta:
        raise _child_error(meta)
    return Outcome(parts[1], fmt, int(meta["rows"]), bool(meta["truncated"]))


def _child_error(meta: dict[str, Any]) -> errors.ApiError:
    message = str(meta.get("message", ""))
    if meta["error"] == "syntax":
        where = _POSITION.search(message)
        detail = f"malformed query: {message}"
        if where:
            detail += f" (line {where.group(1)}, column {where.group(2)})"
        return errors.bad_request(detail, "https://www.w3.org/TR/sparql11-query/#grammar")
    if meta["error"] == "remote" and int(meta.get("status", 502)) == 400:
        return errors.bad_request(f"the remote store refused the query: {message}")
    return errors.query_failed(message, int(meta.get("status", 500)))


@dataclass(frozen=True)
class Prepared:
    """A query checked and negotiated, ready to run: text, form, the chosen format, the services it calls."""

    query: str
    form: str
    fmt: Format
    services: tuple[str, ...] = ()


def prepare(query: str, settings: Settings, accept: str | None, fmt_param: str | None) -> Prepared:
    """Check a query before it runs: refuse updates and SERVICE off the allow-list, pick the format."""
    facts = inspect_query(query)
    if facts.is_update:
        raise errors.read_only()
    services = tuple(check_services(query, facts, set(str(settings.service_allowlist or "").split())))
    if facts.form is None:
        # Not a recognisable query: let the parser say where it goes wrong (400 with its position).
        fmt = negotiate(formats_for("SELECT"), accept, fmt_param, "query results")
        return Prepared(query, "SELECT", fmt, services)
    what = "query results" if facts.form in ("SELECT", "ASK") else "an RDF graph"
    return Prepared(query, facts.form, negotiate(formats_for(facts.form), accept, fmt_param, what), services)


def answer(
    query: str,
    dataset: Dataset | None = None,
    *,
    accept: str | None = None,
    fmt_param: str | None = None,
    substitutions: Substitutions | None = None,
) -> Response:
    """Answer a query in the current request with the app's backend, limits, negotiation and HTTP caching."""
    from foedus.server.app import state
    from foedus.server.http import check_not_modified, set_validators

    st = state()
    accept = request.headers.get("Accept") if accept is None else accept
    from foedus.server.query_check import prepare_bounded

    prepared = prepare_bounded(query, st.settings, accept, fmt_param)  # a long text is read in a killable child
    cacheable = request.method in ("GET", "HEAD")
    if cacheable:
        not_modified = check_not_modified(prepared.fmt.key)
        if not_modified is not None:
            return not_modified
    outcome = execute(
        st.backend,
        prepared.query,
        prepared.form,
        prepared.fmt,
        dataset or Dataset(),
        Limits.from_settings(st.settings),
        substitutions,
        federated=bool(prepared.services),
    )
    response = Response(outcome.body, 200, content_type=outcome.fmt.content_type)
    response.headers["Vary"] = "Accept"
    if outcome.truncated:
        response.headers[TRUNCATED_HEADER] = f"max_result_rows={st.settings.max_result_rows}"
    if cacheable:
        set_validators(response, prepared.fmt.key)
    return response
