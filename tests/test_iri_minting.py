"""Every IRI the build mints is made in foedus/vocab.py, so its patterns live in one place."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import URIRef

from foedus.vocab import ID, instant_iri, interval_iri, mint, numbered_iri, sub_iri

GRAPH_DIR = Path(__file__).resolve().parents[1] / "graph"

# An IRI built from pieces: URIRef(f"..."), URIRef(a + b), or an f-string/concatenation on our namespace.
_MINTING = re.compile(r"URIRef\(\s*f[\"']|URIRef\([^()]*\+|\bID\s*\+|f[\"']\{ID\}")


def test_no_iri_is_minted_outside_vocab() -> None:
    offenders = []
    for path in sorted(GRAPH_DIR.rglob("*.py")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _MINTING.search(line):
                offenders.append(f"{path.relative_to(GRAPH_DIR.parent)}:{lineno}: {line.strip()}")
    assert offenders == [], "mint IRIs with a function of foedus.vocab:\n" + "\n".join(offenders)


def test_the_scan_sees_a_minted_iri() -> None:
    assert _MINTING.search('node = URIRef(f"{spell}/interval")')
    assert _MINTING.search('node = URIRef(base + "sparql")')
    assert not _MINTING.search('g.add((iri, SCHEMA.url, URIRef(url)))')  # a URL read from the data is no minting


def test_interval_sub_nodes_are_named_after_owl_time() -> None:
    spell = mint("membership", "nato", 2, "1949-08-24")
    assert interval_iri(spell) == URIRef(f"{ID}membership/nato/2/1949-08-24/interval")
    assert instant_iri(spell, "beginning") == URIRef(f"{ID}membership/nato/2/1949-08-24/interval/beginning")
    assert instant_iri(spell, "end") == URIRef(f"{ID}membership/nato/2/1949-08-24/interval/end")
    assert sub_iri(spell, "disagreement", "startDate") == URIRef(f"{spell}/disagreement/startDate")
    assert numbered_iri(spell, 2) == URIRef(f"{spell}-2")
