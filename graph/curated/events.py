"""Events and disputes of the curated core: dated events of treaties, alliances and instruments, the events that
begin or end a spell, and `disputed:` values kept beside the main value as fo:Disagreement with one fo:Claim each."""

from __future__ import annotations

from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import PROV

from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.curated.reader import WIKIDATA_ID, CuratedFile, en
from foedus.graph.curated.schema import DISPUTED_ASPECTS, EVENT_CLASSES
from foedus.graph.dates import PartialDate
from foedus.graph.yamlsrc import LDict, LList
from foedus.vocab import WD, mint, sub_iri

# An event as read: its type word, its IRI, and the mapping it came from (to match spells to it).
Listed = tuple[str, URIRef, LDict]


def event(f: CuratedFile, e: Any, where: str, owner: str, link: tuple[URIRef, URIRef]) -> Listed:
    """One dated event (signature, accession …); `link` = (property, target) ties it to its owner."""
    e = f.keys(e, where, "event")
    etype = f.choice(e, "type", EVENT_CLASSES, "event type")
    cites = f.cite(e)
    parts: list[object] = [owner, etype]
    actor = None
    if e.get("actor") is not None:
        actor = f.actors.iri(e["actor"], e.where("actor"))
        parts.append(e["actor"])
    iri = mint("event", *parts)
    if iri in f.used_iris and isinstance(e.get("date"), str):
        iri = mint("event", *parts, e["date"])
    iri = f.fresh(iri)
    emit.event(f.g, iri, EVENT_CLASSES[etype], f.date(e, "date"))
    f.g.add((iri, link[0], link[1]))
    if actor is not None:
        f.g.add((iri, FO.byActor, actor))
    place = f.text(e, "place", "event")
    if place is not None:
        f.g.add((iri, FO.placeName, Literal(place)))
    if e.get("place_wikidata") is not None:
        value = e["place_wikidata"]
        if not isinstance(value, str) or not WIKIDATA_ID.match(value):
            raise SourceError(
                f"place_wikidata must be a Wikidata item id, got {value!r}", where=e.where("place_wikidata")
            )
        f.g.add((iri, PROV.atLocation, WD[value]))
    article = e.get("article")
    if article is not None:
        f.g.add((iri, FO.article, Literal(str(article))))
    scope = f.text(e, "scope", "event")
    if scope is not None:
        f.g.add((iri, FO.scope, en(scope)))
    if e.get("treaty") is not None:
        f.g.add((iri, FO.ofAgreement, f.ref_treaty(e["treaty"], e.where("treaty"))))
    f.note(e, iri)
    f.add_sources(iri, cites)
    if e.get("disputed") is not None:
        disputed(f, e, iri, "disputed value of an event", cites)
    return etype, iri, e


def listed_event(f: CuratedFile, etype: str, events: list[Listed], actor: URIRef) -> URIRef | None:
    """The event of that type the file lists for this actor, if any."""
    for t, iri, e in events:
        if t == etype and e.get("actor") is not None and f.actors.iri(e["actor"], e.where()) == actor:
            return iri
    return None


def spell_event(
    f: CuratedFile,
    etype: str,
    m: LDict,
    member: URIRef,
    date: PartialDate | None,
    of: tuple[URIRef, URIRef],
    events: list[Listed],
    cites: list[URIRef],
) -> URIRef:
    """The listed event of that type by this member, else an actor-less one on that date, else a new one."""
    listed = listed_event(f, etype, events, member)
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
    return new_spell_event(f, etype, m["member"], of, member, date, cites)


def new_spell_event(
    f: CuratedFile,
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


def disputed(f: CuratedFile, d: LDict, subject: URIRef, kind: str, own_cites: list[URIRef]) -> None:
    """`disputed:` alternatives become a fo:Disagreement per aspect, one fo:Claim per view (ours first)."""
    aspects = DISPUTED_ASPECTS[kind]
    items = d["disputed"]
    if not isinstance(items, LList) or not items:
        raise SourceError("`disputed` must be a list of alternatives", where=d.where("disputed"))
    by_aspect: dict[str, list[tuple[PartialDate, LDict]]] = {}
    for i, alt in enumerate(items):
        where = items.where(i)
        alt = f.keys(alt, where, kind)
        named = [a for a in aspects if alt.get(a) is not None]
        if not named:
            raise SourceError(f"a disputed value names at least one of: {', '.join(aspects)}", where=where)
        for aspect in named:
            by_aspect.setdefault(aspect, []).append((PartialDate.parse(alt[aspect], alt.where(aspect)), alt))
    for aspect, alts in by_aspect.items():
        prop, is_end = aspects[aspect]
        dis = sub_iri(subject, "disagreement", aspect)
        f.g.add((dis, RDF.type, FO.Disagreement))
        f.g.add((dis, FO.concerns, subject))
        f.g.add((dis, FO.aspect, Literal(prop.split("/")[-1])))
        ours = f.g.value(subject, prop)
        n = 1
        if ours is not None:
            claim = sub_iri(dis, "claim", n)
            f.g.add((dis, FO.hasClaim, claim))
            f.g.add((claim, RDF.type, FO.Claim))
            f.g.add((claim, FO.claimValue, ours))
            f.add_sources(claim, own_cites)
            f.g.add((claim, FO.note, en("the value this graph asserts")))
        for value, alt in alts:
            n += 1
            claim = sub_iri(dis, "claim", n)
            f.g.add((dis, FO.hasClaim, claim))
            f.g.add((claim, RDF.type, FO.Claim))
            f.g.add((claim, FO.claimValue, value.literal(end=is_end)))
            f.add_sources(claim, f.cite(alt))
            f.note(alt, claim)
