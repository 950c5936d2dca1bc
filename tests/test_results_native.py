"""SELECT answers written by pyoxigraph's own writers (the fast path) agree with the row-by-row writer, and an
answer over the row cap leaves the fast path, whatever its values hold (quotes, line breaks, braces, markup)."""

from __future__ import annotations

import io
import json

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QueryResultsFormat, Store, parse_query_results

from foedus.sparql.formats import RESULT_FORMATS
from foedus.sparql.results import write_native, write_result

BY_KEY = {f.key: f for f in RESULT_FORMATS}
EX = "http://example.org/"
# values that look like the frame of each format: a naive row count would miscount them
TRICKY = ['x,"y"\r\nz', "},{", '"}},{"', "<result>", "a\nb\nc", "{}{}{}", "plain"]


def store_of(n: int) -> Store:
    """n subjects, each with one tricky literal and one unbound optional column."""
    store = Store()
    for i in range(n):
        value = Literal(TRICKY[i % len(TRICKY)])
        store.add(Quad(NamedNode(f"{EX}s{i}"), NamedNode(EX + "p"), value, DefaultGraph()))
    return store


QUERY = f"SELECT ?s ?o ?u WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}q> ?u }} }} ORDER BY ?s"


def rows_of(body: bytes, key: str) -> list[dict[str, str]]:
    fmt = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "csv": QueryResultsFormat.CSV}[key]
    if key == "csv":  # pyoxigraph reads no CSV; count records the csv module way
        import csv

        return [dict(r) for r in csv.DictReader(io.StringIO(body.decode("utf-8"), newline=""))]
    solutions = parse_query_results(body, format=fmt)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]  # type: ignore[union-attr]


@pytest.mark.parametrize("key", ["json", "xml", "csv"])
def test_native_answer_equals_the_row_by_row_answer(key: str) -> None:
    store = store_of(21)
    native = write_native(store.query(QUERY), BY_KEY[key], 21)
    out = io.BytesIO()
    truncated = write_result(store.query(QUERY), "SELECT", BY_KEY[key], 21, out)
    assert native is not None and not truncated
    assert rows_of(native, key) == rows_of(out.getvalue(), key)
    assert len(rows_of(native, key)) == 21


@pytest.mark.parametrize("key", ["json", "xml", "csv"])
def test_native_writer_declines_one_row_over_the_cap(key: str) -> None:
    store = store_of(21)
    assert write_native(store.query(QUERY), BY_KEY[key], 21) is not None
    assert write_native(store.query(QUERY), BY_KEY[key], 20) is None


def test_native_writer_declines_an_answer_over_its_byte_budget() -> None:
    store = Store()
    store.add(Quad(NamedNode(EX + "s"), NamedNode(EX + "p"), Literal("x" * 5000), DefaultGraph()))
    assert write_native(store.query(QUERY), BY_KEY["json"], 1) is None  # one row, but 5 kB > 1 row's budget
    assert json.loads(write_native(store.query(QUERY), BY_KEY["json"], 10) or b"")["results"]["bindings"]
