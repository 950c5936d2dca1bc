"""Host countries of the US presence abroad (troopdata): a COW state by its code, else a territory kept as given.

troopdata codes hosts with COW codes, plus codes of its own for places COW does not list as states (Guam 1008,
Puerto Rico 6 ...). Which is which is decided by the COW state list itself (states2016.csv), never by a threshold.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.sources.table import read_rows
from foedus.vocab import state_iri, territory_iri

COW_STATES = Path("cow_state_system/states2016.csv")
WEST_GERMANY = 260  # COW's German Federal Republic; troopdata writes 255 (Germany) for it too
GERMANY = 255
WEST_GERMANY_YEARS = range(1950, 1991)  # troopdata's 255 is West Germany up to and including 1990


def cow_codes(source_dir: Path) -> frozenset[int]:
    """Every state code of the COW state system list (the build has verified the file already)."""
    return frozenset(row.integer("ccode") for row in read_rows(source_dir / COW_STATES, ("ccode",)))


def host_code(code: int, year: int | None) -> int:
    """The COW code a troopdata host code stands for in `year`: 255 is West Germany (260) to 1990."""
    if code == GERMANY and year is not None and year in WEST_GERMANY_YEARS:
        return WEST_GERMANY
    return code


class Hosts:
    """Resolves host codes to state IRIs, or declares a territory (once) for a code COW does not know."""

    def __init__(self, g: Graph, dataset: str, states: frozenset[int]) -> None:
        self.g, self.dataset, self.states = g, dataset, states
        self.territories: dict[int, str] = {}

    def iri(self, code: int, name: str) -> URIRef:
        """The state with this COW code, or the territory with this source code (flagged fo:Territory)."""
        if code in self.states:
            return state_iri(code)
        node = territory_iri(code)
        if code not in self.territories:
            self.territories[code] = name
            self.g.add((node, RDF.type, FO.Territory))
            self.g.add((node, RDFS.label, Literal(name, lang="en")))
            self.g.add((node, FO.sourceCountryCode, Literal(code)))
            emit.derived(self.g, node, self.dataset)
        return node
