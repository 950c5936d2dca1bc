"""The one emitter of dated things, used by the curated core and every source importer alike.

A dated spell, an event, an interval and the provenance of an imported node are written here and nowhere else,
so curated and imported data say a date the same way (graph/README.md, Dates):

- `span(g, node, start, end)`: fo:startDate (first day) and fo:endDate (last day) with fo:startPrecision /
  fo:endPrecision, always stated (time:unitDay, time:unitMonth or time:unitYear);
- `member_during(g, node, start, end)`: org:memberDuring, a time:ProperInterval <node>/interval whose
  time:hasBeginning / time:hasEnd instants (<node>/interval/beginning, <node>/interval/end) are placed by
  time:inXSDDate, or time:inXSDgYearMonth / time:inXSDgYear when only the month or the year is known;
- `spell(...)`: both, for memberships, statuses and participations;
- `event(g, node, kind, date)`: an event of class `kind` with fo:date (first day) and fo:datePrecision.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, TIME

from foedus.fo_terms import FO
from foedus.graph.dates import PartialDate
from foedus.vocab import INTERVAL_ENDS, instant_iri, interval_iri, mint


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


def start(g: Graph, node: URIRef, date: PartialDate) -> None:
    """fo:startDate (the first day the date stands for) and fo:startPrecision."""
    g.add((node, FO.startDate, date.literal()))
    g.add((node, FO.startPrecision, date.precision.unit))


def end(g: Graph, node: URIRef, date: PartialDate) -> None:
    """fo:endDate (the last day the date stands for) and fo:endPrecision."""
    g.add((node, FO.endDate, date.literal(end=True)))
    g.add((node, FO.endPrecision, date.precision.unit))


def span(g: Graph, node: URIRef, first: PartialDate | None, last: PartialDate | None) -> None:
    """The start and end of `node`, each when known (an unknown or open end is simply absent)."""
    if first is not None:
        start(g, node, first)
    if last is not None:
        end(g, node, last)


def member_during(g: Graph, node: URIRef, first: PartialDate | None, last: PartialDate | None) -> None:
    """org:memberDuring: a time:ProperInterval whose instants say the same dates as `span` does."""
    interval = interval_iri(node)
    g.add((node, ORG.memberDuring, interval))
    g.add((interval, RDF.type, TIME.ProperInterval))
    for which, date in (("beginning", first), ("end", last)):
        if date is None:
            continue
        instant = instant_iri(node, which)
        g.add((interval, INTERVAL_ENDS[which], instant))
        g.add((instant, RDF.type, TIME.Instant))
        g.add((instant, *date.instant()))


def spell(g: Graph, node: URIRef, first: PartialDate | None, last: PartialDate | None) -> None:
    """A spell (membership, status, participation in a system): its dates and its OWL-Time interval."""
    span(g, node, first, last)
    member_during(g, node, first, last)


def event(g: Graph, node: URIRef, kind: URIRef, date: PartialDate | None) -> URIRef:
    """An event of class `kind` with fo:date (its first day) and fo:datePrecision, when the date is known."""
    g.add((node, RDF.type, kind))
    if date is not None:
        g.add((node, FO.date, date.literal()))
        g.add((node, FO.datePrecision, date.precision.unit))
    return node
