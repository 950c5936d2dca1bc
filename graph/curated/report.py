"""What the build report says about the curated core: its links to Wikidata, and how strong the sources behind its
treaty and membership facts are (the strongest kind of citation per fact, and the facts resting on ATOP alone)."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, SKOS
from rdflib.term import Node

from foedus.fo_terms import FO
from foedus.graph.curated.schema import CITATION_KINDS, EVENT_CLASSES, OBLIGATION_CLASSES, PRIMARY_KINDS
from foedus.vocab import SCHEMA, WD, kind_prefix

WIKIDATA_KINDS = ("alliance", "treaty", "actor", "instrument", "state")
UNLABELLED = "no kind"  # a citation without `kind:`: weaker than any labelled kind
STRENGTH = (*CITATION_KINDS, UNLABELLED)  # strongest first
GOAL = 0.60  # issue 13: at least 60% of these facts rest on a treaty text, depositary or official page


def wikidata_coverage(g: Graph) -> dict[str, dict[str, Any]]:
    """Per kind of curated thing: how many link to a Wikidata item, and which do not (IRI and label).

    The build report prints it so maintainers see what is left to link; states link by skos:exactMatch or
    skos:closeMatch, everything else by owl:sameAs (graph/README.md).
    """
    out: dict[str, dict[str, Any]] = {}
    for kind in WIKIDATA_KINDS:
        prefix = kind_prefix(kind)
        things = sorted({s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(prefix)})
        preds = (SKOS.exactMatch, SKOS.closeMatch) if kind == "state" else (OWL.sameAs,)
        missing = [
            {"iri": str(t), "label": str(g.value(t, RDFS.label) or "")}
            for t in things
            if not any(str(o).startswith(str(WD)) for p in preds for o in g.objects(t, p))
        ]
        out[kind] = {"total": len(things), "linked": len(things) - len(missing), "missing": missing}
    return out


def treaty_and_membership_facts(g: Graph) -> dict[URIRef, str]:
    """The curated facts about treaties and memberships, by IRI -> what they are (event, member spell, obligation):
    events of treaties and alliances (not of instruments), member spells, treaty obligations."""
    facts: dict[URIRef, str] = {}
    for cls in EVENT_CLASSES.values():
        for e in g.subjects(RDF.type, cls):
            if isinstance(e, URIRef) and (e, FO.ofInstrument, None) not in g:
                facts[e] = "event"
    for cls in (FO.AllianceMembership, ORG.Membership):
        facts.update((m, "member spell") for m in g.subjects(RDF.type, cls) if isinstance(m, URIRef))
    for cls in OBLIGATION_CLASSES.values():
        facts.update((o, "obligation") for o in g.subjects(RDF.type, cls) if isinstance(o, URIRef))
    return facts


def is_atop(g: Graph, citation: Node) -> bool:
    """True for a citation of the ATOP data set (its site, or a title naming ATOP)."""
    url = g.value(citation, SCHEMA.url)
    host = (urlsplit(str(url)).hostname or "") if url is not None else ""
    title = str(g.value(citation, DCTERMS.title) or "")
    return host == "atopdata.org" or host.endswith(".atopdata.org") or "(ATOP)" in title or "ATOP " in title


def source_strength(g: Graph) -> dict[str, Any]:
    """For the curated treaty and membership facts: how many rest, at best, on each kind of source, the share
    resting on a treaty text, depositary or official page, and the facts resting on ATOP alone."""
    rank = {kind: i for i, kind in enumerate(STRENGTH)}
    facts = treaty_and_membership_facts(g)
    strongest: Counter[str] = Counter()
    by_fact: dict[str, Counter[str]] = {}
    atop_alone: list[str] = []
    for fact, what in sorted(facts.items()):
        cites = list(g.objects(fact, DCTERMS.source))
        kinds = [str(g.value(c, FO.citationKind) or UNLABELLED) for c in cites]
        best = min(kinds, key=lambda k: rank.get(k, len(rank))) if kinds else UNLABELLED
        strongest[best] += 1
        by_fact.setdefault(what, Counter())[best] += 1
        if cites and all(is_atop(g, c) for c in cites):
            atop_alone.append(str(fact))
    total = len(facts)
    primary = sum(strongest[k] for k in PRIMARY_KINDS)
    return {
        "facts": total,
        "by_strongest_kind": {k: strongest[k] for k in STRENGTH},
        "by_fact": {what: {k: c[k] for k in STRENGTH} for what, c in sorted(by_fact.items())},
        "primary": primary,
        "primary_share": round(primary / total, 4) if total else 0.0,
        "goal": GOAL,
        "atop_alone": len(atop_alone),
        "atop_alone_facts": atop_alone,
    }
