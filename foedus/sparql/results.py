"""Write query results to a binary file in the negotiated format, stopping at the row cap.

SELECT results in JSON, XML and CSV are written by pyoxigraph's own writers (write_native) when they fit under
max_result_rows: no Python work per row, which costs four times the engine on a thousand-row answer. An answer over
the cap, and every TSV answer, is written here term by term (write_result), so that it can be cut at the cap and so
that TSV keeps every literal's datatype and language (never the bare Turtle forms, so a derived or non-canonical
datatype survives). RDF goes through pyoxigraph's serialisers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from itertools import islice
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    Triple,
    serialize,
)

from foedus.sparql.formats import Format

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# The formats pyoxigraph's writers give as SPARQL says (its TSV writes canonical literals bare: ours keeps the type).
NATIVE_RESULTS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "csv": QueryResultsFormat.CSV}
BYTES_PER_ROW = 1024  # what write_native buffers per allowed row before it leaves a big answer to the capped writer
_CSV_QUOTED = re.compile(rb'"[^"]*(?:""[^"]*)*"')

Term = NamedNode | BlankNode | Literal | Triple


def capped(items: Iterable[Any], limit: int) -> tuple[list[Any], bool]:
    """At most `limit` items, and whether there were more (the truncation flag)."""
    taken = list(islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
        f"</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


def _tsv_string(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def _tsv_term(term: Term) -> str:
    """A term in N-Triples form, as SPARQL TSV says: IRIs in <>, literals with their datatype or language."""
    if isinstance(term, NamedNode):
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        text = f'"{_tsv_string(term.value)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != XSD_STRING:
            return f"{text}^^<{term.datatype.value}>"
        return text
    return f"<< {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} >>"


def _csv_term(term: Term) -> str:
    """A term in CSV, which keeps only the lexical form (the CSV format is lossy by its spec)."""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, NamedNode | Literal):
        return term.value
    return _tsv_term(term)


def write_solutions(out: IO[bytes], fmt: Format, variables: list[str], rows: list[list[Term | None]]) -> None:
    """Write SELECT results (variable names without '?', rows aligned with them, None = unbound)."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    if fmt.key == "json":
        text.write('{"head":{"vars":' + json.dumps(variables) + '},"results":{"bindings":[')
        for n, row in enumerate(rows):
            binding = {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            text.write(("," if n else "") + "\n" + json.dumps(binding, ensure_ascii=False))
        text.write("\n]}}\n")
    elif fmt.key == "xml":
        text.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            "\n<head>"
            + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
            + "</head>\n<results>\n"
        )
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            text.write(f"<result>{cells}</result>\n")
        text.write("</results>\n</sparql>\n")
    elif fmt.key == "csv":
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else _csv_term(t) for t in row])
    else:
        text.write("\t".join("?" + v for v in variables) + "\n")
        for row in rows:
            text.write("\t".join("" if t is None else _tsv_term(t) for t in row) + "\n")
    text.detach()


def write_boolean(out: IO[bytes], fmt: Format, value: bool) -> None:
    """Write an ASK result (CSV/TSV carry the bare word as most stores do; their spec covers SELECT only)."""
    word = "true" if value else "false"
    if fmt.key == "json":
        data = '{"head":{},"boolean":' + word + "}\n"
    elif fmt.key == "xml":
        data = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        )
    else:
        data = word + "\n"
    out.write(data.encode("utf-8"))


def write_triples(out: IO[bytes], fmt: Format, triples: list[Triple]) -> None:
    """Write CONSTRUCT/DESCRIBE results; TriG and N-Quads get the triples in the default graph."""
    assert fmt.rdf is not None
    if fmt.rdf.supports_datasets:
        serialize([Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples], out, fmt.rdf)
    else:
        serialize(triples, out, fmt.rdf)


class _OverBudget(Exception):
    """The answer outgrew what write_native buffers."""


class _Budget(io.BytesIO):
    """A memory buffer that refuses to grow past `limit` bytes (pyoxigraph writes into it in chunks)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.limit:
            raise _OverBudget
        return super().write(data)


def _more_rows_than(body: bytes, key: str, max_rows: int) -> bool:
    """Whether a body pyoxigraph wrote holds more than max_rows solutions; the cheap upper bound is tried first."""
    if key == "xml":
        return body.count(b"<result>") > max_rows  # markup never occurs inside escaped text
    if key == "csv":
        if body.count(b"\n") - 1 <= max_rows:  # every row ends in CRLF; quoted values may add line breaks
            return False
        return _CSV_QUOTED.sub(b"", body).count(b"\r\n") - 1 > max_rows
    if body.count(b"{") - 3 <= max_rows:  # every solution opens an object, beside the three of the frame
        return False
    return len(json.loads(body)["results"]["bindings"]) > max_rows


def write_native(solutions: QuerySolutions, fmt: Format, max_rows: int) -> bytes | None:
    """SELECT results in `fmt` by pyoxigraph's own writer, or None when they hold more than max_rows solutions (or
    more bytes than max_rows * BYTES_PER_ROW): the caller then evaluates again and writes them capped."""
    sink = _Budget(max(max_rows, 1) * BYTES_PER_ROW)
    try:
        solutions.serialize(sink, format=NATIVE_RESULTS[fmt.key])
    except _OverBudget:
        return None
    body = sink.getvalue()
    return None if _more_rows_than(body, fmt.key, max_rows) else body


def write_result(result: Any, form: str, fmt: Format, max_rows: int, out: IO[bytes]) -> bool:
    """Serialise an engine result into `out` in `fmt`, row by row, cut at max_rows; return whether it was cut."""
    if isinstance(result, bool | QueryBoolean):
        write_boolean(out, fmt, bool(result))
        return False
    if form == "SELECT" or isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        solutions, truncated = capped(result, max_rows)
        rows = [[_get(s, v) for v in variables] for s in solutions]
        write_solutions(out, fmt, variables, rows)
        return truncated
    triples, truncated = capped(
        (t if isinstance(t, Triple) else Triple(t.subject, t.predicate, t.object) for t in result), max_rows
    )
    write_triples(out, fmt, triples)
    return truncated


def _get(solution: Any, variable: str) -> Any:
    try:
        return solution[variable]
    except KeyError:
        return None
