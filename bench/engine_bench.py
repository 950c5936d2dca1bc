"""Query engine bench: saved queries and a standard mix on our serving store (pyoxigraph) vs rdflib's store.

Both engines hold the same release in the same process. Each query is then run in a fork of that process (both
stores shared copy-on-write), so that a query rdflib cannot finish is stopped at a deadline instead of hanging
the bench: pyoxigraph and rdflib run one after the other in that same child, and their answers are compared
(rows as multisets of normalised terms, graphs by isomorphism) before any timing counts.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib import Variable as RdflibVariable
from rdflib.compare import isomorphic
from rdflib.term import Node

from bench.measure import PeakSampler, Timing, mib, repeat, rss_bytes, stopwatch

MIX_DIR = Path(__file__).resolve().parent / "mix"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


@dataclass(frozen=True)
class BenchQuery:
    """One query to run on both engines: name, origin (saved or mix), text, form and bound values."""

    name: str
    kind: str
    text: str
    form: str
    bindings: dict[str, ox.NamedNode | ox.Literal] = field(default_factory=dict)


@dataclass(frozen=True)
class Budget:
    """How often and how long each engine may repeat a query, and the hard deadline for the whole query."""

    ox_runs: int = 30
    ox_seconds: float = 5.0
    rdflib_runs: int = 10
    rdflib_seconds: float = 10.0
    deadline: float = 120.0

    @classmethod
    def quick(cls) -> Budget:
        """A smaller budget for --quick and the smoke test."""
        return cls(ox_runs=5, ox_seconds=1.0, rdflib_runs=2, rdflib_seconds=2.0, deadline=30.0)


def _form(text: str) -> str:
    from foedus.sparql.lexer import inspect_query

    return inspect_query(text).form or "SELECT"


def saved_queries() -> list[BenchQuery]:
    """Every saved query of the catalog, bound to the example values its header documents."""
    from foedus.queries.catalog import load_catalog

    out = []
    for q in load_catalog():
        subs = q.bind(q.example_args())
        out.append(BenchQuery(q.name, "saved", q.text, q.form, {v.value: t for v, t in subs.items()}))
    return out


def mix_queries(mix_dir: Path = MIX_DIR) -> list[BenchQuery]:
    """The standard mix (bench/mix/*.rq): lookup, joins, aggregation, paths, OPTIONAL/NOT EXISTS, ..."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(mix_dir.glob("*.rq"))}
    return [BenchQuery(name, "mix", text, _form(text)) for name, text in texts.items()]


# --- loading -----------------------------------------------------------------------------------------------


def load_oxigraph(nq: Path) -> ox.Store:
    """Our serving store: the release's N-Quads bulk-loaded into an in-memory pyoxigraph Store, as served."""
    from foedus.server.store import merge_into_default_graph

    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    merge_into_default_graph(store)  # the server's default graph: the merge of all graphs
    return store


def load_rdflib(nq: Path) -> Dataset:
    """rdflib's in-memory store with the same N-Quads; its default graph is the union, as the server's is."""
    ds = Dataset(default_union=True)
    with Path(nq).open("rb") as fh:  # rdflib leaves a file it opened itself unclosed
        ds.parse(source=fh, format="nquads")
    return ds


def measure_load(name: str, loader: Callable[[], Any], sampler: PeakSampler) -> tuple[Any, dict[str, Any]]:
    """Load one store; return it with its load time, peak RSS during the load and resident growth after it."""
    before = rss_bytes()
    sampler.mark()
    with stopwatch() as t:
        store = loader()
    peak = sampler.mark()
    after = rss_bytes()
    return store, {"engine": name, "load_s": round(t["seconds"], 3), "rss_growth_mib": mib(after - before),
                   "peak_rss_mib": mib(peak)}


# --- running and comparing ---------------------------------------------------------------------------------


def _rdflib_term(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD + "string":
            return Literal(term.value)  # rdflib reads a plain "..." without a datatype
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not a term: {term!r}")


def run_oxigraph(store: ox.Store, q: BenchQuery) -> Any:
    """Evaluate on pyoxigraph and materialise the whole answer (rows, triples or a boolean)."""
    subs = {ox.Variable(k): v for k, v in q.bindings.items()}
    result = store.query(q.text, substitutions=subs or None)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return ("rows", variables, [tuple(s[v] if _bound(s, v) else None for v in variables) for s in result])
    if isinstance(result, ox.QueryBoolean):
        return ("bool", bool(result))
    return ("graph", list(result))


def _bound(solution: Any, variable: str) -> bool:
    try:
        return solution[variable] is not None
    except KeyError:
        return False


def run_rdflib(ds: Dataset, q: BenchQuery) -> Any:
    """Evaluate on rdflib with the same bindings (initBindings) and materialise the whole answer."""
    bindings = {RdflibVariable(k): _rdflib_term(v) for k, v in q.bindings.items()}
    result = ds.query(q.text, initBindings=bindings or None)
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars or []]
        return ("rows", variables, [tuple(row) for row in result])
    if result.type == "ASK":
        return ("bool", bool(result.askAnswer))
    return ("graph", list(result))


def _literal(lexical: str, datatype: str | None, language: str | None) -> tuple[Any, ...]:
    if language:
        return ("L", lexical, RDF_LANGSTRING, language.lower())
    datatype = datatype or XSD + "string"
    if datatype in NUMERIC:
        try:
            return ("N", f"{float(Decimal(lexical)):.12g}")
        except (InvalidOperation, ValueError):
            return ("L", lexical, datatype, None)
    if datatype == XSD + "string":
        # GROUP_CONCAT order is unspecified by SPARQL 1.1: a concatenation is compared as a multiset of words.
        return ("S", " ".join(sorted(lexical.split())))
    return ("L", lexical, datatype, None)


def canon_ox(term: Any) -> tuple[Any, ...] | None:
    """A pyoxigraph term as a comparable tuple (blank nodes all alike, numbers by value)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("I", term.value)
    if isinstance(term, ox.BlankNode):
        return ("B",)
    return _literal(term.value, term.datatype.value, term.language)


def canon_rdflib(term: Any) -> tuple[Any, ...] | None:
    """An rdflib term as the same comparable tuple as canon_ox."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("I", str(term))
    if isinstance(term, BNode):
        return ("B",)
    if isinstance(term, Literal):
        return _literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    raise TypeError(f"not a term: {term!r}")


def _graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


_SAMPLE = re.compile(r"SAMPLE\s*\((?:[^()]|\([^()]*\))*\)\s*AS\s*[?$](\w+)", re.IGNORECASE)


def _rows(answer: Any, order: list[str], canon: Callable[[Any], Any], masked: set[str]) -> Counter[tuple[Any, ...]]:
    index = [answer[1].index(v) for v in order]
    return Counter(tuple(None if v in masked else canon(row[i]) for v, i in zip(order, index, strict=True))
                   for row in answer[2])


def compare(ox_answer: Any, rdflib_answer: Any, text: str = "") -> tuple[str, str]:
    """How both engines' answers agree ("exact", "as-set", "except-sample", or "" when they differ) and a note.

    "as-set": the same rows, but pyoxigraph repeats a row once per named graph holding the triple in its union
    default graph, where rdflib merges them. "except-sample": equal once SAMPLE(...) columns are ignored, which
    SPARQL lets each engine pick as it likes.
    """
    if ox_answer[0] != rdflib_answer[0]:
        return "", f"different result kinds: {ox_answer[0]} vs {rdflib_answer[0]}"
    if ox_answer[0] == "bool":
        return ("exact" if ox_answer[1] == rdflib_answer[1] else ""), f"{ox_answer[1]} vs {rdflib_answer[1]}"
    if ox_answer[0] == "graph":
        g_ox = _graph((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object))
                      for t in ox_answer[1])
        g_rd = _graph(rdflib_answer[1])
        if isomorphic(g_ox, g_rd):
            return ("exact" if len(ox_answer[1]) == len(rdflib_answer[1]) else "as-set"), ""
        return "", f"graphs differ: {len(g_ox)} vs {len(g_rd)} triples"
    if sorted(ox_answer[1]) != sorted(rdflib_answer[1]):
        return "", f"different variables: {ox_answer[1]} vs {rdflib_answer[1]}"
    order = sorted(ox_answer[1])
    sampled = set(_SAMPLE.findall(text)) & set(order)
    for how, masked in (("exact", set()), ("except-sample", sampled)):
        if how == "except-sample" and not sampled:
            continue
        ox_rows = _rows(ox_answer, order, canon_ox, masked)
        rd_rows = _rows(rdflib_answer, order, canon_rdflib, masked)
        if ox_rows == rd_rows:
            return how, ", ".join(sorted(masked))
        if set(ox_rows) == set(rd_rows):
            return ("as-set" if how == "exact" else how), ", ".join(sorted(masked))
    ox_rows = _rows(ox_answer, order, canon_ox, set())
    rd_rows = _rows(rdflib_answer, order, canon_rdflib, set())
    only_ox, only_rd = ox_rows - rd_rows, rd_rows - ox_rows
    sample = next(iter(only_ox or only_rd), ())
    example = dict(zip(order, sample, strict=False))
    return "", (f"{sum(ox_rows.values())} vs {sum(rd_rows.values())} rows; {sum(only_ox.values())} only "
                f"in pyoxigraph, {sum(only_rd.values())} only in rdflib; e.g. {example}")


def size(answer: Any) -> int:
    """Rows, triples or 1 (boolean) in an answer."""
    return 1 if answer[0] == "bool" else len(answer[-1])


# --- one query, in a fork with a deadline ------------------------------------------------------------------


def _timed(fn: Callable[[], object], first: float, runs: int, seconds: float) -> Timing:
    """Warm timings of fn, or the first run alone when that already took the whole time budget."""
    if first >= seconds:
        return Timing([first])
    return repeat(fn, max_runs=runs, max_seconds=seconds)


def _child(store: ox.Store, ds: Dataset | None, q: BenchQuery, budget: Budget, pipe: int) -> None:
    """In the forked child: check the answers, then time each engine; report one JSON line per stage."""

    def say(stage: str, **data: Any) -> None:
        os.write(pipe, (json.dumps({"stage": stage, **data}) + "\n").encode())

    with stopwatch() as ox_first:
        ox_answer = run_oxigraph(store, q)  # the warm-up run; timed alone only when it used the whole budget
    ox_timing = _timed(lambda: run_oxigraph(store, q), ox_first["seconds"], budget.ox_runs, budget.ox_seconds)
    say("oxigraph", rows=size(ox_answer), timing=ox_timing.summary())
    if ds is None:
        return
    with stopwatch() as first:
        rd_answer = run_rdflib(ds, q)
    how, note = compare(ox_answer, rd_answer, q.text)
    say("check", equal=bool(how), how=how, note=note, rows=size(rd_answer), first_s=first["seconds"])
    if how:
        # The checking run was the warm-up (rdflib builds its grammar and caches the parsed query on it).
        rd_timing = _timed(lambda: run_rdflib(ds, q), first["seconds"], budget.rdflib_runs,
                           budget.rdflib_seconds)
        say("rdflib", timing=rd_timing.summary())


def _die_with_parent() -> None:
    """Linux: have the kernel SIGKILL this forked child if the bench process dies first (no orphaned query)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def measure_query(store: ox.Store, ds: Dataset | None, q: BenchQuery, budget: Budget) -> dict[str, Any]:
    """Run one query in a fork of this process, within budget.deadline; return what each engine managed."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child leaves through os._exit
        os.close(read_end)
        _die_with_parent()
        code = 1
        try:
            _child(store, ds, q, budget, write_end)
            code = 0
        except BaseException as exc:  # noqa: BLE001 - report any failure of either engine to the parent
            os.write(write_end, (json.dumps({"stage": "error", "message": f"{type(exc).__name__}: {exc}"})
                                 + "\n").encode())
        finally:
            os._exit(code)
    os.close(write_end)
    out: dict[str, Any] = {"name": q.name, "kind": q.kind, "form": q.form}
    buffer = b""
    deadline = time.monotonic() + budget.deadline
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                timed_out = True
                break
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            buffer += chunk
    finally:
        os.close(read_end)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    for line in buffer.decode().splitlines():
        event = json.loads(line)
        out[event.pop("stage")] = event
    if timed_out:
        out["timeout_s"] = budget.deadline
    return out


def status(row: dict[str, Any], with_rdflib: bool) -> str:
    """One word for a query's outcome: equal(-as-set, -except-sample), DIFFERENT, rdflib-timeout, ..."""
    if "oxigraph" not in row:
        return "error" if "error" in row else "timeout"
    if not with_rdflib:
        return "oxigraph-only"
    if "check" not in row:
        return "rdflib-error" if "error" in row else "rdflib-timeout"
    if not row["check"]["equal"]:
        return "DIFFERENT"
    how = "equal" if row["check"]["how"] == "exact" else f"equal-{row['check']['how']}"
    return how if "rdflib" in row else "rdflib-timeout"


def bench_queries(store: ox.Store, ds: Dataset | None, queries: list[BenchQuery], budget: Budget,
                  log: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """Measure every query; log one line each."""
    rows = []
    for q in queries:
        row = measure_query(store, ds, q, budget)
        row["status"] = status(row, ds is not None)
        ox_ms = row.get("oxigraph", {}).get("timing", {}).get("median_ms")
        rd_ms = row.get("rdflib", {}).get("timing", {}).get("median_ms")
        log(f"  {q.kind:5} {q.name:36} {row['status']:14} oxigraph {ox_ms} ms  rdflib {rd_ms} ms")
        rows.append(row)
    return rows


def run(release: Path, *, quick: bool = False, with_rdflib: bool = True,
        queries: list[BenchQuery] | None = None, log: Callable[[str], None] = print) -> dict[str, Any]:
    """The engine bench on one release directory (or any foedus.nq): load both stores, then every query."""
    nq = release / "foedus.nq" if release.is_dir() else release
    budget = Budget.quick() if quick else Budget()
    queries = queries if queries is not None else saved_queries() + mix_queries()
    with PeakSampler().start() as sampler:
        store, ox_load = measure_load("pyoxigraph", lambda: load_oxigraph(nq), sampler)
        log(f"  pyoxigraph loaded {len(store)} quads in {ox_load['load_s']} s")
        loads = [ox_load]
        ds = None
        if with_rdflib:
            ds, rd_load = measure_load("rdflib", lambda: load_rdflib(nq), sampler)
            log(f"  rdflib loaded in {rd_load['load_s']} s")
            loads.append(rd_load)
    quads = len(store)
    results = bench_queries(store, ds, queries, budget, log)
    return {"release": str(nq), "quads": quads, "loads": loads, "budget": budget.__dict__, "queries": results}
