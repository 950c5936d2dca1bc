"""Bind a saved query's parameters as a VALUES block, for a remote endpoint that takes no substitutions.

The embedded store binds parameters by substitution (SEP-0007). A remote SPARQL 1.1 endpoint only takes query
text, so the typed terms go into a `VALUES` block placed first in every group graph pattern of the WHERE clause that
uses a parameter (the outermost, and each UNION branch, OPTIONAL, GRAPH and sub-SELECT WHERE group naming one):
every pattern and FILTER then sees the parameter bound, as with substitution, even a FILTER inside a UNION branch
that an outer block would not reach.
The terms are pyoxigraph terms parsed and type-checked by SavedQuery.bind and written in their own N-Triples
syntax, so a value can never become other query text. tests/test_queries_inline.py checks that every saved query
answers the same both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyoxigraph import Variable

from foedus.sparql.lexer import group_braces, where_variables


def inline_values(text: str, subs: Mapping[Variable, Any]) -> str:
    """The query with `VALUES (?p …) { (term …) }` first in each WHERE group that uses a parameter
    (lexer.group_braces); unchanged without params.

    A variable bound to a tuple of terms gets a block of its own, `VALUES ?x { term … }`: one solution per term
    (the page queries look up the labels of many resources at once this way).
    """
    if not subs:
        return text
    single = sorted((v for v in subs if not isinstance(subs[v], tuple)), key=lambda v: v.value)
    many = sorted((v for v in subs if isinstance(subs[v], tuple)), key=lambda v: v.value)
    block = ""
    if single:
        block = f" VALUES ({' '.join(f'?{v.value}' for v in single)}) {{ ({' '.join(str(subs[v]) for v in single)}) }}"
    for v in many:
        block += f" VALUES ?{v.value} {{ {' '.join(str(term) for term in subs[v])} }}"
    # from the end, so the earlier offsets stay right
    for at in reversed(group_braces(text, frozenset(v.value for v in subs))):
        text = text[: at + 1] + block + text[at + 1 :]
    return text


def inline_constants(text: str, subs: Mapping[Variable, Any]) -> str:
    """The query with its parameters bound as constants: each use inside the WHERE group written as the term
    itself, and the VALUES blocks of inline_values for the projection. For /text2sparql, whose answer must be one
    self-contained query text that reads as the question's values.
    """
    single = {v.value: subs[v] for v in subs if not isinstance(subs[v], tuple)}
    out, last = [], 0
    for start, end, name in where_variables(text):
        if name in single:
            out += [text[last:start], str(single[name])]
            last = end
    return inline_values("".join(out) + text[last:], subs)
