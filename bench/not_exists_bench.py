"""`python -m bench.not_exists_bench`: the FILTER NOT EXISTS trap of pyoxigraph beside a form that answers the same.

The catalogs refuse a NOT EXISTS group that no variable joins to the query around it (foedus/sparql/traps.py),
because pyoxigraph 0.5 re-runs such a group for every row as a cartesian product. This bench keeps one such query
on the release so the day an upstream release plans it well shows here: each form runs on the full release with
a cap on runs, beside the same condition counted once in a sub-SELECT, and the two answers are compared. Results
go to bench/results/not_exists.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.measure import machine, repeat, write_json

PREFIX = "PREFIX fo: <https://w3id.org/foedus/ontology/> PREFIX org: <http://www.w3.org/ns/org#>\n"
# Alliances, if no defence-cooperation agreement has a party (a condition independent of the row). Written the
# trapped way, the group is joined to the outer query by no variable and re-run for every alliance.
TRAP = PREFIX + """SELECT (COUNT(DISTINCT ?alliance) AS ?n) WHERE {
  ?alliance a fo:Alliance .
  FILTER NOT EXISTS { ?other a fo:DefenceCooperationAgreement . ?other fo:hasParty ?party }
}"""
ONCE = PREFIX + """SELECT (COUNT(DISTINCT ?alliance) AS ?n) WHERE {
  ?alliance a fo:Alliance .
  { SELECT (COUNT(*) AS ?k) WHERE { ?other a fo:DefenceCooperationAgreement . ?other fo:hasParty ?party } }
  FILTER(?k = 0)
}"""


def main(argv: list[str] | None = None) -> int:
    """Time the trapped query and its counted-once twin on the release; say whether they agree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=Path("releases/latest"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from foedus.server.store import load_release_store

    store = load_release_store(args.release)[0]
    once = repeat(lambda: list(store.query(ONCE)), max_runs=args.runs, max_seconds=60).summary()
    trap = repeat(lambda: list(store.query(TRAP)), max_runs=args.runs, max_seconds=120).summary()
    same = [tuple(str(t) for t in r) for r in store.query(ONCE)] == [
        tuple(str(t) for t in r) for r in store.query(TRAP)]
    result = {"machine": machine(), "counted_once": once, "not_exists": trap, "same_answer": same}
    write_json("not_exists", result)
    print(f"counted once: median {once['median_ms']:.1f} ms; FILTER NOT EXISTS: median {trap['median_ms']:.1f} ms; "
          f"same answer: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
