"""Scale bench: a generator that multiplies the real graph, and what loading and querying cost as it grows.

Copy k of the release is the release with every data IRI (under https://w3id.org/foedus/id/) and every blank
node suffixed `-x<k>` (copy 0 is the release itself), so each copy keeps the real graph's shape, degree
distribution and join paths, and copies share only the vocabulary. The ontology and description graphs are
written once: the T-box does not grow with the data. Copies are written as N-Quads, streaming, copy by copy.

Each factor is measured in its own process (load time, peak memory, the query mix on pyoxigraph), so one
factor's memory never inflates the next. rdflib is measured only where it is feasible on one machine (load
only, in a child with a deadline); its queries are in the engine bench at x1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.measure import PeakSampler, mib, rss_bytes, stopwatch

ID_BASE = "https://w3id.org/foedus/id/"
SHARED_GRAPHS = ("ontology", "description")
MARK = "\x00"


def _shared_graph_iris() -> set[str]:
    from foedus.vocab import graph_iri

    return {str(graph_iri(name)) for name in SHARED_GRAPHS}


def _term(term: Any) -> str:
    """A term in N-Quads, with the copy mark after data IRIs and blank node labels."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}{MARK}>" if term.value.startswith(ID_BASE) else str(term)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}{MARK}"
    return str(term)


def templates(nq: Path) -> tuple[str, str]:
    """The release split into the part written once (shared graphs) and a per-copy template with marks."""
    shared_iris = _shared_graph_iris()
    shared: list[str] = []
    per_copy: list[str] = []
    for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS):
        graph = q.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value in shared_iris:
            shared.append(f"{q.subject} {q.predicate} {q.object} {graph} .\n")
        else:
            g = "" if isinstance(graph, ox.DefaultGraph) else f" {graph}"
            per_copy.append(f"{_term(q.subject)} {q.predicate} {_term(q.object)}{g} .\n")
    return "".join(shared), "".join(per_copy)


def generate(nq: Path, factor: int, out: Path) -> dict[str, Any]:
    """Write `factor` copies of the release to `out` (N-Quads, streaming); return quads, bytes and seconds."""
    with stopwatch() as t:
        shared, template = templates(nq)
        lines_per_copy = template.count("\n")
        with out.open("w", encoding="utf-8") as fh:
            fh.write(shared)
            for k in range(factor):
                fh.write(template.replace(MARK, f"-x{k}" if k else ""))
    quads = shared.count("\n") + factor * lines_per_copy
    return {"factor": factor, "quads": quads, "bytes": out.stat().st_size,
            "generate_s": round(t["seconds"], 2)}


def copy_iris(iris: Iterable[str], k: int) -> list[str]:
    """The IRIs of copy k that correspond to the given IRIs of the release (for tests and spot checks)."""
    return [iri + (f"-x{k}" if k and iri.startswith(ID_BASE) else "") for iri in iris]


# --- measuring one factor, in a child process ------------------------------------------------------------


def measure_file(nq: Path, quick: bool, out: Path | None = None, deadline: float = 60.0) -> dict[str, Any]:
    """Load one generated file into pyoxigraph and run the query mix on it (this process only).

    With `out`, the figures so far are rewritten there after every step, so a factor stopped at its time limit
    still reports what it measured.
    """
    from bench import engine_bench

    with PeakSampler().start() as sampler:
        before = rss_bytes()
        with stopwatch() as t:
            store = engine_bench.load_oxigraph(nq)
        peak = sampler.mark()
        after = rss_bytes()
    load = {"engine": "pyoxigraph", "load_s": round(t["seconds"], 2), "peak_rss_mib": mib(peak),
            "rss_growth_mib": mib(after - before), "quads": len(store)}
    budget = engine_bench.Budget.quick() if quick else engine_bench.Budget(ox_runs=10, ox_seconds=5.0,
                                                                           deadline=deadline)
    result: dict[str, Any] = {"load": load, "queries": [], "deadline_s": budget.deadline}
    for q in engine_bench.saved_queries() + engine_bench.mix_queries():
        result["queries"] += engine_bench.bench_queries(store, None, [q], budget,
                                                        log=lambda line: print(line, flush=True))
        if out is not None:
            out.write_text(json.dumps(result, default=str), encoding="utf-8")
    return result


def measure_rdflib_load(nq: Path) -> dict[str, Any]:
    """Load one generated file into rdflib (this process only): time and peak memory."""
    from bench import engine_bench

    with PeakSampler().start() as sampler:
        ds, load = engine_bench.measure_load("rdflib", lambda: engine_bench.load_rdflib(nq), sampler)
    load["quads"] = sum(1 for _ in ds.quads((None, None, None, None)))
    return load


def _child(args: list[str], timeout: float, log: Callable[[str], None]) -> dict[str, Any]:
    """Run `python -m bench.scale <args> --out F` with a deadline; return its JSON (partial if stopped)."""
    fd, name = tempfile.mkstemp(prefix="bench-scale-", suffix=".json")
    os.close(fd)
    out = Path(name)
    cmd = [sys.executable, "-m", "bench.scale", *args, "--out", str(out)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        partial: dict[str, Any] = json.loads(out.read_text(encoding="utf-8") or "{}")
        out.unlink(missing_ok=True)
        partial["stopped"] = f"did not finish within {timeout:.0f} s; figures up to then"
        return partial
    out.unlink(missing_ok=True)
    for line in proc.stdout.splitlines()[:-1]:
        log(line)
    if proc.returncode != 0 or not proc.stdout.strip():
        return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-500:]}"}
    result: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    return result


def run(release: Path, work: Path, *, factors: tuple[int, ...] = (1, 10, 100),
        rdflib_factors: tuple[int, ...] = (1, 10), quick: bool = False, time_limit: float = 1800.0,
        deadline: float = 60.0, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Generate and measure each factor in turn; after time_limit no factor starts and a running one stops.

    `deadline` bounds each query at each factor (a query over it is reported as a timeout).
    """
    nq = release / "foedus.nq" if release.is_dir() else release
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    out: list[dict[str, Any]] = []
    for factor in factors:
        spent = time.monotonic() - started
        if spent > time_limit:
            out.append({"factor": factor, "skipped": f"time limit of {time_limit:.0f} s spent"})
            log(f"  x{factor}: skipped (time limit)")
            continue
        path = work / f"foedus-x{factor}.nq"
        gen = generate(nq, factor, path)
        log(f"  x{factor}: {gen['quads']} quads, {mib(gen['bytes'])} MiB written in {gen['generate_s']} s")
        row: dict[str, Any] = {**gen}
        row["oxigraph"] = _child(["measure", str(path), "--deadline", str(deadline)] + (["--quick"] if quick else []),
                                 max(time_limit - (time.monotonic() - started), 300.0), log)
        if factor in rdflib_factors:
            row["rdflib_load"] = _child(["rdflib-load", str(path)], 600.0, log)
            log(f"  x{factor}: rdflib load {row['rdflib_load']}")
        out.append(row)
        path.unlink(missing_ok=True)
    return {"release": str(nq), "factors": out}


def main(argv: list[str] | None = None) -> None:
    """Child entry: `measure FILE [--quick]` or `rdflib-load FILE`; prints its JSON result last."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("what", choices=["measure", "rdflib-load"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--deadline", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.what == "measure":
        result = measure_file(args.file, args.quick, args.out, args.deadline)
    else:
        result = measure_rdflib_load(args.file)
    print(json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main()
