"""Reading the public CSV files: every value is checked, and a bad one is an error naming file:line:column."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from foedus import errors
from foedus.graph.dates import PartialDate


@dataclass(frozen=True)
class Row:
    """One data row of a CSV file, with its place in the file so every value error can point at it."""

    path: Path
    line: int
    number: int
    cells: dict[str, str]
    columns: dict[str, int]

    def where(self, column: str) -> str:
        """The file:line:column of `column` in this row (columns counted from 1, as editors do)."""
        return errors.location(self.path, self.line, self.columns[column])

    def fail(self, column: str, message: str) -> errors.SourceError:
        """An error about this row's `column` that names the column by number and by name."""
        text = f"column {self.columns[column]} '{column}': {message}"
        return errors.SourceError(text, where=self.where(column))

    def text(self, column: str) -> str:
        """The cell as stripped text ('' when empty)."""
        return self.cells[column].strip()

    def opt_int(self, column: str) -> int | None:
        """The cell as an integer, None when empty; accepts codes written as floats ('700.0')."""
        raw = self.text(column)
        if raw == "":
            return None
        try:
            return int(raw)
        except ValueError:
            pass
        try:
            value = float(raw)
        except ValueError:
            raise self.fail(column, f"expected a whole number, found {raw!r}") from None
        if not value.is_integer():
            raise self.fail(column, f"expected a whole number, found {raw!r}")
        return int(value)

    def integer(self, column: str) -> int:
        """The cell as an integer; an empty cell is an error."""
        value = self.opt_int(column)
        if value is None:
            raise self.fail(column, "empty cell where a number is required")
        return value

    def flag(self, column: str) -> bool | None:
        """A 0/1 dummy as a boolean, None when empty; any other value is an error."""
        value = self.opt_int(column)
        if value is None:
            return None
        if value not in (0, 1):
            raise self.fail(column, f"expected 0 or 1, found {value}")
        return value == 1

    def choice(self, column: str, allowed: Sequence[int]) -> int | None:
        """A coded integer that must be one of `allowed`, None when empty."""
        value = self.opt_int(column)
        if value is not None and value not in allowed:
            raise self.fail(column, f"expected one of {', '.join(map(str, allowed))}, found {value}")
        return value


def partial_date(
    row: Row, year: str, month: str, day: str, *, zero_is_none: bool = False, unknown: str | None = None
) -> PartialDate | None:
    """Read year/month/day columns; a missing year means no date, a missing day or month coarsens it.

    `unknown` is a source's word for an unknown part (MME writes `xx`): such a cell reads as empty.
    """
    def part(column: str) -> int | None:
        return None if unknown is not None and row.text(column) == unknown else row.opt_int(column)

    y = part(year)
    if y is None or (zero_is_none and y == 0):
        return None
    m = part(month)
    d = part(day)
    if m == 0:
        m = None
    if d == 0:
        d = None
    if m is None and d is not None:
        raise row.fail(month, f"month missing although the day ({d}) is given")
    if m is not None and not 1 <= m <= 12:
        raise row.fail(month, f"not a month: {m}")
    try:
        return PartialDate(y, m, d)
    except ValueError as exc:
        raise row.fail(day if d is not None else year, f"not a date: {y}-{m}-{d} ({exc})") from None


def read_rows(path: Path, required: Sequence[str], *, encoding: str = "utf-8-sig") -> Iterator[Row]:
    """Yield the data rows of a CSV file (CRLF, LF or CR-only lines) once the header has `required`.

    Files are UTF-8 unless the source says otherwise (troopdata's basedata.csv is Latin-1: `encoding="latin-1"`).
    """
    if not path.is_file():
        raise errors.SourceError("source file not found", where=str(path))
    try:
        handle = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise errors.SourceError(f"cannot read the file: {exc.strerror}", where=str(path)) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise errors.SourceError("empty file: no header line", where=errors.location(path, 1))
            names = [name.strip() for name in header]
            columns = {name: index + 1 for index, name in enumerate(names) if name}
            missing = [name for name in required if name not in columns]
            if missing:
                raise errors.SourceError(
                    f"header lacks column(s) {', '.join(repr(m) for m in missing)}",
                    where=errors.location(path, 1),
                    hint="the importer reads the official file layout; is this the right file and version?",
                )
            number = 0
            line = reader.line_num + 1
            for cells in reader:
                start, line = line, reader.line_num + 1
                if not cells or all(not c.strip() for c in cells):
                    continue
                number += 1
                if len(cells) != len(names):
                    raise errors.SourceError(
                        f"row has {len(cells)} cells but the header has {len(names)} columns",
                        where=errors.location(path, start),
                    )
                yield Row(path, start, number, dict(zip(names, cells, strict=True)), columns)
        except csv.Error as exc:
            where = errors.location(path, reader.line_num)
            raise errors.SourceError(f"malformed CSV: {exc}", where=where) from None
        except UnicodeDecodeError as exc:
            raise errors.SourceError(f"not {encoding} text: {exc.reason}", where=str(path)) from None
