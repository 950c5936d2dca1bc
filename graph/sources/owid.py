"""The OWID countries-and-regions crosswalk: COW code -> Wikidata item and ISO 3166 codes, as OWID says.

Reads `owid/countries_regions.csv`. Only rows with a COW code become triples. The curated states table is
the primary link between states and Wikidata; this graph keeps the crosswalk's own view, so that
differences stay visible.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.context import ImportContext
from foedus.graph.sources.table import read_rows
from foedus.vocab import state_iri

DATASET = "owid-crosswalk"
CROSSWALK_FILE = Path("owid/countries_regions.csv")
WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
ALPHA2 = re.compile(r"^[A-Z]{2}$")
ALPHA3 = re.compile(r"^[A-Z]{3}$")


def load(source_dir: Path, ctx: ImportContext) -> Graph:
    """Read the OWID crosswalk from `source_dir` into the triples of the `owid-crosswalk` graph."""
    g = emit.new_graph()
    seen: dict[int, int] = {}
    for row in read_rows(source_dir / CROSSWALK_FILE, ("code", "iso_alpha2", "iso_alpha3", "cow_code",
                                                       "wikidata_uri")):
        code = row.opt_int("cow_code")
        if code is None:
            continue
        if code in seen:
            raise row.fail("cow_code", f"COW code {code} already on row {seen[code]}")
        seen[code] = row.number
        state = state_iri(code)
        wikidata = row.text("wikidata_uri")
        if wikidata:
            if not WIKIDATA.match(wikidata):
                raise row.fail("wikidata_uri", f"not a Wikidata item IRI: {wikidata!r}")
            g.add((state, SKOS.exactMatch, URIRef(wikidata)))  # a mapping, not owl:sameAs (graph/README.md)
        for column, pattern, prop in (("iso_alpha2", ALPHA2, FO.iso3166Alpha2),
                                      ("iso_alpha3", ALPHA3, FO.iso3166Alpha3)):
            value = row.text(column)
            if value:
                if not pattern.match(value):
                    raise row.fail(column, f"not an ISO 3166 code: {value!r}")
                g.add((state, prop, Literal(value)))
        emit.derived(g, state, DATASET, emit.row_iri(DATASET, "countries-regions", row.number))
    ctx.progress(f"owid: {len(seen)} rows with a COW code")
    return g
