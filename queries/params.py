"""Parameter types of saved queries, as a registry: each type registers how a request value is parsed into a
term, its JSON Schema (OpenAPI) and its HTML form control. A header naming a type that is not registered fails
when the catalog loads; nothing falls back to "a string".

Another type is one `register(ParamType(...))` call; the header grammar, OpenAPI and the /api form follow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, Variable

from foedus.errors import RequestError
from foedus.vocab import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_STRING = 200
Term = NamedNode | BlankNode | Literal | Triple

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^[+-]?\d{1,18}$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_LANG_SUFFIX = re.compile(r"^(.*)@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$", re.DOTALL)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ParamError(RequestError):
    """A request gave a parameter value that does not fit its declared type (the API answers 400 with it)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message, where=f"parameter {param!r}")
        self.param = param


@dataclass(frozen=True)
class Param:
    """One declared parameter: SPARQL variable name, type, options, documentation, example and default."""

    name: str
    type: str
    doc: str
    example: str
    default: str | None = None
    optional: bool = False
    cls: str | None = None
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    max_length: int = MAX_STRING
    lang: str = "en"
    line: int = 0

    @property
    def required(self) -> bool:
        """True when a request must give this parameter (no default, not optional)."""
        return self.default is None and not self.optional

    @property
    def variable(self) -> Variable:
        """The SPARQL variable the value is bound to."""
        return Variable(self.name)

    @property
    def kind(self) -> ParamType:
        """The registered type of this parameter."""
        return param_type(self.type)

    def parse(self, raw: str) -> Term:
        """Turn a request value into a typed RDF term, or raise ParamError saying why it is not acceptable."""
        if CONTROL.search(raw) and not self.kind.text:
            raise ParamError(self.name, "contains control characters")
        return self.kind.parse(self, raw)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema (2020-12, as OpenAPI 3.1 uses) of the value as it appears in the URL."""
        schema = self.kind.schema(self)
        if self.default is not None:
            schema["default"] = self.json_value(self.default)
        return schema

    def json_value(self, raw: str) -> Any:
        """A documented value (example, default) as JSON: a number for a numeric type, else the text."""
        return int(raw) if self.kind.schema(self).get("type") == "integer" else raw

    def html_input(self) -> dict[str, str]:
        """The attributes of this parameter's HTML <input> (type, min, max, ...); empty for a <select> (enum)."""
        return self.kind.html(self)


@dataclass(frozen=True)
class ParamType:
    """A parameter type: its name in headers, its options, and how it parses, is documented and is entered."""

    name: str
    options: frozenset[str]
    parse: Callable[[Param, str], Term]
    schema: Callable[[Param], dict[str, Any]]
    html: Callable[[Param], dict[str, str]]
    text: bool = False  # free text: control characters are judged by the type itself
    doc: str = ""


REGISTRY: dict[str, ParamType] = {}


def register(kind: ParamType) -> ParamType:
    """Add a parameter type (a name may be registered once)."""
    if kind.name in REGISTRY:
        raise ValueError(f"parameter type {kind.name!r} is already registered")
    REGISTRY[kind.name] = kind
    return kind


def param_type(name: str) -> ParamType:
    """The registered type of that name; KeyError listing the known ones otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown type {name!r}; types: {', '.join(REGISTRY)}") from None


def _iri(p: Param, raw: str) -> NamedNode:
    value = raw.strip()
    prefix, colon, rest = value.partition(":")
    if colon and prefix in PREFIXES and not rest.startswith("//"):
        value = PREFIXES[prefix] + rest
    if not IRI.match(value):
        raise ParamError(p.name, f"{raw!r} is not an absolute IRI (e.g. {p.example}); "
                         "spaces, quotes, <, >, {, }, |, \\, ^ and ` are not allowed in IRIs")
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise ParamError(p.name, f"{raw!r} is not a valid IRI: {exc}") from None


def _date(p: Param, raw: str) -> Literal:
    if not _DATE.match(raw):
        raise ParamError(p.name, f"{raw!r} is not a date in the form YYYY-MM-DD (xsd:date)")
    try:
        dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ParamError(p.name, f"{raw!r} is not a calendar date: {exc}") from None
    return Literal(raw, datatype=NamedNode(XSD + "date"))


def _integer(p: Param, raw: str) -> Literal:
    if not _INT.match(raw):
        raise ParamError(p.name, f"{raw!r} is not an integer")
    number = int(raw)
    if p.minimum is not None and number < p.minimum:
        raise ParamError(p.name, f"{number} is less than the minimum {p.minimum}")
    if p.maximum is not None and number > p.maximum:
        raise ParamError(p.name, f"{number} is more than the maximum {p.maximum}")
    return Literal(str(number), datatype=NamedNode(XSD + "integer"))


def _text(p: Param, raw: str) -> Literal:
    text, lang = raw, p.lang
    if p.type == "langstring":
        match = _LANG_SUFFIX.match(raw)
        if match:
            text, lang = match.group(1), match.group(2).lower()
    if CONTROL.search(text):
        raise ParamError(p.name, "contains control characters")
    if not text.strip():
        raise ParamError(p.name, "is empty")
    if len(text) > p.max_length:
        raise ParamError(p.name, f"is longer than {p.max_length} characters")
    if p.pattern is not None and not re.fullmatch(p.pattern, text):
        raise ParamError(p.name, f"{text!r} does not match the pattern {p.pattern}")
    return Literal(text, language=lang) if p.type == "langstring" else Literal(text)


def _enum(p: Param, raw: str) -> Literal:
    if raw not in p.values:
        raise ParamError(p.name, f"{raw!r} is not one of {', '.join(p.values)}")
    return Literal(raw)


def _text_schema(p: Param) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": p.max_length}
    if p.pattern:
        schema["pattern"] = p.pattern
    if p.type == "langstring":
        schema["description"] = f"text, optionally ending in @lang (default @{p.lang})"
    return schema


def _iri_schema(p: Param) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "format": "iri"}
    if p.cls:
        schema["description"] = f"IRI of an instance of <{p.cls}>"
    return schema


def _bounds(p: Param) -> dict[str, Any]:
    return {k: v for k, v in (("minimum", p.minimum), ("maximum", p.maximum)) if v is not None}


register(ParamType(
    "iri", frozenset({"class"}), _iri, _iri_schema, lambda p: {},
    doc="an absolute IRI, or a prefixed name with a Foedus prefix",
))
register(ParamType(
    "date", frozenset(), _date, lambda p: {"type": "string", "format": "date"}, lambda p: {"type": "date"},
    doc="YYYY-MM-DD, a real calendar day (xsd:date)",
))
register(ParamType(
    "integer", frozenset({"min", "max"}), _integer, lambda p: {"type": "integer"} | _bounds(p),
    lambda p: {"type": "number"} | {k[:3]: str(v) for k, v in _bounds(p).items()},
    doc="digits with an optional sign (xsd:integer)",
))
register(ParamType(
    "string", frozenset({"pattern", "max-length"}), _text, _text_schema,
    lambda p: {"maxlength": str(p.max_length)}, text=True,
    doc="text without control characters (xsd:string)",
))
register(ParamType(
    "langstring", frozenset({"lang", "pattern", "max-length"}), _text, _text_schema,
    lambda p: {}, text=True,
    doc="text, optionally ending in @lang (a language-tagged string)",
))
register(ParamType(
    "enum", frozenset({"values"}), _enum, lambda p: {"type": "string", "enum": list(p.values)}, lambda p: {},
    doc="one of the listed words (xsd:string)",
))
