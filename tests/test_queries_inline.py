"""Parameters as a VALUES block (for remote endpoints) answer exactly as substitution does, for every saved query."""

from __future__ import annotations

import pytest
from conftest import unordered
from pyoxigraph import Literal, NamedNode, Store, Variable

from foedus.queries.catalog import Catalog, SavedQuery, load_catalog
from foedus.queries.inline import inline_values
from foedus.queries.run import rows_of


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _rows(result: object) -> list[tuple[str, ...]]:
    _, rows = rows_of(result)
    return sorted(tuple(unordered(t) for t in row) for row in rows)


def _same_both_ways(full_store: Store, saved: SavedQuery) -> tuple[bool, bool]:
    """(inlined answers equal substituted ones, the query had parameters and a non-empty answer)."""
    subs = dict(saved.bind(saved.example_args()))
    substituted = _rows(full_store.query(saved.text, substitutions=subs))
    inlined = _rows(full_store.query(inline_values(saved.text, subs)))
    return inlined == substituted, bool(subs) and bool(substituted)


def test_a_filter_inside_a_union_branch_sees_the_parameter(full_store: Store, catalog: Catalog) -> None:
    # cooperation-between-states filters on its parameters inside UNION branches: an outer VALUES block alone left
    # them unbound there, so a remote store answered with no rows (fixed: every group gets the block).
    same, nonempty = _same_both_ways(full_store, catalog.queries["cooperation-between-states"])
    assert same and nonempty


def test_every_saved_query_answers_the_same_inlined(full_store: Store, catalog: Catalog) -> None:
    compared = 0
    for name, saved in catalog.queries.items():
        same, nonempty = _same_both_ways(full_store, saved)
        assert same, name
        compared += nonempty
    assert compared >= 10  # most queries have parameters and a non-empty answer to compare


def test_the_block_goes_into_the_outer_where_not_a_template_or_comment() -> None:
    text = ('PREFIX ex: <http://e/where#>\n# WHERE { in a comment\n'
            'CONSTRUCT { ?s ex:p "WHERE {" } WHERE { ?s ex:q ?x { SELECT ?y WHERE { ?y ?p ?o } } }')
    out = inline_values(text, {Variable("x"): NamedNode("http://e/x")})
    assert out.endswith('WHERE { VALUES (?x) { (<http://e/x>) } ?s ex:q ?x { SELECT ?y WHERE { ?y ?p ?o } } }')
    Store().query(out)  # still a query


def test_the_block_goes_only_into_groups_that_use_a_parameter() -> None:
    # a block in a group that never reads the parameter changes no answer but can make a join a cartesian
    # product: alliance-members-exercises took 241 s inlined that way, 0.3 s substituted
    text = "SELECT * WHERE { { ?a ?p ?x } UNION { ?a ?q ?b FILTER(?b = ?x) } OPTIONAL { ?a ?r ?c } }"
    out = inline_values(text, {Variable("x"): NamedNode("http://e/x")})
    block = "VALUES (?x) { (<http://e/x>) }"
    assert out == ("SELECT * WHERE { " + block + " { " + block + " ?a ?p ?x } UNION { " + block
                   + " ?a ?q ?b FILTER(?b = ?x) } OPTIONAL { ?a ?r ?c } }")


def test_a_hostile_string_stays_one_literal() -> None:
    store = Store()
    text = "SELECT ?name ?s WHERE { ?s ?p ?name }"
    hostile = Literal('x" } UNION { ?s ?p ?name } #')
    out = inline_values(text, {Variable("name"): hostile})
    assert list(store.query(out)) == []
    assert out.count("VALUES") == 1 and 'x\\" } UNION' in out
