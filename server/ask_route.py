"""Routing a question to a saved query: question + catalog + entity lookup -> ranked candidates (query, parameters,
confidence, explanation). A pure function: no server, no store, no model, no network.

Each saved query is scored by rules (cue words per query, below), by the words its own title, description and tags
share with the question (weighted by how rare they are in the catalog), and by how well the question fills its
typed parameters: entities through the label index by the kind the parameter's class wants, dates and years by rule
(a year where a day is wanted becomes its first day, and the explanation says so), enum words by rule. A parameter
that cannot be filled, or an entity name that means several things then (Germany in 1960), is reported, never
guessed: such a candidate is not `ready`, and the page offers the choices instead of an answer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from foedus.queries.catalog import Catalog, SavedQuery
from foedus.queries.params import Param
from foedus.server.ask_read import Found, Lookup, Mention, Reading, read
from foedus.sparql.text_match import fold

FO = "https://w3id.org/foedus/ontology/"
# The index kinds an IRI parameter takes, by its declared class (no class: any named entity).
CLASS_KINDS = {
    FO + "Alliance": ("alliance",),
    FO + "Actor": ("state", "organisation", "actor"),
    FO + "JointExercise": ("instrument",),
}
ANY_KIND = ("state", "alliance", "treaty", "organisation", "instrument", "actor")
EARLIEST = 1800  # a period open to the past starts here (before the first alliance in the data)
# Cue words per saved query (regular expressions over the folded question) and their weight: the rules half.
CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "alliance-members-on-date": ((r"\bmembers?\b|\bparties\b|\bbelonged to\b|\bwho (was|were) in\b", 3.0),),
    "alliance-accession-timeline": ((r"\bjoin(ed|s|ing)?\b|\baccessions?\b|\bacceded\b|\btimeline\b|\bhistory of\b"
                                     r"|\benlargement\b", 4.0),),
    "alliance-obligations": ((r"\bobligations?\b|\bprovisions?\b|\bcommit\w*\b|\boblige\w*\b", 2.5),),
    "alliances-between-states": ((r"\balliances? (between|of both|shared by)\b|\bshared?\b"
                                  r"|\bboth (belonged|members?)\b|\ballied (to|with) each other\b", 3.0),
                                 (r"\ballied\b|\balliances?\b", 1.0)),
    "alliances-by-obligation": ((r"\b(alliances?|pacts?) (that )?(with|having|carry|carrying|have|create)\b", 1.5),
                                (r"\bconditions?\b|\bunconditional\w*\b|\blimited\b|\blocation\b", 1.5)),
    "alliances-ended": ((r"\bend(ed|s)?\b|\bdissolved\b|\bexpired\b|\bcame to an end\b|\bceased\b|\bfinished\b",
                         3.5),),
    "alliances-in-force": ((r"\bin force\b|\bactive\b|\bexist(ed|ing)?\b|\bin effect\b", 2.5),),
    "alliances-still-in-force": ((r"^(?=.*\b(alliances?|pacts?|in force)\b).*\b(still|today|currently|now|oldest)\b",
                                  3.5),),
    "allies-on-date": ((r"\ballied (with|to)\b|\ballies of\b|\b(its|whose) allies\b|\ballies\b", 3.0),),
    "state-allies-over-time": ((r"\ballies\b|\ballied\b", 2.0), (r"\bover time\b|\bever\b|\bhistory\b|\ball\b", 1.5)),
    "longest-allies": ((r"\blongest\b|\blong(est)? standing\b|\bmost enduring\b|\boldest allies\b", 5.0),),
    "class-hierarchy": ((r"\bclass(es)?\b|\bontology\b|\bsubclass\w*\b|\bhierarchy\b", 4.0),),
    "cooperation-between-states": ((r"\bcooperat\w*\b|\btroops\b|\bties\b|\brelations?\b", 3.0),),
    "exercise-partners": ((r"\bexercised (most )?with\b|\b(exercise|exercising) partners?\b|\bpartners?\b"
                           r"|\bmost exercises\b|\bexercis\w*\b.*\bmost\b", 4.0),),
    "exercise-series": ((r"\beditions?\b|\bseries\b|\bover time\b|\bheld\b|\bhistory\b", 2.5),),
    "joint-exercises": ((r"\bexercis\w*\b|\bdrills?\b|\bmanoeuvres?\b", 2.5),),
    "military-diplomacy-between-states": ((r"\bmilitary diplomacy\b|\binstruments?\b|\bagreements?\b|\bdcas?\b"
                                           r"|\bintelligence\b|\bhot ?lines?\b|\bdialogues?\b|\battaches?\b"
                                           r"|\btraining\b|\barms\b|\bliaison\b|\bexercis\w*\b", 2.5),),
    "outside-integrated-command": ((r"\bintegrated\b|\bmilitary (command|structure)\b|\boutside\b", 5.0),),
    "political-shifts": ((r"\bwithdr[ae]w\w*\b|\bsuspen\w+\b|\bterminat\w+\b|\bpolitical shifts?\b|\bleft\b"
                          r"|\bquit\b", 3.5),),
    "source-disagreements": ((r"\bdisagree\w*\b|\bconflicting\b|\bdiffer\w*\b|\bdiscrepanc\w+\b", 5.0),),
    "state-alliances-by-obligation": ((r"\balliances?\b|\bpacts?\b|\bbind\w*\b", 1.0),),
    "state-memberships": ((r"\balliances?\b|\bpacts?\b|\bmemberships?\b|\bmember of\b|\bbelong\w*\b"
                           r"|\bpart of\b", 2.0),),
    "statement-provenance": ((r"\bprovenance\b|\bcomes? from\b|\bsources? (of|for)\b|\bwho says\b", 5.0),),
    "treaties-signed": ((r"\bsigned\b|\bsignatures?\b|\bsigning\b", 4.0), (r"\btreat(y|ies)\b", 1.0)),
    "wikidata-links": ((r"\bwikidata\b|\bq ?ids?\b", 6.0),),
}
# Function words: they say nothing about which query is meant.
STOP = frozenset((
    "the of in on at and or with to from for by a an who what which when where how was were is are did does do has "
    "have had its it their one two any all every that this these those there them they given e g optionally only "
    "as be so s me show list give tell many much"
).split())


@dataclass(frozen=True)
class Ambiguity:
    """A parameter the question names but does not pin down: the text, why, and the entities it may mean."""

    param: str
    text: str
    why: str
    options: tuple[Found, ...]


@dataclass
class Candidate:
    """One reading of the question: a saved query, the parameters chosen (request values), how sure, and why."""

    query: str
    title: str
    params: dict[str, str]
    score: float
    confidence: float = 0.0
    explanation: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    chosen: dict[str, Found] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        """True when every required parameter is filled and no name is in doubt: the query can run as chosen."""
        return not self.missing and not self.ambiguous


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _doc_words(q: SavedQuery) -> set[str]:
    text = " ".join((q.title, q.description, " ".join(q.tags), " ".join(t.replace("-", " ") for t in q.tags)))
    return {_stem(w) for w in fold(text).split(" ") if w and w not in STOP and not w.isdigit()}


def _lexical(reading: Reading, catalog: Catalog) -> dict[str, tuple[float, list[str]]]:
    """Per query: the IDF-weighted share of the question's words its metadata holds, and those words."""
    docs = {q.name: _doc_words(q) for q in catalog}
    asked = {_stem(w) for w in reading.words if w and w not in STOP and not w.isdigit()}
    mentioned = {_stem(w) for m in reading.mentions for w in fold(m.text).split(" ")}
    asked -= mentioned
    idf = {w: math.log((len(docs) + 1) / (1 + sum(w in d for d in docs.values()))) for w in asked}
    total = sum(idf.values()) or 1.0
    return {name: (sum(idf[w] for w in asked & d) / total, sorted(asked & d)) for name, d in docs.items()}


def _year_of(reading: Reading) -> int | None:
    """The year the question is about, for reading names in time (Germany in 1960)."""
    if reading.dates:
        return int(reading.dates[0][:4])
    for y in (*reading.years, reading.since, reading.after, reading.until, reading.before, *reading.decades):
        if y is not None:
            return y
    return None


def _pick(p: Param, m: Mention, kinds: tuple[str, ...], year: int | None,
          lookup: Lookup) -> tuple[Found | None, Ambiguity | None, str]:
    """The one entity of a wanted kind a mention means (by the year where it has several), or the doubt."""
    options = [f for f in m.found if f.kind in kinds]
    if year is not None and options:
        alive = [f for f in options if f.active_in(year) is not False]
        if not alive:
            others = [f for f in lookup.containing(m.text, kinds) if f.active_in(year)]
            if len(others) == 1:
                return others[0], None, f"{m.text!r} in {year} is {others[0].name} ({others[0].period})"
            why = f"{options[0].name} did not exist as such in {year}"
            return None, Ambiguity(p.name, m.text, why, tuple(others or options)), ""
        options = alive
    if len(options) == 1:
        return options[0], None, ""
    heavy = sorted(options, key=lambda f: -f.weight)
    if heavy and heavy[0].weight >= 2 * max(1, heavy[1].weight):
        return heavy[0], None, (f"{m.text!r} is {heavy[0].name}, the one most of the data points at (also the "
                                f"name of {', '.join(f.iri for f in heavy[1:4])})")
    why = f"{m.text!r} names {len(options)} different entities"
    return None, Ambiguity(p.name, m.text, why, tuple(options[:8])), ""


def _span(reading: Reading) -> tuple[int | None, int | None, list[str]]:
    """The first and last year of the period asked about (None where open), with how the words were read."""
    notes: list[str] = []
    lo = reading.since if reading.since is not None else reading.after
    hi = reading.until if reading.until is not None else reading.before
    if lo is None and hi is None:
        if reading.decades:
            lo, hi = reading.decades[0], reading.decades[0] + 9
            notes.append(f"the {lo}s read as {lo} to {hi}")
        elif len(reading.years) >= 2:
            lo, hi = reading.years[0], reading.years[1]
        elif reading.years:
            lo = hi = reading.years[0]
    if reading.after is not None:
        notes.append(f"after {reading.after - 1} read as from {reading.after}")
    if reading.before is not None:
        notes.append(f"before {reading.before + 1} read as up to {reading.before}")
    return lo, hi, notes


def _fill(saved: SavedQuery, reading: Reading, lookup: Lookup, today: dt.date, cand: Candidate,
          given: Mapping[str, str]) -> tuple[float, set[int]]:
    """Fill the query's parameters from the reading; returns the slot score and which mentions were used."""
    score = 0.0
    used: set[int] = set()
    year = _year_of(reading)
    lo, hi, span_notes = _span(reading)
    dates = list(reading.dates)
    for p in saved.params:
        value: str | None = None
        note = ""
        if p.name in given:
            value, note = given[p.name], "given"
        elif p.type == "iri" and p.name not in ("root", "predicate"):
            kinds = CLASS_KINDS.get(p.cls or "", ANY_KIND)
            for i, m in enumerate(reading.mentions):
                if i in used or not any(f.kind in kinds for f in m.found):
                    continue
                used.add(i)
                found, doubt, note = _pick(p, m, kinds, year, lookup)
                if doubt is not None:
                    cand.ambiguous.append(doubt)
                    score += 1.0
                elif found is not None:
                    value = found.iri
                    cand.chosen[p.name] = found
                    note = note or f"{m.text!r} is {found.name}" + (f" ({found.period})" if found.period else "")
                break
        elif p.type == "date" and p.name == "date":
            if dates:
                value = dates.pop(0)
            elif reading.years and lo == hi:  # a year, not a period's bound ("after 2000" is no day)
                y = reading.years[0]
                value, note = f"{y:04d}-01-01", f"the year {y} read as its first day, {y}-01-01"
        elif p.type == "date" and p.name in ("from", "to"):
            if len(reading.dates) >= 2:
                value = reading.dates[0 if p.name == "from" else 1]
            elif p.name == "from" and lo is not None:
                value = f"{lo:04d}-01-01"
            elif p.name == "to" and hi is not None:
                value = f"{hi:04d}-12-31"
            elif p.required and (lo is not None or hi is not None):
                value = f"{EARLIEST}-01-01" if p.name == "from" else today.isoformat()
                note = "open start read as " + value if p.name == "from" else f"open end read as today, {value}"
        elif p.type == "integer" and p.name == "year" and year is not None and (reading.dates or lo == hi):
            value = str(year)  # one year: a period's bound is not "the year"
        elif p.type == "integer" and p.name in ("from", "to"):
            picked = lo if p.name == "from" else hi
            value = None if picked is None else str(picked)
        elif p.type == "enum":
            words = [v for v in reading.enums.get(p.name, []) if v in p.values]
            if words:
                value = words[0]
        elif p.type == "string" and p.name == "place" and reading.place:
            value = reading.place
        if value is not None:
            cand.params[p.name] = value
            score += 1.5 if p.required else 0.7
            cand.explanation.append(f"{p.name} = {value}" + (f": {note}" if note else ""))
        elif p.required and not any(a.param == p.name for a in cand.ambiguous):
            cand.missing.append(p.name)
            score -= 4.0
    if any(k in cand.params for k in ("from", "to")):
        cand.explanation += span_notes
    return score, used


def route(question: str, catalog: Catalog, lookup: Lookup, *, today: dt.date | None = None,
          only: str | None = None, given: Mapping[str, str] | None = None, limit: int = 5) -> list[Candidate]:
    """The saved queries that may answer `question`, best first, each with parameters filled, confidence in [0, 1]
    and an explanation; [] when no query's rules or words fit it (then nothing is answered).

    `only` scores that query alone (a person chose it); `given` are parameter values a person chose (an entity
    picked from the offered candidates) and win over what the rules read.
    """
    reading = read(question, lookup)
    lexical = _lexical(reading, catalog)
    today = today or dt.date.today()
    found: list[Candidate] = []
    for saved in catalog:
        if only is not None and saved.name != only:
            continue
        cue = sum(w for rx, w in CUES.get(saved.name, ()) if re.search(rx, reading.folded))
        share, shared = lexical[saved.name]
        relevance = cue + 4.0 * share
        if (cue == 0 or relevance < 1.5) and only is None:  # a rule must fit: words alone never decide
            continue
        cand = Candidate(saved.name, saved.title, {}, 0.0)
        if shared:
            cand.explanation.append("the question shares the words " + ", ".join(shared) + " with its description")
        slots, used = _fill(saved, reading, lookup, today, cand, given or {})
        ignored = [m for i, m in enumerate(reading.mentions) if i not in used
                   and any(f.kind in ("state", "alliance") for f in m.found)]
        timed = any(saved.param(k).type in ("date", "integer") for k in cand.params)
        untimed = bool(reading.dates or reading.years or reading.decades) and not timed
        cand.score = relevance + slots - 1.0 * len(ignored) - (1.5 if untimed else 0.0)
        if ignored:
            cand.explanation.append("it does not use " + ", ".join(repr(m.text) for m in ignored))
        if untimed:
            cand.explanation.append("it takes no date or year, so the one asked about is not applied")
        found.append(cand)
    found.sort(key=lambda c: (-c.score, c.query))
    for n, cand in enumerate(found):
        runner_up = found[n + 1].score if n + 1 < len(found) else 0.0
        margin = cand.score - runner_up if n == 0 else 0.0
        sure = min(1.0, max(0.0, cand.score) / 9.0)
        cand.confidence = round(sure * (min(1.0, 0.4 + margin / 5.0) if n == 0 else 0.3), 2)
    return found[:limit]
