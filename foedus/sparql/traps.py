"""Query forms the embedded engine runs pathologically, refused where queries are loaded (the saved-query and page
catalogs) so a slow query never ships.

pyoxigraph 0.5 re-runs a multi-pattern group inside FILTER NOT EXISTS for every row: when a pattern of the group is
joined to the query around it by no variable (directly or through the group's other patterns), that is a
cartesian product per row: 152 s where the same answer counted once in a sub-SELECT takes 0.1 s on the full
release (bench/not_exists_bench.py).
"""

from __future__ import annotations

import re
from typing import Any

from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

_NOT_EXISTS = re.compile(r"\bNOT\s+EXISTS\b", re.IGNORECASE)


def _variables(node: Any, skip_not_exists: bool) -> set[Variable]:
    """Every variable in an algebra subtree (optionally leaving out NOT EXISTS groups)."""
    out: set[Variable] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Variable):
            out.add(n)
        elif isinstance(n, CompValue):
            if skip_not_exists and n.name == "Builtin_NOTEXISTS":
                continue
            stack.extend(v for k, v in n.items() if not k.startswith("_"))  # `_vars` lists inner ones too
        elif isinstance(n, (list, tuple, set)):
            stack.extend(n)
    return out


def _groups(node: Any) -> list[list[tuple[Any, Any, Any]]]:
    """The triple patterns of each NOT EXISTS group, the groups in algebra order."""
    found: list[list[tuple[Any, Any, Any]]] = []
    stack = [node]
    while stack:
        n = stack.pop(0)
        if isinstance(n, CompValue):
            if n.name == "Builtin_NOTEXISTS":
                triples: list[tuple[Any, Any, Any]] = []
                inner = [n.graph]
                while inner:
                    m = inner.pop(0)
                    if isinstance(m, CompValue):
                        if m.name == "BGP":
                            triples.extend(m.triples)
                        inner.extend(m.values())
                    elif isinstance(m, (list, tuple)):
                        inner.extend(m)
                found.append(triples)
            stack.extend(n.values())
        elif isinstance(n, (list, tuple)):
            stack.extend(n)
    return found


def not_exists_trap(text: str) -> tuple[int, str] | None:
    """(line, message) for the first FILTER NOT EXISTS group with a pattern joined to nothing outside, else None."""
    if not _NOT_EXISTS.search(text):
        return None
    algebra = prepareQuery(text).algebra
    outer = _variables(algebra, skip_not_exists=True)
    lines = [text.count("\n", 0, m.start()) + 1 for m in _NOT_EXISTS.finditer(text)]
    for index, triples in enumerate(_groups(algebra)):
        if len(triples) < 2:
            continue
        reachable, left = set(outer), list(triples)
        grew = True
        while grew:  # join patterns to the outer query through shared variables, as far as they reach
            grew = False
            for triple in list(left):
                names = {t for t in triple if isinstance(t, Variable)}
                if not names or names & reachable:
                    reachable |= names
                    left.remove(triple)
                    grew = True
        if left:
            line = lines[index] if index < len(lines) else lines[0]
            shown = " ".join(t.n3() for t in left[0])
            return line, (
                f"FILTER NOT EXISTS group: its pattern ({shown}) is joined to the query around it by no variable, "
                "directly or through the group's other patterns; pyoxigraph 0.5 runs such a group as a cartesian "
                "product for every row: correlate it with the outer query, or, if it is meant not to depend on the "
                "row, count it once in a sub-SELECT joined to the query and FILTER on the count")
    return None
