"""`python -m bench.reconcile.make_list [SOURCES]`: write bench/reconcile/strings.csv, the reconciliation test list.

Every string is a spelling one of the public data sets uses, with the answer that data set itself gives (its COW
code), and a year when the data set dates the use: COW's state names with the year each spell starts and its
abbreviations; DCAD's cowName columns with the signature year; the OWID crosswalk's names and COW letters; the
OWID list of historical states ("Germany 1871-1918 = German Empire"); the participant names of the MME exercise
data set with the first year each appears, answered by mme-names.csv (written by make_mme_names.py from the MME
file's own spellings and what the MME importer's reviewed table says each names; no line by hand). Two rules keep
the answers right: a DCAD row whose letters name another code in COW's own table is left out (the data set
contradicts itself there), and an OWID row counts only when its COW code is a state of COW's system. The data
files themselves stay outside the repository; this list holds only names and answers.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ("string", "type", "year", "answer", "source")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        return list(csv.DictReader(f))


def _code(value: str) -> str | None:
    try:
        return f"state/{int(float(value))}"
    except ValueError:
        return None


def cases(sources: Path) -> list[dict[str, str]]:
    """Every (string, type, year, answer, source) from the public data: a string's first use in each source."""
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str, str]] = set()

    def add(string: str, year: str, answer: str | None, source: str, kind: str = "State") -> None:
        string = string.strip()
        if string and answer and (source, string.casefold(), answer) not in seen:
            seen.add((source, string.casefold(), answer))
            out.append({"string": string, "type": kind, "year": year, "answer": answer, "source": source})

    cow = sources / "cow_state_system"
    states = _rows(cow / "states2016.csv")
    system = {_code(r["ccode"]) for r in states}  # an answer must be a state of the COW system
    for r in states:
        add(r["statenme"], r["styear"], _code(r["ccode"]), "COW states2016 statenme")
    letters: dict[str, str | None] = {}
    for r in _rows(cow / "COW-country-codes.csv"):
        add(r["StateAbb"], "", _code(r["CCode"]), "COW country codes StateAbb")
        letters[r["StateAbb"]] = _code(r["CCode"])
    for r in _rows(sources / "dcad" / "DCAD-v1.0-main.csv"):
        for side in ("1", "2"):
            name, answer = r["cowName" + side], _code(r["ccode" + side])
            if name in letters and letters[name] != answer:
                continue  # DCAD's letters and code disagree (EGY with 652): the data set cannot say which is right
            add(name, r["signYear"], answer, "DCAD cowName")
    owid = sources / "owid"
    for r in _rows(owid / "countries_regions.csv"):
        answer = _code(r["cow_code"]) if r["cow_code"] else None
        add(r["name"], "", answer if answer in system else None, "OWID countries_regions name")
    for r in _rows(owid / "historical_states_wikidata.csv"):
        name, answer = r["name"], _code(r["cow_code"])
        dated = re.match(r"^(.*?) (\d{4})-\d{4} = (.*)$", name)
        if dated:
            add(dated.group(3), dated.group(2), answer, "OWID historical states")
            continue
        bracketed = re.match(r"^(.*?) \((.*)\)$", name)
        for part in (bracketed.groups() if bracketed else (name,)):
            if not re.search(r"\d|generic", part):  # "(1867-1918)", "(generic item)" are notes, not names
                add(part, "", answer, "OWID historical states")
    answers = {r["mme_name"]: r["answer"] for r in _rows(HERE / "mme-names.csv")}
    first_year: dict[str, int] = {}
    for r in _rows(sources / "mme" / "mme_v7.csv"):
        for key, value in r.items():
            if key and key.startswith("State") and value and value.strip() in answers:
                first_year[value.strip()] = min(first_year.get(value.strip(), 9999), int(r["s.year"]))
    for name, year in sorted(first_year.items()):
        answer = answers[name]
        add(name, str(year), answer, "MME participant", "Alliance" if answer.startswith("alliance/") else "State")
    return out


def main() -> None:
    """Write strings.csv from the data sets in argv[1], FOEDUS_SOURCES or ../shared/data."""
    sources = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FOEDUS_SOURCES", "../shared/data"))
    rows = cases(sources)
    with (HERE / "strings.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} strings written to {HERE / 'strings.csv'}")


if __name__ == "__main__":
    main()
