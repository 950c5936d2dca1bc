"""The queries behind the pages: one `.rq` file each in server/rq/, read and parse-checked once, values bound.

Pages used to paste a path or a parameter into SPARQL text, so `/id/alliance/nato> ?p ?x } UNION { SERVICE …`
made the server call any address. Now a value reaches a page query only as a typed pyoxigraph term: one term by
substitution (SEP-0007; the variable is in the query's projection), a list of terms as a VALUES block written in
the terms' own N-Triples syntax (queries/inline.py). A string that is no IRI never becomes a NamedNode, so it
is refused before any query runs. Every query runs through the backend (timeout, row cap, remote), which hands
back rows of terms.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

from flask import current_app
from pyoxigraph import Literal, NamedNode, Variable

from foedus.errors import QueryFileError
from foedus.queries.catalog import Catalog, ParamError, load_catalog
from foedus.queries.inline import inline_values
from foedus.server import errors
from foedus.server.api import EXTENSION
from foedus.server.backend import Query, Row
from foedus.server.context import state
from foedus.sparql.lexer import inspect_query
from foedus.sparql.syntax import parse_check
from foedus.sparql.traps import not_exists_trap

Binding = NamedNode | Literal | Sequence[NamedNode]


@dataclass(frozen=True)
class PageQuery:
    """One page query: its name (the file stem), its text and the variables it projects."""

    name: str
    text: str


@functools.cache
def page_queries() -> dict[str, PageQuery]:
    """Every server/rq/*.rq, parse-checked once (a broken file stops start-up with its name and position)."""
    found: dict[str, PageQuery] = {}
    for entry in sorted(files("foedus.server").joinpath("rq").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        where = f"server/rq/{entry.name}"
        facts = inspect_query(text)
        if facts.form != "SELECT" or facts.services or facts.variable_service or facts.unreadable_service:
            raise QueryFileError("a page query is one SELECT that calls no SERVICE", where=where)
        try:
            parse_check(text)
        except SyntaxError as exc:
            raise QueryFileError(f"does not parse: {exc}", where=where) from None
        slow = not_exists_trap(text)
        if slow is not None:
            raise QueryFileError(slow[1], where=f"{where}:{slow[0]}")
        found[entry.name[:-3]] = PageQuery(entry.name[:-3], text)
    return found


def iri(value: str, what: str = "resource") -> NamedNode:
    """`value` as an IRI term; ApiError 400 naming `what` when it is not an absolute IRI."""
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise errors.bad_request(
            f"{what} must be an absolute IRI: {exc}", "https://www.rfc-editor.org/rfc/rfc3987"
        ) from None


def run_select(name: str, *, cap: int | None = None, **values: Binding) -> list[Row]:
    """Run page query `name` with `values` bound; rows of pyoxigraph terms (unbound columns left out).

    `cap` lowers the row limit for this query (a page that lists at most N statements).
    """
    query = page_queries()[name]
    scalars = {Variable(k): v for k, v in values.items() if isinstance(v, NamedNode | Literal)}
    lists = {Variable(k): tuple(v) for k, v in values.items() if not isinstance(v, NamedNode | Literal)}
    text = inline_values(query.text, lists) if lists else query.text
    st = state()
    return st.backend.select(Query(text, substitutions=scalars), st.limits.capped(cap))


def saved_catalog() -> Catalog:
    """The saved queries (queries/*.rq): the API blueprint's catalog, else one the pages load once per app."""
    cat: Catalog | None = current_app.extensions.get(EXTENSION)
    if cat is None:  # an app without the API blueprint
        cat = current_app.extensions.get("foedus.ui.catalog")
        if cat is None:
            cat = current_app.extensions["foedus.ui.catalog"] = load_catalog()
    return cat


def run_saved(name: str, **given: str) -> list[Row]:
    """Run the saved query `name` for a page, its parameters given as a request would give them (typed and
    checked by the query's own header, bound by substitution); a value its type refuses is a 400."""
    saved = saved_catalog().get(name)
    if saved is None:
        raise KeyError(f"no saved query {name!r} in queries/")
    try:
        subs = saved.bind(given)
    except ParamError as exc:
        raise errors.bad_request(f"parameter {exc.param!r} {exc.message}", "https://w3id.org/foedus/api") from None
    st = state()
    return st.backend.select(Query(saved.text, substitutions=subs), st.limits)
