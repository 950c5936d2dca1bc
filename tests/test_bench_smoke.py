"""The bench code must not rot: its generator, the engine bench's answer check, the bare HTTP peer and the
interleaved HTTP runner, on a small graph, no timings.

Nothing here asserts how fast anything is (benchmarks live in bench/ and run with `make bench`); it checks that
the scale generator multiplies a graph faithfully, that pyoxigraph and rdflib are found to agree, that the bare
app answers the protocol as a peer must, and that the runner drives servers on loopback and reports ratios.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # bench/ is a folder of the checkout, not part of the installed package

from bench import engine_bench, report, scale  # noqa: E402
from bench.measure import write_json  # noqa: E402

# rdflib warns about its own deprecated internals (Dataset.parse calls Dataset.default_context).
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

SMALL = ROOT / "tests" / "fixtures" / "server" / "alliances.nq"
SHARED = {"https://w3id.org/foedus/graph/ontology", "https://w3id.org/foedus/graph/description"}


def _quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def test_generator_copies_the_graph_with_suffixed_iris(tmp_path: Path) -> None:
    original = _quads(SMALL)
    shared = [q for q in original if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in SHARED]
    out = tmp_path / "x3.nq"
    info = scale.generate(SMALL, 3, out)
    copied = _quads(out)
    assert info["quads"] == len(copied) == len(shared) + 3 * (len(original) - len(shared))
    assert set(_quads(SMALL)) <= set(copied)  # copy 0 is the release itself
    subjects = {q.subject.value for q in original if isinstance(q.subject, ox.NamedNode)}
    data_subjects = [s for s in subjects if s.startswith(scale.ID_BASE)]
    assert data_subjects
    copied_subjects = {q.subject.value for q in copied if isinstance(q.subject, ox.NamedNode)}
    for k in (1, 2):
        assert set(scale.copy_iris(data_subjects, k)) <= copied_subjects
    vocabulary = {q.predicate.value for q in original}
    assert {q.predicate.value for q in copied} == vocabulary  # the vocabulary is shared, not copied


@pytest.fixture(scope="module")
def stores() -> tuple[ox.Store, object]:
    return engine_bench.load_oxigraph(SMALL), engine_bench.load_rdflib(SMALL)


@pytest.mark.parametrize("query", engine_bench.saved_queries() + engine_bench.mix_queries(), ids=lambda q: q.name)
def test_both_engines_give_the_same_answer(stores: tuple[ox.Store, object], query: engine_bench.BenchQuery) -> None:
    store, ds = stores
    how, note = engine_bench.compare(engine_bench.run_oxigraph(store, query),
                                     engine_bench.run_rdflib(ds, query), query.text)  # type: ignore[arg-type]
    assert how, note


def test_compare_finds_a_difference() -> None:
    one = ("rows", ["x"], [(ox.Literal("1", datatype=ox.NamedNode(engine_bench.XSD + "integer")),)])
    other = ("rows", ["x"], [(ox.Literal("2", datatype=ox.NamedNode(engine_bench.XSD + "integer")),)])
    from rdflib import Literal

    assert engine_bench.compare(one, ("rows", ["x"], [(Literal(1),)]))[0] == "exact"
    assert engine_bench.compare(other, ("rows", ["x"], [(Literal(1),)]))[0] == ""


def test_engine_bench_runs_in_its_fork_and_reports(tmp_path: Path) -> None:
    queries = [q for q in engine_bench.mix_queries() if q.name in ("lookup-by-iri", "describe")]
    result = engine_bench.run(SMALL, quick=True, queries=queries, log=lambda line: None)
    assert [q["status"] for q in result["queries"]] == ["equal", "equal"]
    write_json("engine", result, tmp_path)
    text = report.render(tmp_path)
    assert "| lookup-by-iri | mix |" in text and "| describe | mix |" in text


def test_load_report_has_a_row_per_model_and_phase_with_its_ratio_to_idle() -> None:
    """The fairness table: one row per worker model and phase, p50 against idle, failures and others' answers."""
    phases = {"idle": {"requests": 10, "statuses": {"200": 10}, "p50_ms": 2.0, "p95_ms": 4.0},
              "mix": {"requests": 3, "statuses": {"200": 2, "TimeoutError": 1}, "p50_ms": 300.0, "p95_ms": 900.0,
                      "others": {"200": 50, "503": 7}},
              "runaway": {"requests": 9, "statuses": {"200": 9}, "p50_ms": 3.0, "p95_ms": 5.0, "others": {"503": 1}},
              "slow": {"requests": 1, "statuses": {"TimeoutError": 1}, "others": {}}}
    lines = report.load_md({"mix_queries": 8, "models": [{"model": "asgi", **phases}]})
    rows = [line for line in lines if line.startswith("| asgi |")]
    assert len(rows) == 4
    assert "| 150.0 |" in rows[1] and "TimeoutError 1" in rows[1] and "503 7" in rows[1]
    assert "| 1.5 |" in rows[2]
    assert rows[3].count("–") >= 3


# --- the HTTP bench: the bare peer and the interleaved runner ------------------------------------------------


@pytest.fixture(scope="module")
def bare_client() -> Any:
    from bench import bare_app

    return bare_app.create(SMALL, "merge").test_client()


LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/foedus/id/alliance/nato> ?p ?o }"
GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/foedus/id/alliance/nato> AS ?s) ?s ?p ?o }"


def test_bare_app_takes_the_query_the_three_protocol_ways(bare_client: Any) -> None:
    from bench import bare_app

    accept = {"Accept": "application/sparql-results+json"}
    expected = len(list(bare_app.load(SMALL).query(LOOKUP)))  # type: ignore[arg-type]
    assert expected > 0
    answers = [
        bare_client.get("/sparql", query_string={"query": LOOKUP}, headers=accept),
        bare_client.post("/sparql", data={"query": LOOKUP}, headers=accept),
        bare_client.post("/sparql", data=LOOKUP, content_type="application/sparql-query", headers=accept),
    ]
    for response in answers:
        assert response.status_code == 200 and response.mimetype == "application/sparql-results+json"
        assert len(json.loads(response.data)["results"]["bindings"]) == expected


def test_bare_app_negotiates_with_pyoxigraphs_writers(bare_client: Any) -> None:
    csv = bare_client.get("/sparql", query_string={"query": LOOKUP}, headers={"Accept": "text/csv"})
    assert csv.mimetype == "text/csv" and csv.data.decode().splitlines()[0] == "p,o"
    xml = bare_client.get("/sparql", query_string={"query": LOOKUP},
                          headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert xml.mimetype == "application/sparql-results+xml" and b"<sparql" in xml.data
    turtle = bare_client.get("/sparql", query_string={"query": GRAPH}, headers={"Accept": "text/turtle"})
    triples = list(ox.parse(turtle.data, format=ox.RdfFormat.TURTLE))
    assert turtle.mimetype == "text/turtle" and len(triples) == 9
    assert bare_client.get("/sparql", query_string={"query": GRAPH},
                           headers={"Accept": "application/sparql-results+json"}).status_code == 406
    assert bare_client.get("/sparql", query_string={"query": "SELECT WHERE"}).status_code == 400
    assert bare_client.get("/sparql").status_code == 400


def test_bare_app_merge_answers_a_triple_once_and_union_once_per_graph(tmp_path: Path) -> None:
    from bench import bare_app

    nq = tmp_path / "twice.nq"
    nq.write_text("<urn:s> <urn:p> <urn:o> <urn:g1> .\n<urn:s> <urn:p> <urn:o> <urn:g2> .\n", encoding="utf-8")
    query = {"query": "SELECT * WHERE { ?s ?p ?o }"}
    for default_graph, rows in (("merge", 1), ("union", 2)):
        response = bare_app.create(nq, default_graph).test_client().get("/sparql", query_string=query)
        assert len(json.loads(response.data)["results"]["bindings"]) == rows, default_graph
    with pytest.raises(ValueError, match="BENCH_DEFAULT_GRAPH"):
        bare_app.load(nq, "both")


def test_interleaved_runner_drives_ours_and_the_bare_app_and_reports_ratios(tmp_path: Path) -> None:
    from bench import http_bench

    queries = [q for q in engine_bench.mix_queries() if q.name in ("lookup-by-iri", "describe")]
    budget = http_bench.Budget(rounds=2, seconds=0.3, connections=1, threads=1)
    result = http_bench.run(SMALL, servers=("foedus", "bare"), budget=budget, queries=queries, driver="python",
                            log=lambda line: None)
    assert [s["server"] for s in result["servers"]] == ["foedus", "bare"]
    assert all("error" not in s and s["idle_pss_mib"] > 0 for s in result["servers"])
    assert result["quads"] == len(_quads(SMALL))
    for entry in result["queries"]:
        assert entry["expected"] > 0
        for name in ("foedus", "bare"):
            cell = entry["cells"][name]
            assert cell["probe"]["same_count"], (entry["query"], name, cell["probe"])
            assert len(cell["rounds"]) == 2 and all(r["requests"] > 0 and not r["errors"] for r in cell["rounds"])
        assert entry["ours_vs_bare"]["median"] > 0
        assert "ours_vs_oxigraph" not in entry  # not started, so no ratio against it
    write_json("http", result, tmp_path)
    text = report.render(tmp_path)
    assert "| query | results | foedus | bare | ours / bare | ours / oxigraph |" in text
    assert "| describe |" in text and "| lookup-by-iri |" in text
