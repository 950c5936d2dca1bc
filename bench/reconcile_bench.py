"""`python -m bench.reconcile_bench [--release DIR]`: reconciliation quality on bench/reconcile/strings.csv.

Each string goes to POST /reconcile (form `queries=`, batches of 50) with its type and, when the data set dates
it, a `year` property constraint, as a client such as OpenRefine sends it. Reported: top-1 (the first candidate is
the answer), how many got `match: true`, how many `match: true` went to a wrong candidate (the goal is none), per
source, and every miss. Writes bench/results/reconcile.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.measure import write_json

LIST = Path(__file__).resolve().parent / "reconcile" / "strings.csv"
BATCH = 50


def _query(row: dict[str, str]) -> dict[str, Any]:
    query: dict[str, Any] = {"query": row["string"], "type": row["type"], "limit": 5}
    if row["year"]:
        query["properties"] = [{"pid": "year", "v": row["year"]}]
    return query


def run(release: Path) -> dict[str, Any]:
    """Reconcile every listed string against `release` through the app's /reconcile."""
    from foedus.server.app import create_app
    from foedus.server.store import load_release_store
    from foedus.settings import load_settings

    with LIST.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    store, info = load_release_store(release)
    client = create_app(load_settings({"releases": str(release.parent)}), store, info=info).test_client()
    client.get("/reconcile/suggest/entity?prefix=a")  # builds the label index before the clock starts
    per_source: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "top1": 0, "matched": 0, "wrong_match": 0})
    misses, wrong = [], []
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        queries = {f"q{n}": _query(r) for n, r in enumerate(chunk)}
        answer = client.post("/reconcile", data={"queries": json.dumps(queries)}).get_json()
        for n, row in enumerate(chunk):
            results = answer[f"q{n}"]["result"]
            tally = per_source[row["source"]]
            tally["n"] += 1
            first = results[0]["id"] if results else None
            if first == row["answer"]:
                tally["top1"] += 1
            else:
                misses.append({**row, "got": first, "score": results[0]["score"] if results else None})
            for r in results:
                if r["match"]:
                    tally["matched"] += 1
                    if r["id"] != row["answer"]:
                        tally["wrong_match"] += 1
                        wrong.append({**row, "matched": r["id"]})
    seconds = time.perf_counter() - started
    total = {k: sum(t[k] for t in per_source.values()) for k in ("n", "top1", "matched", "wrong_match")}
    return {
        "release": str(release),
        "strings": total["n"],
        "top1": total["top1"],
        "top1_rate": round(total["top1"] / total["n"], 4),
        "matched": total["matched"],
        "wrong_match": total["wrong_match"],
        "seconds": round(seconds, 2),
        "per_source": dict(per_source),
        "misses": misses,
        "wrong_matches": wrong,
    }


def main() -> None:
    """Parse --release, run, print the summary and write the result."""
    parser = argparse.ArgumentParser(prog="python -m bench.reconcile_bench", description=__doc__)
    parser.add_argument("--release", type=Path, default=Path("releases/latest"))
    result = run(parser.parse_args().release.resolve())
    write_json("reconcile", result)
    print(json.dumps({k: v for k, v in result.items() if k not in ("misses",)}, indent=1))
    for m in result["misses"]:
        print("miss:", m)


if __name__ == "__main__":
    main()
