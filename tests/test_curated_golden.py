"""Golden graph: the curated fixture in tests/fixtures/curated/golden/ turns into exactly expected.ttl.

Compared by isomorphism (rdflib.compare), so triple order and blank-node labels do not matter; on failure the
triples only in one side are printed. After an intended change, regenerate expected.ttl with the command in
the failure message and review the diff of expected.ttl like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import OWL, SKOS

from foedus.graph.curated import load_curated
from foedus.vocab import PREFIXES, WD, state_iri

GOLDEN = Path(__file__).parent / "fixtures" / "curated" / "golden"
REGENERATE = (
    ".venv/bin/python -c \"from pathlib import Path; from foedus.graph.curated import load_curated; "
    "from foedus.vocab import PREFIXES; g = load_curated(Path('tests/fixtures/curated/golden')).graph; "
    "[g.bind(k, v) for k, v in PREFIXES.items()]; "
    "Path('tests/fixtures/curated/golden/expected.ttl').write_text(g.serialize(format='turtle'))\""
)


def _turtle(g: Graph) -> str:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g.serialize(format="turtle")


def test_curated_fixture_matches_golden_graph() -> None:
    core = load_curated(GOLDEN)
    assert core.warnings == []
    expected = Graph().parse(GOLDEN / "expected.ttl", format="turtle")
    got_iso, want_iso = to_isomorphic(core.graph), to_isomorphic(expected)
    if got_iso != want_iso:
        _, only_got, only_want = graph_diff(got_iso, want_iso)
        pytest.fail(
            "curated graph differs from tests/fixtures/curated/golden/expected.ttl\n"
            f"--- only in the build ({len(only_got)} triples):\n{_turtle(only_got)}\n"
            f"--- only in expected.ttl ({len(only_want)} triples):\n{_turtle(only_want)}\n"
            f"if the change is intended, regenerate with:\n{REGENERATE}"
        )


def test_states_link_wikidata_by_exact_match_not_same_as() -> None:
    g = load_curated(GOLDEN).graph
    assert (state_iri(2), SKOS.exactMatch, WD.Q30) in g
    assert not list(g.objects(state_iri(2), OWL.sameAs))
