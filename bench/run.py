"""`python -m bench.run [--quick] [--only build,shacl,engine,http,scale,load]`: run the benches, write JSON and
RESULTS.md.

Each part writes bench/results/<part>.json as soon as it finishes, and RESULTS.md is rendered from every JSON file
present, so parts can be run (or re-run) one at a time. Everything listens and connects on 127.0.0.1 only; every
loop is bounded in count and in time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench import report
from bench.measure import RESULTS_DIR, machine, write_json

PARTS = ("build", "shacl", "engine", "http", "scale", "load")


def _log(line: str) -> None:
    print(line, flush=True)


def _release(given: Path | None, built: Path | None) -> Path:
    """The release the engine, HTTP and scale benches use: --release, else the one just built, else latest."""
    for candidate in (given, built, Path(os.environ.get("FOEDUS_RELEASES", "releases")) / "latest"):
        if candidate is not None and (candidate / "foedus.nq").is_file():
            return candidate.resolve()
    raise SystemExit("bench: no release to measure; run `foedus build` or the build part, or pass --release DIR")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the chosen parts in order, and render the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small budgets: a minute or two, for trying it out")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts: " + ",".join(PARTS))
    parser.add_argument("--release", type=Path, help="release directory to measure (default: releases/latest)")
    parser.add_argument("--sources", type=Path, default=os.environ.get("FOEDUS_SOURCES") or None,
                        help="public data sets for the build part (FOEDUS_SOURCES)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/foedus-bench"),
                        help="scratch directory for builds and generated graphs")
    parser.add_argument("--servers", default=None, help="HTTP servers, comma-separated (default: all of "
                        "foedus,bare,bare-union,oxigraph-server,virtuoso,rdflib-endpoint)")
    parser.add_argument("--factors", default=None, help="scale factors, e.g. 1,10,100")
    parser.add_argument("--rdflib-factors", default=None, help="scale factors where rdflib loads too, e.g. 1,10")
    parser.add_argument("--scale-time-limit", type=float, default=1800.0,
                        help="seconds after which no further scale factor is started")
    parser.add_argument("--scale-deadline", type=float, default=60.0,
                        help="seconds each query may take at each scale factor")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    write_json("machine", machine())
    built: Path | None = None
    started = time.monotonic()
    if "build" in parts:
        from bench import build_bench

        _log("build: foedus build on the full release, phase by phase")
        result = build_bench.run(args.sources, args.work / "build", log=_log)
        write_json("build", result)
        built = Path(result["release"]) if "release" in result else None
    if "shacl" in parts:
        from bench import build_bench

        release = _release(args.release, built)
        _log(f"shacl: bench/shacl_bench.py on {release}")
        write_json("shacl", build_bench.shacl(release / "foedus.nq", log=_log))
    if "engine" in parts:
        from bench import engine_bench

        release = _release(args.release, built)
        _log(f"engine: pyoxigraph vs rdflib on {release}")
        write_json("engine", engine_bench.run(release, quick=args.quick, log=_log))
    if "http" in parts:
        from bench import http_bench

        release = _release(args.release, built)
        _log(f"http: endpoints interleaved, round by round, on {release}")
        servers = tuple(args.servers.split(",")) if args.servers else http_bench.DEFAULT_SERVERS
        if set(servers) - set(http_bench.SERVERS):
            parser.error(f"unknown servers: {', '.join(sorted(set(servers) - set(http_bench.SERVERS)))}")
        result = http_bench.run(release, quick=args.quick, servers=servers, log=_log)
        write_json("http", result)
        print("\n".join(report.http_md(result)), flush=True)
    if "scale" in parts:
        from bench import scale

        release = _release(args.release, built)
        factors = tuple(int(x) for x in args.factors.split(",")) if args.factors else (
            (1, 3) if args.quick else (1, 10, 100))
        rdflib_factors = tuple(int(x) for x in args.rdflib_factors.split(",")) if args.rdflib_factors else (
            (1,) if args.quick else (1, 10))
        _log(f"scale: x{', x'.join(map(str, factors))} of {release}")
        write_json("scale", scale.run(release, args.work / "scale", factors=factors, rdflib_factors=rdflib_factors,
                                      quick=args.quick, time_limit=args.scale_time_limit,
                                      deadline=args.scale_deadline, log=_log))
    if "load" in parts:
        from bench import load_bench

        release = _release(args.release, built)
        _log(f"load: cheap-query latency under load, per worker model, on {release}")
        write_json("load", load_bench.run(release, ("sync", "gthread", "asgi"), seconds=5.0 if args.quick else 10.0,
                                          log=_log))
    markdown = report.render(RESULTS_DIR, "make bench" if not args.quick else "python -m bench.run --quick")
    (RESULTS_DIR / "RESULTS.md").write_text(markdown, encoding="utf-8")
    _log(f"done in {time.monotonic() - started:.0f} s; results in {RESULTS_DIR}/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
