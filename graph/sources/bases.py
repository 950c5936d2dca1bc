"""US bases and sites abroad (David Vine's list, as troopdata's basedata.csv carries it), into `us-bases`.

Reads the official layout `troopdata/basedata.csv`, which is Latin-1 (not UTF-8): "Fuerte Aguayo NB, Concón".
Each row is one fo:MilitaryBase, typed by its kind flags (fo:MajorBase, fo:LilyPadSite, fo:HostFundedSite; one
site is both a lily pad and host-funded), with its host (a COW state or a territory, hosts.py) and, when given,
its place as a GeoSPARQL feature with a WKT point and WGS84 coordinates. The list has no dates: it describes the
network of about 2020, so host codes are read as today's states (255 is Germany).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.context import ImportContext
from foedus.graph.sources.hosts import Hosts, cow_codes
from foedus.graph.sources.table import Row, read_rows
from foedus.vocab import base_iri, numbered_iri, sub_iri

GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

DATASET = "us-bases"
FILE = Path("troopdata/basedata.csv")
ENCODING = "latin-1"
TABLE = "basedata"
KINDS = {"base": FO.MajorBase, "lilypad": FO.LilyPadSite, "fundedsite": FO.HostFundedSite}
COLUMNS = ("countryname", "ccode", "iso3c", "basename", "lat", "lon", *KINDS)
NOT_AVAILABLE = ("", "NA")


def load(source_dir: Path, ctx: ImportContext) -> Graph:
    """Read the base list from `source_dir` into the `us-bases` graph."""
    g = emit.new_graph()
    hosts = Hosts(g, DATASET, cow_codes(source_dir))
    seen: Counter[URIRef] = Counter()
    kinds: Counter[str] = Counter()
    without_place = 0
    for row in read_rows(source_dir / FILE, COLUMNS, encoding=ENCODING):
        name = row.text("basename")
        if not name:
            raise row.fail("basename", "empty base name")
        code = row.integer("ccode")
        node = base_iri(code, name)
        seen[node] += 1
        if seen[node] > 1:
            node = numbered_iri(node, seen[node])
            ctx.warn(f"{row.where('basename')}: {name!r} is listed again for host {code}; this one is <{node}>")
        g.add((node, RDF.type, FO.MilitaryBase))
        flagged = [column for column in KINDS if row.flag(column)]
        if not flagged:
            raise row.fail("base", "none of base, lilypad, fundedsite is 1: the list gives every site a kind")
        for column in flagged:
            g.add((node, RDF.type, KINDS[column]))
            kinds[column] += 1
        g.add((node, RDFS.label, Literal(name, lang="en")))
        g.add((node, FO.hostState, hosts.iri(code, row.text("countryname"))))
        g.add((node, FO.sourceCountryName, Literal(row.text("countryname"))))
        g.add((node, FO.sourceCountryCode, Literal(code)))
        if row.text("iso3c") not in NOT_AVAILABLE:
            g.add((node, FO.iso3166Alpha3, Literal(row.text("iso3c"))))
        emit.derived(g, node, DATASET, emit.row_iri(DATASET, TABLE, row.number))
        without_place += not _point(g, node, row)
    total = sum(seen.values())
    ctx.progress(f"us-bases: {total} sites")
    ctx.note(f"us-bases: {total} sites imported ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
             f"{without_place} without coordinates; {len(hosts.territories)} hosts are no COW state")
    return g


def _point(g: Graph, node: URIRef, row: Row) -> bool:
    """The site's coordinates as WGS84 lat/long and a GeoSPARQL WKT point; False when the list gives none."""
    raw = {c: row.text(c) for c in ("lat", "lon")}
    if all(v in NOT_AVAILABLE for v in raw.values()):
        return False
    for column, limit in (("lat", 90), ("lon", 180)):
        try:
            value = float(raw[column])
        except ValueError:
            raise row.fail(column, f"expected degrees, found {raw[column]!r}") from None
        if not -limit <= value <= limit:
            raise row.fail(column, f"{raw[column]} is outside -{limit}..{limit} degrees")
    geometry = sub_iri(node, "geometry")
    g.add((node, RDF.type, GEO.Feature))
    g.add((node, RDF.type, WGS.SpatialThing))
    g.add((node, WGS.lat, Literal(raw["lat"], datatype=XSD.decimal)))
    g.add((node, WGS.long, Literal(raw["lon"], datatype=XSD.decimal)))
    g.add((node, GEO.hasGeometry, geometry))
    g.add((geometry, RDF.type, GEO.Geometry))
    g.add((geometry, GEO.asWKT, Literal(f"POINT({raw['lon']} {raw['lat']})", datatype=GEO.wktLiteral)))
    return True
