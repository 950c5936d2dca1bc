"""The build report's source strength: curated treaty and membership facts by the strongest source behind them."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from foedus.fo_terms import FO
from foedus.graph.curated import source_strength
from foedus.graph.report import strength_lines
from foedus.vocab import ORG, SCHEMA, mint


def _citation(g: Graph, key: str, kind: str | None, url: str = "https://example.org/x") -> URIRef:
    c = mint("citation", "alliance", "pact", key)
    g.add((c, RDF.type, FO.Citation))
    g.add((c, SCHEMA.url, URIRef(url)))
    g.add((c, DCTERMS.title, Literal(key)))
    if kind is not None:
        g.add((c, FO.citationKind, Literal(kind)))
    return c


def _fact(g: Graph, node: URIRef, cls: URIRef, *cites: URIRef) -> URIRef:
    g.add((node, RDF.type, cls))
    for c in cites:
        g.add((node, DCTERMS.source, c))
    return node


def test_each_fact_counts_once_under_its_strongest_source() -> None:
    g = Graph()
    text = _citation(g, "text", "treaty-text")
    atop = _citation(g, "atop", "scholarly", "http://www.atopdata.org")
    mirror = _citation(g, "mirror", "mirror")
    news = _citation(g, "news", "news")
    unlabelled = _citation(g, "plain", None)
    _fact(g, mint("event", "pact", "signature"), FO.Signature, atop, text)  # treaty text beats ATOP
    _fact(g, mint("event", "pact", "accession", 2), FO.Accession, atop)  # ATOP alone
    _fact(g, mint("membership", "pact", 2, "1950"), FO.AllianceMembership, atop)  # ATOP alone
    _fact(g, mint("membership", "family", 20, "1950"), ORG.Membership, unlabelled)
    _fact(g, mint("obligation", "pact-treaty", 1), FO.DefenceObligation, mirror, news)  # news beats a mirror
    exercise = _fact(g, mint("event", "drill", "founding"), FO.Founding, mirror)
    g.add((exercise, FO.ofInstrument, mint("instrument", "drill")))  # not a treaty or membership fact

    s = source_strength(g)

    assert s["facts"] == 5
    assert {k: v for k, v in s["by_strongest_kind"].items() if v} == {
        "treaty-text": 1,
        "scholarly": 2,
        "news": 1,
        "no kind": 1,
    }
    assert s["by_fact"]["obligation"]["news"] == 1 and s["by_fact"]["event"]["treaty-text"] == 1
    assert (s["primary"], s["primary_share"]) == (1, 0.2)
    assert s["atop_alone"] == 2
    assert s["atop_alone_facts"] == sorted(
        [str(mint("event", "pact", "accession", 2)), str(mint("membership", "pact", 2, "1950"))]
    )
    assert strength_lines(s) == [
        "curated treaty and membership facts: 5, 1 (20%) resting on a treaty text, depositary or official page "
        "(goal 60%: not met)",
        "resting on ATOP alone: 2",
    ]
