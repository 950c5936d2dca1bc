"""alliances/<slug>.yaml: an alliance (or a treaty family that is no alliance), its treaties with their events,
obligations and provisions, the alliance's own events, and its member spells."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.curated.events import Listed, disputed, event, listed_event, spell_event
from foedus.graph.curated.reader import CuratedFile, as_list, en
from foedus.graph.curated.schema import (
    ALLIANCE_KINDS,
    CONDITION_CLASSES,
    EVENT_CLASSES,
    OBLIGATION_CLASSES,
    PROVISION_CLASSES,
    TREATY_CLASSES,
)
from foedus.graph.yamlsrc import LDict, LList
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
    treaties = as_list(d, "treaties")
    parts = _parts(f, d, a, treaties, alliance_iris)
    if parts:
        g.remove((a, RDF.type, FO.Alliance))
        g.remove((a, RDF.type, FO.InstitutionalisedAlliance))
        g.add((a, RDF.type, FO.AllianceFamily))
    id_cites: list[URIRef] = []
    if any(d.get(k) is not None for k in ("wikidata", "atop", "cow")):
        id_cites = f.cite(d, "identifier_source")
    for key, prop in (("atop", FO.atopId), ("cow", FO.cowAllianceId)):
        for v in _ids(d, key):
            if key == "atop" and kind == "not-an-alliance":
                # ATOP codes as an alliance what this file says is none (the SCO): ATOP's alliance keeps a node of
                # its own, so the default graph does not count this one as an alliance; the build records the
                # disagreement of classification between the two.
                g.add((a, SKOS.closeMatch, alliance_iri(f"atop-{v}")))
                continue
            g.add((a, prop, Literal(v)))
            if key == "atop":
                _claim(alliance_iris, v, a, d.where(key))
    f.add_sources(a, id_cites)

    owners = {p.treaty: p.iri for p in parts.values() if p.treaty is not None}
    events: list[Listed] = []
    bound: list[tuple[URIRef, URIRef, list[URIRef] | None]] = []
    for i, t in enumerate(treaties):
        events.extend(_treaty(f, t, treaties.where(i), a, owners, bound))
    alliance_events = as_list(d, "events")
    for i, e in enumerate(alliance_events):
        of = FO.ofAlliance if kind != "not-an-alliance" and not parts else FO.ofCollaboration
        events.append(event(f, e, alliance_events.where(i), slug, (of, a)))

    members = as_list(d, "members")
    parties: dict[URIRef, set[URIRef]] = {}
    for i, m in enumerate(members):
        where = members.where(i)
        owner = _part_of(f, m, where, parts, a)
        party = _membership(f, m, where, owner, events, alliance_kind=kind != "not-an-alliance")
        parties.setdefault(owner, set()).add(party)
    for ob, owner, explicit in bound:  # who each obligation binds: those it names, else every party
        for party in explicit if explicit is not None else sorted(parties.get(owner, ())):
            g.add((ob, FO.obligedParty, party))
    outside = as_list(d, "outside_command")
    for i, o in enumerate(outside):
        _outside_command(f, o, outside.where(i), a, events)
    if kind != "not-an-alliance":
        for owner, members_of in parties.items():
            if len(members_of) >= 2:
                g.add((owner, RDF.type, FO.BilateralAlliance if len(members_of) == 2 else FO.MultilateralAlliance))


def _outside_command(f: CuratedFile, o: Any, where: str, alliance: URIRef, events: list[Listed]) -> None:
    """A spell in which a member stood outside the alliance's integrated military structure (France 1966-2009),
    linked to the partial-withdrawal and reintegration events the file lists for that member."""
    o = f.keys(o, where, "outside-command spell")
    g = f.g
    member = f.actors.iri(o["member"], o.where("member"))
    cites = f.cite(o)
    node = f.fresh(mint("outside-command", f.slug, o["member"], o["start"]))
    g.add((node, RDF.type, FO.OutsideIntegratedCommand))
    g.add((node, ORG.member, member))
    g.add((node, FO.ofAlliance, alliance))
    start, end = f.span(o, node)
    emit.member_during(g, node, start, end)
    scope = f.text(o, "scope", "outside-command spell")
    if scope is not None:
        g.add((node, FO.scope, en(scope)))
    for etype, prop, date in (("partial-withdrawal", FO.startedBy, start), ("reintegration", FO.endedBy, end)):
        listed = listed_event(f, etype, events, member)
        if listed is not None and date is not None:
            g.add((node, prop, listed))
    f.note(o, node)
    f.add_sources(node, cites)


@dataclass(frozen=True)
class Part:
    """One coded alliance of a treaty family: its ATOP id, its node, and the treaty that created it."""

    atop: int
    iri: URIRef
    treaty: str | None


def _ids(d: LDict, key: str) -> list[int]:
    """The integer ids under `key` (one id or a list of them); none when the key is absent."""
    values = d.get(key)
    if values is None:
        return []
    if isinstance(values, int) and not isinstance(values, bool):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise SourceError(f"`{key}` must be a list of integer ids", where=d.where(key))
    return list(values)


def _claim(alliance_iris: dict[int, URIRef], atop: int, node: URIRef, where: str) -> None:
    """Record that `node` codes ATOP alliance `atop`; one id claimed by two nodes is an error."""
    if atop in alliance_iris and alliance_iris[atop] != node:
        raise SourceError(f"ATOP id {atop} is already claimed by {alliance_iris[atop]}", where=where)
    alliance_iris[atop] = node


def _parts(
    f: CuratedFile, d: LDict, family: URIRef, treaties: LList, alliance_iris: dict[int, URIRef]
) -> dict[int, Part]:
    """`parts:` of a treaty family: one alliance node per ATOP alliance, each dcterms:isPartOf the family.

    A family that ATOP codes as several alliances (Locarno: 2130, 2135, 2140) is no alliance itself: each part is
    one, with the ATOP id, COW id and treaty of its own, so its dates, flags and dyads stay attributable.
    """
    items = as_list(d, "parts")
    if not items:
        return {}
    for key in ("atop", "cow"):
        if d.get(key) is not None:
            raise SourceError(
                f"a file with `parts` gives `{key}` ids on each part, not on the family", where=d.where(key)
            )
    treaty_ids = {t.get("id") for t in treaties if isinstance(t, LDict)}
    g = f.g
    out: dict[int, Part] = {}
    cites = f.cite(d, "identifier_source")
    for i, p in enumerate(items):
        where = items.where(i)
        p = f.keys(p, where, "part")
        atop = p["atop"]
        if not isinstance(atop, int) or isinstance(atop, bool):
            raise SourceError("`atop` of a part is one integer ATOP id", where=p.where("atop"))
        if atop in out:
            raise SourceError(f"ATOP id {atop} is listed twice in `parts`", where=p.where("atop"))
        node = alliance_iri(f"atop-{atop}")
        treaty = p.get("treaty")
        if treaty is not None and treaty not in treaty_ids:
            raise SourceError(
                f"part {atop} names treaty {treaty!r}, which this file does not list under `treaties`",
                where=p.where("treaty"),
            )
        label = f.text(p, "label", "part")
        if label is None and treaty is None:
            raise SourceError(f"part {atop} needs a `label` or a `treaty` to take its name from", where=where)
        if label is None:
            label = next(str(t["label"]) for t in treaties if isinstance(t, LDict) and t.get("id") == treaty)
        g.add((node, RDF.type, FO.Alliance))
        g.add((node, RDFS.label, en(label)))
        g.add((node, DCTERMS.title, en(label)))
        g.add((node, DCTERMS.isPartOf, family))
        g.add((family, DCTERMS.hasPart, node))
        g.add((node, FO.atopId, Literal(atop)))
        for cow in _ids(p, "cow"):
            g.add((node, FO.cowAllianceId, Literal(cow)))
        f.note(p, node)
        f.add_sources(node, cites)
        _claim(alliance_iris, atop, node, p.where("atop"))
        out[atop] = Part(atop, node, treaty if isinstance(treaty, str) else None)
    return out


def _part_of(f: CuratedFile, m: Any, where: str, parts: dict[int, Part], family: URIRef) -> URIRef:
    """The alliance a member spell belongs to: its `part` in a treaty family, else the file's alliance."""
    part = m.get("part") if isinstance(m, LDict) else None
    if not parts:
        if part is not None:
            raise SourceError("`part` is for files that list `parts`", where=m.where("part"))
        return family
    if part is None:
        raise SourceError(
            f"this file lists parts ({', '.join(str(p) for p in parts)}): say which one this spell belongs to "
            "with `part: <atop id>`", where=where,
        )
    if part not in parts:
        raise SourceError(
            f"part {part!r} is not one of this file's parts ({', '.join(str(p) for p in parts)})",
            where=m.where("part"),
        )
    return parts[part].iri


def _treaty(
    f: CuratedFile, t: Any, where: str, alliance: URIRef, owners: dict[str, URIRef],
    bound: list[tuple[URIRef, URIRef, list[URIRef] | None]],
) -> list[Listed]:
    """One treaty of an alliance file, with its events, obligations (and their conditions) and provisions."""
    t = f.keys(t, where, "treaty")
    g = f.g
    tslug = t["id"]
    if not isinstance(tslug, str) or not is_slug(tslug):
        raise SourceError(f"treaty id {tslug!r} must be a slug", where=t.where("id"))
    tr = treaty_iri(tslug)
    g.add((tr, RDF.type, TREATY_CLASSES[f.choice(t, "kind", TREATY_CLASSES, "treaty kind")]))
    g.add((owners.get(tslug, alliance), FO.basedOn, tr))
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
        obliged = as_list(o, "obliged")
        named = [f.actors.iri(x, obliged.where(j)) for j, x in enumerate(obliged)] if obliged else None
        bound.append((ob, owners.get(tslug, alliance), named))
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
