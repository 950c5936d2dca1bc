"""ATOP 5.1 (Leeds et al.): alliances, phases, obligations with conditions, provisions and member spells.

Reads the official layout `atop/atop5_1a.csv` (one row per alliance) and `atop/atop5_1m.csv` (one row per
member per phase). Codes follow the ATOP 5.1 codebook (Leeds, 9 August 2022), sections 2.32-2.34.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS

from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.context import ImportContext
from foedus.graph.dates import PartialDate
from foedus.graph.sources.atop_codes import CONDITIONS, OBLIGATIONS, OTHER_CONDITION, PROVISIONS, SUMMARY_ONLY
from foedus.graph.sources.atop_names import (
    NAMES_FILE,
    add_generated_label,
    add_real_name,
    generated_label,
    read_names,
)
from foedus.graph.sources.table import Row, partial_date, read_rows
from foedus.vocab import alliance_iri, mint, state_iri, sub_iri

DATASET = "atop-5.1"
ALLIANCE_FILE = Path("atop/atop5_1a.csv")
MEMBER_FILE = Path("atop/atop5_1m.csv")

ALLIANCE_COLUMNS = ("atopid", "cowid", "cow4id", "begyr", "begmo", "begday", "endyr", "endmo", "endday",
                    "ineffect", "bilat", "maxphase", "pubsecr", "asymm", "specthrt", "statthr1", "statthr2")
MEMBER_COLUMNS = ("atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "phase",
                  "conditio", "olimob",
                  *(o[0] for o in OBLIGATIONS), *(o[4] for o in OBLIGATIONS if o[4]),
                  *(c for o in OBLIGATIONS for c in o[5]), *(p[0] for p in PROVISIONS))


@dataclass
class MemberRow:
    """What one member-phase row says, read and checked."""

    row: int
    member: int
    phase: int
    start: PartialDate
    end: PartialDate | None
    obligations: dict[str, frozenset[str]]


@dataclass
class AllianceRow:
    """What one alliance-level row says, read and checked."""

    row: Row
    atopid: int
    iri: URIRef
    start: PartialDate
    end: PartialDate | None
    claimed: bool = False
    members: list[MemberRow] = field(default_factory=list)
    provisions: dict[int, dict[str, int]] = field(default_factory=dict)


def load(source_dir: Path, ctx: ImportContext) -> Graph:
    """Read ATOP 5.1 from `source_dir` into the `atop-5.1` graph (curated IRIs win for claimed atopids)."""
    alliances = _read_alliances(source_dir / ALLIANCE_FILE, ctx)
    _read_members(source_dir / MEMBER_FILE, alliances)
    rows = sum(len(a.members) for a in alliances.values())
    ctx.progress(f"atop: {len(alliances)} alliances, {rows} member rows")
    g = emit.new_graph()
    names = read_names()
    titles = described = generated = 0
    for alliance in alliances.values():
        if not alliance.members:
            ctx.warn(f"ATOP {alliance.atopid} has no member rows in {MEMBER_FILE}")
        _alliance_triples(g, alliance)
        if alliance.claimed:
            continue
        if alliance.atopid in names:
            add_real_name(g, alliance.iri, names[alliance.atopid])
            titles += names[alliance.atopid].is_title
            described += not names[alliance.atopid].is_title
        else:
            members = [m.member for m in sorted(alliance.members, key=lambda m: (m.start.first, m.member))]
            obligations = [o for m in alliance.members for o in m.obligations]
            add_generated_label(g, alliance.iri, generated_label(
                members, obligations, alliance.start.year, ctx.state_names))
            generated += 1
    unknown = sorted(set(names) - set(alliances))
    if unknown:
        ctx.warn(f"{NAMES_FILE} names atopids ATOP does not have: {', '.join(map(str, unknown))}")
    ctx.note(f"atop-5.1 names: {len(ctx.alliance_iris)} alliances named by the curated core; from {NAMES_FILE}, "
             f"{titles} treaty titles and {described} cited descriptions; {generated} generated labels")
    return g


def _read_alliances(path: Path, ctx: ImportContext) -> dict[int, AllianceRow]:
    """Read the alliance-level file, one AllianceRow per atopid (a repeated atopid is an error)."""
    alliances: dict[int, AllianceRow] = {}
    for row in read_rows(path, ALLIANCE_COLUMNS):
        atopid = row.integer("atopid")
        if atopid in alliances:
            raise row.fail("atopid", f"atopid {atopid} appears twice")
        claimed = atopid in ctx.alliance_iris
        iri = ctx.alliance_iris.get(atopid) or alliance_iri(f"atop-{atopid}")
        start = partial_date(row, "begyr", "begmo", "begday")
        if start is None:
            raise row.fail("begyr", "the year the alliance begins is missing")
        end = partial_date(row, "endyr", "endmo", "endday", zero_is_none=True)
        for column in ("cowid", "cow4id", "statthr1", "statthr2"):
            row.opt_int(column)
        for column in ("ineffect", "bilat", "asymm"):
            row.flag(column)
        row.choice("pubsecr", (0, 1, 2))
        row.choice("specthrt", (0, 1, 2, 3, 4, 5, 6))
        alliances[atopid] = AllianceRow(row, atopid, iri, start, end, claimed)
    return alliances


def _read_members(path: Path, alliances: dict[int, AllianceRow]) -> None:
    """Read the member-level file and attach each member-phase row to its alliance."""
    for row in read_rows(path, MEMBER_COLUMNS):
        atopid = row.integer("atopid")
        alliance = alliances.get(atopid)
        if alliance is None:
            raise row.fail("atopid", f"atopid {atopid} is not in {ALLIANCE_FILE.name}")
        start = partial_date(row, "yrent", "moent", "dayent")
        if start is None:
            raise row.fail("yrent", "the year of entry is missing")
        end = partial_date(row, "yrexit", "moexit", "dayexit", zero_is_none=True)
        if end is not None and end.before(start):
            raise row.fail("yrexit", f"exit {end} precedes entry {start}")
        phase = row.integer("phase")
        olimob = row.flag("olimob")
        obligations: dict[str, frozenset[str]] = {}
        for column, _cls, _word, _label, summary, conditions in OBLIGATIONS:
            if not row.flag(column):
                continue
            codes = {c for c in conditions if row.flag(c)}
            if summary and row.flag(summary) and not codes:
                codes.add(summary)
            if olimob:
                codes.add("olimob")
            obligations[column] = frozenset(codes)
        alliance.members.append(MemberRow(row.number, row.integer("member"), phase, start, end, obligations))
        if phase not in alliance.provisions:
            alliance.provisions[phase] = {
                code: value for code, _cls, meanings in PROVISIONS
                if (value := row.choice(code, (0, *meanings))) is not None
            }


def _slug(alliance: AllianceRow) -> str:
    """The key for minting this alliance's ATOP-derived nodes (always the atopid, even if curated)."""
    return f"atop-{alliance.atopid}"


def _alliance_triples(g: Graph, alliance: AllianceRow) -> None:
    """Add the alliance, its signature, phases, obligations, provisions and member spells."""
    row, node, slug = alliance.row, alliance.iri, _slug(alliance)
    g.add((node, RDF.type, FO.Alliance))
    if row.flag("bilat"):
        g.add((node, RDF.type, FO.BilateralAlliance))
    start, end = alliance.start, alliance.end
    # The curated core or atop_names.csv names it, else a generated label does (load); ATOP adds its own handle.
    g.add((node, SKOS.altLabel, Literal(f"ATOP alliance {alliance.atopid}", lang="en")))
    g.add((node, FO.atopId, Literal(alliance.atopid)))
    for column, prop in (("cowid", FO.cowAllianceId), ("cow4id", FO.cow4AllianceId)):
        value = row.opt_int(column)
        if value is not None:
            g.add((node, prop, Literal(value)))
    emit.span(g, node, start, end)
    in_effect = row.flag("ineffect")
    if in_effect is not None:
        g.add((node, FO.atopInEffect, Literal(in_effect)))
    secrecy = row.choice("pubsecr", (0, 1, 2))
    if secrecy is not None:
        g.add((node, FO.secret, Literal(secrecy > 0)))
        if secrecy == 1:
            g.add((node, FO.note, Literal("ATOP pubsecr = 1: public, but some articles are to stay secret.")))
        elif secrecy == 2:
            g.add((node, FO.note, Literal("ATOP pubsecr = 2: the members agree to hide the whole treaty.")))
    asymmetric = row.flag("asymm")
    if asymmetric is not None:
        g.add((node, FO.asymmetric, Literal(asymmetric)))
    emit.derived(g, node, DATASET, emit.row_iri(DATASET, "atop5_1a", row.number))

    signature = emit.event(g, mint("event", slug, "signature"), FO.Signature, start)
    g.add((signature, FO.ofAlliance, node))
    for member in sorted({m.member for m in alliance.members if m.start == start}):
        g.add((signature, FO.byActor, state_iri(member)))
    emit.derived(g, signature, DATASET)

    adversaries = _threats(row)
    for phase in sorted({m.phase for m in alliance.members}):
        rows = [m for m in alliance.members if m.phase == phase]
        holder = node
        if phase:
            holder = mint("phase", slug, phase)
            g.add((node, FO.hasPhase, holder))
            g.add((holder, RDF.type, FO.AlliancePhase))
            g.add((holder, FO.phaseNumber, Literal(phase)))
            g.add((holder, FO.ofAlliance, node))
            ends = [m.end for m in rows]
            last = None if any(e is None for e in ends) else max(
                (e for e in ends if e), key=lambda e: e.last)
            emit.span(g, holder, min((m.start for m in rows), key=lambda s: s.first), last)
            emit.derived(g, holder, DATASET)
        _obligations(g, node, holder, slug, phase, rows, adversaries)
        for code, cls, meanings in PROVISIONS:
            value = alliance.provisions.get(phase, {}).get(code, 0)
            if value:
                provision = mint("provision", slug, code, value)
                g.add((node, FO.hasProvision, provision))
                if holder != node:
                    g.add((holder, FO.hasProvision, provision))
                g.add((provision, RDF.type, cls))
                g.add((provision, SKOS.notation, Literal(code)))
                g.add((provision, RDF.value, Literal(value)))
                label = f"{meanings[value]} (ATOP {code} = {value})"
                g.add((provision, RDFS.label, Literal(label, lang="en")))
    ending = None
    if end is not None:
        ending = emit.event(g, mint("event", slug, "ending"), FO.Ending, end)
        g.add((ending, FO.ofAlliance, node))
        g.add((ending, FO.note, Literal(ENDING_NOTE, lang="en")))
        emit.derived(g, ending, DATASET, emit.row_iri(DATASET, "atop5_1a", row.number))
    _memberships(g, alliance, start, signature, ending)


def _threats(row: Row) -> list[int]:
    """The states ATOP names as the specific threat (statthr1/2, when specthrt says specific states)."""
    if row.opt_int("specthrt") not in (1, 3):
        return []
    return [code for c in ("statthr1", "statthr2") if (code := row.opt_int(c))]


def _obligations(
    g: Graph, alliance: URIRef, holder: URIRef, slug: str, phase: int, rows: list[MemberRow],
    adversaries: list[int],
) -> None:
    """One obligation node per type and set of conditions in this phase, naming the members bound by it."""
    for column, cls, word, label, _summary, _conditions in OBLIGATIONS:
        groups: dict[frozenset[str], list[int]] = defaultdict(list)
        for m in rows:
            if column in m.obligations:
                groups[m.obligations[column]].append(m.member)
        ordered = sorted(groups.items(), key=lambda item: (min(item[1]), sorted(item[0])))
        for index, (codes, members) in enumerate(ordered, start=1):
            parts: list[object] = [slug, *([f"phase-{phase}"] if phase else []), word]
            if len(ordered) > 1:
                parts.append(index)
            node = mint("obligation", *parts)
            g.add((alliance, FO.hasObligation, node))
            if holder != alliance:
                g.add((holder, FO.hasObligation, node))
            g.add((node, RDF.type, cls))
            g.add((node, SKOS.notation, Literal(column)))
            where = f"ATOP {slug[5:]}" + (f", phase {phase}" if phase else "")
            g.add((node, RDFS.label, Literal(f"{label} obligation ({where})", lang="en")))
            for member in sorted(set(members)):
                g.add((node, FO.obligedParty, state_iri(member)))
            for code in sorted(codes):
                condition = sub_iri(node, "condition", code)
                g.add((node, FO.hasCondition, condition))
                g.add((condition, SKOS.notation, Literal(code)))
                kind, meaning = _condition_kind(code)
                g.add((condition, RDF.type, kind))
                g.add((condition, RDFS.label, Literal(f"{meaning} (ATOP {code})", lang="en")))
                if kind == FO.AdversaryCondition:
                    for adversary in adversaries:
                        g.add((condition, FO.namedAdversary, state_iri(adversary)))


def _condition_kind(code: str) -> tuple[URIRef, str]:
    """Our condition class for an ATOP condition column (defcoloc -> location; olimob, defcon -> other)."""
    if code == "olimob":
        return FO.OtherCondition, OTHER_CONDITION
    if code in {o[4] for o in OBLIGATIONS}:
        return FO.OtherCondition, SUMMARY_ONLY
    return CONDITIONS[code[-3:]]


ENDING_NOTE = "ATOP's end date; ATOP does not code how the alliance or the membership ended."


def _memberships(
    g: Graph, alliance: AllianceRow, begins: PartialDate, signature: URIRef, ending: URIRef | None
) -> None:
    """One AllianceMembership per continuous spell: member-phase rows that touch or overlap are merged."""
    by_member: dict[int, list[MemberRow]] = defaultdict(list)
    for m in alliance.members:
        by_member[m.member].append(m)
    slug = _slug(alliance)
    for member, rows in sorted(by_member.items()):
        g.add((alliance.iri, FO.hasParty, state_iri(member)))
        if member in NON_COW_MEMBERS:
            _declare_non_cow_member(g, member)
        rows.sort(key=lambda m: (m.start.first, m.phase))
        spells: list[list[MemberRow]] = []
        for m in rows:
            if spells and _continues(spells[-1], m):
                spells[-1].append(m)
            else:
                spells.append([m])
        for spell in spells:
            start = spell[0].start
            end = _spell_end(spell)
            node = mint("membership", slug, member, start.first.isoformat())
            g.add((node, RDF.type, FO.AllianceMembership))
            g.add((node, ORG.member, state_iri(member)))
            g.add((node, ORG.organization, alliance.iri))
            emit.spell(g, node, start, end)
            if start == begins:
                g.add((node, FO.startedBy, signature))
            spell_rows = [emit.row_iri(DATASET, "atop5_1m", m.row) for m in spell]
            emit.derived(g, node, DATASET, *spell_rows)
            if end is None:
                continue
            if ending is not None and end == alliance.end:
                g.add((node, FO.endedBy, ending))
                continue
            exit_ = emit.event(g, mint("event", slug, "ending", member, end.first.isoformat()), FO.Ending, end)
            g.add((exit_, FO.ofAlliance, alliance.iri))
            g.add((exit_, FO.byActor, state_iri(member)))
            g.add((exit_, FO.note, Literal(ENDING_NOTE, lang="en")))
            g.add((node, FO.endedBy, exit_))
            emit.derived(g, exit_, DATASET, spell_rows[-1])


# ATOP codes a few members that the COW state list does not know (cowsys = 0 and a code of ATOP's own). They are
# declared here so every member is an actor; the label says where the code comes from.
NON_COW_MEMBERS: dict[int, str] = {
    8152: "Annam (ATOP member code 8152; not in the COW state system)",
}


def _declare_non_cow_member(g: Graph, member: int) -> None:
    """Type an ATOP-only member code as a state, with a label saying it is ATOP's own code."""
    node = state_iri(member)
    g.add((node, RDF.type, FO.State))
    g.add((node, RDFS.label, Literal(NON_COW_MEMBERS[member], lang="en")))
    g.add((node, FO.note, Literal("ATOP gives this member its own code; COW does not list it as a state.", lang="en")))
    emit.derived(g, node, DATASET)


def _spell_end(spell: list[MemberRow]) -> PartialDate | None:
    """The end of a merged spell: open if any of its rows is open, else the latest exit."""
    if any(m.end is None for m in spell):
        return None
    return max((m.end for m in spell if m.end is not None), key=lambda e: e.last)


def _continues(spell: list[MemberRow], m: MemberRow) -> bool:
    """True when row `m` starts by the day after the spell ends (ATOP phases meet on the same day)."""
    end = _spell_end(spell)
    return end is None or m.start.first <= end.last + dt.timedelta(days=1)

