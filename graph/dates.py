"""Partial dates: the one date type and the one date parser of the build (curated YAML and source CSVs alike).

A date may be known to the day, the month or only the year. It then stands for a period: `first` is its first day
and `last` its last. The rule for what a coarse date means where one value must be stored (graph/README.md, Dates):

- a start (of a spell, an instrument, an alliance) is its first day: a start "1949" begins on 1 January 1949;
- an end is its last day: an end "1949" ends on 31 December 1949, an end "1949-04" on 30 April 1949;
- a point in time (an event's fo:date) is stored as its first day; fo:datePrecision says how precise it is.

So a stored span is the widest the sources allow, and a spell that starts and ends within one coarse period
never ends "before" it starts. Comparisons respect precision: a year-only date agrees with every day of its year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from foedus.errors import SourceError
from foedus.vocab import TIME


class Precision(enum.Enum):
    """How precisely a date is known; ordered from the finest to the coarsest."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"

    @property
    def unit(self) -> URIRef:
        """The OWL-Time unit that fo:startPrecision, fo:endPrecision and fo:datePrecision point at."""
        return {Precision.DAY: TIME.unitDay, Precision.MONTH: TIME.unitMonth, Precision.YEAR: TIME.unitYear}[self]

    @classmethod
    def of_unit(cls, unit: object) -> Precision:
        """The precision an OWL-Time unit stands for; no unit (or an unknown one) means a day."""
        for p in cls:
            if p.unit == unit:
                return p
        return cls.DAY


_TEXT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year: `year`, and `month`/`day` when known."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.month is None and self.day is not None:
            raise ValueError(f"month missing although the day ({self.day}) is given")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"not a month: {self.month}")
        dt.date(self.year, self.month or 1, self.day or 1)  # raises ValueError for 1949-02-30 and the like

    # -- making one --
    @classmethod
    def parse(cls, value: Any, where: str) -> PartialDate:
        """Read YYYY, YYYY-MM or YYYY-MM-DD (a YAML date is a day); bad input is a SourceError at `where`."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return cls.of_date(value)
        if not isinstance(value, str):
            raise SourceError(
                f"date must be a quoted string YYYY[-MM[-DD]], got {value!r}",
                where=where,
                hint='quote dates in YAML, e.g. "1949-04-04"',
            )
        match = _TEXT.match(value)
        if not match:
            raise SourceError(f"bad date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD", where=where)
        try:
            return cls(int(match[1]), _int(match[2]), _int(match[3]))
        except ValueError as exc:
            raise SourceError(f"bad date {value!r}: {exc}", where=where) from None

    @classmethod
    def of_date(cls, day: dt.date, precision: Precision = Precision.DAY) -> PartialDate:
        """The partial date a stored day stands for at `precision` (a stored year-end 1949-12-31 -> 1949)."""
        if precision is Precision.YEAR:
            return cls(day.year)
        if precision is Precision.MONTH:
            return cls(day.year, day.month)
        return cls(day.year, day.month, day.day)

    # -- what it stands for --
    @property
    def precision(self) -> Precision:
        """Day, month or year: the finest part that is known."""
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    @property
    def coarse(self) -> bool:
        """True when the day (or month) is not known."""
        return self.precision is not Precision.DAY

    @property
    def first(self) -> dt.date:
        """The first day the date may stand for: how a start or a point in time is stored."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        """The last day the date may stand for: how an end is stored."""
        if self.day is not None:
            return self.first
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def stored(self, *, end: bool = False) -> dt.date:
        """The one day stored for this date: the last day for an end, else the first (the module's rule)."""
        return self.last if end else self.first

    def literal(self, *, end: bool = False) -> Literal:
        """The xsd:date literal of `stored(end=end)`, what fo:startDate, fo:endDate and fo:date hold."""
        return Literal(self.stored(end=end).isoformat(), datatype=XSD.date)

    def instant(self) -> tuple[URIRef, Literal]:
        """The OWL-Time position of this date: time:inXSDDate, or time:inXSDgYearMonth / time:inXSDgYear."""
        if self.precision is Precision.DAY:
            return TIME.inXSDDate, Literal(self.first.isoformat(), datatype=XSD.date)
        if self.precision is Precision.MONTH:
            return TIME.inXSDgYearMonth, Literal(f"{self.year:04d}-{self.month:02d}", datatype=XSD.gYearMonth)
        return TIME.inXSDgYear, Literal(f"{self.year:04d}", datatype=XSD.gYear)

    # -- comparing, with precision --
    def agrees(self, other: PartialDate) -> bool:
        """True when both may be the same day: their periods overlap (1949 agrees with 1949-04-04)."""
        return self.first <= other.last and other.first <= self.last

    def before(self, other: PartialDate) -> bool:
        """True when this date is surely earlier: its last day precedes the other's first day."""
        return self.last < other.first

    def __str__(self) -> str:
        """As written in the curated YAML: 1949, 1949-04 or 1949-04-04."""
        if self.precision is Precision.YEAR:
            return f"{self.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        return self.first.isoformat()


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def stored_date(value: object) -> dt.date | None:
    """The day an xsd:date literal of the graph holds, None for anything else (a malformed literal included)."""
    if isinstance(value, Literal) and value.datatype == XSD.date:
        day = value.toPython()
        if isinstance(day, dt.date) and not isinstance(day, dt.datetime):
            return day
    return None
