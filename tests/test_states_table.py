"""graph/curated/states.csv: one row per COW state, valid QIDs, agrees with the OWID crosswalk, reproducible.

Reads the public sources from $FOEDUS_SOURCES, default ../shared/data relative to the repo root.
Missing sources make these tests FAIL (not skip): the table cannot be checked without them.
"""
import csv
import importlib.util
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = Path(os.environ.get("FOEDUS_SOURCES") or (REPO.parent / "shared" / "data"))
TABLE = REPO / "graph" / "curated" / "states.csv"
OVERRIDES = REPO / "graph" / "curated" / "states_overrides.csv"
SCRIPT = REPO / "graph" / "tools" / "make_states_table.py"
QID = re.compile(r"^Q[1-9][0-9]*$")


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def table():
    return {int(r["cow_code"]): r for r in rows(TABLE)}


def test_sources_present():
    assert (SOURCES / "cow_state_system" / "states2016.csv").is_file(), \
        f"set FOEDUS_SOURCES to the public data directory (looked in {SOURCES})"


def test_one_row_per_cow_code():
    codes = [int(r["cow_code"]) for r in rows(TABLE)]
    assert len(codes) == len(set(codes)), "duplicate cow_code rows"
    cow = {int(r["ccode"]) for r in rows(SOURCES / "cow_state_system" / "states2016.csv")}
    assert set(codes) == cow
    assert len(cow) == 217


def test_columns():
    with open(TABLE, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == ["cow_code", "cow_letters", "name", "alt_names", "iso_alpha2", "iso_alpha3",
                      "wikidata", "wikidata_predecessors", "identity_note", "source"]


def test_qids_well_formed():
    for code, r in table().items():
        qids = [r["wikidata"]] if r["wikidata"] else []
        qids += [q for q in r["wikidata_predecessors"].split("|") if q]
        for q in qids:
            assert QID.match(q), f"{code}: bad QID {q!r}"


def test_agrees_with_crosswalk_unless_overridden():
    overridden = {(int(o["cow_code"]), o["field"]) for o in rows(OVERRIDES) if o["reason"].strip()}
    t = table()
    checked = 0
    for c in rows(SOURCES / "owid" / "countries_regions.csv"):
        if not c["cow_code"].strip():
            continue
        code = int(float(c["cow_code"]))
        if code not in t:
            continue  # e.g. 6 Puerto Rico: not a COW state
        uri = c["wikidata_uri"].strip()
        expect = {"wikidata": uri.rsplit("/", 1)[-1] if uri else "",
                  "iso_alpha2": c["iso_alpha2"].strip(), "iso_alpha3": c["iso_alpha3"].strip()}
        for field, value in expect.items():
            if (code, field) in overridden:
                continue
            if field == "wikidata" and not value:
                continue  # crosswalk has no QID: a confirmed historical QID may fill it
            assert t[code][field] == value, f"{code} {field}: {t[code][field]!r} != crosswalk {value!r}"
            checked += 1
    assert checked > 500


def test_identity_decisions():
    t = table()
    assert t[255]["wikidata"] == "Q183" and "Q27306" in t[255]["wikidata_predecessors"]
    assert t[365]["wikidata"] == "Q159"
    assert {"Q34266", "Q15180"} <= set(t[365]["wikidata_predecessors"].split("|"))
    assert t[345]["wikidata"] == "Q403"
    assert t[260]["wikidata"] == "Q713750" and t[265]["wikidata"] == "Q16957"
    assert t[730]["wikidata"] == "" and t[730]["wikidata_predecessors"]


def test_regenerates_byte_for_byte(tmp_path):
    spec = importlib.util.spec_from_file_location("make_states_table", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "states.csv"
    mod.main([str(SOURCES), "--out", str(out)])
    assert out.read_bytes() == TABLE.read_bytes()
