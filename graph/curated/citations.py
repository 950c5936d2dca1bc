"""Citations of the curated core: a file's `sources:` map, `wikidata:Q…` references, and hosts we do not cite."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from foedus.errors import SourceError, location
from foedus.fo_terms import FO
from foedus.graph.curated.schema import CITATION_KINDS
from foedus.graph.yamlsrc import LDict
from foedus.vocab import SCHEMA, is_slug, mint, wikidata_page

if TYPE_CHECKING:
    from foedus.graph.curated.reader import CuratedFile

_CITE_WD = re.compile(r"^wikidata:(Q[1-9]\d*)$")
_URL = re.compile(r"^https?://\S+$")


def read_sources(f: CuratedFile) -> dict[str, URIRef]:
    """The citation nodes of a file's `sources:` map, by key (a file without one is an error)."""
    sources = f.doc.get("sources")
    if not isinstance(sources, LDict) or not sources:
        raise SourceError("file lacks a `sources:` map of citations", where=f.doc.where("sources"))
    out: dict[str, URIRef] = {}
    for key, value in sources.items():
        where = sources.where(key)
        if not is_slug(key):
            raise SourceError(f"citation key {key!r} must be a slug (lowercase, digits, '-')", where=where)
        c = f.keys(value, where, "citation")
        iri = mint("citation", f.kind, f.slug, key)
        f.g.add((iri, RDF.type, FO.Citation))
        f.g.add((iri, DCTERMS.title, Literal(f.text(c, "title", "citation") or "", lang="en")))
        url = f.text(c, "url", "citation")
        if url is not None:
            if not _URL.match(url):
                raise SourceError(f"citation url {url!r} is not an http(s) URL", where=c.where("url"))
            f.g.add((iri, SCHEMA.url, URIRef(url)))
            listed = uncitable(url, f.shared.uncitable_hosts)
            if listed is not None:
                f.shared.warnings.append(
                    f"{c.where('url')}: citation {key!r} points at {listed[0]} ({listed[1]}); cite the treaty "
                    "text, a depositary, an official page, a scholarly work or reputable news instead"
                )
        publisher = f.text(c, "publisher", "citation")
        if publisher is not None:
            f.g.add((iri, DCTERMS.publisher, Literal(publisher)))
        if c.get("kind") is not None:
            f.g.add((iri, FO.citationKind, Literal(f.choice(c, "kind", CITATION_KINDS, "citation kind"))))
        f.note(c, iri)
        out[key] = iri
    return out


def resolve(f: CuratedFile, ref: Any, where: str) -> URIRef:
    """The citation node a `source:` reference names: a key of the file's `sources:`, or wikidata:Q…."""
    if isinstance(ref, str):
        if ref in f.citations:
            return f.citations[ref]
        match = _CITE_WD.match(ref)
        if match:
            return wikidata_citation(f.g, match[1])
    raise SourceError(f"unknown citation {ref!r}: not a key of this file's `sources:` nor wikidata:Q…", where=where)


def wikidata_citation(g: Graph, qid: str) -> URIRef:
    """The citation node for `source: wikidata:Q…` (one per item, shared by every file that cites it)."""
    iri = mint("citation", "wikidata", qid)
    g.add((iri, RDF.type, FO.Citation))
    g.add((iri, DCTERMS.title, Literal(f"Wikidata item {qid}")))
    g.add((iri, SCHEMA.url, wikidata_page(qid)))
    g.add((iri, DCTERMS.publisher, Literal("Wikidata")))
    g.add((iri, FO.citationKind, Literal("wikidata")))
    return iri


def load_uncitable_hosts(path: Path, shown: str) -> dict[str, str]:
    """host -> reason, from uncitable_hosts.csv (absent: none); a row without both is an error at its line."""
    if not path.exists():
        return {}
    hosts: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            host, reason = (row.get("host") or "").strip().lower(), (row.get("reason") or "").strip()
            if not host or not reason:
                raise SourceError("each row needs a host and a reason", where=location(shown, line))
            hosts[host] = reason
    return hosts


def uncitable(url: str, hosts: dict[str, str]) -> tuple[str, str] | None:
    """The listed host (or parent domain) a URL points at, with the reason, if any."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in hosts:
            return candidate, hosts[candidate]
    return None
