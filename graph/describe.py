"""The VoID + DCAT description of a release (`description` graph): licences, dumps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, XSD

from foedus.graph import layout
from foedus.graph.manifest import PresentSource
from foedus.settings import Settings
from foedus.vocab import graph_iri, mint, site_url

VOID = Namespace("http://rdfs.org/ns/void#")
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
# The data we write and the ontology are CC BY 4.0 (the code is MIT; see README).
PROJECT_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
OWN_GRAPHS = {
    "curated": "Foedus curated core: alliances, treaties, events, obligations, members, instruments.",
    "derived": "Allied dyads and disagreements, computed at build time from the other graphs.",
    "ontology": "The Foedus ontology and its extensions.",
    "description": "This description of the release (VoID and DCAT).",
}


def _base(settings: Settings) -> str:
    base = settings.public_base_url or settings.iri_base
    return base if base.endswith("/") else base + "/"


def wikidata_link_counts(graphs: Sequence[Graph]) -> dict[str, int]:
    """Triples per predicate whose object is a Wikidata item, over the given graphs (each triple counted once)."""
    links: set[tuple[object, object, object]] = set()
    for graph in graphs:
        links.update(t for t in graph if str(t[2]).startswith(WIKIDATA_ENTITY))
    counts: dict[str, int] = {}
    for _, p, _ in links:
        counts[str(p)] = counts.get(str(p), 0) + 1
    return counts


def describe_release(
    settings: Settings,
    version: str,
    triples: Mapping[str, int],
    sources: Sequence[PresentSource],
    built_at: str | None,
    wikidata_links: Mapping[str, int] | None = None,
) -> Graph:
    """Catalog, dataset, a void:subset per graph (triples, licence, citation), dumps, build.

    `triples` counts the other graphs; the description's own subset (and the dataset's total) count the
    description itself.

    `wikidata_links` (link predicate IRI -> triples) become one void:Linkset each, so people joining our data with
    Wikidata can see from the description alone which predicate carries the links, and how many there are.
    """
    triples = {**triples, "description": 0}  # filled in once the description is complete
    g = Graph()
    base = _base(settings)
    catalog, dataset, build = mint("catalog", "foedus"), mint("dataset", "foedus"), mint("build", version)
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCTERMS.title, Literal("Foedus", lang="en")))
    for t in (VOID.Dataset, DCAT.Dataset):
        g.add((dataset, RDF.type, t))
    g.add((dataset, DCTERMS.title, Literal("Foedus: a knowledge graph of military alliances", lang="en")))
    g.add((dataset, DCTERMS.license, PROJECT_LICENCE))
    g.add((dataset, OWL.versionInfo, Literal(version)))
    g.add((dataset, VOID.sparqlEndpoint, site_url(base, "sparql")))
    total = sum(triples.values())
    g.add((dataset, VOID.triples, Literal(total)))
    g.add((dataset, VOID.uriSpace, Literal(str(mint("x"))[: -len("x")])))
    if wikidata_links:
        wikidata = mint("dataset", "wikidata")
        g.add((wikidata, RDF.type, VOID.Dataset))
        g.add((wikidata, DCTERMS.title, Literal("Wikidata", lang="en")))
        g.add((wikidata, VOID.uriSpace, Literal(WIKIDATA_ENTITY)))
        g.add((wikidata, VOID.sparqlEndpoint, URIRef("https://query.wikidata.org/sparql")))
        for predicate, count in sorted(wikidata_links.items()):
            linkset = mint("dataset", "wikidata-links", predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            g.add((linkset, RDF.type, VOID.Linkset))
            g.add((linkset, VOID.subjectsTarget, dataset))
            g.add((linkset, VOID.objectsTarget, wikidata))
            g.add((linkset, VOID.linkPredicate, URIRef(predicate)))
            g.add((linkset, VOID.triples, Literal(count)))
            g.add((dataset, VOID.subset, linkset))
    for name in layout.DUMPS:
        dump = site_url(base, "releases", version, name)
        g.add((dataset, VOID.dataDump, dump))
        dist = mint("distribution", version.replace("+", "-"), name.replace(".", "-"))
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, dump))
    by_name = {p.name: p for p in sources}
    for name, count in sorted(triples.items()):
        subset = mint("dataset", name)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, RDF.type, DCAT.Dataset))
        g.add((subset, URIRef("http://rdfs.org/ns/void#inDataset"), dataset))
        g.add((subset, DCTERMS.identifier, graph_iri(name)))
        g.add((subset, VOID.triples, Literal(count)))
        present = by_name.get(name)
        if present is not None:
            src = present.source
            g.add((subset, DCTERMS.title, Literal(f"{src.title} {src.version}", lang="en")))
            # The public data sets state no licence a link could name: their terms are text, so dcterms:rights.
            g.add((subset, DCTERMS.rights, Literal(src.licence, lang="en")))
            g.add((subset, DCTERMS.bibliographicCitation, Literal(src.citation)))
            g.add((subset, DCAT.landingPage, URIRef(src.landing_page)))
            g.add((subset, DCTERMS.hasVersion, Literal(src.version)))
            g.add((build, PROV.used, subset))
        else:
            g.add((subset, DCTERMS.title, Literal(OWN_GRAPHS.get(name, name), lang="en")))
            g.add((subset, DCTERMS.license, PROJECT_LICENCE))
            g.add((subset, DCTERMS.bibliographicCitation, Literal(f"Foedus {version}, graph {name}")))
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, PROV.generated, dataset))
    g.add((dataset, PROV.wasGeneratedBy, build))
    if built_at is not None:
        g.add((build, PROV.endedAtTime, Literal(built_at, datatype=XSD.dateTime)))
        g.add((dataset, DCTERMS.issued, Literal(built_at, datatype=XSD.dateTime)))
    # Each count is the one void:triples of its own subject, so filling in the numbers keeps the size unchanged.
    own = len(g)
    g.set((mint("dataset", "description"), VOID.triples, Literal(own)))
    g.set((dataset, VOID.triples, Literal(total + own)))
    return g
