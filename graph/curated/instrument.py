"""instruments/<slug>.yaml: an instrument of military diplomacy (exercise, hotline, dialogue, arms transfer ...),
its events, its participants with their roles and spells, and its dated occurrences."""

from __future__ import annotations

from rdflib import RDF, Literal

from foedus.errors import SourceError
from foedus.fo_terms import FO, ROLE
from foedus.graph.curated.events import event, listed_event, new_spell_event
from foedus.graph.curated.reader import CuratedFile, as_list
from foedus.graph.curated.schema import EVENT_CLASSES, INSTRUMENT_CLASSES, ROLES
from foedus.graph.yamlsrc import LList
from foedus.vocab import instrument_iri, mint


def load_instrument(f: CuratedFile) -> None:
    """One instruments/<slug>.yaml: the instrument, its events, participants and occurrences."""
    d = f.keys(f.doc, f.doc.where(), "instrument file")
    g, slug = f.g, f.slug
    ins = instrument_iri(slug)
    g.add((ins, RDF.type, INSTRUMENT_CLASSES[f.choice(d, "type", INSTRUMENT_CLASSES, "instrument type")]))
    f.labels(d, ins, "instrument")
    f.wikidata(d, "wikidata", ins)
    f.note(d, ins)
    # FORMAT.md: `source:` cites the instrument's dates and place, so it is required once a date is given.
    f.add_sources(ins, f.cite(d, required=d.get("start") is not None or d.get("end") is not None))
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
    events = as_list(d, "events")
    listed = [event(f, e, events.where(i), slug, (FO.ofInstrument, ins)) for i, e in enumerate(events)]
    participants = as_list(d, "participants")
    for i, p in enumerate(participants):
        p = f.keys(p, participants.where(i), "participant")
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
                ev = listed_event(f, etype, listed, actor) or new_spell_event(
                    f, etype, p["actor"], (FO.ofInstrument, ins), actor, date, cites
                )
                g.add((part, prop, ev))
        f.note(p, part)
        f.add_sources(part, cites)
    occurrences = as_list(d, "occurrences")
    for i, o in enumerate(occurrences, start=1):
        o = f.keys(o, occurrences.where(i - 1), "occurrence")
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
