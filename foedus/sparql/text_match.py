"""How a search string matches a label: one definition used by the label index and by the SPARQL function.

Text is folded (Unicode NFKD, combining marks dropped, case folded, every run of non-letters and non-digits one
space: "Côte d'Ivoire" -> "cote d ivoire") and split into words. A query matches a label when every query word is
a whole word of the label or the start of one, in any order ("fed rep germ" matches "Federal Republic of
Germany"). The SPARQL function `fofn:match(?label, "query")` applies exactly this rule, so a query can filter
by the same match the search box shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

# Letters without a decomposition that still fold to ASCII in the names we hold (ß is handled by casefold).
_EXTRA = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})
_NON_WORD = re.compile(r"[\W_]+")
FUNCTION_BASE = "https://w3id.org/foedus/function/"
MATCH_FUNCTION = NamedNode(FUNCTION_BASE + "match")
XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def fold(text: str) -> str:
    """`text` without diacritics, case-folded, punctuation and spacing normalised to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_EXTRA)
    return _NON_WORD.sub(" ", bare).strip()


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    folded = fold(text)
    return folded.split(" ") if folded else []


def matches(query: str, label: str) -> bool:
    """True when every word of `query` is a word of `label` or the start of one (an empty query never matches)."""
    wanted = words(query)
    if not wanted:
        return False
    have = words(label)
    return all(any(w.startswith(q) for w in have) for q in wanted)


def sparql_match(label: object, query: object) -> Literal | None:
    """The SPARQL function fofn:match(label, query): xsd:boolean, or an error (None) when either is no literal."""
    if not isinstance(label, Literal) or not isinstance(query, Literal):
        return None
    return Literal("true" if matches(query.value, label.value) else "false", datatype=XSD_BOOLEAN)


def custom_functions() -> dict[NamedNode, Callable[..., NamedNode | BlankNode | Literal | Triple | None]]:
    """The functions our embedded store offers to SPARQL (pyoxigraph `custom_functions`)."""
    return {MATCH_FUNCTION: sparql_match}
