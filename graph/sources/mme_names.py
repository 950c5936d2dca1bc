"""MME names its exercise participants in words; graph/sources/mme_participants.csv says who each spelling is.

The table is ours, reviewed by hand: one row per spelling (two where the answer changes with the date, as for
"Germany": COW 260 before 3 October 1990, 255 from then). A row is a state (its COW code), an organisation (a
curated actor slug, e.g. NATO), or a participant no code can stand for (a territory, a group, MME's -9 for
unknown): such a participant is kept by its name and counted, never dropped and never guessed.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib.resources import files

from foedus.errors import SourceError

KINDS = ("state", "organisation", "territory", "group", "unknown")
TABLE = "mme_participants.csv"


@dataclass(frozen=True)
class Participant:
    """Who an MME spelling names on a date: a COW state, a curated actor, or only a name (kind says which)."""

    spelling: str
    kind: str
    cow_code: int | None = None
    actor: str | None = None
    note: str = ""

    @property
    def mapped(self) -> bool:
        """True when the participant is a state or an actor of ours, not only a name."""
        return self.cow_code is not None or self.actor is not None


@dataclass(frozen=True)
class _Row:
    participant: Participant
    start: str  # ISO date, "" = open
    end: str


@functools.cache
def name_table() -> dict[str, tuple[_Row, ...]]:
    """The reviewed table, by spelling; a malformed row is a SourceError naming file and line."""
    path = files("foedus.graph.sources").joinpath(TABLE)
    out: dict[str, list[_Row]] = {}
    text = path.read_text(encoding="utf-8")
    for line, rec in enumerate(csv.DictReader(text.splitlines()), start=2):
        where = f"graph/sources/{TABLE}:{line}"
        kind = rec["kind"]
        if kind not in KINDS:
            raise SourceError(f"kind {kind!r} is not one of {', '.join(KINDS)}", where=where)
        code = rec["cow_code"].strip()
        if (kind == "state") != bool(code) or (kind == "organisation") != bool(rec["actor"].strip()):
            raise SourceError("a state has a cow_code, an organisation an actor, nothing else has either",
                              where=where)
        who = Participant(rec["spelling"], kind, int(code) if code else None,
                                  rec["actor"].strip() or None, rec["note"])
        out.setdefault(rec["spelling"], []).append(_Row(who, rec["from"], rec["to"]))
    return {k: tuple(v) for k, v in out.items()}


def participant(spelling: str, on: str) -> Participant | None:
    """Who `spelling` names on the ISO date `on`; None when the table does not know the spelling at all."""
    rows = name_table().get(spelling.strip())
    if rows is None:
        return None
    for row in rows:
        if (not row.start or row.start <= on) and (not row.end or on <= row.end):
            return row.participant
    return Participant(spelling, "unknown", note=f"the table has no row for {spelling!r} on {on}")
