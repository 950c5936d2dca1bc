"""Names of ATOP alliances: the treaty's real name where a cited source gives it (`atop_names.csv`, reviewed by
hand), else a descriptive label built from members, year and obligations and marked as generated.

ATOP 5.1 names no alliance; "ATOP alliance 3150 (1948)" tells a reader nothing, so every alliance gets a label a
person can search for, and a generated one never poses as a title (it is no dcterms:title).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph.curated.citations import load_uncitable_hosts, uncitable
from foedus.graph.curated.schema import CITATION_KINDS
from foedus.vocab import SCHEMA, mint

NAMES_FILE = "atop_names.csv"
COLUMNS = ("atopid", "name", "name_kind", "signed", "source_title", "source_url", "source_publisher", "source_kind",
           "note")
# Kinds of source that may be a printed work cited without a URL (a book, a treaty series volume, Wikidata's id).
PRINTED_KINDS = ("scholarly", "treaty-text", "depositary", "wikidata")
# Obligation columns in the order a label names them, with the word it uses.
WORDS = (("defense", "defence"), ("offense", "offence"), ("neutral", "neutrality"), ("nonagg", "non-aggression"),
         ("consul", "consultation"))


@dataclass(frozen=True)
class Name:
    """One cited real name of an ATOP alliance."""

    atopid: int
    name: str
    is_title: bool  # name_kind "title": the treaty's own title; "description": a cited description, no title
    title: str
    url: str
    publisher: str
    kind: str
    note: str


def names_path() -> Path:
    """The packaged table of real names (graph/sources/atop_names.csv)."""
    return Path(str(files("foedus.graph.sources"))) / NAMES_FILE


def read_names(path: Path | None = None) -> dict[int, Name]:
    """Read the table; a missing column, a bad id, a repeated id, an unknown kind, a citation without a URL (save a
    printed work) or one on an uncitable host is an error naming the file and line."""
    path = path or names_path()
    hosts_csv = Path(str(files("foedus.graph.curated"))) / "uncitable_hosts.csv"
    hosts = load_uncitable_hosts(hosts_csv, hosts_csv.name)
    out: dict[int, Name] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise SourceError(f"the header must be {','.join(COLUMNS)}", where=f"{path.name}:1")
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            try:
                atopid = int(row["atopid"])
            except ValueError:
                raise SourceError(f"atopid {row['atopid']!r} is not an integer", where=where) from None
            if atopid in out:
                raise SourceError(f"atopid {atopid} is named twice", where=where)
            name, kind, url = row["name"].strip(), row["source_kind"].strip(), row["source_url"].strip()
            if not name or not row["source_title"].strip():
                raise SourceError("a name and the title of its source are both required", where=where)
            if kind not in CITATION_KINDS:
                raise SourceError(f"source_kind {kind!r} is not one of {', '.join(CITATION_KINDS)}", where=where)
            if url and urlsplit(url).scheme not in ("http", "https"):
                raise SourceError(f"source_url {url!r} is not an http(s) URL", where=where)
            if not url and kind not in PRINTED_KINDS:
                raise SourceError(f"a source_url is required for a {kind} source (only {', '.join(PRINTED_KINDS)} "
                                  "sources may be printed works without one)", where=where)
            bad_host = uncitable(url, hosts) if url else None
            if bad_host is not None:
                raise SourceError(f"{bad_host[0]} is no citable host ({bad_host[1]}): cite the work it copies",
                                  where=where)
            if row["name_kind"] not in ("title", "description"):
                raise SourceError(f"name_kind {row['name_kind']!r} is neither title nor description", where=where)
            out[atopid] = Name(atopid, name, row["name_kind"] == "title", row["source_title"].strip(), url,
                               row["source_publisher"].strip(),
                               kind, row["note"].strip())
    return out


def add_real_name(g: Graph, node: URIRef, name: Name) -> None:
    """rdfs:label (and dcterms:title where the source gives the treaty's own title, not a description of it), with
    the citation that gives the name (fo:nameSource)."""
    g.add((node, RDFS.label, Literal(name.name, lang="en")))
    if name.is_title:
        g.add((node, DCTERMS.title, Literal(name.name, lang="en")))
    cite = mint("citation", "atop-names", name.atopid)
    g.add((node, FO.nameSource, cite))
    g.add((cite, RDF.type, FO.Citation))
    g.add((cite, DCTERMS.title, Literal(name.title, lang="en")))
    if name.url:
        g.add((cite, SCHEMA.url, URIRef(name.url)))
    if name.publisher:
        g.add((cite, DCTERMS.publisher, Literal(name.publisher)))
    g.add((cite, FO.citationKind, Literal(name.kind)))
    if name.note:
        g.add((cite, FO.note, Literal(name.note, lang="en")))


def generated_label(members: Iterable[int], obligations: Iterable[str], year: int, states: Mapping[int, str]) -> str:
    """"Bolivia–Ecuador defence pact, 1911": up to four members by name; of a larger alliance its number of states
    and the first three members in the order given (the founders first), the obligations and the first year."""
    ordered = list(dict.fromkeys(members))
    name = {c: states.get(c, f"state {c}") for c in ordered}
    kinds = set(obligations)
    words = [w for column, w in WORDS if column in kinds]
    what = (words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]) + " pact" if words \
        else "alliance"
    if len(ordered) > 4:
        first = ", ".join(name[c] for c in ordered[:3])
        return f"{what[0].upper()}{what[1:]} of {len(ordered)} states ({first} and others), {year}"
    names = sorted(name.values())
    if len(names) == 2:
        who = "–".join(names)
    elif len(names) > 2:
        who = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        who = names[0] if names else "no member"
    return f"{who} {what}, {year}"


def add_generated_label(g: Graph, node: URIRef, label: str) -> None:
    """rdfs:label plus fo:generatedLabel with the same text: a description, never a title."""
    g.add((node, RDFS.label, Literal(label, lang="en")))
    g.add((node, FO.generatedLabel, Literal(label, lang="en")))
