"""`python -m bench.cooperation_bench`: latency of /api/cooperation-between-states on loopback; target p95 <= 100 ms.

The release is loaded once into the serving store, the Flask app is served on 127.0.0.1 (a free port, one thread,
in this process), and a fixed list of dyad-years (US-Japan, US-UK, US-Germany, US-Korea, US-India, France-Germany,
UK-Netherlands over 1960-2010, both orders) is requested in turn over keep-alive-free GETs: one warm-up pass, then
timed passes until `--requests` requests or `--seconds` seconds, whichever comes first. The engine alone (the same
query run on the store, no HTTP) is timed the same way, so the HTTP layer's share is visible. Results go to
bench/results/cooperation.json.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from bench.measure import free_port, machine, write_json

QUERY = "cooperation-between-states"
TARGET_P95_MS = 100.0
STATE = "https://w3id.org/foedus/id/state/"
PAIRS = ((2, 740), (2, 200), (2, 260), (2, 255), (2, 732), (2, 750), (220, 255), (200, 210), (740, 2), (365, 710))
YEARS = (1960, 1975, 1985, 1990, 1995, 2000, 2005, 2010)


def cases() -> list[dict[str, str]]:
    """The parameter sets measured, in a fixed order (every pair in every year)."""
    return [{"stateA": f"{STATE}{a}", "stateB": f"{STATE}{b}", "year": str(y)}
            for (a, b), y in itertools.product(PAIRS, YEARS)]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2),
            "max_ms": round(ordered[-1], 2), "mean_ms": round(statistics.fmean(ordered), 2)}


def _timed(fn: Any, params: list[dict[str, str]], requests: int, seconds: float) -> list[float]:
    """Call fn once per parameter set (warm-up), then time calls in turn, bounded in count and in time."""
    for p in params:
        fn(p)
    samples: list[float] = []
    stop = time.monotonic() + seconds
    for p in itertools.cycle(params):
        if len(samples) >= requests or time.monotonic() > stop:
            break
        start = time.perf_counter()
        fn(p)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run(release: Path, *, requests: int = 400, seconds: float = 120.0) -> dict[str, Any]:
    """Measure the engine and the HTTP endpoint on `release`; return (and write) the figures."""
    from foedus.queries.catalog import load_catalog
    from foedus.server.app import create_app
    from foedus.server.store import load_release_store
    from foedus.settings import load_settings

    store, info = load_release_store(release)
    saved = load_catalog().queries[QUERY]
    params = cases()
    # the engine alone: the query with its values bound by substitution, as the backend runs it
    engine = _timed(lambda p: list(store.query(saved.text, substitutions=saved.bind(p))), params, requests, seconds)

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    app = create_app(load_settings({"releases": release.parent}), store, info=info)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}/api/{QUERY}?"

    def get(p: dict[str, str]) -> None:
        request = urllib.request.Request(base + urllib.parse.urlencode(p), headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            if response.status != 200:
                raise SystemExit(f"bench: {response.status} for {p}")

    try:
        http = _timed(get, params, requests, seconds)
    finally:
        server.shutdown()
        thread.join()
    result: dict[str, Any] = {"release": getattr(info, "version", str(release)), "query": QUERY,
              "target_p95_ms": TARGET_P95_MS, "cases": len(params), "engine": _percentiles(engine),
              "http": _percentiles(http), "machine": machine()}
    result["meets_target"] = result["http"]["p95_ms"] <= TARGET_P95_MS
    write_json("cooperation", result)
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: measure, print the figures, exit 1 when the HTTP p95 misses the target."""
    parser = argparse.ArgumentParser(prog="python -m bench.cooperation_bench", description=__doc__)
    parser.add_argument("--release", type=Path, default=Path("releases/latest"))
    parser.add_argument("--requests", type=int, default=400, help="timed requests at most (default 400)")
    parser.add_argument("--seconds", type=float, default=120.0, help="timed seconds at most, per part")
    args = parser.parse_args(argv)
    result = run(args.release.resolve(), requests=args.requests, seconds=args.seconds)
    for part in ("engine", "http"):
        f = result[part]
        print(f"{part:6}: n={f['n']} p50={f['p50_ms']} ms p95={f['p95_ms']} ms max={f['max_ms']} ms")
    print(f"target p95 <= {TARGET_P95_MS} ms: {'met' if result['meets_target'] else 'MISSED'}")
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
