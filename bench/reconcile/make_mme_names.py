"""`python -m bench.reconcile.make_mme_names [SOURCES]`: write bench/reconcile/mme-names.csv from the MME file.

The names are MME's own: every spelling in the State* participant columns of `mme/mme_v7.csv`, once, with the
first day MME uses it (an unknown day or month `xx` counts as the first). The answer for each is what the MME
importer itself says that spelling names on that day (graph/sources/mme_participants.csv through
foedus.graph.sources.mme_names.participant, the table the build uses): a COW state (`state/<code>`), or a curated
organisation (`alliance/<slug>` when an alliance file of that slug exists, the organisation being the alliance's,
else `actor/<slug>`). Spellings it names no state or organisation for (a territory, a group, MME's -9) are left out
and counted. Nothing here is written by hand, so the list follows the data set and the importer's reviewed table;
bench/reconcile/make_list.py then adds each name with its first year to strings.csv.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

from foedus.graph.sources.mme_names import participant

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIELDS = ["mme_name", "answer", "note"]


def _day(row: dict[str, str]) -> str:
    """The ISO day an MME row starts, an unknown month or day (`xx`) read as the first."""
    def part(key: str) -> int:
        value = row[key].strip()
        return int(value) if value.isdigit() else 1

    return f"{int(row['s.year']):04d}-{part('s.month'):02d}-{part('s.day'):02d}"


def first_days(mme: Path) -> dict[str, str]:
    """Every participant spelling of the MME file with the first day it appears."""
    first: dict[str, str] = {}
    with mme.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            day = _day(row)
            for key, value in row.items():
                name = (value or "").strip()
                if key and key.startswith("State") and name:
                    first[name] = min(first.get(name, day), day)
    return first


def answers(mme: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The list's rows (spelling, answer, note) and the spellings left out because they name no state or actor."""
    rows: list[dict[str, str]] = []
    left_out: list[str] = []
    for name, day in sorted(first_days(mme).items()):
        who = participant(name, day)
        if who is None or not who.mapped:
            left_out.append(name)
            continue
        if who.cow_code is not None:
            answer = f"state/{who.cow_code}"
        else:
            kind = "alliance" if (ROOT / "graph" / "curated" / "alliances" / f"{who.actor}.yaml").is_file() else "actor"
            answer = f"{kind}/{who.actor}"
        rows.append({"mme_name": name, "answer": answer, "note": f"first in MME {day}; {who.note}".rstrip("; ")})
    return rows, left_out


def main() -> None:
    """Write mme-names.csv from the MME file in argv[1], FOEDUS_SOURCES or ../shared/data."""
    sources = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FOEDUS_SOURCES", "../shared/data"))
    rows, left_out = answers(sources / "mme" / "mme_v7.csv")
    with (HERE / "mme-names.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} MME spellings written to {HERE / 'mme-names.csv'}; {len(left_out)} name no state or "
          f"organisation: {', '.join(left_out)}")


if __name__ == "__main__":
    main()
