"""Allied dyads: pairs of members of one alliance over overlapping spells, materialised because SPARQL 1.1
cannot union intervals or do date arithmetic, and "how long have A and B been allied" is one short query."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from foedus.fo_terms import FO
from foedus.graph.dates import PartialDate, Precision, stored_date
from foedus.vocab import ID, ORG, mint


@dataclass(frozen=True)
class Spell:
    """One membership spell as the dyad computation needs it."""

    iri: URIRef
    member: URIRef
    alliance: URIRef
    start: dt.date
    end: dt.date | None
    start_precision: Precision = Precision.DAY
    end_precision: Precision = Precision.DAY

    @property
    def first(self) -> PartialDate:
        """The start as the partial date it was given as (a year-precise start 1949-01-01 is 1949)."""
        return PartialDate.of_date(self.start, self.start_precision)

    @property
    def last(self) -> PartialDate | None:
        """The end as the partial date it was given as (a year-precise end 1949-12-31 is 1949), None if open."""
        return None if self.end is None else PartialDate.of_date(self.end, self.end_precision)


def collect_spells(graphs: Mapping[str, Graph], preferred: str = "curated") -> tuple[list[Spell], list[str]]:
    """Membership spells from all graphs; where the curated graph has an alliance, only its spells."""
    by_graph: dict[str, list[Spell]] = {}
    warnings: list[str] = []
    for name, g in graphs.items():
        spells = []
        for ms in g.subjects(RDF.type, FO.AllianceMembership):
            member, alliance = g.value(ms, ORG.member), g.value(ms, ORG.organization)
            start = stored_date(g.value(ms, FO.startDate))
            if (
                not isinstance(member, URIRef)
                or not isinstance(alliance, URIRef)
                or not isinstance(ms, URIRef)
            ):
                continue
            if start is None:
                warnings.append(f"{ms}: membership without a start date, left out of the allied dyads")
                continue
            precisions = (Precision.of_unit(g.value(ms, p)) for p in (FO.startPrecision, FO.endPrecision))
            spells.append(Spell(ms, member, alliance, start, stored_date(g.value(ms, FO.endDate)), *precisions))
        by_graph[name] = spells
    covered = {s.alliance for s in by_graph.get(preferred, [])}
    out = list(by_graph.get(preferred, []))
    for name in sorted(by_graph):
        if name != preferred:
            out.extend(s for s in by_graph[name] if s.alliance not in covered)
    return sorted(out, key=lambda s: (str(s.alliance), str(s.member), s.start)), sorted(warnings)


def iri_key(iri: URIRef) -> str:
    """An IRI's path under id/ as one IRI segment (`id/state/2` -> `state-2`), to mint derived IRIs from."""
    return str(iri).removeprefix(str(ID)).replace("/", "-")


def _obligations(graphs: Iterable[Graph], alliance: URIRef) -> set[URIRef]:
    out: set[URIRef] = set()
    for g in graphs:
        holders = [alliance, *g.objects(alliance, FO.basedOn), *g.objects(alliance, FO.hasPhase)]
        for h in holders:
            out.update(o for o in g.objects(h, FO.hasObligation) if isinstance(o, URIRef))
    return out


def union_days(intervals: Iterable[tuple[dt.date, dt.date]]) -> int:
    """Days covered by the union of closed date intervals (each day counted once)."""
    total, cur_start, cur_end = 0, None, None
    for start, end in sorted(intervals):
        if cur_end is None or start > cur_end + dt.timedelta(days=1):
            if cur_end is not None and cur_start is not None:
                total += (cur_end - cur_start).days + 1
            cur_start, cur_end = start, end
        elif end > cur_end:
            cur_end = end
    if cur_end is not None and cur_start is not None:
        total += (cur_end - cur_start).days + 1
    return total


def _handover(a: Spell, b: Spell) -> bool:
    """True when one spell ends on the day the other begins: a one-day overlap that no treaty made (ATOP ends a
    predecessor state on the day its successor begins, e.g. West Germany 260 and Germany 255 on 1990-10-03)."""
    return (a.end is not None and a.end == b.start) or (b.end is not None and b.end == a.start)


def build_dyads(
    spells: list[Spell], graphs: Iterable[Graph], as_of: dt.date, not_alliances: frozenset[URIRef] = frozenset()
) -> Graph:
    """fo:AlliedDyad per overlapping pair of spells in one alliance, plus one summary per pair of actors.

    Only an alliance that obliges (it, its phases or its treaties carry an obligation in some graph) allies its
    members; `not_alliances` are alliances of a source that the curated core classes as none (ATOP's SCO).
    """
    g = Graph()
    graphs = list(graphs)
    by_alliance: dict[URIRef, list[Spell]] = defaultdict(list)
    for s in spells:
        by_alliance[s.alliance].append(s)
    pairs: dict[tuple[URIRef, URIRef], list[tuple[URIRef, URIRef, dt.date, dt.date, bool]]] = defaultdict(
        list
    )
    for alliance in sorted(by_alliance):
        obligations = sorted(_obligations(graphs, alliance))
        if not obligations or alliance in not_alliances:
            continue
        members = by_alliance[alliance]
        for x, y in itertools.combinations(members, 2):
            if x.member == y.member:
                continue
            a, b = sorted((x, y), key=lambda s: str(s.member))
            start = max(a.start, b.start)
            ends = [e for e in (a.end, b.end) if e is not None]
            end = min(ends) if ends else None
            if (end is not None and end < start) or _handover(a, b):
                continue
            last = end if end is not None else max(as_of, start)
            dyad = mint("dyad", iri_key(a.member), iri_key(b.member), iri_key(alliance), start.isoformat())
            g.add((dyad, RDF.type, FO.AlliedDyad))
            g.add((dyad, FO.dyadMember, a.member))
            g.add((dyad, FO.dyadMember, b.member))
            g.add((dyad, FO.viaAlliance, alliance))
            g.add((dyad, FO.startDate, Literal(start.isoformat(), datatype=XSD.date)))
            if end is not None:
                g.add((dyad, FO.endDate, Literal(end.isoformat(), datatype=XSD.date)))
            g.add((dyad, FO.durationDays, Literal((last - start).days + 1)))
            g.add((dyad, PROV.wasDerivedFrom, a.iri))
            g.add((dyad, PROV.wasDerivedFrom, b.iri))
            for o in obligations:
                g.add((dyad, FO.underObligation, o))
            pairs[(a.member, b.member)].append((dyad, alliance, start, last, end is None))
    for (a_m, b_m), records in sorted(pairs.items()):
        pair = mint("dyad", iri_key(a_m), iri_key(b_m))
        g.add((pair, RDF.type, FO.AlliedPair))
        g.add((pair, FO.dyadMember, a_m))
        g.add((pair, FO.dyadMember, b_m))
        g.add((pair, FO.durationDays, Literal(union_days((r[2], r[3]) for r in records))))
        g.add((pair, FO.startDate, Literal(min(r[2] for r in records).isoformat(), datatype=XSD.date)))
        if not any(r[4] for r in records):
            g.add((pair, FO.endDate, Literal(max(r[3] for r in records).isoformat(), datatype=XSD.date)))
        for dyad, alliance, *_ in records:
            g.add((pair, FO.viaAlliance, alliance))
            g.add((pair, DCTERMS.hasPart, dyad))
    return g
