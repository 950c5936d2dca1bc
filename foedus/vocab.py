"""Namespaces and IRI minting: every IRI Foedus mints is made here, so the patterns live in one place."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef

from foedus.fo_terms import FO

BASE = "https://w3id.org/foedus/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
WD = Namespace("http://www.wikidata.org/entity/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "fo": str(FO),
    "foid": str(ID),
    "org": str(ORG),
    "time": str(TIME),
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": str(WD),
    "schema": str(SCHEMA),
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(text: str) -> bool:
    """True when `text` can be a path segment of a public IRI (lowercase ASCII words joined by '-')."""
    return bool(_SLUG.match(text))


def mint(kind: str, *parts: object) -> URIRef:
    """Mint https://w3id.org/foedus/id/<kind>/<part>/<part>...; parts are slugs or integers."""
    return URIRef(ID + "/".join([kind, *(str(p) for p in parts)]))


def state_iri(cow_code: int) -> URIRef:
    """The IRI of a COW state: one per COW ccode (see graph/README.md, state identity)."""
    return mint("state", cow_code)


def actor_iri(ref: int | str) -> URIRef:
    """The IRI of an actor referenced as a COW code (state) or a curated actor slug."""
    return state_iri(ref) if isinstance(ref, int) else mint("actor", ref)


def alliance_iri(slug: str) -> URIRef:
    """The IRI of an alliance; ATOP alliances without a curated twin are atop-<atopid>."""
    return mint("alliance", slug)


def treaty_iri(slug: str) -> URIRef:
    """The IRI of a treaty or other agreement."""
    return mint("treaty", slug)


def instrument_iri(slug: str) -> URIRef:
    """The IRI of an instrument of military diplomacy."""
    return mint("instrument", slug)


def graph_iri(name: str) -> URIRef:
    """The IRI of a named graph: one per source release (curated, atop-5.1, cow-states-2016, dcad-1.0, ...)."""
    return URIRef(GRAPH + name)
