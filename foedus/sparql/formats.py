"""Result formats and content negotiation: the Accept header (with q-values) or a `format` parameter.

Two families: SPARQL results (SELECT, ASK) and RDF (CONSTRUCT, DESCRIBE, the service description). The order
of each tuple is the server's preference when the client accepts several equally (`*/*` gets the first).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import RdfFormat

from foedus.errors import ApiError


@dataclass(frozen=True)
class Format:
    """One result format: its key, the media type we send, other media types that ask for it, its W3C IRI."""

    key: str
    media_type: str
    aliases: tuple[str, ...]
    names: tuple[str, ...]
    iri: str
    rdf: RdfFormat | None = None

    @property
    def content_type(self) -> str:
        """The Content-Type header value (UTF-8 spelled out for text types)."""
        return self.media_type + "; charset=utf-8"


_W3 = "http://www.w3.org/ns/formats/"
RESULT_FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        ("application/json",),
        ("json", "srj"),
        _W3 + "SPARQL_Results_JSON",
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
        ("xml", "srx"),
        _W3 + "SPARQL_Results_XML",
    ),
    Format("csv", "text/csv", (), ("csv",), _W3 + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", (), ("tsv",), _W3 + "SPARQL_Results_TSV"),
)
RDF_FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        "text/turtle",
        ("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"),
        ("turtle", "ttl", "n3"),
        _W3 + "Turtle",
        RdfFormat.TURTLE,
    ),
    Format(
        "ntriples",
        "application/n-triples",
        ("text/plain",),
        ("ntriples", "nt", "n-triples"),
        _W3 + "N-Triples",
        RdfFormat.N_TRIPLES,
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        ("application/xml", "text/xml"),
        ("rdfxml", "rdf+xml", "rdf", "xml"),
        _W3 + "RDF_XML",
        RdfFormat.RDF_XML,
    ),
    Format(
        "jsonld",
        "application/ld+json",
        ("application/json", "application/x-json+ld"),
        ("jsonld", "json-ld", "json"),
        _W3 + "JSON-LD",
        RdfFormat.JSON_LD,
    ),
    Format("trig", "application/trig", (), ("trig",), _W3 + "TriG", RdfFormat.TRIG),
    Format(
        "nquads", "application/n-quads", (), ("nquads", "nq", "n-quads"), _W3 + "N-Quads", RdfFormat.N_QUADS
    ),
)


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values (malformed q counts as 1, as browsers do)."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 1.0
        ranges.append((fields[0].lower(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """q of the most specific range matching a media type, and that specificity (exact 3, type/* 2, */* 1)."""
    best = (-1.0, 0)
    major = media_type.split("/")[0]
    for rng, q in ranges:
        spec = 3 if rng == media_type else 2 if rng == f"{major}/*" else 1 if rng == "*/*" else 0
        if spec and spec > best[1]:
            best = (q, spec)
    return best


def negotiate(formats: tuple[Format, ...], accept: str | None, fmt_param: str | None, what: str) -> Format:
    """Pick the format: the `format` parameter if given (key, name or media type), else the Accept header."""
    offered = [f.media_type for f in formats]
    if fmt_param:
        wanted = fmt_param.strip().lower()
        for f in formats:
            if wanted in (f.key, f.media_type, *f.names, *f.aliases):
                return f
        raise not_acceptable(offered + [f"format={f.key}" for f in formats], what)
    if not accept or not accept.strip():
        return formats[0]
    ranges = parse_accept(accept)
    scored = []
    for rank, f in enumerate(formats):
        # Wildcards match the primary media type only; an alias counts when it is named exactly.
        q, spec = max([_quality(f.media_type, ranges)] + [(q, 3) for r, q in ranges if r in f.aliases])
        if q > 0:
            scored.append((-q, -spec, rank, f))
    if not scored:
        raise not_acceptable(offered, what)
    return min(scored, key=lambda s: s[:3])[3]


def prefers(media_type: str, formats: tuple[Format, ...], accept: str | None) -> bool:
    """True when Accept ranks `media_type` above every one of `formats` (higher q, or as high and more specific).

    `*/*` alone or a tie goes to the formats: only a client that asks for it first (a browser asking for text/html)
    gets it.
    """
    if not accept or not accept.strip():
        return False
    ranges = parse_accept(accept)
    wanted = _quality(media_type, ranges)
    return wanted[0] > 0 and all(wanted > _quality(f.media_type, ranges) for f in formats)


def formats_for(form: str) -> tuple[Format, ...]:
    """The format family of a query form: SPARQL results for SELECT/ASK, RDF for CONSTRUCT/DESCRIBE."""
    if form in ("SELECT", "ASK"):
        return RESULT_FORMATS
    if form in ("CONSTRUCT", "DESCRIBE"):
        return RDF_FORMATS
    raise ApiError(400, "Bad request", f"unknown query form {form!r}", "https://www.w3.org/TR/sparql11-query/#QueryForms")


def not_acceptable(offered: list[str], what: str = "this result") -> ApiError:
    """406: none of the media types the client accepts can carry this result."""
    return ApiError(
        406,
        "Not acceptable",
        f"cannot produce {what} in any media type the request accepts; available: {', '.join(offered)}",
        "https://www.rfc-editor.org/rfc/rfc9110#name-406-not-acceptable",
    )
