"""alliances/<slug>.yaml: an alliance (or a treaty family that is no alliance), its treaties with their events,
obligations and provisions, the alliance's own events, and its member spells."""

from __future__ import annotations

from typing import Any

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG

from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.curated.events import Listed, disputed, event, spell_event
from foedus.graph.curated.reader import CuratedFile, as_list, en
from foedus.graph.curated.schema import (
    ALLIANCE_KINDS,
    CONDITION_CLASSES,
    EVENT_CLASSES,
    OBLIGATION_CLASSES,
    PROVISION_CLASSES,
    TREATY_CLASSES,
)
from foedus.graph.yamlsrc import LList
from foedus.vocab import alliance_iri, is_slug, mint, treaty_iri


def load_alliance(f: CuratedFile, alliance_iris: dict[int, URIRef]) -> None:
    """One alliances/<slug>.yaml: the alliance, its identifiers, treaties, events and member spells.

    `alliance_iris` collects the ATOP ids claimed (atopid -> IRI); one id claimed twice is an error.
    """
    d = f.keys(f.doc, f.doc.where(), "alliance file")
    g, slug = f.g, f.slug
    a = alliance_iri(slug)
    kind = f.choice(d, "kind", ALLIANCE_KINDS, "alliance kind")
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

    treaties = as_list(d, "treaties")
    events: list[Listed] = []
    for i, t in enumerate(treaties):
        events.extend(_treaty(f, t, treaties.where(i), a))
    alliance_events = as_list(d, "events")
    for i, e in enumerate(alliance_events):
        of = FO.ofAlliance if kind != "not-an-alliance" else FO.ofCollaboration
        events.append(event(f, e, alliance_events.where(i), slug, (of, a)))

    members = as_list(d, "members")
    parties = set()
    for i, m in enumerate(members):
        parties.add(_membership(f, m, members.where(i), a, events, alliance_kind=kind != "not-an-alliance"))
    if kind != "not-an-alliance" and len(parties) >= 2:
        g.add((a, RDF.type, FO.BilateralAlliance if len(parties) == 2 else FO.MultilateralAlliance))


def _treaty(f: CuratedFile, t: Any, where: str, alliance: URIRef) -> list[Listed]:
    """One treaty of an alliance file, with its events, obligations (and their conditions) and provisions."""
    t = f.keys(t, where, "treaty")
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
    events = as_list(t, "events")
    out = [event(f, e, events.where(i), tslug, (FO.ofAgreement, tr)) for i, e in enumerate(events)]
    obligations = as_list(t, "obligations")
    for i, o in enumerate(obligations, start=1):
        o = f.keys(o, obligations.where(i - 1), "obligation")
        ob = mint("obligation", tslug, i)
        otype = f.choice(o, "type", OBLIGATION_CLASSES, "obligation type")
        g.add((ob, RDF.type, OBLIGATION_CLASSES[otype]))
        g.add((tr, FO.hasObligation, ob))
        if o.get("article") is not None:
            g.add((ob, FO.article, Literal(str(o["article"]))))
        summary = f.text(o, "summary", "obligation")
        if summary is not None:
            g.add((ob, DCTERMS.description, en(summary)))
        f.note(o, ob)
        f.add_sources(ob, f.cite(o))
        conditions = as_list(o, "conditions")
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
                c = f.keys(c, cwhere, "condition")
                ctype = f.choice(c, "type", CONDITION_CLASSES, "condition type")
                cnote = f.text(c, "note", "condition")
            cond = mint("condition", tslug, i, j)
            g.add((cond, RDF.type, CONDITION_CLASSES[ctype]))
            g.add((ob, FO.hasCondition, cond))
            if cnote is not None:
                g.add((cond, FO.note, en(cnote)))
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
            g.add((pv, RDFS.label, en(p.replace("-", " "))))
            g.add((tr, FO.hasProvision, pv))
            f.add_sources(pv, cites)
    return out


def _membership(
    f: CuratedFile, m: Any, where: str, alliance: URIRef, events: list[Listed], *, alliance_kind: bool
) -> URIRef:
    """One member spell; in a treaty family that is no alliance it is a plain org:Membership (no allied dyads)."""
    m = f.keys(m, where, "member spell")
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
        g.add((ms, prop, spell_event(f, etype, m, member, date, of, events, cites)))
    f.note(m, ms)
    f.add_sources(ms, cites)
    if m.get("disputed") is not None:
        disputed(f, m, ms, "disputed value of a member spell", cites)
    return member
