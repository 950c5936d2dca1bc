"""Where the curated core and a source classify one thing differently (the SCO: no alliance in the curated core, an
alliance in ATOP): both views are kept as one fo:Disagreement, and the source's alliance makes no allied dyads."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from foedus.fo_terms import FO
from foedus.graph.dyads import iri_key
from foedus.vocab import graph_iri, mint, sub_iri


def classified_apart(graphs: Mapping[str, Graph]) -> dict[URIRef, tuple[URIRef, str]]:
    """Source alliances (ATOP's node) -> (the curated node that is no alliance, the source's graph name)."""
    curated = graphs.get("curated")
    if curated is None:
        return {}
    out: dict[URIRef, tuple[URIRef, str]] = {}
    for ours, theirs in curated.subject_objects(SKOS.closeMatch):
        if not isinstance(ours, URIRef) or not isinstance(theirs, URIRef) or (ours, RDF.type, FO.Alliance) in curated:
            continue
        for name, g in graphs.items():
            if name != "curated" and (theirs, RDF.type, FO.Alliance) in g:
                out[theirs] = (ours, name)
    return out


def disagreements(apart: Mapping[URIRef, tuple[URIRef, str]]) -> Graph:
    """One fo:Disagreement of classification per pair: the curated core says no alliance, the source says one."""
    out = Graph()
    for theirs, (ours, name) in sorted(apart.items()):
        node = mint("disagreement", iri_key(ours), name, "classification")
        out.add((node, RDF.type, FO.Disagreement))
        out.add((node, FO.aspect, Literal("classification")))
        out.add((node, FO.concerns, ours))
        out.add((node, FO.concerns, theirs))
        views = (("curated", ours, "not an alliance"), (name, theirs, "an alliance"))
        for i, (gname, subject, view) in enumerate(views, 1):
            claim = sub_iri(node, "claim", i)
            out.add((node, FO.hasClaim, claim))
            out.add((claim, RDF.type, FO.Claim))
            out.add((claim, FO.sourceGraph, graph_iri(gname)))
            out.add((claim, PROV.wasDerivedFrom, subject))
            out.add((claim, FO.claimValue, Literal(view, lang="en")))
    return out
