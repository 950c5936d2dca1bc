"""Reconcile curated and imported memberships  of one alliance: keep both views where dates differ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV

from foedus.fo_terms import FO
from foedus.graph.dates import PartialDate
from foedus.graph.dyads import Spell, collect_spells, iri_key
from foedus.vocab import graph_iri, mint, sub_iri


@dataclass(frozen=True)
class Difference:
    """One (alliance, member, aspect) on which the curated core and a source disagree."""

    alliance: URIRef
    member: URIRef
    aspect: str
    curated: str
    other: str
    other_graph: str
    node: URIRef


def _span(spells: list[Spell]) -> tuple[PartialDate, PartialDate | None, Spell]:
    """The first start and the last end (None while any spell is open) of one member's spells, with precision."""
    first = min(spells, key=lambda s: s.start)
    ends = [s.last for s in spells]
    end = None if any(e is None for e in ends) else max((e for e in ends if e is not None), key=lambda e: e.last)
    return first.first, end, first


def _agree(a: PartialDate | None, b: PartialDate | None) -> bool:
    """Both open, or both dated and possibly the same day (a year-only date agrees with any day of its year)."""
    if a is None or b is None:
        return a is None and b is None
    return a.agrees(b)


def reconcile(graphs: Mapping[str, Graph], shared: set[URIRef]) -> tuple[Graph, list[Difference]]:
    """Compare first start and last end per (alliance, member) for alliances both curated and imported."""
    out = Graph()
    diffs: list[Difference] = []
    curated = defaultdict(list)
    for s in collect_spells({"curated": graphs["curated"]})[0] if "curated" in graphs else []:
        if s.alliance in shared:
            curated[(s.alliance, s.member)].append(s)
    for name in sorted(graphs):
        if name == "curated":
            continue
        other = defaultdict(list)
        for s in collect_spells({name: graphs[name]}, preferred=name)[0]:
            if s.alliance in shared:
                other[(s.alliance, s.member)].append(s)
        for key in sorted(set(curated) & set(other)):
            c_start, c_end, c_first = _span(curated[key])
            o_start, o_end, o_first = _span(other[key])
            for aspect, cv, ov in (("startDate", c_start, o_start), ("endDate", c_end, o_end)):
                if _agree(cv, ov):
                    continue
                cs = str(cv) if cv else "open"
                os_ = str(ov) if ov else "open"
                node = mint("disagreement", iri_key(key[0]), iri_key(key[1]), name, aspect)
                out.add((node, RDF.type, FO.Disagreement))
                out.add((node, FO.aspect, Literal(aspect)))
                out.add((node, FO.concerns, c_first.iri))
                out.add((node, FO.concerns, o_first.iri))
                for i, (gname, value, spell) in enumerate((("curated", cv, c_first), (name, ov, o_first)), 1):
                    claim = sub_iri(node, "claim", i)
                    out.add((node, FO.hasClaim, claim))
                    out.add((claim, RDF.type, FO.Claim))
                    out.add((claim, FO.sourceGraph, graph_iri(gname)))
                    out.add((claim, PROV.wasDerivedFrom, spell.iri))
                    if value is not None:
                        out.add((claim, FO.claimValue, value.literal(end=aspect == "endDate")))
                    else:
                        out.add(
                            (claim, FO.note, Literal("no end: still in effect in this source", lang="en"))
                        )
                diffs.append(Difference(key[0], key[1], aspect, cs, os_, name, node))
    return out, diffs
