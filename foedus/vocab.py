"""Namespaces and IRI minting: every IRI Foedus mints is made here, so the patterns live in one place."""

from __future__ import annotations

import re
import unicodedata

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


def slugify(name: str) -> str:
    """A slug for a name read from a source file: accents dropped, lowercase ASCII words joined by '-'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(re.findall(r"[a-z0-9]+", plain.lower()))
    if not slug:
        raise ValueError(f"no letters or digits to make a slug of in {name!r}")
    return slug


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


def exercise_iri(mme_number: int) -> URIRef:
    """An exercise of the MME data set (mme87 -> id/instrument/mme-87); a repeated MMEID adds numbered_iri."""
    return instrument_iri(f"mme-{mme_number}")


def exercise_series_iri(series_name: str) -> URIRef:
    """The series an MME exercise belongs to, one per Series_Name: id/instrument/mme-series-<slug>."""
    return instrument_iri(f"mme-series-{slugify(series_name)}")


def territory_iri(code: int) -> URIRef:
    """A host territory that is no COW state, by the code its source gives it (troopdata: Guam 1008)."""
    return mint("territory", code)


def base_iri(host_code: int, name: str) -> URIRef:
    """A US base or site abroad: id/base/<host code>/<slug of its name>."""
    return mint("base", host_code, slugify(name))


def graph_iri(name: str) -> URIRef:
    """The IRI of a named graph: one per source release (curated, atop-5.1, cow-states-2016, dcad-1.0, ...)."""
    return URIRef(GRAPH + name)


# Sub-nodes: IRIs under an entity's IRI, for the parts it is described by (intervals, claims, conditions).
INTERVAL_ENDS = {"beginning": TIME.hasBeginning, "end": TIME.hasEnd}


def sub_iri(node: URIRef, *parts: object) -> URIRef:
    """<node>/<part>/<part>...: a node that exists only as a part of `node` (its interval, a claim, ...)."""
    return URIRef("/".join([str(node), *(str(p) for p in parts)]))


def interval_iri(spell: URIRef) -> URIRef:
    """The OWL-Time interval of a spell (org:memberDuring): <spell>/interval."""
    return sub_iri(spell, "interval")


def instant_iri(spell: URIRef, which: str) -> URIRef:
    """The beginning or end instant of a spell's interval: <spell>/interval/beginning or <spell>/interval/end
    (named after time:hasBeginning and time:hasEnd)."""
    if which not in INTERVAL_ENDS:
        raise ValueError(f"an interval has a 'beginning' and an 'end', not {which!r}")
    return sub_iri(interval_iri(spell), which)


def numbered_iri(iri: URIRef, n: int) -> URIRef:
    """The n-th of several things that would get the same IRI in one file: <iri>-<n> (n >= 2)."""
    return URIRef(f"{iri}-{n}")


def wikidata_page(qid: str) -> URIRef:
    """The human-readable page of a Wikidata item (what a citation of it links to)."""
    return URIRef(f"https://www.wikidata.org/wiki/{qid}")


def site_url(base: str, *parts: str) -> URIRef:
    """An address on the site that serves a release (`base` ends in '/'): its endpoint, its downloads."""
    return URIRef(base + "/".join(parts))


def kind_prefix(kind: str) -> str:
    """The start every IRI of one kind shares (`.../id/alliance/`), to tell a thing's kind from its IRI."""
    return str(mint(kind, ""))
