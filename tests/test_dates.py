"""The one partial-date type: what a coarse date stands for, how it is stored, how it compares."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, TIME, XSD

from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph import emit
from foedus.graph.dates import PartialDate, Precision
from foedus.graph.reconcile import reconcile
from foedus.vocab import ORG, alliance_iri, mint, state_iri

GRAPH_DIR = Path(__file__).resolve().parents[1] / "graph"


def test_a_coarse_date_stands_for_a_period() -> None:
    assert PartialDate.parse("1949", "x").precision is Precision.YEAR
    assert (PartialDate.parse("1949", "x").first, PartialDate.parse("1949", "x").last) == (
        dt.date(1949, 1, 1),
        dt.date(1949, 12, 31),
    )
    assert PartialDate.parse("1948-02", "x").last == dt.date(1948, 2, 29)  # leap year
    assert PartialDate.parse("1949-02", "x").last == dt.date(1949, 2, 28)
    day = PartialDate.parse("1949-04-04", "x")
    assert (day.first, day.last, day.precision, day.coarse) == (dt.date(1949, 4, 4),) * 2 + (Precision.DAY, False)
    assert PartialDate.parse(dt.date(1949, 4, 4), "x") == day  # YAML turns an unquoted date into a date
    assert [str(PartialDate.parse(t, "x")) for t in ("1949", "1949-04", "1949-04-04")] == [
        "1949",
        "1949-04",
        "1949-04-04",
    ]


def test_a_start_is_stored_as_its_first_day_and_an_end_as_its_last() -> None:
    year = PartialDate(1960)
    assert year.literal() == Literal("1960-01-01", datatype=XSD.date)
    assert year.literal(end=True) == Literal("1960-12-31", datatype=XSD.date)
    assert PartialDate(1960, 6).instant() == (TIME.inXSDgYearMonth, Literal("1960-06", datatype=XSD.gYearMonth))
    assert year.instant() == (TIME.inXSDgYear, Literal("1960", datatype=XSD.gYear))
    assert PartialDate(1960, 6, 2).instant() == (TIME.inXSDDate, Literal("1960-06-02", datatype=XSD.date))
    # what was stored comes back as what was written
    assert PartialDate.of_date(year.last, Precision.YEAR) == year
    assert PartialDate.of_date(dt.date(1960, 6, 30), Precision.MONTH) == PartialDate(1960, 6)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("1949", "1949-04-04", True),
        ("1949", "1949-12-31", True),
        ("1949", "1950-01-01", False),
        ("1949-04", "1949-04-30", True),
        ("1949-04", "1949-05", False),
        ("1949-04-04", "1949-04-05", False),
        ("1949-04-04", "1949-04-04", True),
    ],
)
def test_comparisons_respect_precision(a: str, b: str, agree: bool) -> None:
    pa, pb = PartialDate.parse(a, "x"), PartialDate.parse(b, "x")
    assert pa.agrees(pb) is agree and pb.agrees(pa) is agree
    assert pa.before(pb) is (not agree and pa.first < pb.first)


def test_a_spell_within_one_coarse_year_does_not_end_before_it_starts() -> None:
    start, end = PartialDate(1950, 6, 15), PartialDate(1950)
    assert not end.before(start)
    assert end.literal(end=True) >= start.literal()


@pytest.mark.parametrize("bad", ["1949-13", "1949-02-30", "49", "1949-4-4", "1949/04/04"])
def test_a_bad_date_names_its_place(bad: str) -> None:
    with pytest.raises(SourceError) as caught:
        PartialDate.parse(bad, "f.yaml:3")
    assert caught.value.where == "f.yaml:3"
    assert repr(bad) in caught.value.message


def test_an_unquoted_number_is_refused_with_a_hint() -> None:
    with pytest.raises(SourceError) as caught:
        PartialDate.parse(1949, "f.yaml:3")
    assert "quoted" in caught.value.message


def _spells(name: str, start: PartialDate, end: PartialDate | None) -> Graph:
    g = Graph()
    node = mint("membership", name, 2, start.first.isoformat())
    g.add((node, RDF.type, FO.AllianceMembership))
    g.add((node, ORG.member, state_iri(2)))
    g.add((node, ORG.organization, alliance_iri("pact")))
    emit.spell(g, node, start, end)
    return g


@pytest.mark.parametrize(
    ("curated", "other", "aspects"),
    [
        ((PartialDate(1949), PartialDate(1960)), (PartialDate(1949, 4, 4), PartialDate(1960, 7, 1)), []),
        ((PartialDate(1949), None), (PartialDate(1950, 1, 1), None), ["startDate"]),
        ((PartialDate(1949, 4), PartialDate(1960)), (PartialDate(1949, 4, 30), None), ["endDate"]),
    ],
)
def test_reconcile_never_calls_a_year_a_disagreement_with_a_day_in_it(
    curated: tuple[PartialDate, PartialDate | None],
    other: tuple[PartialDate, PartialDate | None],
    aspects: list[str],
) -> None:
    graphs = {"curated": _spells("curated", *curated), "atop-5.1": _spells("atop", *other)}
    _, diffs = reconcile(graphs, {alliance_iri("pact")})
    assert [d.aspect for d in diffs] == aspects


# What parses a date: strptime, fromisoformat, monthrange, a date built from numbers, a regex for YYYY-MM.
_DATE_PARSING = re.compile(
    r"strptime|fromisoformat|monthrange|dateutil|\b(?:dt|datetime)\.date\(|\\d\{4\}\S{0,6}-\S{0,3}\\d\{2\}"
)


def test_graph_has_exactly_one_date_parser() -> None:
    """Dates are read in graph/dates.py alone, so curated and imported data cannot drift apart again."""
    offenders = []
    for path in sorted(GRAPH_DIR.rglob("*.py")):
        if path.name == "dates.py" and path.parent == GRAPH_DIR:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _DATE_PARSING.search(line):
                offenders.append(f"{path.relative_to(GRAPH_DIR.parent)}:{lineno}: {line.strip()}")
    assert offenders == [], "parse dates with foedus.graph.dates.PartialDate:\n" + "\n".join(offenders)
    assert _DATE_PARSING.search((GRAPH_DIR / "dates.py").read_text(encoding="utf-8"))  # the scan can see one
