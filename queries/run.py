"""Run saved queries in process: typed binding, class checks, and `foedus query` output (table, csv, json).

The HTTP API runs the same binding through the server's killable query worker (server/api.py); both refuse a
value before the query runs, so a bad or hostile value never reaches the SPARQL engine as text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Triple, Variable

from foedus.errors import FoedusError
from foedus.queries.catalog import Catalog, ParamError, SavedQuery
from foedus.sparql.formats import RESULT_FORMATS
from foedus.sparql.results import write_solutions
from foedus.vocab import PREFIXES

Term = NamedNode | BlankNode | Literal | Triple


class UnknownQuery(FoedusError):
    """A request named a saved query that does not exist."""


def find(catalog: Catalog, name: str) -> SavedQuery:
    """The saved query of that name, or UnknownQuery listing the names there are."""
    saved = catalog.get(name)
    if saved is None:
        raise UnknownQuery(f"no saved query named {name!r}; saved queries: {', '.join(catalog.queries)}",
                           where=name, hint="`foedus query list` lists them with their parameters")
    return saved


def check_classes(is_a: Callable[[NamedNode, str], bool], saved: SavedQuery, subs: Mapping[Variable, Any]) -> None:
    """Refuse an IRI parameter whose value is not an instance of its declared class (or a subclass).

    `is_a(value, class IRI)` asks the data (an ASK through the server's backend, embedded or remote).
    """
    for p in saved.params:
        value = subs.get(p.variable)
        if p.cls is not None and isinstance(value, NamedNode) and not is_a(value, p.cls):
            raise ParamError(p.name, f"<{value.value}> is not a {compact(p.cls)} in this release "
                             f"(e.g. {p.example})")


def rows_of(result: Any) -> tuple[list[str], list[list[Term | None]]]:
    """Variables and rows of a result; ASK gives one `boolean` column, CONSTRUCT subject/predicate/object."""
    if isinstance(result, bool | QueryBoolean):
        return ["boolean"], [[Literal("true" if bool(result) else "false",
                                      datatype=NamedNode(PREFIXES["xsd"] + "boolean"))]]
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        return variables, [[_get(s, v) for v in variables] for s in result]
    return ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in result]


def _get(solution: Any, variable: str) -> Term | None:
    try:
        value: Term | None = solution[variable]
    except KeyError:
        return None
    return value


def compact(iri: str) -> str:
    """An IRI as prefix:local when a known prefix covers it (for people reading a table), else the IRI."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return f"<< {_cell(term.subject)} {_cell(term.predicate)} {_cell(term.object)} >>"


def render_table(variables: list[str], rows: list[list[Term | None]]) -> str:
    """A plain aligned text table with a row count, for people at a terminal."""
    cells = [[_cell(t) for t in row] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def render(result: Any, fmt: str) -> str:
    """The result as text: `table` for people, `csv` (SPARQL 1.1 CSV) or `json` (SPARQL 1.1 JSON results)."""
    variables, rows = rows_of(result)
    if fmt == "table":
        return render_table(variables, rows)
    if fmt not in ("csv", "json"):
        raise FoedusError(f"unknown format {fmt!r}; use table, csv or json", where="--format")
    out = io.BytesIO()
    write_solutions(out, next(f for f in RESULT_FORMATS if f.key == fmt), variables, rows)
    text = out.getvalue().decode("utf-8")
    if fmt == "json":
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    return text.rstrip("\n")


def describe_catalog(catalog: Catalog) -> str:
    """One paragraph per saved query: name, title, parameters with type and example (`foedus query list`)."""
    parts = []
    for q in catalog:
        lines = [f"{q.name}: {q.title}"]
        for p in q.params:
            extra = f", default {p.default}" if p.default is not None else ", optional" if p.optional else ""
            lines.append(f"    --param {p.name}=<{p.type}{extra}>  e.g. {p.name}={p.example}")
        parts.append("\n".join(lines))
    return "\n".join(parts)


def parse_params(params: list[str]) -> dict[str, str]:
    """`key=value` strings from the command line into a mapping; a repeated or malformed one is an error."""
    given: dict[str, str] = {}
    for item in params:
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise ParamError(item, "give parameters as --param key=value")
        if key in given:
            raise ParamError(key, "given twice")
        given[key] = value
    return given
