"""Build bench: time and peak memory of each phase of `foedus build` on the full release (FOEDUS_SOURCES).

The build runs unchanged (`foedus.graph.build.build_release`) in a child process of its own, so its memory is
measured alone. Its progress lines mark where each phase begins; a sampler thread records the peak resident memory
(of the process and any child, e.g. a Java reasoner) between two marks. Reasoning is not a step of `foedus build`
(HermiT runs in `foedus ontology check`), so it is timed after the build in the same way and reported as such.
SHACL alone is measured by bench/shacl_bench.py (the shapes' own bench) when present.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bench.measure import PeakSampler, max_rss_bytes, mib

# Progress line prefix -> the phase it begins (the names: parse, import per source, reasoning, SHACL,
# serialisation). Lines indented by two spaces are details of the current phase, never boundaries.
PHASES = (
    ("reading curated core", "parse: curated core (YAML)"),
    ("verifying sources", "verify source checksums"),
    ("importing ", "import: {rest}"),
    ("reading the ontology", "parse: ontology (Turtle)"),
    ("deriving allied dyads", "derive: allied dyads + reconciliation"),
    ("validating", "SHACL validation"),
    ("serialising", "serialisation (N-Quads, TriG, Turtle, JSON-LD)"),
    ("release ", None),
)


class PhaseClock:
    """A stand-in for sys.stderr that turns each progress line of the build into a timed, measured phase."""

    def __init__(self, sampler: PeakSampler, echo: TextIO) -> None:
        self.sampler, self.echo = sampler, echo
        self.phases: list[dict[str, Any]] = []
        self.current: str | None = None
        self.since = time.perf_counter()
        self._buffer = ""

    def _close(self) -> None:
        if self.current is not None:
            self.phases.append({"phase": self.current, "seconds": round(time.perf_counter() - self.since, 3),
                                "peak_rss_mib": mib(self.sampler.mark())})
        else:
            self.sampler.mark()
        self.since = time.perf_counter()

    def line(self, text: str) -> None:
        """One progress line: `[  1.2s] message`; a message that begins a phase closes the previous one."""
        message = text.split("] ", 1)[-1] if text.startswith("[") else text
        if message.startswith("  "):
            return
        for prefix, name in PHASES:
            if message.startswith(prefix):
                self._close()
                self.current = name.format(rest=message[len(prefix):].strip()) if name else None
                return

    def write(self, text: str) -> int:
        """File protocol: collect text, handle whole lines, and echo them to the real stderr."""
        self.echo.write(text)
        self._buffer += text
        while "\n" in self._buffer:
            one, self._buffer = self._buffer.split("\n", 1)
            self.line(one)
        return len(text)

    def flush(self) -> None:
        """File protocol."""
        self.echo.flush()

    def finish(self) -> None:
        """Close the last phase."""
        self._close()
        self.current = None


def _reasoning(sampler: PeakSampler) -> dict[str, Any]:
    """HermiT over the ontology and its classification fixture, as `foedus ontology check` runs it."""
    from foedus.ontology.check import fixture_path, load_ontology_set, reasoning_problems

    sampler.mark()
    start = time.perf_counter()
    problems = reasoning_problems(load_ontology_set(), fixture_path())
    return {"phase": "reasoning: HermiT (foedus ontology check, not part of foedus build)",
            "seconds": round(time.perf_counter() - start, 3), "peak_rss_mib": mib(sampler.mark()),
            "problems": len(problems)}


def child(sources: Path | None, releases: Path, reason: bool) -> dict[str, Any]:
    """In the child: build once with phase marks, then reason; return phases, totals and the release."""
    from foedus.errors import FoedusError
    from foedus.graph.build import build_release
    from foedus.settings import load_settings

    settings = load_settings({"releases": releases, **({"sources": sources} if sources else {})})
    with PeakSampler(pid=os.getpid(), interval=0.02).start() as sampler:
        clock = PhaseClock(sampler, sys.stderr)
        real, sys.stderr = sys.stderr, clock  # type: ignore[assignment]
        start = time.perf_counter()
        path, error = None, None
        try:
            path = build_release(settings, progress=True)
        except FoedusError as exc:  # a refused build still has its phases up to the refusal measured
            error = str(exc).splitlines()[0][:300]
        finally:
            clock.finish()
            sys.stderr = real
        total = time.perf_counter() - start
        phases = clock.phases
        if reason:
            phases.append(_reasoning(sampler))
    if path is None:
        return {"error": f"the build stopped: {error}", "build_seconds": round(total, 2),
                "build_peak_rss_mib": mib(max_rss_bytes()), "phases": phases}
    meta = json.loads((path / "release.json").read_text(encoding="utf-8"))
    return {
        "release": str(path),
        "version": meta["version"],
        "triples": sum(meta["graphs"].values()),
        "graphs": meta["graphs"],
        "build_seconds": round(total, 2),
        "build_peak_rss_mib": mib(max_rss_bytes()),
        "phases": phases,
        "files_mib": {p.name: mib(p.stat().st_size) for p in sorted(path.iterdir()) if p.is_file()},
    }


def shacl(nq: Path, timeout: float = 900.0, log: Callable[[str], None] = print) -> dict[str, Any]:
    """SHACL alone: bench/shacl_bench.py (the shapes' own bench, pySHACL vs Jena) run on the release's N-Quads."""
    script = Path(__file__).resolve().parent / "shacl_bench.py"
    if not script.is_file():
        return {"error": "bench/shacl_bench.py is not there"}
    try:
        proc = subprocess.run([sys.executable, str(script), "--data", str(nq)], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"shacl_bench did not finish within {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": f"shacl_bench failed ({proc.returncode}): {proc.stderr.strip()[-800:]}"}
    result: dict[str, Any] = json.loads(proc.stdout)
    log(f"  {json.dumps(result)[:300]}")
    return result


def run(sources: Path | None, work: Path, *, reason: bool = True, timeout: float = 1800.0,
        log: Callable[[str], None] = print) -> dict[str, Any]:
    """Build a full release in a child process under `work`, with phases timed; stop it after `timeout` s."""
    work.mkdir(parents=True, exist_ok=True)
    out_file = Path(tempfile.mkstemp(prefix="build-bench-", suffix=".json", dir=work)[1])
    cmd = [sys.executable, "-m", "bench.build_bench", "--releases", str(work / "releases"), "--out", str(out_file)]
    if sources:
        cmd += ["--sources", str(sources)]
    if not reason:
        cmd.append("--no-reasoning")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"the build did not finish within {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": f"build failed ({proc.returncode}): {proc.stderr.strip()[-1500:]}"}
    result: dict[str, Any] = json.loads(out_file.read_text(encoding="utf-8"))
    out_file.unlink()
    if "error" in result:
        log(f"  {result['error']}")
    for phase in result["phases"]:
        log(f"  {phase['phase']:60} {phase['seconds']:9.2f} s {phase['peak_rss_mib']:9.1f} MiB")
    return result


def main(argv: list[str] | None = None) -> None:
    """Child entry: build once and write the measured phases as JSON to --out."""
    parser = argparse.ArgumentParser(prog="python -m bench.build_bench")
    parser.add_argument("--sources", type=Path)
    parser.add_argument("--releases", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-reasoning", action="store_true")
    args = parser.parse_args(argv)
    result = child(args.sources, args.releases, not args.no_reasoning)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
