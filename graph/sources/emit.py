"""The shapes all source importers write alike: dated spells, OWL-Time intervals, events, provenance."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, TIME, XSD

from foedus.fo_terms import FO
from foedus.graph.sources.table import UNIT_DAY, UNIT_MONTH, PartialDate
from foedus.vocab import mint


def dataset_iri(name: str) -> URIRef:
    """The IRI of a source data set (`id/dataset/<name>`), which the description graph describes."""
    return mint("dataset", name)


def row_iri(dataset: str, table: str, number: int) -> URIRef:
    """The IRI of one data row of a source file, the cheapest provenance trail back to the input."""
    return mint("dataset", dataset, table, number)


def new_graph() -> Graph:
    """An empty graph with no bound prefixes (serialisers bind them; a bare graph loads faster)."""
    return Graph(bind_namespaces="none")


def derived(g: Graph, node: URIRef, dataset: str, *rows: URIRef) -> None:
    """Say where `node` came from: the data set (dcterms:source) and the rows it was built from, if given."""
    g.add((node, DCTERMS.source, dataset_iri(dataset)))
    for row in rows:
        g.add((node, PROV.wasDerivedFrom, row))


def span(g: Graph, node: URIRef, start: PartialDate | None, end: PartialDate | None) -> None:
    """Add fo:startDate/fo:endDate (first day of the known period) and a precision if coarser than a day."""
    if start is not None:
        g.add((node, FO.startDate, start.literal))
        if start.coarse:
            g.add((node, FO.startPrecision, start.precision))
    if end is not None:
        g.add((node, FO.endDate, end.literal))
        if end.coarse:
            g.add((node, FO.endPrecision, end.precision))


def instant_literal(date: PartialDate) -> tuple[URIRef, Literal]:
    """The OWL-Time position of a partial date: time:inXSDDate, or gYearMonth / gYear when coarser."""
    if date.precision == UNIT_DAY:
        return TIME.inXSDDate, date.literal
    if date.precision == UNIT_MONTH:
        return TIME.inXSDgYearMonth, Literal(date.value.strftime("%Y-%m"), datatype=XSD.gYearMonth)
    return TIME.inXSDgYear, Literal(f"{date.value.year:04d}", datatype=XSD.gYear)


def member_during(g: Graph, node: URIRef, start: PartialDate | None, end: PartialDate | None) -> None:
    """Add org:memberDuring: a time:ProperInterval with beginning and end instants (IRIs under `node`)."""
    interval = URIRef(f"{node}/interval")
    g.add((node, ORG.memberDuring, interval))
    g.add((interval, RDF.type, TIME.ProperInterval))
    for prop, suffix, date in ((TIME.hasBeginning, "begin", start), (TIME.hasEnd, "end", end)):
        if date is None:
            continue
        instant = URIRef(f"{interval}/{suffix}")
        g.add((interval, prop, instant))
        g.add((instant, RDF.type, TIME.Instant))
        g.add((instant, *instant_literal(date)))


def event(g: Graph, node: URIRef, kind: URIRef, date: PartialDate | None) -> URIRef:
    """Add an event of class `kind` with its fo:date and, when coarser than a day, its fo:datePrecision."""
    g.add((node, RDF.type, kind))
    if date is not None:
        g.add((node, FO.date, date.literal))
        if date.coarse:
            g.add((node, FO.datePrecision, date.precision))
    return node
