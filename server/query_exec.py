"""Run one SPARQL query with the server's limits, and answer it: the function every blueprint calls.

Each query runs in a forked child that serialises the whole (capped) result into a temporary file; the parent
waits at most query_timeout, then SIGKILLs the child, because pyoxigraph cannot cancel a running query and
ignores signals. So a runaway query frees its worker and gets a JSON 503, and no byte of a 200 is ever sent
before the result is complete. Forking costs a few milliseconds; the child shares the loaded store copy-on-
write.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import tempfile
import time
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from flask import Response, request
from foedus.server import errors
from foedus.server.formats import Format, formats_for, negotiate
from foedus.server.query_text import inspect_query
from foedus.server.serialize import capped, write_boolean, write_solutions, write_triples
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store, Triple

from foedus.settings import Settings

TRUNCATED_HEADER = "Foedus-Results-Truncated"
_POSITION = re.compile(r"error at (\d+):(\d+)")


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
    """How long a query may run and how many rows (or triples) it may return."""

    timeout: float
    max_rows: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits the operator configured."""
        return cls(float(settings.query_timeout), int(settings.max_result_rows))


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

    def run(self, query: str, form: str, dataset: Dataset) -> Any:
        """Evaluate a query: a bool (ASK), QuerySolutions-like rows (SELECT) or an iterable of Triples."""
        ...


class EmbeddedBackend:
    """The pyoxigraph store loaded at start-up; its default graph is the union of all graphs."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def run(self, query: str, form: str, dataset: Dataset) -> Any:
        """Evaluate with pyoxigraph; a protocol dataset replaces the union default graph and FROM clauses."""
        if not dataset.given:
            return self.store.query(query, use_default_graph_as_union=True)
        return self.store.query(
            query,
            default_graph=[NamedNode(g) for g in dataset.default_graphs] or [],
            named_graphs=[NamedNode(g) for g in dataset.named_graphs],
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


def _child(
    backend: Backend,
    query: str,
    form: str,
    fmt: Format,
    dataset: Dataset,
    max_rows: int,
    out: IO[bytes],
    pipe: int,
) -> None:
    """The forked child: run, serialise into `out`, report a JSON line on `pipe`, and never return."""
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            meta = _write_result(backend.run(query, form, dataset), form, fmt, max_rows, out)
            out.flush()
        except SyntaxError as exc:
            meta = {"error": "syntax", "message": str(exc)}
        except ChildFailure as exc:
            meta = {"error": exc.kind, "message": exc.message, "status": exc.status}
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            meta = {"error": "evaluation", "message": f"{type(exc).__name__}: {exc}"}
        os.write(pipe, json.dumps(meta).encode("utf-8"))
        status = 0
    finally:
        os._exit(status)


def _read_meta(pipe: int, pid: int, deadline: float, seconds: float) -> dict[str, Any]:
    """Wait for the child's report until the deadline; on timeout SIGKILL the child and raise the 503."""
    data = b""
    while True:
        left = deadline - time.monotonic()
        ready = select.select([pipe], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise errors.timeout(seconds)
        chunk = os.read(pipe, 65536)
        if not chunk:
            break
        data += chunk
    os.waitpid(pid, 0)
    if not data:
        raise errors.query_failed("the query worker died before it could answer")
    meta: dict[str, Any] = json.loads(data)
    return meta


def execute(
    backend: Backend, query: str, form: str, fmt: Format, dataset: Dataset, limits: Limits
) -> Outcome:
    """Run a query in a killable child with the timeout and row cap; ApiError (400, 5xx) when it fails."""
    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile(prefix="foedus-result-") as out:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child always leaves through os._exit
            os.close(read_end)
            _child(backend, query, form, fmt, dataset, limits.max_rows, out, write_end)
        os.close(write_end)
        try:
            meta = _read_meta(read_end, pid, time.monotonic() + limits.timeout, limits.timeout)
        finally:
            os.close(read_end)
        if "error" in meta:
            raise _child_error(meta)
        out.seek(0)
        body = out.read()
    return Outcome(body, fmt, int(meta["rows"]), bool(meta["truncated"]))


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
    """A query checked and negotiated, ready to run: text, form and the chosen format."""

    query: str
    form: str
    fmt: Format


def prepare(query: str, settings: Settings, accept: str | None, fmt_param: str | None) -> Prepared:
    """Check a query before it runs: refuse updates and SERVICE off the allow-list, pick the format."""
    facts = inspect_query(query)
    if facts.is_update:
        raise errors.read_only()
    allowed = set(str(settings.service_allowlist or "").split())
    if facts.variable_service:
        raise errors.forbidden_service("?variable (a SERVICE target must be a fixed IRI on the allow-list)")
    for target in facts.services:
        if target not in allowed:
            raise errors.forbidden_service(f"<{target}>")
    if facts.form is None:
        # Not a recognisable query: let the parser say where it goes wrong (400 with its position).
        return Prepared(query, "SELECT", negotiate(formats_for("SELECT"), accept, fmt_param, "query results"))
    what = "query results" if facts.form in ("SELECT", "ASK") else "an RDF graph"
    return Prepared(query, facts.form, negotiate(formats_for(facts.form), accept, fmt_param, what))


def answer(
    query: str, dataset: Dataset | None = None, *, accept: str | None = None, fmt_param: str | None = None
) -> Response:
    """Answer a query in the current request with the app's backend, limits, negotiation and HTTP caching."""
    from foedus.server.app import state
    from foedus.server.http import check_not_modified, set_validators

    st = state()
    accept = request.headers.get("Accept") if accept is None else accept
    prepared = prepare(query, st.settings, accept, fmt_param)
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
    )
    response = Response(outcome.body, 200, content_type=outcome.fmt.content_type)
    response.headers["Vary"] = "Accept"
    if outcome.truncated:
        response.headers[TRUNCATED_HEADER] = f"max_result_rows={st.settings.max_result_rows}"
    if cacheable:
        set_validators(response, prepared.fmt.key)
    return response
