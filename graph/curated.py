"""Turn the hand-written curated core (graph/curated/, FORMAT.md) into the RDF of the `curated` named graph.

Strict by design: an unknown key, a fact without a citation, a bad date, an unknown actor or event
type stops the build with a SourceError naming file:line,
because a silently dropped fact is worse than a failed build.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from foedus.errors import SourceError, location
from foedus.fo_terms import FO, ROLE
from foedus.graph import emit
from foedus.graph.dates import PartialDate
from foedus.graph.yamlsrc import LDict, LList, load_yaml
from foedus.vocab import (
    ORG,
    SCHEMA,
    WD,
    actor_iri,
    alliance_iri,
    instrument_iri,
    is_slug,
    kind_prefix,
    mint,
    numbered_iri,
    state_iri,
    sub_iri,
    treaty_iri,
    wikidata_page,
)

ROLES = ("host", "participant", "organiser", "supplier", "recipient", "observer")
CITATION_KINDS = ("treaty-text", "depositary", "official-page", "wikidata", "scholarly", "news", "mirror")

EVENT_CLASSES: dict[str, URIRef] = {
    "signature": FO.Signature,
    "ratification": FO.Ratification,
    "deposit": FO.Deposit,
    "entry-into-force": FO.EntryIntoForce,
    "accession": FO.Accession,
    "withdrawal": FO.Withdrawal,
    "withdrawal-notice": FO.WithdrawalNotice,
    "partial-withdrawal": FO.PartialWithdrawal,
    "reintegration": FO.Reintegration,
    "suspension": FO.Suspension,
    "reinstatement": FO.Reinstatement,
    "termination": FO.Termination,
    "expiry": FO.Expiry,
    "renewal": FO.Renewal,
    "invocation": FO.Invocation,
    "founding": FO.Founding,
    "dissolution": FO.Dissolution,
}
TREATY_CLASSES: dict[str, URIRef] = {
    "treaty": FO.Treaty,
    "protocol": FO.Protocol,
    "accession-protocol": FO.AccessionProtocol,
    "mou": FO.MemorandumOfUnderstanding,
    "joint-declaration": FO.JointDeclaration,
    "exchange-of-notes": FO.ExchangeOfNotes,
    "peace-treaty": FO.PeaceTreaty,
    "agreement": FO.Agreement,
}
OBLIGATION_CLASSES: dict[str, URIRef] = {
    "defence": FO.DefenceObligation,
    "offence": FO.OffenceObligation,
    "neutrality": FO.NeutralityObligation,
    "non-aggression": FO.NonAggressionObligation,
    "consultation": FO.ConsultationObligation,
}
CONDITION_CLASSES: dict[str, URIRef] = {
    "location": FO.LocationCondition,
    "adversary": FO.AdversaryCondition,
    "non-provocation": FO.NonProvocationCondition,
    "conflict-type": FO.ConflictTypeCondition,
    "number-of-adversaries": FO.NumberOfAdversariesCondition,
    "demand": FO.DemandCondition,
    "non-compliance": FO.NonComplianceCondition,
    "other": FO.OtherCondition,
}
PROVISION_CLASSES: dict[str, URIRef] = {
    "military-aid": FO.MilitaryAidProvision,
    "bases": FO.BasesProvision,
    "integrated-command": FO.IntegratedCommandProvision,
    "organisation": FO.OrganisationProvision,
    "policy-coordination": FO.PolicyCoordinationProvision,
    "troop-contributions": FO.TroopContributionProvision,
    "arms-control": FO.ArmsControlProvision,
    "intelligence-sharing": FO.IntelligenceSharingProvision,
}
INSTRUMENT_CLASSES: dict[str, URIRef] = {
    "joint-exercise": FO.JointExercise,
    "intelligence-sharing": FO.IntelligenceSharingArrangement,
    "attache-post": FO.AttachePost,
    "training-programme": FO.TrainingProgramme,
    "arms-transfer": FO.ArmsTransfer,
    "military-assistance": FO.MilitaryAssistance,
    "strategic-dialogue": FO.StrategicDialogue,
    "liaison-arrangement": FO.LiaisonArrangement,
    "confidence-building-measure": FO.ConfidenceBuildingMeasure,
    "crisis-hotline": FO.CrisisCommunicationChannel,
    "defence-cooperation-agreement": FO.DefenceCooperationAgreement,
}
ACTOR_CLASSES: dict[str, URIRef] = {
    "state": FO.State,
    "organisation": FO.InternationalOrganization,
    "person": FO.Person,
}

# Citations for the provenance tokens of states.csv's `source` column (the data sets it was merged from).
STATE_SOURCE_CITATIONS: dict[str, tuple[str, str, str]] = {
    "owid-crosswalk": (
        "Our World in Data, countries and regions table (COW, ISO 3166 and Wikidata identifiers)",
        "https://github.com/owid/owid-grapher",
        "Our World in Data",
    ),
    "owid-historical": (
        "Historical states and their Wikidata items (hand-made companion of the OWID crosswalk)",
        "https://github.com/owid/owid-grapher",
        "Foedus curators",
    ),
    "cow-only": (
        'Correlates of War Project. 2017. "State System Membership List, v2016."',
        "https://correlatesofwar.org/data-sets/state-system-membership/",
        "Correlates of War Project",
    ),
    "curated": (
        "Foedus curators' decisions on state identity (graph/curated/states_overrides.csv, graph/README.md)",
        "https://w3id.org/foedus/",
        "Foedus",
    ),
}

_WIKIDATA = re.compile(r"^Q[1-9]\d*$")
_CITE_WD = re.compile(r"^wikidata:(Q[1-9]\d*)$")

STATE_COLUMNS = (
    "cow_code",
    "cow_letters",
    "name",
    "alt_names",
    "iso_alpha2",
    "iso_alpha3",
    "wikidata",
    "wikidata_predecessors",
    "identity_note",
    "source",
)


@dataclass
class CuratedCore:
    """The curated graph plus what the rest of the build needs from it."""

    graph: Graph
    alliance_iris: dict[int, URIRef]
    files: list[Path]
    warnings: list[str] = field(default_factory=list)


def display_path(path: Path) -> str:
    """A path as errors show it: relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


class _Actors:
    """The actors a curated file may name: COW codes from states.csv, slugs from actors.yaml."""

    def __init__(self, states: set[int] | None, slugs: set[str], alliances: set[str] | None = None) -> None:
        self.states = states
        self.slugs = slugs
        self.alliances = alliances or set()

    def iri(self, ref: Any, where: str) -> URIRef:
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
            f"unknown actor {ref!r}: not a COW code in states.csv, a slug in actors.yaml "
            "nor an alliance slug",
            where=where,
        )



def _list(d: LDict, key: str) -> LList:
    """The list under `key` (empty when absent); anything else is an error naming the place."""
    value = d.get(key) or LList()
    if not isinstance(value, LList):
        raise SourceError(f"`{key}` must be a list", where=d.where(key))
    return value


@dataclass
class _CoreChecks:
    """What the checks of one file need from the whole core: QIDs already given, hosts we do not cite, warnings."""

    uncitable_hosts: dict[str, str]  # host -> why it is no citable source (uncitable_hosts.csv)
    warnings: list[str]
    wikidata_owners: dict[str, tuple[URIRef, str]] = field(default_factory=dict)  # QID -> (IRI, place)


def _load_uncitable_hosts(path: Path) -> dict[str, str]:
    """host -> reason, from uncitable_hosts.csv (absent: none); a row without both is an error at its line."""
    if not path.exists():
        return {}
    hosts: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            host, reason = (row.get("host") or "").strip().lower(), (row.get("reason") or "").strip()
            if not host or not reason:
                raise SourceError("each row needs a host and a reason", where=location(display_path(path), line))
            hosts[host] = reason
    return hosts


def _uncitable(url: str, hosts: dict[str, str]) -> tuple[str, str] | None:
    """The listed host (or parent domain) a URL points at, with the reason, if any."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in hosts:
            return candidate, hosts[candidate]
    return None


class _File:
    """Emits the triples of one curated YAML file, checking each value as it goes."""

    def __init__(
        self,
        g: Graph,
        doc: LDict,
        kind: str,
        slug: str,
        actors: _Actors,
        treaties: set[str],
        alliances: set[str],
        shared: _CoreChecks,
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

    # -- checking helpers --
    def keys(
        self, d: Any, where: str, what: str, allowed: Iterable[str], required: Iterable[str] = ()
    ) -> LDict:
        if not isinstance(d, LDict):
            raise SourceError(f"{what} must be a mapping, got {type(d).__name__}", where=where)
        allowed = set(allowed)
        for key in d:
            if key not in allowed:
                raise SourceError(
                    f"unknown key {key!r} in {what}; allowed: {', '.join(sorted(allowed))}",
                    where=d.where(key),
                )
        for key in required:
            if d.get(key) is None:
                raise SourceError(f"{what} lacks required key {key!r}", where=d.where())
        return d

    def text(self, d: LDict, key: str, what: str) -> str | None:
        value = d.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise SourceError(f"{what} {key!r} must be a non-empty string", where=d.where(key))
        return value

    def strings(self, d: LDict, key: str, what: str) -> list[str]:
        value = d.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise SourceError(f"{what} {key!r} must be a string or a list of strings", where=d.where(key))
        return list(value)

    def choice(self, d: LDict, key: str, options: Iterable[str], what: str) -> str:
        value = d.get(key)
        options = list(options)
        if value not in options:
            raise SourceError(
                f"unknown {what} {value!r}; expected one of: {', '.join(options)}", where=d.where(key)
            )
        return str(value)

    def boolean(self, d: LDict, key: str, what: str) -> bool | None:
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
        sources = self.doc.get("sources")
        if not isinstance(sources, LDict) or not sources:
            raise SourceError("file lacks a `sources:` map of citations", where=self.doc.where("sources"))
        for key, value in sources.items():
            where = sources.where(key)
            if not is_slug(key):
                raise SourceError(
                    f"citation key {key!r} must be a slug (lowercase, digits, '-')", where=where
                )
            c = self.keys(
                value, where, f"citation {key!r}", ("title", "url", "publisher", "kind", "note"), ("title",)
            )
            iri = mint("citation", self.kind, self.slug, key)
            self.g.add((iri, RDF.type, FO.Citation))
            self.g.add((iri, DCTERMS.title, _en(self.text(c, "title", "citation") or "")))
            url = self.text(c, "url", "citation")
            if url is not None:
                if not re.match(r"^https?://\S+$", url):
                    raise SourceError(f"citation url {url!r} is not an http(s) URL", where=c.where("url"))
                self.g.add((iri, SCHEMA.url, URIRef(url)))
                listed = _uncitable(url, self.shared.uncitable_hosts)
                if listed is not None:
                    self.shared.warnings.append(
                        f"{c.where('url')}: citation {key!r} points at {listed[0]} ({listed[1]}); cite the treaty "
                        "text, a depositary, an official page, a scholarly work or reputable news instead"
                    )
            publisher = self.text(c, "publisher", "citation")
            if publisher is not None:
                self.g.add((iri, DCTERMS.publisher, Literal(publisher)))
            if c.get("kind") is not None:
                self.g.add(
                    (iri, FO.citationKind, Literal(self.choice(c, "kind", CITATION_KINDS, "citation kind")))
                )
            note = self.text(c, "note", "citation")
            if note is not None:
                self.g.add((iri, FO.note, _en(note)))
            self.citations[key] = iri

    def cite(self, d: LDict, key: str = "source", *, required: bool = True) -> list[URIRef]:
        """The citation nodes named by d[key]; a fact without one is an error."""
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
        out = []
        for ref in refs:
            out.append(self.citation(ref, d.where(key)))
        return out

    def citation(self, ref: Any, where: str) -> URIRef:
        if isinstance(ref, str):
            if ref in self.citations:
                return self.citations[ref]
            match = _CITE_WD.match(ref)
            if match:
                return wikidata_citation(self.g, match[1])
        raise SourceError(
            f"unknown citation {ref!r}: not a key of this file's `sources:` nor wikidata:Q…", where=where
        )

    def add_sources(self, subject: URIRef, cites: list[URIRef]) -> None:
        for c in cites:
            self.g.add((subject, DCTERMS.source, c))

    # -- shared pieces --
    def wikidata(self, d: LDict, key: str, subject: URIRef) -> None:
        value = d.get(key)
        if value is None:
            return
        if not isinstance(value, str) or not _WIKIDATA.match(value):
            raise SourceError(
                f"{key} must be a Wikidata item id like Q7184, got {value!r}", where=d.where(key)
            )
        # owl:sameAs to one item from two of our IRIs would make them one thing (an alliance and its treaty, say).
        owner = self.shared.wikidata_owners.setdefault(value, (subject, d.where(key)))
        if owner[0] != subject:
            raise SourceError(
                f"Wikidata item {value} is already the item of {owner[0]} ({owner[1]}); "
                "one item links one thing",
                where=d.where(key),
            )
        self.g.add((subject, OWL.sameAs, WD[value]))

    def labels(self, d: LDict, subject: URIRef, what: str) -> None:
        label = self.text(d, "label", what)
        if label is None:
            raise SourceError(f"{what} lacks required key 'label'", where=d.where())
        self.g.add((subject, RDFS.label, _en(label)))
        self.g.add((subject, SKOS.prefLabel, _en(label)))
        for alt in self.strings(d, "alt_labels", what):
            self.g.add((subject, SKOS.altLabel, _en(alt)))
        description = self.text(d, "description", what)
        if description is not None:
            self.g.add((subject, DCTERMS.description, _en(description.strip())))

    def note(self, d: LDict, subject: URIRef) -> None:
        note = self.text(d, "note", "note")
        if note is not None:
            self.g.add((subject, FO.note, _en(note)))

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
        if isinstance(ref, str) and ref in self.treaties:
            return treaty_iri(ref)
        if isinstance(ref, str) and ref in self.alliances:
            return alliance_iri(ref)
        raise SourceError(f"unknown treaty or alliance {ref!r}", where=where)

    def ref_treaty(self, ref: Any, where: str) -> URIRef:
        if isinstance(ref, str) and ref in self.treaties:
            return treaty_iri(ref)
        raise SourceError(f"unknown treaty {ref!r}", where=where)

    # -- events --
    def event(self, e: Any, where: str, owner: str, link: tuple[URIRef, URIRef]) -> tuple[str, URIRef, LDict]:
        """One dated event (signature, accession …); `link` = (property, target) ties it to its owner."""
        e = self.keys(
            e,
            where,
            "event",
            (
                "type",
                "date",
                "actor",
                "place",
                "place_wikidata",
                "article",
                "scope",
                "treaty",
                "note",
                "source",
                "disputed",
            ),
            ("type",),
        )
        etype = self.choice(e, "type", EVENT_CLASSES, "event type")
        cites = self.cite(e)
        parts: list[object] = [owner, etype]
        actor = None
        if e.get("actor") is not None:
            actor = self.actors.iri(e["actor"], e.where("actor"))
            parts.append(e["actor"])
        iri = mint("event", *parts)
        if iri in self.used_iris and isinstance(e.get("date"), str):
            iri = mint("event", *parts, e["date"])
        iri = self.fresh(iri)
        emit.event(self.g, iri, EVENT_CLASSES[etype], self.date(e, "date"))
        self.g.add((iri, link[0], link[1]))
        if actor is not None:
            self.g.add((iri, FO.byActor, actor))
        place = self.text(e, "place", "event")
        if place is not None:
            self.g.add((iri, FO.placeName, Literal(place)))
        if e.get("place_wikidata") is not None:
            value = e["place_wikidata"]
            if not isinstance(value, str) or not _WIKIDATA.match(value):
                raise SourceError(
                    f"place_wikidata must be a Wikidata item id, got {value!r}",
                    where=e.where("place_wikidata"),
                )
            self.g.add((iri, URIRef("http://www.w3.org/ns/prov#atLocation"), WD[value]))
        article = e.get("article")
        if article is not None:
            self.g.add((iri, FO.article, Literal(str(article))))
        scope = self.text(e, "scope", "event")
        if scope is not None:
            self.g.add((iri, FO.scope, _en(scope)))
        if e.get("treaty") is not None:
            self.g.add((iri, FO.ofAgreement, self.ref_treaty(e["treaty"], e.where("treaty"))))
        self.note(e, iri)
        self.add_sources(iri, cites)
        if e.get("disputed") is not None:
            self.disputed(e, iri, {"date": (FO.date, False)}, cites)
        return etype, iri, e

    # -- disagreements --
    def disputed(
        self,
        d: LDict,
        subject: URIRef,
        aspects: dict[str, tuple[URIRef, bool]],
        own_cites: list[URIRef],
    ) -> None:
        """`disputed:` alternatives become a fo:Disagreement per aspect, one fo:Claim per view."""
        items = d["disputed"]
        if not isinstance(items, LList) or not items:
            raise SourceError("`disputed` must be a list of alternatives", where=d.where("disputed"))
        by_aspect: dict[str, list[tuple[PartialDate, LDict]]] = {}
        for i, alt in enumerate(items):
            where = items.where(i)
            alt = self.keys(alt, where, "disputed value", (*aspects, "source", "note"))
            named = [a for a in aspects if alt.get(a) is not None]
            if not named:
                raise SourceError(
                    f"a disputed value names at least one of: {', '.join(aspects)}", where=where
                )
            for aspect in named:
                value = PartialDate.parse(alt[aspect], alt.where(aspect))
                by_aspect.setdefault(aspect, []).append((value, alt))
        for aspect, alts in by_aspect.items():
            prop, is_end = aspects[aspect]
            dis = sub_iri(subject, "disagreement", aspect)
            self.g.add((dis, RDF.type, FO.Disagreement))
            self.g.add((dis, FO.concerns, subject))
            self.g.add((dis, FO.aspect, Literal(prop.split("/")[-1])))
            ours = self.g.value(subject, prop)
            n = 1
            if ours is not None:
                claim = sub_iri(dis, "claim", n)
                self.g.add((dis, FO.hasClaim, claim))
                self.g.add((claim, RDF.type, FO.Claim))
                self.g.add((claim, FO.claimValue, ours))
                self.add_sources(claim, own_cites)
                self.g.add((claim, FO.note, _en("the value this graph asserts")))
            for value, alt in alts:
                n += 1
                claim = sub_iri(dis, "claim", n)
                self.g.add((dis, FO.hasClaim, claim))
                self.g.add((claim, RDF.type, FO.Claim))
                self.g.add((claim, FO.claimValue, value.literal(end=is_end)))
                self.add_sources(claim, self.cite(alt))
                self.note(alt, claim)


def wikidata_citation(g: Graph, qid: str) -> URIRef:
    """The citation node for `source: wikidata:Q…` (one per item, shared by every file that cites it)."""
    iri = mint("citation", "wikidata", qid)
    g.add((iri, RDF.type, FO.Citation))
    g.add((iri, DCTERMS.title, Literal(f"Wikidata item {qid}")))
    g.add((iri, SCHEMA.url, wikidata_page(qid)))
    g.add((iri, DCTERMS.publisher, Literal("Wikidata")))
    g.add((iri, FO.citationKind, Literal("wikidata")))
    return iri


# ----------------------------------------------------------------------------
# states.csv and actors.yaml


def _load_states(path: Path, g: Graph) -> set[int]:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read: {exc}", where=shown) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise SourceError("empty file: expected a header row", where=location(shown, 1))
    header = rows[0]
    for colno, name in enumerate(header, start=1):
        if name not in STATE_COLUMNS:
            raise SourceError(
                f"unknown column {name!r}; expected: {', '.join(STATE_COLUMNS)}",
                where=location(shown, 1, colno),
            )
    if "cow_code" not in header or "name" not in header or "source" not in header:
        raise SourceError("header must have cow_code, name and source", where=location(shown, 1))
    codes: set[int] = set()
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) != len(header):
            raise SourceError(f"{len(row)} cells, header has {len(header)}", where=location(shown, lineno))
        rec = dict(zip(header, row, strict=True))

        def col(name: str, rec: dict[str, str] = rec) -> str:
            return rec.get(name, "").strip()

        def at(name: str, lineno: int = lineno) -> str:
            return location(shown, lineno, header.index(name) + 1)

        if not col("cow_code").isdigit():
            raise SourceError(f"cow_code must be an integer, got {col('cow_code')!r}", where=at("cow_code"))
        code = int(col("cow_code"))
        if code in codes:
            raise SourceError(f"duplicate cow_code {code}", where=at("cow_code"))
        codes.add(code)
        s = state_iri(code)
        g.add((s, RDF.type, FO.State))
        g.add((s, FO.cowCode, Literal(code)))
        if not col("name"):
            raise SourceError("state lacks a name", where=at("name"))
        g.add((s, RDFS.label, _en(col("name"))))
        g.add((s, SKOS.prefLabel, _en(col("name"))))
        for alt in filter(None, (a.strip() for a in col("alt_names").split("|"))):
            g.add((s, SKOS.altLabel, _en(alt)))
        if col("cow_letters"):
            g.add((s, FO.cowLetters, Literal(col("cow_letters"))))
        for name, prop, pattern in (
            ("iso_alpha2", FO.iso3166Alpha2, r"^[A-Z]{2}$"),
            ("iso_alpha3", FO.iso3166Alpha3, r"^[A-Z]{3}$"),
        ):
            if col(name):
                if not re.match(pattern, col(name)):
                    raise SourceError(f"bad {name} {col(name)!r}", where=at(name))
                g.add((s, prop, Literal(col(name))))
        if col("wikidata"):
            if not _WIKIDATA.match(col("wikidata")):
                raise SourceError(f"bad Wikidata id {col('wikidata')!r}", where=at("wikidata"))
            g.add((s, SKOS.exactMatch, WD[col("wikidata")]))  # states: never owl:sameAs (graph/README.md)
        for qid in filter(None, (q.strip() for q in col("wikidata_predecessors").split("|"))):
            if not _WIKIDATA.match(qid):
                raise SourceError(f"bad Wikidata id {qid!r}", where=at("wikidata_predecessors"))
            g.add((s, SKOS.closeMatch, WD[qid]))
        if col("identity_note"):
            g.add((s, FO.note, _en(col("identity_note"))))
        if not col("source"):
            raise SourceError("no citation: the source column is empty", where=at("source"))
        for token in col("source").split("+"):
            key = token.split("(")[0].strip()
            if key not in STATE_SOURCE_CITATIONS:
                raise SourceError(
                    f"unknown source {token!r}; known: {', '.join(STATE_SOURCE_CITATIONS)}",
                    where=at("source"),
                )
            title, url, publisher = STATE_SOURCE_CITATIONS[key]
            c = mint("citation", "states", key)
            g.add((c, RDF.type, FO.Citation))
            g.add((c, DCTERMS.title, _en(title)))
            g.add((c, SCHEMA.url, URIRef(url)))
            g.add((c, DCTERMS.publisher, Literal(publisher)))
            g.add((s, DCTERMS.source, c))
    return codes


def _load_actors(
    path: Path, g: Graph, actors: _Actors, shared: _CoreChecks
) -> None:
    doc = load_yaml(path, display_path(path))
    if not isinstance(doc, LDict) or not isinstance(doc.get("actors"), LList):
        raise SourceError(
            "actors.yaml must be a map with `sources:` and an `actors:` list",
            where=location(display_path(path), 1),
        )
    items = doc["actors"]
    f = _File(g, doc, "actors", "actors", actors, set(), set(), shared)
    f.keys(doc, doc.where(), "actors.yaml", ("actors", "sources"))
    f.read_sources()
    checked: list[LDict] = []
    for i, a in enumerate(items):
        a = f.keys(
            a,
            items.where(i),
            "actor",
            (
                "id",
                "label",
                "alt_labels",
                "kind",
                "description",
                "wikidata",
                "continued_by",
                "start",
                "end",
                "source",
                "note",
            ),
            ("id", "label", "kind"),
        )
        checked.append(a)
        slug = a["id"]
        if not isinstance(slug, str) or not is_slug(slug):
            raise SourceError(f"actor id {slug!r} must be a slug", where=a.where("id"))
        if slug in actors.slugs:
            raise SourceError(f"duplicate actor id {slug!r}", where=a.where("id"))
        actors.slugs.add(slug)
        iri = actor_iri(slug)
        g.add((iri, RDF.type, ACTOR_CLASSES[f.choice(a, "kind", ACTOR_CLASSES, "actor kind")]))
        f.labels(a, iri, "actor")
        f.wikidata(a, "wikidata", iri)
        f.span(a, iri)
        f.note(a, iri)
        f.add_sources(iri, f.cite(a))
    for a in checked:  # second pass: `continued_by` may name an actor listed further down
        if a.get("continued_by") is not None:
            g.add(
                (
                    actor_iri(a["id"]),
                    DCTERMS.isReplacedBy,
                    actors.iri(a["continued_by"], a.where("continued_by")),
                )
            )


# ----------------------------------------------------------------------------
# alliances/<slug>.yaml

ALLIANCE_KEYS = (
    "label",
    "alt_labels",
    "kind",
    "international_organisation",
    "description",
    "wikidata",
    "atop",
    "cow",
    "identifier_source",
    "sources",
    "treaties",
    "members",
    "events",
)
TREATY_KEYS = (
    "id",
    "label",
    "alt_labels",
    "kind",
    "binding",
    "wikidata",
    "depositary",
    "amends",
    "events",
    "obligations",
    "provisions",
    "provisions_source",
    "description",
    "note",
)
MEMBER_KEYS = ("member", "start", "end", "start_event", "end_event", "source", "note", "disputed")


def _alliance(f: _File, alliance_iris: dict[int, URIRef]) -> None:
    d = f.keys(f.doc, f.doc.where(), "alliance file", ALLIANCE_KEYS, ("label", "kind"))
    g, slug = f.g, f.slug
    a = alliance_iri(slug)
    kind = f.choice(d, "kind", ("organisation", "collaboration", "not-an-alliance"), "alliance kind")
    if kind == "organisation":
        g.add((a, RDF.type, FO.InstitutionalisedAlliance))
        g.add((a, RDF.type, ORG.FormalOrganization))
    elif kind == "collaboration":
        g.add((a, RDF.type, FO.Alliance))
        g.add((a, RDF.type, ORG.OrganizationalCollaboration))
    elif f.boolean(d, "international_organisation", "alliance file"):
        g.add((a, RDF.type, FO.InternationalOrganization))  # an organisation we do not class as alliance (SCO)
    else:
        g.add((a, RDF.type, ORG.OrganizationalCollaboration))
    if kind != "not-an-alliance" and d.get("international_organisation") is not None:
        raise SourceError(
            "`international_organisation` is for kind: not-an-alliance (kind: organisation already is one)",
            where=d.where("international_organisation"),
        )
    f.labels(d, a, "alliance")
    f.wikidata(d, "wikidata", a)
    id_cites: list[URIRef] = []
    if any(d.get(k) is not None for k in ("wikidata", "atop", "cow")):
        id_cites = f.cite(d, "identifier_source")
    for key, prop in (("atop", FO.atopId), ("cow", FO.cowAllianceId)):
        values = d.get(key)
        if values is None:
            continue
        if isinstance(values, int) and not isinstance(values, bool):
            values = [values]
        if not isinstance(values, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            raise SourceError(f"`{key}` must be a list of integer ids", where=d.where(key))
        for v in values:
            g.add((a, prop, Literal(v)))
            if key == "atop":
                if v in alliance_iris and alliance_iris[v] != a:
                    raise SourceError(
                        f"ATOP id {v} is already claimed by {alliance_iris[v]}", where=d.where(key)
                    )
                alliance_iris[v] = a
    f.add_sources(a, id_cites)

    treaties = _list(d, "treaties")
    events: list[tuple[str, URIRef, LDict]] = []
    for i, t in enumerate(treaties):
        events.extend(_treaty(f, t, treaties.where(i), a))
    alliance_events = _list(d, "events")
    for i, e in enumerate(alliance_events):
        of = FO.ofAlliance if kind != "not-an-alliance" else FO.ofCollaboration
        events.append(f.event(e, alliance_events.where(i), slug, (of, a)))

    members = _list(d, "members")
    parties = set()
    for i, m in enumerate(members):
        parties.add(_membership(f, m, members.where(i), a, events, alliance_kind=kind != "not-an-alliance"))
    if kind != "not-an-alliance" and len(parties) >= 2:
        g.add((a, RDF.type, FO.BilateralAlliance if len(parties) == 2 else FO.MultilateralAlliance))


def _treaty(f: _File, t: Any, where: str, alliance: URIRef) -> list[tuple[str, URIRef, LDict]]:
    t = f.keys(t, where, "treaty", TREATY_KEYS, ("id", "label", "kind"))
    g = f.g
    tslug = t["id"]
    if not isinstance(tslug, str) or not is_slug(tslug):
        raise SourceError(f"treaty id {tslug!r} must be a slug", where=t.where("id"))
    tr = treaty_iri(tslug)
    g.add((tr, RDF.type, TREATY_CLASSES[f.choice(t, "kind", TREATY_CLASSES, "treaty kind")]))
    g.add((alliance, FO.basedOn, tr))
    f.labels(t, tr, "treaty")
    f.note(t, tr)
    binding = f.boolean(t, "binding", "treaty")
    if binding is not None:
        g.add((tr, FO.legallyBinding, Literal(binding)))
    f.wikidata(t, "wikidata", tr)
    if t.get("depositary") is not None:
        g.add((tr, FO.depositary, f.actors.iri(t["depositary"], t.where("depositary"))))
    if t.get("amends") is not None:
        g.add((tr, FO.amends, f.ref_treaty(t["amends"], t.where("amends"))))
    events = _list(t, "events")
    out = [f.event(e, events.where(i), tslug, (FO.ofAgreement, tr)) for i, e in enumerate(events)]
    obligations = _list(t, "obligations")
    for i, o in enumerate(obligations, start=1):
        o = f.keys(
            o,
            obligations.where(i - 1),
            "obligation",
            ("type", "article", "summary", "conditions", "source", "note"),
            ("type",),
        )
        ob = mint("obligation", tslug, i)
        otype = f.choice(o, "type", OBLIGATION_CLASSES, "obligation type")
        g.add((ob, RDF.type, OBLIGATION_CLASSES[otype]))
        g.add((tr, FO.hasObligation, ob))
        if o.get("article") is not None:
            g.add((ob, FO.article, Literal(str(o["article"]))))
        summary = f.text(o, "summary", "obligation")
        if summary is not None:
            g.add((ob, DCTERMS.description, _en(summary)))
        f.note(o, ob)
        f.add_sources(ob, f.cite(o))
        conditions = _list(o, "conditions")
        if conditions:
            g.add((ob, RDF.type, FO.ConditionalObligation))
        for j, c in enumerate(conditions, start=1):
            cwhere = conditions.where(j - 1)
            if isinstance(c, str):
                ctype, cnote = c, None
                if c not in CONDITION_CLASSES:
                    raise SourceError(
                        f"unknown condition type {c!r}; expected one of: {', '.join(CONDITION_CLASSES)}",
                        where=cwhere,
                    )
            else:
                c = f.keys(c, cwhere, "condition", ("type", "note"), ("type",))
                ctype = f.choice(c, "type", CONDITION_CLASSES, "condition type")
                cnote = f.text(c, "note", "condition")
            cond = mint("condition", tslug, i, j)
            g.add((cond, RDF.type, CONDITION_CLASSES[ctype]))
            g.add((ob, FO.hasCondition, cond))
            if cnote is not None:
                g.add((cond, FO.note, _en(cnote)))
    provisions = t.get("provisions")
    if provisions is not None:
        if not isinstance(provisions, LList):
            raise SourceError("`provisions` must be a list", where=t.where("provisions"))
        cites = f.cite(t, "provisions_source")
        for i, p in enumerate(provisions):
            if p not in PROVISION_CLASSES:
                raise SourceError(
                    f"unknown provision {p!r}; expected one of: {', '.join(PROVISION_CLASSES)}",
                    where=provisions.where(i),
                )
            pv = mint("provision", tslug, p)
            g.add((pv, RDF.type, PROVISION_CLASSES[p]))
            g.add((pv, RDFS.label, _en(p.replace("-", " "))))
            g.add((tr, FO.hasProvision, pv))
            f.add_sources(pv, cites)
    return out


def _membership(
    f: _File, m: Any, where: str, alliance: URIRef, events: list[tuple[str, URIRef, LDict]], *, alliance_kind: bool
) -> URIRef:
    """One member spell; in a treaty family that is no alliance it is a plain org:Membership (no allied dyads)."""
    m = f.keys(m, where, "member spell", MEMBER_KEYS, ("member",))
    g = f.g
    member = f.actors.iri(m["member"], m.where("member"))
    cites = f.cite(m)
    start_key = m["start"] if isinstance(m.get("start"), str) else "unknown"
    ms = f.fresh(mint("membership", f.slug, m["member"], start_key))
    g.add((ms, RDF.type, FO.AllianceMembership if alliance_kind else ORG.Membership))
    g.add((ms, ORG.member, member))
    g.add((ms, ORG.organization, alliance))
    g.add((alliance, FO.hasParty, member))
    start, end = f.span(m, ms)
    emit.member_during(g, ms, start, end)
    for key, prop, date in (("start_event", FO.startedBy, start), ("end_event", FO.endedBy, end)):
        if m.get(key) is None:
            continue
        etype = f.choice(m, key, EVENT_CLASSES, "event type")
        of = (FO.ofAlliance if alliance_kind else FO.ofCollaboration, alliance)
        g.add((ms, prop, _spell_event(f, etype, m, member, date, of, events, cites)))
    f.note(m, ms)
    f.add_sources(ms, cites)
    if m.get("disputed") is not None:
        f.disputed(m, ms, {"start": (FO.startDate, False), "end": (FO.endDate, True)}, cites)
    return member


def _spell_event(
    f: _File,
    etype: str,
    m: LDict,
    member: URIRef,
    date: PartialDate | None,
    of: tuple[URIRef, URIRef],
    events: list[tuple[str, URIRef, LDict]],
    cites: list[URIRef],
) -> URIRef:
    """The listed event of that type by this member, else an actor-less one that day, else a new one."""
    listed = _listed_event(f, etype, events, member)
    if listed is not None:
        return listed
    for t, iri, e in events:
        if (
            t == etype
            and e.get("actor") is None
            and date is not None
            and e.get("date") is not None
            and PartialDate.parse(e["date"], e.where("date")) == date
        ):
            return iri
    return _new_spell_event(f, etype, m["member"], of, member, date, cites)


# ----------------------------------------------------------------------------
# instruments/<slug>.yaml

INSTRUMENT_KEYS = (
    "label",
    "alt_labels",
    "type",
    "description",
    "wikidata",
    "start",
    "end",
    "recurring",
    "place",
    "based_on",
    "participants",
    "occurrences",
    "events",
    "sources",
    "source",
    "note",
)


def _instrument(f: _File) -> None:
    d = f.keys(f.doc, f.doc.where(), "instrument file", INSTRUMENT_KEYS, ("label", "type"))
    g, slug = f.g, f.slug
    ins = instrument_iri(slug)
    g.add((ins, RDF.type, INSTRUMENT_CLASSES[f.choice(d, "type", INSTRUMENT_CLASSES, "instrument type")]))
    f.labels(d, ins, "instrument")
    f.wikidata(d, "wikidata", ins)
    f.note(d, ins)
    f.add_sources(ins, f.cite(d, required=False))
    f.span(d, ins)
    recurring = f.boolean(d, "recurring", "instrument")
    if recurring is not None:
        g.add((ins, FO.recurring, Literal(recurring)))
    place = f.text(d, "place", "instrument")
    if place is not None:
        g.add((ins, FO.placeName, Literal(place)))
    based_on = d.get("based_on") or LList()
    if isinstance(based_on, str):
        based_on = LList([based_on])
    for ref in based_on:
        g.add((ins, FO.basedOn, f.ref_treaty_or_alliance(ref, d.where("based_on"))))
    events = _list(d, "events")
    listed = [f.event(e, events.where(i), slug, (FO.ofInstrument, ins)) for i, e in enumerate(events)]
    participants = _list(d, "participants")
    for i, p in enumerate(participants):
        p = f.keys(
            p,
            participants.where(i),
            "participant",
            ("actor", "role", "start", "end", "start_event", "end_event", "source", "note"),
            ("actor", "role"),
        )
        actor = f.actors.iri(p["actor"], p.where("actor"))
        role = f.choice(p, "role", ROLES, "participant role")
        cites = f.cite(p)
        part = f.fresh(mint("participation", slug, p["actor"], role))
        g.add((part, RDF.type, FO.Participation))
        g.add((ins, FO.hasParticipation, part))
        g.add((ins, FO.hasParticipant, actor))
        g.add((part, FO.participant, actor))
        g.add((part, FO.participantRole, ROLE[role]))
        start, end = f.span(p, part)
        for key, prop, date in (("start_event", FO.startedBy, start), ("end_event", FO.endedBy, end)):
            if p.get(key) is not None:
                etype = f.choice(p, key, EVENT_CLASSES, "event type")
                ev = _listed_event(f, etype, listed, actor) or _new_spell_event(
                    f, etype, p["actor"], (FO.ofInstrument, ins), actor, date, cites
                )
                g.add((part, prop, ev))
        f.note(p, part)
        f.add_sources(part, cites)
    occurrences = _list(d, "occurrences")
    for i, o in enumerate(occurrences, start=1):
        o = f.keys(
            o,
            occurrences.where(i - 1),
            "occurrence",
            ("label", "start", "end", "place", "participants", "source", "note"),
            ("label",),
        )
        oc = mint("occurrence", slug, i)
        g.add((oc, RDF.type, FO.Occurrence))
        g.add((oc, FO.occurrenceOf, ins))
        f.labels(o, oc, "occurrence")
        f.span(o, oc)
        place = f.text(o, "place", "occurrence")
        if place is not None:
            g.add((oc, FO.placeName, Literal(place)))
        members = o.get("participants") or LList()
        if not isinstance(members, LList):
            raise SourceError("`participants` must be a list of actors", where=o.where("participants"))
        for j, ref in enumerate(members):
            g.add((oc, FO.hasParticipant, f.actors.iri(ref, members.where(j))))
        f.note(o, oc)
        f.add_sources(oc, f.cite(o))


def _listed_event(f: _File, etype: str, events: list[tuple[str, URIRef, LDict]], actor: URIRef) -> URIRef | None:
    """The event of that type the file lists for this actor, if any."""
    for t, iri, e in events:
        if t == etype and e.get("actor") is not None and f.actors.iri(e["actor"], e.where()) == actor:
            return iri
    return None


def _new_spell_event(
    f: _File,
    etype: str,
    key: Any,
    of: tuple[URIRef, URIRef],
    actor: URIRef,
    date: PartialDate | None,
    cites: list[URIRef],
) -> URIRef:
    """Make the event that began or ended a member's or participant's spell when the file lists none for it."""
    iri = f.fresh(mint("event", f.slug, etype, key))
    emit.event(f.g, iri, EVENT_CLASSES[etype], date)
    f.g.add((iri, *of))
    f.g.add((iri, FO.byActor, actor))
    f.add_sources(iri, cites)
    return iri


# ----------------------------------------------------------------------------


WIKIDATA_KINDS = ("alliance", "treaty", "actor", "instrument", "state")


def wikidata_coverage(g: Graph) -> dict[str, dict[str, Any]]:
    """Per kind of curated thing: how many link to a Wikidata item, and which do not (IRI and label).

    The build report prints it so maintainers see what is left to link; states link by skos:exactMatch or
    skos:closeMatch, everything else by owl:sameAs (graph/README.md).
    """
    out: dict[str, dict[str, Any]] = {}
    for kind in WIKIDATA_KINDS:
        prefix = kind_prefix(kind)
        things = sorted({s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(prefix)})
        preds = (SKOS.exactMatch, SKOS.closeMatch) if kind == "state" else (OWL.sameAs,)
        missing = [
            {"iri": str(t), "label": str(g.value(t, RDFS.label) or "")}
            for t in things
            if not any(str(o).startswith(str(WD)) for p in preds for o in g.objects(t, p))
        ]
        out[kind] = {"total": len(things), "linked": len(things) - len(missing), "missing": missing}
    return out


def curated_files(curated_dir: Path) -> list[Path]:
    """Every input file of the curated core, sorted (they all count towards the release version)."""
    return sorted(p for p in curated_dir.rglob("*") if p.is_file() and p.suffix in (".yaml", ".csv"))


def load_curated(curated_dir: Path) -> CuratedCore:
    """Read graph/curated/ (states.csv, actors.yaml, alliances/, instruments/) into the curated graph."""
    g = Graph()
    warnings: list[str] = []
    if not curated_dir.is_dir():
        raise SourceError("curated directory not found", where=str(curated_dir))
    states_csv = curated_dir / "states.csv"
    states: set[int] | None = None
    if states_csv.exists():
        states = _load_states(states_csv, g)
    else:
        warnings.append(f"{display_path(states_csv)} missing: COW codes are not checked")
    docs: list[tuple[str, str, LDict]] = []
    for kind in ("alliances", "instruments"):
        for path in sorted((curated_dir / kind).glob("*.yaml")):
            shown = display_path(path)
            if not is_slug(path.stem):
                raise SourceError(
                    f"file name {path.stem!r} is not a slug (lowercase, digits, '-')", where=shown
                )
            doc = load_yaml(path, shown)
            if not isinstance(doc, LDict):
                raise SourceError("file must hold a YAML mapping", where=location(shown, 1))
            docs.append((kind, path.stem, doc))
        for path in sorted((curated_dir / kind).glob("*")):
            if path.is_file() and path.suffix != ".yaml":
                warnings.append(f"{display_path(path)}: ignored (not .yaml)")

    alliance_slugs = {slug for kind, slug, _ in docs if kind == "alliances"}
    actors = _Actors(states, set(), alliance_slugs)
    shared = _CoreChecks(uncitable_hosts=_load_uncitable_hosts(curated_dir / "uncitable_hosts.csv"),
                         warnings=warnings)
    actors_yaml = curated_dir / "actors.yaml"
    if actors_yaml.exists():
        _load_actors(actors_yaml, g, actors, shared)
    treaty_slugs: dict[str, str] = {}
    for kind, _slug, doc in docs:
        treaties = doc.get("treaties") if kind == "alliances" else None
        if isinstance(treaties, LList):
            for i, t in enumerate(treaties):
                if isinstance(t, LDict) and isinstance(t.get("id"), str):
                    if t["id"] in treaty_slugs:
                        raise SourceError(
                            f"treaty id {t['id']!r} is already used in {treaty_slugs[t['id']]}",
                            where=t.where("id"),
                        )
                    treaty_slugs[t["id"]] = treaties.where(i)

    alliance_iris: dict[int, URIRef] = {}
    for kind, slug, doc in docs:
        f = _File(
            g, doc, kind.rstrip("s"), slug, actors, set(treaty_slugs), alliance_slugs, shared
        )
        f.read_sources()
        if kind == "alliances":
            _alliance(f, alliance_iris)
        else:
            _instrument(f)
    files = curated_files(curated_dir)
    return CuratedCore(graph=g, alliance_iris=alliance_iris, files=files, warnings=warnings)
