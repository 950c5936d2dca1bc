"""`python -m bench.search_bench [--release DIR]`: the label index on the full release, its build time and memory,
and the latency of prefix lookups over every name it holds.

For every name in the index, the lookups are its first 1, 3 and 6 folded characters and its first word (the
strings a person types into an autocompleting box), each run through LabelIndex.search(limit=10) as /search
does. Memory is what tracemalloc counts as allocated by the build and still held, and the process's RSS growth.

Then served: `foedus serve` over the release's foedus.nq with 2 workers on a free loopback port (`--foedus BIN`
picks another checkout's executable, e.g. one that still builds the index lazily in each worker): seconds until it
answers, the first 6 /search requests (the first one each worker answers pays for its index when it is built
lazily) and the server's memory after them, RSS summed over master and workers and PSS (pages shared
copy-on-write counted once). Writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.measure import free_port, mib, write_json
from bench.servers import _process

SEARCHES = ("nato", "germ", "britain", "warsaw pact", "persia", "rimpac")


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _lookups(folded: list[str]) -> list[str]:
    seen: set[str] = set()
    for text in folded:
        for q in (text[:1], text[:3], text[:6], text.split(" ")[0]):
            q = q.strip()
            if q:
                seen.add(q)
    return sorted(seen)


def run(release: Path) -> dict[str, Any]:
    """Build the index over `release` in a test app and time every prefix lookup."""
    from foedus.server.app import create_app
    from foedus.server.label_index import label_index
    from foedus.server.store import load_release_store
    from foedus.settings import load_settings

    store, info = load_release_store(release)
    app = create_app(load_settings({"releases": str(release.parent)}), store, info=info)
    with app.app_context():
        rss_before = _rss_mib()
        tracemalloc.start()
        started = time.perf_counter()
        index = label_index()
        build_s = time.perf_counter() - started
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = _rss_mib()
        queries = _lookups([n.folded for n in index.names])
        times = []
        for q in queries:
            t = time.perf_counter()
            index.search(q, limit=10)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    return {
        "release": str(release),
        "quads": sum(info.graphs.values()) if info else None,
        "index": {k: v for k, v in index.stats().items() if k != "kinds"},
        "build_seconds": round(build_s, 2),
        "memory_mib": {"held": round(held / 2**20, 1), "peak": round(peak / 2**20, 1),
                       "max_rss_growth": round(rss_after - rss_before, 1)},
        "lookups": len(times),
        "ms": {"p50": round(statistics.median(times), 3), "p95": round(p95, 3),
               "p99": round(times[int(0.99 * (len(times) - 1))], 3),
               "max": round(times[-1], 3), "mean": round(statistics.fmean(times), 3)},
    }


def served(release: Path, foedus: str) -> dict[str, Any]:
    """Start `foedus serve` (2 workers) over the release, time it and its first searches, and weigh it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [foedus, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2", str(release / "foedus.nq")]
    with _process("foedus", cmd, base + "/sparql") as server:
        first = []
        for q in SEARCHES:
            started = time.perf_counter()
            url = base + "/search?" + urllib.parse.urlencode({"q": q, "format": "json"})
            with urllib.request.urlopen(url, timeout=120) as response:
                response.read()
            first.append(round((time.perf_counter() - started) * 1000, 1))
        return {"foedus": foedus, "ready_seconds": server.ready_s, "first_searches_ms": first,
                "rss_mib": round(mib(server.rss()), 1), "pss_mib": round(mib(server.pss()), 1)}


def main() -> None:
    """Parse --release (and --foedus, --served-only), run, print and write the result."""
    parser = argparse.ArgumentParser(prog="python -m bench.search_bench", description=__doc__)
    parser.add_argument("--release", type=Path, default=Path("releases/latest"))
    parser.add_argument("--foedus", default=str(Path(sys.executable).with_name("foedus")),
                        help="the foedus executable to serve with (default: this environment's)")
    parser.add_argument("--served-only", action="store_true", help="measure only the served index")
    args = parser.parse_args()
    release = args.release.resolve()
    result = {} if args.served_only else run(release)
    result["served"] = served(release, args.foedus)
    write_json("search-served" if args.served_only else "search", result)
    print(result)


if __name__ == "__main__":
    main()
