"""Bind a saved query's parameters as a VALUES block, for a remote endpoint that takes no substitutions.

The embedded store binds parameters by substitution (SEP-0007). A remote SPARQL 1.1 endpoint only takes query
text, so the typed terms go into a `VALUES` block placed first in the query's outermost WHERE group: every pattern,
OPTIONAL and FILTER of that group then sees the parameter bound, as with substitution. The terms are pyoxigraph
terms parsed and type-checked by SavedQuery.bind and written in their own N-Triples syntax, so a value can never
become other query text. tests/test_queries_inline.py checks that every saved query answers the same both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyoxigraph import Variable

from foedus.server.query_text import outer_where_brace


def inline_values(text: str, subs: Mapping[Variable, Any]) -> str:
    """The query with `VALUES (?p …) { (term …) }` first in its outermost WHERE group; unchanged without params."""
    if not subs:
        return text
    names = sorted(subs, key=lambda v: v.value)
    block = f" VALUES ({' '.join(f'?{v.value}' for v in names)}) {{ ({' '.join(str(subs[v]) for v in names)}) }}"
    at = outer_where_brace(text) + 1
    return text[:at] + block + text[at:]
