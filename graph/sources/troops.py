"""US troop presence abroad, 1950-2024 (troopdata country-year file), as a W3C Data Cube, into `us-troops`.

Reads the official layout `troopdata/troopdata-rebuild-country-year.csv`. Each row is one fo:TroopPresenceObservation
(a qb:Observation) of the qb:DataSet `id/dataset/us-troops`, whose qb:DataStructureDefinition names its dimensions
(host, year, the host's name as written), its 21 measures (one per service and category) and its attributes.
The host is a COW state, mapped by year where troopdata's code means another COW state (255 -> 260 to 1990), or a
territory kept with its code and name (hosts.py). Values are kept as given, zeros included ("none reported").
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.context import ImportContext
from foedus.graph.sources.hosts import GERMANY, WEST_GERMANY, Hosts, cow_codes, host_code
from foedus.graph.sources.table import Row, read_rows
from foedus.vocab import mint, slugify, sub_iri

QB = Namespace("http://purl.org/linked-data/cube#")

DATASET = "us-troops"
FILE = Path("troopdata/troopdata-rebuild-country-year.csv")
TABLE = "country-year"
# troopdata column -> our measure property (graph ontology: fo:<name>, skos:notation the column).
MEASURES: dict[str, URIRef] = {
    "troops_ad": FO.troopsActiveDuty, "army_ad": FO.armyActiveDuty, "navy_ad": FO.navyActiveDuty,
    "air_force_ad": FO.airForceActiveDuty, "marine_corps_ad": FO.marineCorpsActiveDuty,
    "coast_guard_ad": FO.coastGuardActiveDuty, "space_force_ad": FO.spaceForceActiveDuty,
    "army_national_guard": FO.armyNationalGuard, "air_national_guard": FO.airNationalGuard,
    "army_reserve": FO.armyReserve, "navy_reserve": FO.navyReserve, "marine_corps_reserve": FO.marineCorpsReserve,
    "air_force_reserve": FO.airForceReserve, "coast_guard_reserve": FO.coastGuardReserve,
    "total_selected_reserve": FO.totalSelectedReserve, "army_civilian": FO.armyCivilians,
    "navy_civilian": FO.navyCivilians, "marine_corps_civilian": FO.marineCorpsCivilians,
    "air_force_civilian": FO.airForceCivilians, "dod_civilian": FO.dodCivilians,
    "total_civilian": FO.totalCivilians,
}
DIMENSIONS = (FO.host, FO.year, FO.sourceCountryName)
ATTRIBUTES = (FO.sourceCountryCode, FO.iso3166Alpha3, FO.sourceRegion)
COLUMNS = ("countryname", "year", "ccode", "iso3c", "region", *MEASURES)
NOT_AVAILABLE = "NA"
MAPPED_NOTE = ("troopdata codes West Germany 255 (Germany) in every year; this observation is about COW 260, "
               "the German Federal Republic (COW lists it as a state from 1955-05-05).")


def dataset_node() -> URIRef:
    """The qb:DataSet of the troop figures, the same node VoID/DCAT describe as the `us-troops` subset."""
    return emit.dataset_iri(DATASET)


def load(source_dir: Path, ctx: ImportContext) -> Graph:
    """Read the troopdata country-year file from `source_dir` into the `us-troops` graph."""
    g = emit.new_graph()
    _structure(g)
    hosts = Hosts(g, DATASET, cow_codes(source_dir))
    rows = mapped = 0
    negative: list[str] = []
    for row in read_rows(source_dir / FILE, COLUMNS):
        rows += 1
        year = row.integer("year")
        if not 1900 <= year <= 2100:
            raise row.fail("year", f"{year} is not a year of the data (1950-2024)")
        code = row.integer("ccode")
        host = host_code(code, year)
        name = row.text("countryname")
        if not name:
            raise row.fail("countryname", "empty host name")
        node = mint("observation", DATASET, code, year, slugify(name))
        for cls in (FO.TroopPresenceObservation, QB.Observation):
            g.add((node, RDF.type, cls))
        g.add((node, QB.dataSet, dataset_node()))
        g.add((node, FO.host, hosts.iri(host, name)))
        g.add((node, FO.year, Literal(year)))
        g.add((node, FO.sourceCountryName, Literal(name)))
        g.add((node, FO.sourceCountryCode, Literal(code)))
        if host != code:
            mapped += 1
            g.add((node, FO.note, Literal(MAPPED_NOTE)))
        iso3 = row.text("iso3c")
        if iso3 and iso3 != NOT_AVAILABLE:
            g.add((node, FO.iso3166Alpha3, Literal(iso3)))
        region = row.text("region")
        if region:
            g.add((node, FO.sourceRegion, Literal(region)))
        negative += [f"{name} {year} {column}" for column in _measures(g, node, row)]
    ctx.progress(f"us-troops: {rows} observations")
    territories = ", ".join(f"{c} {n}" for c, n in sorted(hosts.territories.items()))
    ctx.note(f"us-troops: {rows} observations imported; {len(hosts.territories)} hosts are no COW state, kept "
             f"as fo:Territory with their code ({territories}); {mapped} observations coded {GERMANY} mapped to "
             f"{WEST_GERMANY} (West Germany, 1950-1990)")
    if negative:
        ctx.warn(f"us-troops: {len(negative)} negative personnel figures in {FILE}, kept as the source gives "
                 f"them: {', '.join(negative)}")
    return g


def _measures(g: Graph, node: URIRef, row: Row) -> list[str]:
    """Add every measure of the row (all are present: Data Cube IC-14); return the columns that are negative."""
    negative = []
    for column, prop in MEASURES.items():
        value = row.integer(column)
        if value < 0:
            negative.append(column)
        g.add((node, prop, Literal(value)))
    return negative


def _structure(g: Graph) -> None:
    """The qb:DataSet and its qb:DataStructureDefinition: dimensions, measures, attributes, in order."""
    data, dsd = dataset_node(), mint("dataset", DATASET, "structure")
    g.add((data, RDF.type, QB.DataSet))
    g.add((data, RDFS.label, Literal("US military personnel abroad by host and year, 1950-2024", lang="en")))
    g.add((data, QB.structure, dsd))
    g.add((dsd, RDF.type, QB.DataStructureDefinition))
    g.add((dsd, RDFS.label, Literal("Structure of the US troop presence data cube", lang="en")))
    parts = [(QB.dimension, QB.DimensionProperty, p) for p in DIMENSIONS]
    parts += [(QB.measure, QB.MeasureProperty, p) for p in MEASURES.values()]
    parts += [(QB.attribute, QB.AttributeProperty, p) for p in ATTRIBUTES]
    for order, (role, kind, prop) in enumerate(parts, start=1):
        component = sub_iri(dsd, "component", order)
        g.add((dsd, QB.component, component))
        g.add((component, RDF.type, QB.ComponentSpecification))
        g.add((component, role, prop))
        g.add((component, QB.order, Literal(order)))
        g.add((prop, RDF.type, kind))
