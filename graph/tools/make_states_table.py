#!/usr/bin/env python3
"""Build graph/curated/states.csv: one row per COW state code (COW State System v2016).

    python graph/tools/make_states_table.py [SOURCES_DIR] [--out PATH]

SOURCES_DIR (or the environment variable FOEDUS_SOURCES) is a directory laid out like
/work/shared/data: cow_state_system/states2016.csv, owid/countries_regions.csv and
owid/historical_states_wikidata.csv. The data files are read, never copied into the repo.

Our own decisions live in graph/curated/states_overrides.csv (columns cow_code,field,value,reason),
one decision per line, each with its reason. Fields:
  confirm        a QID from owid/historical_states_wikidata.csv that we checked; unconfirmed QIDs
                 from that list are never used. One confirmed QID and no crosswalk QID -> `wikidata`
                 (unless a `wikidata` override says otherwise); any other confirmed QID goes to
                 `wikidata_predecessors`.
  predecessor    a further historical QID the COW code also covers (appended to wikidata_predecessors)
  wikidata, iso_alpha2, iso_alpha3
                 replace the crosswalk value (an empty value clears it)
  alt_names      replace the automatic alternative names (`|`-separated)
  identity_note  free text
Standard library only. The output is deterministic (sorted by COW code, LF line endings).
"""
import argparse
import csv
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OVERRIDES = REPO / "graph" / "curated" / "states_overrides.csv"
OUT = REPO / "graph" / "curated" / "states.csv"
COLUMNS = ["cow_code", "cow_letters", "name", "alt_names", "iso_alpha2", "iso_alpha3",
           "wikidata", "wikidata_predecessors", "identity_note", "source"]
FIELDS = {"confirm", "predecessor", "wikidata", "iso_alpha2", "iso_alpha3", "alt_names", "identity_note"}
QID = re.compile(r"^Q[1-9][0-9]*$")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_states(src: Path) -> dict[int, tuple[str, str]]:
    """COW code -> (letters, name), first spell's values."""
    states: dict[int, tuple[str, str]] = {}
    for r in read_csv(src / "cow_state_system" / "states2016.csv"):
        code = int(r["ccode"])
        states.setdefault(code, (r["stateabb"].strip(), r["statenme"].strip()))
    return states


def load_crosswalk(src):
    cw = {}
    for r in read_csv(src / "owid" / "countries_regions.csv"):
        if not r["cow_code"].strip():
            continue
        code = int(float(r["cow_code"]))
        uri = r["wikidata_uri"].strip()
        cw[code] = {
            "wikidata": uri.rsplit("/", 1)[-1] if uri else "",
            "iso_alpha2": r["iso_alpha2"].strip(),
            "iso_alpha3": r["iso_alpha3"].strip(),
            "names": [r["name"].strip(), r["wikidata_label"].strip()],
        }
    return cw


def load_historical(src: Path) -> dict[int, list[str]]:
    """COW code -> QIDs of the historical states listed for it."""
    hist: dict[int, list[str]] = {}
    for r in read_csv(src / "owid" / "historical_states_wikidata.csv"):
        if r["wikidata_qid"].strip():
            hist.setdefault(int(r["cow_code"]), []).append(r["wikidata_qid"].strip())
    return hist


def load_overrides(path, states, hist):
    ov: dict[int, list[tuple[str, str]]] = {}
    for n, r in enumerate(read_csv(path), start=2):
        where = f"{path}:{n}"
        code, field, value = int(r["cow_code"]), r["field"].strip(), r["value"].strip()
        if code not in states:
            sys.exit(f"{where}: {code} is not a COW state code")
        if field not in FIELDS:
            sys.exit(f"{where}: unknown field {field!r}")
        if not r["reason"].strip():
            sys.exit(f"{where}: an override needs a reason")
        if field in ("confirm", "predecessor") or (field == "wikidata" and value):
            if not QID.match(value):
                sys.exit(f"{where}: {value!r} is not a QID")
        if field == "confirm" and value not in hist.get(code, []):
            sys.exit(f"{where}: {value} is not in the OWID historical list for {code}")
        ov.setdefault(code, []).append((field, value))
    return ov


def build(src, overrides_path=OVERRIDES):
    states = load_states(src)
    cw = load_crosswalk(src)
    hist = load_historical(src)
    ov = load_overrides(overrides_path, states, hist)
    rows = []
    for code in sorted(states):
        letters, name = states[code]
        c = cw.get(code, {})
        row = dict.fromkeys(COLUMNS, "")
        row.update(cow_code=str(code), cow_letters=letters, name=name)
        sources = []
        for k in ("wikidata", "iso_alpha2", "iso_alpha3"):
            row[k] = c.get(k, "")
        if row["wikidata"] or row["iso_alpha2"]:
            sources.append("owid-crosswalk")
        alt = [x for x in c.get("names", []) if x]
        mine = ov.get(code, [])
        confirmed = [v for f, v in mine if f == "confirm"]
        preds = []
        if confirmed:
            sources.append("owid-historical(confirmed)")
            if not row["wikidata"] and len(confirmed) == 1:
                row["wikidata"] = confirmed[0]
        curated = False
        for f, v in mine:
            if f == "confirm":
                continue
            curated = True
            if f == "predecessor":
                preds.append(v)
            elif f == "alt_names":
                alt = v.split("|")
            else:
                row[f] = v
        if curated:
            sources.append("curated")
        seen = {name.casefold()}
        alts = []
        for a in alt:
            a = a.strip()
            if a and a.casefold() not in seen:
                seen.add(a.casefold())
                alts.append(a)
        row["alt_names"] = "|".join(alts)
        out_preds = []
        # confirmed QIDs that did not become the exact match are items the code also covers
        for q in [*confirmed, *preds]:
            if q not in out_preds and q != row["wikidata"]:
                out_preds.append(q)
        row["wikidata_predecessors"] = "|".join(out_preds)
        row["source"] = "+".join(sources) or "cow-only"
        for q in [row["wikidata"], *out_preds]:
            if q and not QID.match(q):
                sys.exit(f"cow code {code}: bad QID {q!r}")
        rows.append(row)
    return rows


def write(rows, out):
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sources", nargs="?", default=os.environ.get("FOEDUS_SOURCES"),
                   help="sources directory (default: $FOEDUS_SOURCES)")
    p.add_argument("--out", default=str(OUT))
    p.add_argument("--overrides", default=str(OVERRIDES))
    a = p.parse_args(argv)
    if not a.sources:
        p.error("give the sources directory or set FOEDUS_SOURCES")
    rows = build(Path(a.sources), Path(a.overrides))
    write(rows, a.out)
    print(f"wrote {len(rows)} states to {a.out}")


if __name__ == "__main__":
    main()
