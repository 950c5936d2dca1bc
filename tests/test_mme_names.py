"""The reviewed MME name table against every participant spelling of the real file (FOEDUS_SOURCES/mme)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from foedus.graph.sources.mme_names import name_table, participant


def _start(row: dict[str, str]) -> str:
    """An exercise's first possible day as ISO text (MME writes `xx` for an unknown month or day)."""
    month = row["s.month"] if row["s.month"].isdigit() else "1"
    day = row["s.day"] if row["s.day"].isdigit() else "1"
    return f"{int(row['s.year']):04d}-{int(month):02d}-{int(day):02d}"


@pytest.fixture(scope="module")
def spellings(sources: Path) -> dict[str, list[str]]:
    """Each participant spelling of mme_v7.csv with the start dates of the exercises that name it."""
    found: dict[str, list[str]] = defaultdict(list)
    with open(sources / "mme" / "mme_v7.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column, value in row.items():
                if column.startswith("State") and value.strip() and value.strip() != "NA":
                    found[value.strip()].append(_start(row))
    return found


@pytest.fixture(scope="module")
def cow_years(sources: Path) -> dict[int, set[int]]:
    years: dict[int, set[int]] = defaultdict(set)
    with open(sources / "cow_state_system" / "system2016.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            years[int(row["ccode"])].add(int(row["year"]))
    return years


def test_the_table_covers_every_spelling_of_the_file_and_nothing_else(spellings: dict[str, list[str]]) -> None:
    assert len(spellings) == 194
    assert sorted(spellings) == sorted(name_table())


def test_every_mapped_state_is_in_cows_system_on_the_exercise_date_unless_the_table_says_why(
    spellings: dict[str, list[str]], cow_years: dict[int, set[int]]
) -> None:
    for spelling, dates in spellings.items():
        for on in dates:
            who = participant(spelling, on)
            assert who is not None and who.kind != "unknown" or spelling == "-9", (spelling, on)
            if who.cow_code is not None and int(on[:4]) not in cow_years[who.cow_code]:
                assert who.note.startswith("outside COW system"), (spelling, on, who.cow_code)


def test_known_answers_follow_the_date() -> None:
    assert participant("Germany", "1995-06-01").cow_code == 255  # type: ignore[union-attr]
    assert participant("Germany", "1990-10-02").cow_code == 260  # type: ignore[union-attr]
    assert participant("Germany", "1990-10-03").cow_code == 255  # type: ignore[union-attr]
    assert participant("Federal Republic of Germany", "1985-01-21").cow_code == 260  # type: ignore[union-attr]
    assert participant("German Democratic Republic", "1985-01-21").cow_code == 265  # type: ignore[union-attr]
    assert participant("Russia", "1985-01-01").cow_code == 365  # type: ignore[union-attr]
    assert participant("Côte d’Ivoire", "1990-01-01").cow_code == 437  # type: ignore[union-attr]
    nato = participant("NATO", "2006-07-20")
    assert nato is not None and nato.kind == "organisation" and nato.actor == "nato" and nato.mapped
    unknown = participant("-9", "2000-01-01")
    assert unknown is not None and not unknown.mapped and unknown.kind == "unknown"
    assert participant("Atlantis", "2000-01-01") is None


def test_the_unmapped_spellings_are_exactly_the_reviewed_ones(spellings: dict[str, list[str]]) -> None:
    unmapped = {s for s, dates in spellings.items() if not participant(s, dates[0]).mapped}  # type: ignore[union-attr]
    assert unmapped == {
        "-9", "Baltic States", "Bermuda", "Hong Kong SAR China", "Netherlands Antilles", "New Caledonia",
        "South Sudan",
    }
