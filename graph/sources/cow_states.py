"""COW State System Membership v2016: states, their spells in the interstate system, major-power spells.

Reads the official layout `cow_state_system/states2016.csv`, `majors2016.csv` and `system2016.csv`.
COW writes the end date 2016-12-31 for "still a member at the end of the data"; that becomes an open
spell, never a date.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import ORG, RDF, RDFS, SKOS

from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.context import ImportContext
from foedus.graph.dates import PartialDate
from foedus.graph.sources.table import Row, partial_date, read_rows
from foedus.vocab import mint, state_iri

DATASET = "cow-states-2016"
STATES_FILE = Path("cow_state_system/states2016.csv")
SYSTEM_FILE = Path("cow_state_system/system2016.csv")
MAJORS_FILE = Path("cow_state_system/majors2016.csv")
DATA_END = PartialDate(2016, 12, 31)
STILL_MEMBER = "COW ends the spell on 2016-12-31, the end of its data: still current."


def load(source_dir: Path, ctx: ImportContext) -> Graph:
    """Read COW states v2016 from `source_dir` into the triples of the `cow-states-2016` graph."""
    g = emit.new_graph()
    spells = _states(g, source_dir / STATES_FILE)
    majors = _majors(g, source_dir / MAJORS_FILE, spells)
    _cross_check(source_dir / SYSTEM_FILE, spells, ctx)
    count = sum(map(len, spells.values()))
    ctx.progress(f"cow: {len(spells)} states, {count} spells, {majors} major-power spells")
    return g


def _states(g: Graph, path: Path) -> dict[int, list[tuple[PartialDate, PartialDate | None]]]:
    """Add one fo:State per COW code and one fo:SystemMembership per spell; return the spells by code."""
    spells: dict[int, list[tuple[PartialDate, PartialDate | None]]] = defaultdict(list)
    columns = ("stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday")
    for row in read_rows(path, columns):
        code = row.integer("ccode")
        state = state_iri(code)
        letters, name = row.text("stateabb"), row.text("statenme")
        if not letters:
            raise row.fail("stateabb", "empty state abbreviation")
        if not name:
            raise row.fail("statenme", "empty state name")
        start, end = _styear(row)
        if code not in spells:
            g.add((state, RDF.type, FO.State))
            g.add((state, FO.cowCode, Literal(code)))
            emit.derived(g, state, DATASET)
        g.add((state, FO.cowLetters, Literal(letters)))
        if (state, RDFS.label, None) in g:
            if (state, RDFS.label, Literal(name, lang="en")) not in g:
                g.add((state, SKOS.altLabel, Literal(name, lang="en")))
        else:
            g.add((state, RDFS.label, Literal(name, lang="en")))
        spells[code].append((start, end))
        node = mint("membership", "cow-system", code, start.first.isoformat())
        g.add((node, RDF.type, FO.SystemMembership))
        g.add((node, ORG.member, state))
        emit.spell(g, node, start, end)
        if end is None:
            g.add((node, FO.note, Literal(STILL_MEMBER)))
        emit.derived(g, node, DATASET, emit.row_iri(DATASET, "states2016", row.number))
    return spells


def _styear(row: Row) -> tuple[PartialDate, PartialDate | None]:
    """The spell dates of a states2016 row (its columns are styear/stmonth/stday, endyear/endmonth/endday)."""
    start = partial_date(row, "styear", "stmonth", "stday")
    end = partial_date(row, "endyear", "endmonth", "endday")
    if start is None:
        raise row.fail("styear", "the start year is missing")
    if end is None:
        raise row.fail("endyear", "the end year is missing (COW writes 2016-12-31 for open spells)")
    if end.before(start):
        raise row.fail("endyear", f"end {end} precedes start {start}")
    return start, (None if end == DATA_END else end)


def _majors(g: Graph, path: Path, spells: dict[int, list[tuple[PartialDate, PartialDate | None]]]) -> int:
    """Add one fo:MajorPowerStatus per majors2016 row; a code that is no COW state is an error."""
    count = 0
    columns = ("stateabb", "ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday")
    for row in read_rows(path, columns):
        code = row.integer("ccode")
        if code not in spells:
            raise row.fail("ccode", f"{code} is not a state in {STATES_FILE.name}")
        start, end = _styear(row)
        node = mint("major-power", code, start.first.isoformat())
        g.add((node, RDF.type, FO.MajorPowerStatus))
        g.add((node, ORG.member, state_iri(code)))
        emit.span(g, node, start, end)
        if end is None:
            g.add((node, FO.note, Literal(STILL_MEMBER)))
        emit.derived(g, node, DATASET, emit.row_iri(DATASET, "majors2016", row.number))
        count += 1
    return count


def _cross_check(path: Path, spells: dict[int, list[tuple[PartialDate, PartialDate | None]]],
                 ctx: ImportContext) -> None:
    """Warn when system2016's state-years disagree with the spells (the years are not turned into triples)."""
    years: dict[int, set[int]] = defaultdict(set)
    for row in read_rows(path, ("ccode", "year")):
        code = row.integer("ccode")
        if code not in spells:
            raise row.fail("ccode", f"{code} is not a state in {STATES_FILE.name}")
        years[code].add(row.integer("year"))
    for code, spans in spells.items():
        expected = {y for s, e in spans for y in range(s.year, (e or DATA_END).year + 1)}
        if expected != years.get(code, set()):
            ctx.warn(f"COW {code}: {SYSTEM_FILE.name} years differ from {STATES_FILE.name} spells "
                     f"({len(expected ^ years.get(code, set()))} years)")

