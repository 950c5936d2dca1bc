"""Parse-check a query with the engine that will run it, on an empty dataset: nothing is read, only parsed.

pyoxigraph exposes no parser of its own, so the query is evaluated against a fresh empty store; the catalogs
(saved queries, page queries) call this at start-up so a broken file stops the server naming the file.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple, Variable

from foedus.sparql.text_match import custom_functions

Term = NamedNode | BlankNode | Literal | Triple


def parse_check(text: str, substitutions: Mapping[Variable, Term] | None = None) -> None:
    """SyntaxError (message and position) when `text` is no query; RuntimeError when a substitution cannot bind.

    pyoxigraph binds projected variables only (SEP-0007), so a parameter missing from SELECT fails here.
    """
    Store().query(text, substitutions=dict(substitutions) if substitutions else None,
                  custom_functions=custom_functions())  # fofn:match parses and runs like a built-in
