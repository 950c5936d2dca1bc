"""Reading a question in plain words: the dates, years, periods, obligation and other enum words, and the spans
that name entities. Pure rules, no model: what the router (ask_route.py) fills saved-query parameters from.

Entities are found by the label index's exact names (labels, other names, codes typed in capitals, QIDs), longest
span first, so "North Atlantic Treaty Organization" is one mention and not three; what a name means in a year
(Germany in 1960) is the router's business, since only it knows which kind of entity a query wants.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from foedus.sparql.text_match import fold

MONTHS = {m: n for n, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"), start=1)}
_MONTH = "|".join(MONTHS)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\s*,?\s+(\d{{4}})\b", re.IGNORECASE)
_MDY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d-])(1[0-9]\d\d|20\d\d|2100)(s?)(?![\d-])")
_WORD = re.compile(r"[^\W_]+(?:['’.&-][^\W_]+)*")
MAX_SPAN = 7
# Words that never name an entity on their own, even where a label says so (a class "Alliance", a code "IN").
NOT_NAMES = frozenset(fold(w) for w in (
    "the of in on at and or with to from for by a an who what which when where how was were is are did does do "
    "has have had its it their after before since between during until alliance alliances treaty treaties state "
    "states member members allies ally allied exercise exercises obligation defence defense year pact"
).split())
# Enum words: saved-query enum values and the plain words (as regular expressions) that ask for them.
WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "obligation": (
        ("defence", r"defen[cs]e|defensive|mutual assistance|come to .* aid"),
        ("offence", r"offen[cs]e|offensive"),
        ("neutrality", r"neutral(ity)?"),
        ("non-aggression", r"non ?aggression|nonaggression"),
        ("consultation", r"consult(ation|ations|ative)?"),
    ),
    "kind": (
        ("withdrawal", r"withdr[ae]w\w*|left|leaving|quit"),
        ("suspension", r"suspen\w+"),
        ("termination", r"terminat\w+|dissol\w+|expir\w+"),
    ),
    "type": (
        ("joint-exercise", r"exercis\w*|drills?|manoeuvres?|maneuvers?"),
        ("defence-cooperation-agreement", r"defen[cs]e cooperation agreements?|dcas?|dcad"),
        ("intelligence-sharing", r"intelligence"),
        ("attache-post", r"attaches?"),
        ("training-programme", r"training"),
        ("arms-transfer", r"arms (transfers?|sales?|deliveries)"),
        ("military-assistance", r"military (assistance|aid)"),
        ("strategic-dialogue", r"(strategic )?dialogues?"),
        ("liaison-arrangement", r"liaison"),
        ("confidence-building-measure", r"confidence building"),
        ("crisis-hotline", r"hot ?lines?"),
    ),
    "condition": (
        ("none", r"unconditional\w*|without (any )?conditions?|no conditions?"),
        ("location", r"(conditions? (on|of) )?location|where the attack|in (a )?(certain|given) (region|area)"),
        ("adversary", r"(specific|named|given) adversar\w+|against a named"),
        ("non-provocation", r"non ?provocation|unprovoked"),
        ("demand", r"on demand|upon request|if asked"),
    ),
    "dating": (
        ("atop", r"(according to|by|in|from) atop|atop s( dates)?"),
        ("all", r"(every|all|each) sources?"),
    ),
    "knowledge": (
        ("in-force", r"(still )?in force (today|now)|today|currently|now"),
        ("open-at-edge", r"open at the edge|not known to (have )?end"),
    ),
}


@dataclass(frozen=True)
class Found:
    """An entity one name in the question may mean: IRI, preferred name, kind, and the periods it existed in."""

    iri: str
    name: str
    kind: str
    periods: tuple[tuple[str, str | None], ...] = ()
    period: str = ""
    weight: int = 0  # how many resources point at it (the label index's size signal)

    def active_in(self, year: int) -> bool | None:
        """True when a period covers `year`, False when none does, None when no period is known."""
        if not self.periods:
            return None
        return any(int(s[:4]) <= year and (e is None or year <= int(e[:4])) for s, e in self.periods
                   if s[:4].isdigit())


class Lookup(Protocol):
    """What the router needs of the label index: entities by an exact name, and by names holding some words."""

    def exact(self, text: str, *, code: bool) -> Sequence[Found]:
        """Entities one of whose names is `text` (folded); codes count only when `code` (typed in capitals)."""
        ...

    def containing(self, text: str, kinds: Sequence[str]) -> Sequence[Found]:
        """Entities of those kinds with a name that holds every word of `text` (the search rule), best first."""
        ...


@dataclass(frozen=True)
class Mention:
    """A span of the question that names one or more entities (candidates of every kind)."""

    text: str
    start: int
    end: int
    found: tuple[Found, ...]


@dataclass
class Reading:
    """What the rules read in a question: dates, years, a period, enum words, entity mentions, the plain words."""

    question: str
    folded: str
    words: list[str]
    dates: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    decades: list[int] = field(default_factory=list)
    after: int | None = None  # "after 2000": the first year after
    since: int | None = None  # "since 2000", "from 2000"
    before: int | None = None  # "before 1950": the last year before
    until: int | None = None  # "until 1950", "up to 1950"
    enums: dict[str, list[str]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    place: str | None = None


def _dates(q: str) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """(position, YYYY-MM-DD) of every real calendar date, and the character spans they take."""
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for m in _ISO.finditer(q):
        found.append((m.start(), m.group()))
        spans.append(m.span())
    for rx, order in ((_DMY, (3, 2, 1)), (_MDY, (3, 1, 2))):
        for m in rx.finditer(q):
            y, mo, d = (m.group(i) for i in order)
            month = MONTHS[mo.lower()]
            found.append((m.start(), f"{int(y):04d}-{month:02d}-{int(d):02d}"))
            spans.append(m.span())
    good = []
    for at, text in sorted(found):
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            continue
        good.append((at, text))
    return good, spans


def _period(reading: Reading, q: str) -> None:
    """The period words around years: between/from..to, after, since, before, until, and decades."""
    low = q.lower()
    m = re.search(r"\b(?:between|from)\s+(\d{4})\s+(?:and|to|until|till)\s+(\d{4})\b", low) or re.search(
        r"\b(\d{4})\s*(?:-|–|to)\s*(\d{4})\b", low)
    if m:
        reading.since, reading.until = int(m.group(1)), int(m.group(2))
        return
    for word, attr, shift in (("after", "after", 1), ("since", "since", 0), ("from", "since", 0),
                              ("before", "before", -1), ("until", "until", 0), ("up to", "until", 0),
                              ("by", "until", 0), ("prior to", "before", -1)):
        m = re.search(rf"\b{word}\s+(?:the\s+year\s+)?(\d{{4}})\b", low)
        if m and getattr(reading, attr) is None:
            setattr(reading, attr, int(m.group(1)) + shift)


def _enums(reading: Reading) -> None:
    """The enum values the question's words ask for, per parameter name, in the order they are written."""
    for param, options in WORDS.items():
        hits = []
        for value, rx in options:
            for m in re.finditer(rf"\b(?:{rx})\b", reading.folded):
                hits.append((m.start(), value))
        reading.enums[param] = list(dict.fromkeys(v for _, v in sorted(hits)))


def _mentions(q: str, lookup: Lookup, taken: list[tuple[int, int]]) -> list[Mention]:
    """Longest spans first, without overlap: every span of words that is an exact name of some entity."""
    tokens = [m for m in _WORD.finditer(q)]
    used = [any(s <= t.start() < e for s, e in taken) for t in tokens]
    found: list[Mention] = []
    for size in range(min(MAX_SPAN, len(tokens)), 0, -1):
        for i in range(len(tokens) - size + 1):
            if any(used[i:i + size]):
                continue
            start, end = tokens[i].start(), tokens[i + size - 1].end()
            text = q[start:end]
            if text.endswith(("'s", "’s")):
                text = text[:-2]
            folded = fold(text)
            if not folded or folded in NOT_NAMES or _YEAR.fullmatch(text):
                continue
            is_code = text.isupper() and len(text) >= 2 and not text.isdigit()
            hits = tuple(lookup.exact(text, code=is_code))
            if hits:
                found.append(Mention(text, start, end, hits))
                for j in range(i, i + size):
                    used[j] = True
    return sorted(found, key=lambda m: m.start)


def read(question: str, lookup: Lookup) -> Reading:
    """Everything the rules find in `question`, in the order it is written."""
    q = " ".join(question.split())
    folded = fold(q)
    reading = Reading(q, folded, folded.split(" ") if folded else [])
    dates, spans = _dates(q)
    reading.dates = [d for _, d in dates]
    for m in _YEAR.finditer(q):
        if any(s <= m.start() < e for s, e in spans):
            continue
        year = int(m.group(1))
        (reading.decades if m.group(2) and year % 10 == 0 else reading.years).append(year)
    _period(reading, q)
    _enums(reading)
    place = re.search(r"\bsigned\s+(?:in|at)\s+([A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)", q)
    if place and not _YEAR.fullmatch(place.group(1)):
        reading.place = place.group(1)
    reading.mentions = _mentions(q, lookup, spans + ([place.span(1)] if reading.place and place else []))
    return reading
