"""MME v7 (D'Orazio and Galambos): 3,707 multinational military exercises, 1980-2010, into the `mme-7` graph.

Reads the official layout `mme/mme_v7.csv`. Every row becomes one fo:JointExercise (id/instrument/mme-<n>; a
repeated MMEID gets numbered_iri, graph/README.md says how), an edition (fo:Occurrence) of its series when it names
one, with its place (GeoSPARQL and WGS84), its dates from the s.* / e.* columns (`xx` = unknown day), its kinds
(concepts of fo:exerciseKinds), its focus text and one fo:Participation per participant named in StateA..StateAM,
resolved through the reviewed name table (mme_names.py). A participant the table cannot map is kept by name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, Namespace

from foedus.fo_terms import EXERCISE_KIND, FO, ROLE
from foedus.graph import emit
from foedus.graph.context import ImportContext
from foedus.graph.dates import PartialDate
from foedus.graph.sources.mme_names import Participant, participant
from foedus.graph.sources.table import Row, partial_date, read_rows
from foedus.vocab import (
    alliance_iri,
    exercise_iri,
    exercise_series_iri,
    numbered_iri,
    state_iri,
    sub_iri,
)

GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

DATASET = "mme-7"
FILE = Path("mme/mme_v7.csv")
TABLE = "mme_v7"
UNKNOWN = "-9"  # MME's code for a value it does not know (a name, a place, a participant)
MME_ID = re.compile(r"^mme(\d+)$")
KINDS = {"CPX": EXERCISE_KIND.cpx, "Air": EXERCISE_KIND.air, "Land": EXERCISE_KIND.land,
         "Sea": EXERCISE_KIND.sea, "Amphibious": EXERCISE_KIND.amphibious, "Cyber": EXERCISE_KIND.cyber,
         "Warfighting": EXERCISE_KIND.warfighting, "Peacekeeping": EXERCISE_KIND.peacekeeping,
         "Humanitarian": EXERCISE_KIND.humanitarian}
LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", *(f"A{c}" for c in "ABCDEFGHIJKLM")]
PARTICIPANT_COLUMNS = tuple(f"State{x}" for x in LETTERS)
COLUMNS = ("MMEID", "Ex_Name", "Series_Name", "Location", "lat", "lon", "StartDate", "s.year", "s.month",
           "s.day", "EndDate", "e.year", "e.month", "e.day", *KINDS, "FocusDescription",
           "AdditionalParticipantInfo", *PARTICIPANT_COLUMNS)


@dataclass
class Tally:
    """What the import found, for the build report: exercises, repeated ids, participants by kind."""

    rows: int = 0
    ids: Counter[str] = field(default_factory=Counter)
    series: set[URIRef] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)


def load(source_dir: Path, ctx: ImportContext) -> Graph:
    """Read MME v7 from `source_dir` into the triples of the `mme-7` graph."""
    g = emit.new_graph()
    tally = Tally()
    organisations = set(ctx.alliance_iris.values())
    for row in read_rows(source_dir / FILE, COLUMNS):
        _exercise(g, row, tally, organisations, ctx)
    repeated = sorted(k for k, n in tally.ids.items() if n > 1)
    ctx.progress(f"mme: {tally.rows} exercises, {len(tally.ids)} MMEIDs, {len(tally.series)} series")
    ctx.note(f"mme-7: {tally.rows} exercises imported ({len(tally.ids)} distinct MMEIDs; repeated, each row "
             f"its own IRI: {', '.join(repeated) or 'none'}); {len(tally.series)} series")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(tally.kinds.items()))
    ctx.note(f"mme-7: {sum(tally.kinds.values())} participations ({kinds})")
    names = "; ".join(f"{name!r} × {n}" for name, n in sorted(tally.unmapped.items()))
    ctx.note(f"mme-7: {sum(tally.unmapped.values())} participations of unmapped participants kept by name "
             f"(fo:participantName): {names or 'none'}")
    return g


def _text(row: Row, column: str) -> str | None:
    """The cell as text, None when empty or MME's -9 (unknown)."""
    value = row.text(column)
    return None if value in ("", UNKNOWN) else value


def _exercise(g: Graph, row: Row, tally: Tally, organisations: set[URIRef], ctx: ImportContext) -> None:
    """Add one exercise: identity, name, series, place, dates, kinds, focus and participants."""
    mme_id = row.text("MMEID")
    match = MME_ID.match(mme_id)
    if not match:
        raise row.fail("MMEID", f"expected an identifier like mme87, found {mme_id!r}")
    tally.rows += 1
    tally.ids[mme_id] += 1
    node = exercise_iri(int(match[1]))
    if tally.ids[mme_id] > 1:
        node = numbered_iri(node, tally.ids[mme_id])
        ctx.warn(f"{row.where('MMEID')}: {mme_id} already named an exercise; this one is <{node}>")
    g.add((node, RDF.type, FO.JointExercise))
    g.add((node, FO.mmeId, Literal(mme_id)))
    g.add((node, FO.recurring, Literal(False)))
    emit.derived(g, node, DATASET, emit.row_iri(DATASET, TABLE, row.number))
    name = _text(row, "Ex_Name")
    g.add((node, RDFS.label, Literal(name or f"Unnamed exercise ({mme_id} in MME)", lang="en")))
    series = _text(row, "Series_Name")
    if series is not None:
        _series(g, node, series, tally)
    _place(g, node, row)
    start = _dates(g, node, row, ctx)
    for column, concept in KINDS.items():
        if row.flag(column) is None:
            raise row.fail(column, "empty cell where MME codes 0 or 1")
        if row.flag(column):
            g.add((node, FO.exerciseKind, concept))
    focus = _text(row, "FocusDescription")
    if focus is not None:
        g.add((node, DCTERMS.description, Literal(focus, lang="en")))
    extra = _text(row, "AdditionalParticipantInfo")
    if extra is not None:
        g.add((node, FO.note, Literal(f"MME on the participants: {extra}")))
    for index, column in enumerate(PARTICIPANT_COLUMNS, start=1):
        spelling = row.text(column)
        if spelling:
            _participation(g, node, index, row, column, start, tally, organisations)


def _series(g: Graph, node: URIRef, name: str, tally: Tally) -> None:
    """Make the exercise an edition of its series; one series per slug of Series_Name ('Autumn forge' too)."""
    series = exercise_series_iri(name)
    if series not in tally.series:
        tally.series.add(series)
        for cls in (FO.ExerciseSeries, FO.JointExercise):
            g.add((series, RDF.type, cls))
        g.add((series, RDFS.label, Literal(name, lang="en")))
        g.add((series, FO.recurring, Literal(True)))
        emit.derived(g, series, DATASET)
    elif (series, RDFS.label, Literal(name, lang="en")) not in g:
        g.add((series, SKOS.altLabel, Literal(name, lang="en")))
    g.add((node, RDF.type, FO.Occurrence))
    g.add((node, FO.occurrenceOf, series))


def _place(g: Graph, node: URIRef, row: Row) -> None:
    """The place as MME writes it (fo:placeName) and, when geocoded, a GeoSPARQL feature with a WKT point."""
    text = _text(row, "Location")
    if text is not None:
        g.add((node, FO.placeName, Literal(text)))
    lat, lon = _coordinate(row, "lat", 90), _coordinate(row, "lon", 180)
    if (lat is None) != (lon is None):
        raise row.fail("lon" if lon is None else "lat", "a coordinate needs both lat and lon")
    if lat is None or lon is None:
        return
    place, geometry = sub_iri(node, "place"), sub_iri(node, "place", "geometry")
    g.add((node, PROV.atLocation, place))
    for cls in (PROV.Location, GEO.Feature, WGS.SpatialThing):
        g.add((place, RDF.type, cls))
    if text is not None:
        g.add((place, RDFS.label, Literal(text, lang="en")))
    g.add((place, WGS.lat, Literal(lat, datatype=XSD.decimal)))
    g.add((place, WGS.long, Literal(lon, datatype=XSD.decimal)))
    g.add((place, GEO.hasGeometry, geometry))
    g.add((geometry, RDF.type, GEO.Geometry))
    g.add((geometry, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)))


def _coordinate(row: Row, column: str, limit: int) -> str | None:
    """A latitude or longitude in degrees as written (kept exact), None when empty."""
    raw = row.text(column)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise row.fail(column, f"expected degrees, found {raw!r}") from None
    if not -limit <= value <= limit:
        raise row.fail(column, f"{raw} is outside -{limit}..{limit} degrees")
    return raw


def _dates(g: Graph, node: URIRef, row: Row, ctx: ImportContext) -> PartialDate:
    """Start and end from the s.* / e.* columns with their precision; an end before the start is a note."""
    start = partial_date(row, "s.year", "s.month", "s.day", unknown="xx")
    if start is None:
        raise row.fail("s.year", "the year the exercise starts is missing")
    end = partial_date(row, "e.year", "e.month", "e.day", unknown="xx")
    if end is not None and end.before(start):
        ctx.warn(f"{row.where('e.year')}: {row.text('MMEID')} ends ({end}) before it starts ({start}); "
                 "the end is kept as a note, not as fo:endDate")
        g.add((node, FO.note, Literal(f"MME gives an end ({end}, EndDate {row.text('EndDate')!r}) before "
                                      f"the start ({start}); the end is not recorded as a date.")))
        end = None
    emit.span(g, node, start, end)
    return start


def _participation(g: Graph, node: URIRef, index: int, row: Row, column: str, start: PartialDate,
                   tally: Tally, organisations: set[URIRef]) -> None:
    """One participant, as a state, a curated organisation, or a name kept as MME writes it."""
    spelling = row.text(column)
    who = participant(spelling, start.first.isoformat())
    if who is None:
        raise row.fail(column, f"{spelling!r} is not in graph/sources/mme_participants.csv; review and add it")
    record = sub_iri(node, "participation", index)
    g.add((node, FO.hasParticipation, record))
    g.add((record, RDF.type, FO.Participation))
    g.add((record, FO.participantRole, ROLE.participant))
    actor = _actor(who, organisations)
    tally.kinds[who.kind] += 1
    if actor is None:
        tally.unmapped[spelling] += 1
        g.add((record, FO.participantName, Literal(spelling)))
        if who.note:
            g.add((record, FO.note, Literal(f"Not mapped to a state or actor: {who.note}.")))
        return
    g.add((record, FO.participant, actor))
    g.add((node, FO.hasParticipant, actor))


def _actor(who: Participant, organisations: set[URIRef]) -> URIRef | None:
    """The IRI a table row names: a COW state or a curated alliance's organisation; None (kept by name) otherwise.

    An organisation the curated core does not hold (a build over another curated core) is not minted here as a bare
    actor IRI that nothing describes: its participation keeps the name and is counted as unmapped.
    """
    if who.cow_code is not None:
        return state_iri(who.cow_code)
    if who.actor is not None and alliance_iri(who.actor) in organisations:
        return alliance_iri(who.actor)
    return None
