"""The bench code must not rot: its generator and the engine bench's answer check, on a small graph, no timings.

Nothing here asserts how fast anything is (benchmarks live in bench/ and run with `make bench`); it only checks
that the scale generator multiplies a graph faithfully and that pyoxigraph and rdflib are found to agree.
"""

from __future__ import annotations

import sys
from pathlib import Path

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
