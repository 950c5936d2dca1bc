"""Where each alliance stands on the release's as-of date, by the dates of one source (curated first, else the
source that codes it): in force, ended, or open where that source stops knowing. Computed at build because no
source says it for every alliance, and ATOP's own flag is its judgment as of 2018."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from foedus.fo_terms import FO
from foedus.graph.dates import PartialDate
from foedus.graph.dyads import Spell
from foedus.vocab import graph_iri

# The last day each source's coding reaches (ATOP 5.1 codes alliances to the end of 2018, its codebook §1).
KNOWLEDGE_EDGES: dict[str, dt.date] = {"atop-5.1": PartialDate(2018).last}
# How a standing note names the graph whose dates it rests on.
SOURCE_NAMES: dict[str, str] = {"curated": "the curated core", "atop-5.1": "ATOP 5.1"}


def _covers(s: Spell, day: dt.date) -> bool:
    """True when the spell runs on `day` (an open spell runs on every day from its start)."""
    return s.start <= day and (s.end is None or s.end >= day)


def _end_disputed(g: Graph, spell: URIRef) -> bool:
    """True when the graph keeps another source's end for this spell as a fo:Disagreement (no end recorded)."""
    return any(
        (dis, FO.aspect, Literal("endDate")) in g for dis in g.subjects(FO.concerns, spell)
    )


def standing(
    spells: list[Spell], source_of: Mapping[URIRef, str], graphs: Mapping[str, Graph], as_of: dt.date
) -> Graph:
    """fo:inEffect (when known), the as-of date, the dating source and its knowledge edge for each alliance.

    `spells` are those the dyads use (one source per alliance); `source_of` names the graph each spell came from.
    An alliance is in force when two of its members' spells run on the as-of date; open spells of a source whose
    coding stops earlier (ATOP, 2018) say only that it was open then; an open curated spell whose end another
    source disputes says no end is recorded.
    """
    out = Graph()
    by_alliance: dict[URIRef, list[Spell]] = defaultdict(list)
    for s in spells:
        by_alliance[s.alliance].append(s)
    for alliance, members in sorted(by_alliance.items()):
        source = source_of[members[0].iri]
        who = SOURCE_NAMES.get(source, source)
        edge = KNOWLEDGE_EDGES.get(source)
        day = min(as_of, edge) if edge else as_of
        running = [s for s in members if _covers(s, day)]
        unrecorded = [s for s in running if s.end is None and _end_disputed(graphs[source], s.iri)]
        out.add((alliance, FO.standingAsOf, Literal(as_of.isoformat(), datatype=XSD.date)))
        out.add((alliance, FO.datingSource, graph_iri(source)))
        if edge:
            out.add((alliance, FO.knowledgeEdge, Literal(edge.isoformat(), datatype=XSD.date)))
        if len({s.member for s in running}) < 2:
            out.add((alliance, FO.inEffect, Literal(False)))
            note = f"ended by {as_of.isoformat()}, by the dates of {who}"
        elif len({s.member for s in running if s not in unrecorded}) < 2:
            note = (f"no end recorded in {who}, which leaves it open; another source ends it (see the "
                    "disagreements on its memberships): whether it is in force is not known")
        elif edge and edge < as_of:
            note = (f"open when {who} stops coding ({edge.isoformat()}): {who} cannot say whether it is in "
                    f"force on {as_of.isoformat()}")
        else:
            out.add((alliance, FO.inEffect, Literal(True)))
            note = f"in force on {as_of.isoformat()}, by the dates of {who}"
        out.add((alliance, FO.standingNote, Literal(note, lang="en")))
    return out
