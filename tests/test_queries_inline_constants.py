"""queries/inline.py inline_constants, the query text /text2sparql returns: the parameters written in as constants
(at each use inside the WHERE group, and a VALUES block for the projection). It must answer as substitution does,
also where a FILTER on a parameter sits inside a UNION branch (there an outer VALUES block alone sees nothing)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import curated_store, unordered
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Variable

from foedus.queries.catalog import Catalog, load_catalog
from foedus.queries.inline import inline_constants, inline_values
from foedus.sparql.lexer import _TOKEN
from foedus.sparql.syntax import parse_check

UNION_FILTER = """SELECT ?p ?x WHERE {
  { ?x <urn:v> ?v FILTER(?v = ?p) } UNION { ?x <urn:w> ?p }
  VALUES ?k { "keep" }   # a VALUES header keeps its variables
}"""


def rows(result: Any) -> Counter[tuple[str, ...]]:
    return Counter(tuple(unordered(s[v]) if s[v] is not None else "" for v in result.variables) for s in result)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_a_filter_inside_a_union_branch_sees_the_constant() -> None:
    store = Store()
    store.load(b'<urn:a> <urn:v> "1" .\n<urn:b> <urn:v> "2" .\n<urn:c> <urn:w> "1" .\n', RdfFormat.N_TRIPLES)
    subs = {Variable("p"): Literal("1")}
    expected = rows(store.query(UNION_FILTER, substitutions=subs))
    string = "^^http://www.w3.org/2001/XMLSchema#string@"
    assert expected == Counter({("1" + string, "<urn:a>"): 1, ("1" + string, "<urn:c>"): 1})
    assert rows(store.query(inline_constants(UNION_FILTER, subs))) == expected
    assert rows(store.query(inline_values(UNION_FILTER, subs))) == expected  # VALUES in every group, since issue 15
    assert 'FILTER(?v = "1")' in inline_constants(UNION_FILTER, subs) and "VALUES ?k" in inline_constants(
        UNION_FILTER, subs)


def test_a_hostile_value_stays_one_term() -> None:
    subs = {Variable("p"): Literal('x" } ; DROP ALL ; #\n'), Variable("x"): NamedNode("urn:ok")}
    text = inline_constants(UNION_FILTER, subs)
    parse_check(text)
    words = [m.group().upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]
    assert "DROP ALL" in text and "DROP" not in words  # only ever inside an escaped literal, never a keyword


def test_every_saved_query_answers_the_same_with_constants(catalog: Catalog) -> None:
    """On the curated core with its dyads: every saved query, its examples written in, as by substitution."""
    store = curated_store()
    nonempty = 0
    for saved in catalog:
        subs = saved.bind(saved.example_args())
        text = inline_constants(saved.text, subs)
        parse_check(text)
        expected = rows(store.query(saved.text, substitutions=subs))
        assert rows(store.query(text)) == expected, saved.name
        nonempty += bool(expected)
    assert nonempty >= 15
