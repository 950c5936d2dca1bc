"""Reading one curated file: each value checked against the schema as it is read, each error naming file:line.

`CuratedFile` holds what every kind of file shares (keys, texts, choices, labels, dates, citations, references to
actors, treaties and alliances); the modules per file kind (states, actors, alliances, instruments) use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.curated import citations
from foedus.graph.curated.schema import KEYS
from foedus.graph.dates import PartialDate
from foedus.graph.yamlsrc import LDict, LList
from foedus.vocab import WD, actor_iri, alliance_iri, numbered_iri, state_iri, treaty_iri

WIKIDATA_ID = re.compile(r"^Q[1-9]\d*$")


def display_path(path: Path) -> str:
    """A path as errors show it: relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def en(text: str) -> Literal:
    """An English literal."""
    return Literal(text, lang="en")


def as_list(d: LDict, key: str) -> LList:
    """The list under `key` (empty when absent); anything else is an error naming the place."""
    value = d.get(key) or LList()
    if not isinstance(value, LList):
        raise SourceError(f"`{key}` must be a list", where=d.where(key))
    return value


class Actors:
    """The actors a curated file may name: COW codes from states.csv, slugs from actors.yaml, alliance slugs."""

    def __init__(self, states: set[int] | None, slugs: set[str], alliances: set[str] | None = None) -> None:
        self.states = states
        self.slugs = slugs
        self.alliances = alliances or set()

    def iri(self, ref: Any, where: str) -> URIRef:
        """The IRI of the actor `ref` names; an unknown one is an error at `where`."""
        if isinstance(ref, bool):
            raise SourceError(f"unknown actor {ref!r}", where=where)
        if isinstance(ref, int):
            if self.states is not None and ref not in self.states:
                raise SourceError(f"unknown actor {ref}: no COW code {ref} in states.csv", where=where)
            return state_iri(ref)
        if isinstance(ref, str) and ref in self.slugs:
            return actor_iri(ref)
        if isinstance(ref, str) and ref in self.alliances:
            return alliance_iri(ref)
        raise SourceError(
            f"unknown actor {ref!r}: not a COW code in states.csv, a slug in actors.yaml nor an alliance slug",
            where=where,
        )


@dataclass
class CoreChecks:
    """What the checks of one file need from the whole core: QIDs already given, hosts we do not cite, warnings."""

    uncitable_hosts: dict[str, str]  # host -> why it is no citable source (uncitable_hosts.csv)
    warnings: list[str]
    wikidata_owners: dict[str, tuple[URIRef, str]] = field(default_factory=dict)  # QID -> (IRI, place)


class CuratedFile:
    """One curated YAML file being turned into triples of `g`: its citations, and the checks every value passes."""

    def __init__(
        self,
        g: Graph,
        doc: LDict,
        kind: str,
        slug: str,
        actors: Actors,
        treaties: set[str],
        alliances: set[str],
        shared: CoreChecks,
    ) -> None:
        self.g = g
        self.doc = doc
        self.kind = kind
        self.slug = slug
        self.actors = actors
        self.treaties = treaties
        self.alliances = alliances
        self.shared = shared
        self.citations: dict[str, URIRef] = {}
        self.used_iris: set[URIRef] = set()

    # -- checking values --
    def keys(self, d: Any, where: str, what: str) -> LDict:
        """`d` as a mapping of the kind `what` (a key of schema.KEYS): unknown or missing keys are errors."""
        if not isinstance(d, LDict):
            raise SourceError(f"{what} must be a mapping, got {type(d).__name__}", where=where)
        keys = KEYS[what]
        for key in d:
            if key not in keys.allowed:
                raise SourceError(
                    f"unknown key {key!r} in {what}; allowed: {', '.join(sorted(keys.allowed))}",
                    where=d.where(key),
                )
        for key in keys.required:
            if d.get(key) is None:
                raise SourceError(f"{what} lacks required key {key!r}", where=d.where())
        return d

    def text(self, d: LDict, key: str, what: str) -> str | None:
        """A non-empty string under `key`, None when absent."""
        value = d.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise SourceError(f"{what} {key!r} must be a non-empty string", where=d.where(key))
        return value

    def strings(self, d: LDict, key: str, what: str) -> list[str]:
        """A string or a list of strings under `key`, as a list (empty when absent)."""
        value = d.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise SourceError(f"{what} {key!r} must be a string or a list of strings", where=d.where(key))
        return list(value)

    def choice(self, d: LDict, key: str, options: Any, what: str) -> str:
        """The value under `key`, which must be one of `options` (a sequence or the keys of a mapping)."""
        value = d.get(key)
        options = list(options)
        if value not in options:
            raise SourceError(f"unknown {what} {value!r}; expected one of: {', '.join(options)}", where=d.where(key))
        return str(value)

    def boolean(self, d: LDict, key: str, what: str) -> bool | None:
        """true or false under `key`, None when absent."""
        value = d.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise SourceError(f"{what} {key!r} must be true or false, got {value!r}", where=d.where(key))
        return value

    def fresh(self, iri: URIRef) -> URIRef:
        """Make an IRI unique within this file by appending -2, -3 ... (order of the file decides)."""
        candidate, n = iri, 1
        while candidate in self.used_iris:
            n += 1
            candidate = numbered_iri(iri, n)
        self.used_iris.add(candidate)
        return candidate

    # -- citations --
    def read_sources(self) -> None:
        """Read the file's `sources:` map into citation nodes, by key."""
        self.citations = citations.read_sources(self)

    def cite(self, d: LDict, key: str = "source", *, required: bool = True) -> list[URIRef]:
        """The citation nodes named by d[key]; a fact without one is an error (unless not `required`)."""
        value = d.get(key)
        if value is None:
            if required:
                raise SourceError(
                    f"no citation: add `{key}:` naming a key of `sources:` or wikidata:Q…", where=d.where()
                )
            return []
        refs = [value] if isinstance(value, str) else value
        if not isinstance(refs, list) or not refs:
            raise SourceError(f"`{key}` must be a citation key or a list of them", where=d.where(key))
        return [citations.resolve(self, ref, d.where(key)) for ref in refs]

    def add_sources(self, subject: URIRef, cites: list[URIRef]) -> None:
        """subject dcterms:source each citation."""
        for c in cites:
            self.g.add((subject, DCTERMS.source, c))

    # -- shared pieces --
    def wikidata(self, d: LDict, key: str, subject: URIRef) -> None:
        """subject owl:sameAs the Wikidata item under `key`; one item links one thing of ours."""
        value = d.get(key)
        if value is None:
            return
        if not isinstance(value, str) or not WIKIDATA_ID.match(value):
            raise SourceError(f"{key} must be a Wikidata item id like Q7184, got {value!r}", where=d.where(key))
        # owl:sameAs to one item from two of our IRIs would make them one thing (an alliance and its treaty, say).
        owner = self.shared.wikidata_owners.setdefault(value, (subject, d.where(key)))
        if owner[0] != subject:
            raise SourceError(
                f"Wikidata item {value} is already the item of {owner[0]} ({owner[1]}); one item links one thing",
                where=d.where(key),
            )
        self.g.add((subject, OWL.sameAs, WD[value]))

    def labels(self, d: LDict, subject: URIRef, what: str) -> None:
        """rdfs:label and skos:prefLabel from `label` (required), skos:altLabel, dcterms:description."""
        label = self.text(d, "label", what)
        if label is None:
            raise SourceError(f"{what} lacks required key 'label'", where=d.where())
        self.g.add((subject, RDFS.label, en(label)))
        self.g.add((subject, SKOS.prefLabel, en(label)))
        for alt in self.strings(d, "alt_labels", what):
            self.g.add((subject, SKOS.altLabel, en(alt)))
        description = self.text(d, "description", what)
        if description is not None:
            self.g.add((subject, DCTERMS.description, en(description.strip())))

    def note(self, d: LDict, subject: URIRef) -> None:
        """fo:note from `note`, when given."""
        note = self.text(d, "note", "note")
        if note is not None:
            self.g.add((subject, FO.note, en(note)))

    def date(self, d: LDict, key: str) -> PartialDate | None:
        """The partial date under `key`, None when absent; a bad one is an error at its line."""
        value = d.get(key)
        return None if value is None else PartialDate.parse(value, d.where(key))

    def span(self, d: LDict, subject: URIRef) -> tuple[PartialDate | None, PartialDate | None]:
        """Emit `start`/`end` of `d` on `subject` (fo:startDate/fo:endDate); an end before the start is an error."""
        start, end = self.date(d, "start"), self.date(d, "end")
        if start is not None and end is not None and end.before(start):
            raise SourceError(f"end {end} is before start {start}", where=d.where("end"))
        emit.span(self.g, subject, start, end)
        return start, end

    def ref_treaty_or_alliance(self, ref: Any, where: str) -> URIRef:
        """The treaty or alliance a slug names."""
        if isinstance(ref, str) and ref in self.treaties:
            return treaty_iri(ref)
        if isinstance(ref, str) and ref in self.alliances:
            return alliance_iri(ref)
        raise SourceError(f"unknown treaty or alliance {ref!r}", where=where)

    def ref_treaty(self, ref: Any, where: str) -> URIRef:
        """The treaty a slug names."""
        if isinstance(ref, str) and ref in self.treaties:
            return treaty_iri(ref)
        raise SourceError(f"unknown treaty {ref!r}", where=where)
