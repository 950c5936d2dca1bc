"""Bind a saved query's parameters as a VALUES block, for a remote endpoint that takes no substitutions.

The embedded store binds parameters by substitution (SEP-0007). A remote SPARQL 1.1 endpoint only takes query
text, so the typed terms go into a `VALUES` block placed first in the query's outermost WHERE group: every pattern,
OPTIONAL and FILTER of that group then sees the parameter bound, as with substitution. The terms are pyoxigraph
terms parsed and type-checked by SavedQuery.bind and written in their own N-Triples syntax, so a value can never
become other query text. tests/test_queries_inline.py checks that every saved query answers the same both ways.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pyoxigraph import Variable

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WHERE = re.compile(r"where\b", re.IGNORECASE)


def _outer_where_brace(text: str) -> int:
    """Index of the `{` opening the outermost WHERE group: the first one at depth 0 after the keyword WHERE.

    Skips comments, strings and IRIs, so a `{` or a `WHERE` inside them is never taken for syntax.
    """
    i, depth, after_where = 0, 0, False
    while i < len(text):
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
            continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < len(text) and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<":
            match = _IRI.match(text, i)
            if match:
                i = match.end()
                continue
        if depth == 0 and _WHERE.match(text, i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "?$_")):
            after_where = True
            i += 5
            continue
        if c == "{":
            if depth == 0 and after_where:
                return i
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    raise ValueError("no WHERE { … } group found")


def inline_values(text: str, subs: Mapping[Variable, Any]) -> str:
    """The query with `VALUES (?p …) { (term …) }` first in its outermost WHERE group; unchanged without params."""
    if not subs:
        return text
    names = sorted(subs, key=lambda v: v.value)
    block = f" VALUES ({' '.join(f'?{v.value}' for v in names)}) {{ ({' '.join(str(subs[v]) for v in names)}) }}"
    at = _outer_where_brace(text) + 1
    return text[:at] + block + text[at:]
