"""Which endpoints a query would call, judged as the engine reads it, and checked against the allow-list.

A SERVICE target is an IRI after the parser's work: `\\u` escapes decoded, BASE and PREFIX applied. Reading the
text as written let `<http://127.0.0.1/\\u0073parql>` through. So the targets come from rdflib's parsed algebra
(its parser follows the SPARQL grammar; pyoxigraph exposes none), and, as a second reader that fails closed,
from our tokenizer: every SERVICE either of them sees must name an allowed IRI. A query that mentions SERVICE
but that rdflib cannot parse is refused, since its targets cannot be known.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from foedus.server import errors
from foedus.sparql.lexer import QueryText, decode_uchars

_SERVICE = re.compile(r"service", re.IGNORECASE)


def mentions_service(text: str) -> bool:
    """True when SERVICE could be a keyword of the query: the word appears, escapes decoded (cheap test)."""
    return bool(_SERVICE.search(decode_uchars(text)))


def parsed_targets(text: str, base: str | None = None) -> list[str | None]:
    """Each SERVICE target of the parsed query as an absolute IRI, or None for a variable target.

    Raises errors.bad_request when the query cannot be parsed (its targets would be unknown).
    """
    try:
        algebra = translateQuery(parseQuery(text), base=base).algebra
    except (ParseException, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise errors.bad_request(
            "this query names SERVICE, and its SERVICE targets could not be read from it, so it was not run "
            f"({type(exc).__name__}: {str(exc)[:200]})",
            "https://www.w3.org/TR/sparql11-federated-query/#defn_service",
        ) from None
    found: list[str | None] = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            term = node.get("term")
            found.append(str(term) if isinstance(term, URIRef) else None)

    traverse(algebra, visitPre=visit)
    return found


def check_services(text: str, facts: QueryText, allowed: Collection[str], base: str | None = None) -> list[str]:
    """Refuse (403) any SERVICE target off the allow-list; return the targets the query will call.

    `facts` is what the tokenizer read (with the same `base`); the parsed algebra is consulted whenever SERVICE
    may appear. `base` is the IRI relative IRIs resolve against, the endpoint's own, as the engine will use it.
    """
    if facts.variable_service:
        raise errors.forbidden_service("?variable (a SERVICE target must be a fixed IRI on the allow-list)")
    if facts.unreadable_service:
        raise errors.forbidden_service("(a target that is not an IRI)")
    targets: list[str | None] = list(facts.services)
    if facts.services or mentions_service(text):
        targets += parsed_targets(text, base)
    for target in targets:
        if target is None:
            raise errors.forbidden_service("?variable (a SERVICE target must be a fixed IRI on the allow-list)")
        if target not in allowed:
            raise errors.forbidden_service(f"<{target}>")
    return sorted({t for t in targets if t is not None})
