"""The embedded backend: the pyoxigraph store loaded at start-up, queried in this worker's killable helpers.

The store's default graph is the merge of all named graphs (store.py). Every query runs in a helper with the
timeout and row cap (query_pool.py: a few killable helpers per worker, a bounded queue, a per-client cap); the
helper writes the result in the asked format (by pyoxigraph's own writers where it can), and terms for page code
travel as SPARQL JSON (or N-Triples) parsed back by pyoxigraph. An update runs on a copy of the store, which then
replaces it; the helpers, whose copy predates the update, are replaced too.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import flask
from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    Variable,
    parse,
    parse_query_results,
)

from foedus.errors import ApiError
from foedus.server import errors
from foedus.server.backend import DataInfo, Limits, Outcome, Query, Row, Substitutions, rows_of
from foedus.server.errors import PROTOCOL
from foedus.server.query_pool import pool_for, reset_pools
from foedus.server.store import count_graphs, merge_into_default_graph
from foedus.sparql.formats import RDF_FORMATS, RESULT_FORMATS, Format
from foedus.sparql.results import NATIVE_RESULTS, write_native, write_result
from foedus.sparql.text_match import custom_functions

_POSITION = re.compile(r"error at (\d+):(\d+)")
_REMOTE_STATUS = re.compile(r"\bError ([1-5])\d\d\b")
_JSON = next(f for f in RESULT_FORMATS if f.key == "json")
_NTRIPLES = next(f for f in RDF_FORMATS if f.key == "ntriples")
_BY_KEY = {f.key: f for f in (*RESULT_FORMATS, *RDF_FORMATS)}  # the two families share no key
# The one fixed statement the update path needs: what a loaded file put into the default graph itself.
_OWN_DEFAULT = "SELECT ?s ?p ?o WHERE { { ?s ?p ?o } MINUS { GRAPH ?g { ?s ?p ?o } } }"


def remote_service_failure(message: str) -> str:
    """What a client learns of a failed SERVICE call: that it failed, and the class of the HTTP status if any.

    The engine's message carries the remote's body, its address and content type (an oracle for probing
    internal services); none of that is repeated.
    """
    status = _REMOTE_STATUS.search(message)
    if status:
        return f"the remote service failed: it answered with an HTTP {status.group(1)}xx status"
    return "the remote service failed: no usable SPARQL answer came back"


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


def _decode_substitutions(encoded: dict[str, list[Any]]) -> dict[Variable, NamedNode | Literal]:
    """The terms _encode_substitutions wrote, back as pyoxigraph terms."""
    out: dict[Variable, NamedNode | Literal] = {}
    for name, parts in encoded.items():
        if len(parts) == 1:
            out[Variable(name)] = NamedNode(parts[0])
        elif parts[2]:
            out[Variable(name)] = Literal(parts[0], language=parts[2])
        else:
            out[Variable(name)] = Literal(parts[0], datatype=NamedNode(parts[1]))
    return out


def _child_error(meta: dict[str, Any]) -> ApiError:
    message = str(meta.get("message", ""))
    if meta["error"] == "syntax":
        where = _POSITION.search(message)
        detail = f"malformed query: {message}"
        if where:
            detail += f" (line {where.group(1)}, column {where.group(2)})"
        return errors.bad_request(detail, "https://www.w3.org/TR/sparql11-query/#grammar")
    return errors.query_failed(message, int(meta.get("status", 500)))


def _answer_in_helper(backend: Any, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """What a helper runs for each request (query_pool forks helpers with a backend and this function)."""
    answer: tuple[dict[str, Any], bytes] = backend._in_helper(request)
    return answer


class EmbeddedBackend:
    """A pyoxigraph store in this process, its queries run in a killable helper with timeout and row cap."""

    mode = "embedded"

    def __init__(self, store: Store, info: DataInfo | None = None) -> None:
        self._store = store
        if info is None:  # a store handed in without a release: counted now, versioned by its identity
            graphs, default = count_graphs(store)
            info = DataInfo(f"store-{id(store):x}", datetime.now(tz=UTC).replace(microsecond=0), graphs, default)
        self._info = info

    def _evaluate(self, request: dict[str, Any]) -> Any:
        """Run a request's query on the store (in the helper): the protocol dataset replaces the merged default."""
        kwargs: dict[str, Any] = {
            "substitutions": _decode_substitutions(request["subs"]) or None,
            "base_iri": request["base"],
            "custom_functions": custom_functions(),  # fofn:match, the search box's rule (foedus/sparql/text_match.py)
        }
        if request["default"] or request["named"]:
            kwargs["default_graph"] = [NamedNode(g) for g in request["default"]]
            kwargs["named_graphs"] = [NamedNode(g) for g in request["named"]]
        return self._store.query(request["query"], **kwargs)

    def _in_helper(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """Answer one request inside the helper: the result serialised, or the error to report.

        Solutions go through pyoxigraph's own writer when the format allows and they fit under the cap; an answer
        over the cap is evaluated again and written row by row, cut at the cap (results.py).
        """
        out = io.BytesIO()
        fmt = _BY_KEY[request["fmt"]]
        try:
            result = self._evaluate(request)
            if isinstance(result, QuerySolutions) and fmt.key in NATIVE_RESULTS:
                body = write_native(result, fmt, request["max_rows"])
                if body is not None:
                    return {"truncated": False}, body
                result = self._evaluate(request)
            truncated = write_result(result, request["form"], fmt, request["max_rows"], out)
        except SyntaxError as exc:
            return {"error": "syntax", "message": str(exc)}, b""
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            if request["federated"]:
                return {"error": "service", "message": remote_service_failure(str(exc)), "status": 502}, b""
            return {"error": "evaluation", "message": f"{type(exc).__name__}: {exc}"}, b""
        return {"truncated": truncated}, out.getvalue()

    def answer(self, query: Query, fmt: Format, limits: Limits) -> Outcome:
        """Run in the helper with the timeout and row cap; the body in `fmt`; ApiError (400, 5xx) on failure."""
        request = {
            "query": query.text,
            "form": query.form,
            "fmt": fmt.key,
            "default": list(query.dataset.default_graphs),
            "named": list(query.dataset.named_graphs),
            "subs": _encode_substitutions(query.substitutions),
            "base": query.base_iri,
            "max_rows": limits.max_rows,
            "federated": query.federated,
        }
        client = flask.request.remote_addr if flask.has_request_context() else None
        raw, body = pool_for(limits.admission).run(
            self, _answer_in_helper, json.dumps(request).encode("utf-8"), limits.timeout, client
        )
        meta = json.loads(raw)
        if "error" in meta:
            raise _child_error(meta)
        return Outcome(body, fmt, bool(meta["truncated"]))

    def select(self, query: Query, limits: Limits) -> list[Row]:
        """SELECT rows as terms (the helper's SPARQL JSON parsed back by pyoxigraph)."""
        solutions = parse_query_results(self.answer(query, _JSON, limits).body, format=QueryResultsFormat.JSON)
        if not isinstance(solutions, QuerySolutions):
            raise errors.query_failed("a SELECT answered a boolean, not solutions")
        return rows_of(solutions)

    def ask(self, query: Query, limits: Limits) -> bool:
        """The boolean of an ASK."""
        answer = parse_query_results(
            self.answer(replace(query, form="ASK"), _JSON, limits).body, format=QueryResultsFormat.JSON
        )
        return isinstance(answer, QueryBoolean) and bool(answer)

    def construct(self, query: Query, limits: Limits) -> tuple[list[Triple], bool]:
        """The triples of a CONSTRUCT/DESCRIBE, capped."""
        outcome = self.answer(query, _NTRIPLES, limits)
        return [q.triple for q in parse(outcome.body, format=RdfFormat.N_TRIPLES)], outcome.truncated

    def update(self, text: str) -> None:
        """Apply an update to a copy of the store, which then replaces it (nothing changes when it fails)."""
        store = _updated_copy(self._store, text)
        graphs, default = count_graphs(store)
        self._store = store
        self._info = replace(
            self._info, graphs=graphs, default_graph_triples=default, generation=self._info.generation + 1
        )
        reset_pools()  # the helpers' copy of the store predates this update

    def info(self) -> DataInfo:
        """The data's version, time and counts (the generation counts the updates applied since start-up)."""
        return self._info


def _own_default_triples(store: Store) -> set[Triple]:
    """Triples of the default graph that no named graph states: what a loaded file put there itself (TriG)."""
    return {Triple(r["s"], r["p"], r["o"]) for r in store.query(_OWN_DEFAULT)}  # type: ignore[union-attr]


def _updated_copy(store: Store, text: str) -> Store:
    """The named graphs of `store` with the update applied, and their merge as the default graph.

    The default graph is the merge of the named graphs (store.py) plus what a loaded file put there itself; an
    update that writes into it directly is refused, since the rebuilt merge would mix what it wrote with copies
    it cannot tell apart.
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
