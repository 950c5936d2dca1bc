"""`python -m bench.ask_bench [--release DIR]`: how well /ask answers bench/ask/questions.csv on the full release.

Each row is a question written from the saved queries' domains and the public data, with the saved query and the
parameters that answer it (`expect=answer`), or the query it should offer while saying it is not sure (`ask`: a
missing or ambiguous parameter), or no query at all (`none`: outside the catalog). Reported:

* routing (top-1): the first candidate is the expected query with the expected parameters once bound (defaults
  filled, so `date=1985-01-01` equals `alliance=<nato>&date=1985-01-01` where NATO is the default); for `ask` rows
  the expected query first and nothing run; for `none` rows nothing offered; also the query name alone;
* execution: an `answer` row is right when /ask ran a query whose rows equal those of /api/<expected>?<params>
  (as multisets of bindings); an `ask` or `none` row when nothing was run;
* text2sparql: for every question /ask answered, whether /text2sparql's query (values written in) gives the same
  rows on /sparql.

Writes bench/results/ask.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.measure import write_json

LIST = Path(__file__).resolve().parent / "ask" / "questions.csv"
DATASET = "https://w3id.org/foedus/id/dataset/foedus"


def _params(text: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in text.split(";") if item)


def _rows(bindings: list[dict[str, Any]]) -> Counter[str]:
    return Counter(json.dumps(b, sort_keys=True) for b in bindings)


def run(release: Path) -> dict[str, Any]:
    """Ask every listed question of the app over `release` and score routing and execution."""
    from foedus.queries.catalog import load_catalog
    from foedus.server.app import create_app
    from foedus.server.store import load_release_store
    from foedus.settings import load_settings

    with LIST.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    store, info = load_release_store(release)
    client = create_app(load_settings({"releases": str(release.parent)}), store, info=info).test_client()
    catalog = load_catalog()
    client.get("/search?q=a&format=json")  # builds the label index before the clock starts
    tally: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    started = time.perf_counter()
    for row in rows:
        expect = row["expect"]
        tally["n_" + expect] += 1
        response = client.get("/ask", query_string={"question": row["question"], "format": "json"})
        body = response.get_json()
        if response.status_code != 200:  # e.g. 503: the chosen query ran out of query_timeout
            body = {"status": f"error {response.status_code}: {body['error']['detail'][:80]}", "candidates": [],
                    "answer": None}
        top = body["candidates"][0] if body["candidates"] else None
        name_ok = (top is not None and top["query"] == row["query"]) if row["query"] else top is None
        params_ok = name_ok
        if name_ok and top is not None and expect == "answer":
            saved = catalog.queries[row["query"]]
            try:
                params_ok = saved.bind(top["params"]) == saved.bind(_params(row["params"]))
            except Exception:  # noqa: BLE001  a parameter the router chose that does not bind is a miss
                params_ok = False
        ran = body["status"] == "answered"
        routed = params_ok and (ran if expect == "answer" else not ran)
        executed = not ran if expect != "answer" else False
        if expect == "answer" and ran:
            api = client.get(f"/api/{row['query']}", query_string={**_params(row["params"]), "format": "json"})
            executed = api.status_code == 200 and _rows(api.get_json()["results"]["bindings"]) == _rows(
                body["answer"]["results"]["bindings"])
        if ran:  # /text2sparql's query, values written in, must give the same rows on /sparql
            t2s = client.get("/text2sparql", query_string={"dataset": DATASET, "question": row["question"]})
            status = t2s.status_code
            if status == 200:
                run_it = client.post("/sparql", data={"query": t2s.get_json()["query"]},
                                     headers={"Accept": "application/sparql-results+json"})
                status = run_it.status_code
            same = status == 200 and _rows(json.loads(run_it.data)["results"]["bindings"]) == _rows(
                body["answer"]["results"]["bindings"])
            tally["text2sparql_ran"] += 1
            tally["text2sparql_same"] += same
            if not same:
                misses.append({"question": row["question"], "query": row["query"],
                               "text2sparql": f"status {status}" if status != 200 else "rows differ from /ask's"})
        tally["name_" + expect] += name_ok
        tally["routed_" + expect] += routed
        tally["executed_" + expect] += executed
        if not (routed and executed):
            misses.append({"question": row["question"], "expected": row["query"], "params": row["params"],
                           "status": body["status"], "got": top and top["query"],
                           "got_params": top and top["params"], "confidence": top and top["confidence"],
                           "routed": routed, "executed": executed})
    seconds = time.perf_counter() - started
    n = len(rows)

    def total(key: str) -> int:
        return sum(tally[f"{key}_{e}"] for e in ("answer", "ask", "none"))

    return {
        "release": str(release),
        "questions": n,
        "by_expect": {e: tally["n_" + e] for e in ("answer", "ask", "none")},
        "routing_top1": total("routed"),
        "routing_top1_rate": round(total("routed") / n, 4),
        "routing_query_name": total("name"),
        "execution": total("executed"),
        "execution_rate": round(total("executed") / n, 4),
        "execution_answerable": tally["executed_answer"],
        "text2sparql_same_rows": f"{tally['text2sparql_same']} of {tally['text2sparql_ran']}",
        "seconds": round(seconds, 2),
        "tally": dict(tally),
        "misses": misses,
    }


def main() -> None:
    """Parse --release, run, print the summary and every miss, and write the result."""
    parser = argparse.ArgumentParser(prog="python -m bench.ask_bench", description=__doc__)
    parser.add_argument("--release", type=Path, default=Path("releases/latest"))
    result = run(parser.parse_args().release.resolve())
    write_json("ask", result)
    print(json.dumps({k: v for k, v in result.items() if k not in ("misses", "tally")}, indent=1))
    for m in result["misses"]:
        print("miss:", m)


if __name__ == "__main__":
    main()
