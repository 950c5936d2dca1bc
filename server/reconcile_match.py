"""Scoring reconciliation candidates: names from the label index, then the query's constraints (a year, codes).

A candidate's score (0-100) starts from how its best name matched (an exact name 100, an exact other name 98, an
exact code 96, the start of a name about 85, whole words about 77, word starts about 67, a close spelling at most
70), is raised by a code that agrees and lowered by one that disagrees, and lowered when a year is given and the
entity did not exist (a state), was not in force (an alliance, an instrument) or was not signed (a treaty) then.
`match` is true only for a candidate that is clearly right: an exact name or code, consistent with every
constraint, and at least 15 points ahead of the next.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any

from foedus.server.label_index import Entity, Hit, LabelIndex
from foedus.sparql.text_match import fold, words

# Reconciliation types: id (the local name of the class in our ontology, schemaSpace + id), name, index kinds.
TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "State": ("State", ("state",)),
    "Alliance": ("Alliance", ("alliance",)),
    "Treaty": ("Treaty", ("treaty",)),
    "InternationalOrganization": ("Organisation", ("organisation",)),
    "Instrument": ("Instrument", ("instrument", "occurrence")),
}
KIND_TYPE = {kind: tid for tid, (_, kinds) in TYPES.items() for kind in kinds}
# Properties a query may constrain by, with the Entity.codes key they compare with ("year" is special).
CODE_PROPERTIES: dict[str, str] = {
    "cowCode": "COW country code",
    "cowLetters": "COW state abbreviation",
    "iso2": "ISO 3166-1 alpha-2 code",
    "iso3": "ISO 3166-1 alpha-3 code",
    "wikidata": "Wikidata item",
    "atopId": "ATOP alliance id",
    "dcadId": "DCAD agreement id",
}
YEAR = "year"
MATCH_AT = 95.0
MATCH_LEAD = 15.0
FUZZY_CUTOFF = 0.84


class QueryError(ValueError):
    """A reconciliation query that cannot be answered as asked (the message names the query and the field)."""


@dataclass
class Candidate:
    """One scored candidate with the reasons behind its score (shown as features and in the description)."""

    hit: Hit
    score: float
    exact: bool
    consistent: bool = True
    features: list[dict[str, Any]] = field(default_factory=list)
    match: bool = False


def _values(v: Any) -> list[str]:
    items = v if isinstance(v, list) else [v]
    out = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("id", item.get("name", ""))
        if item is not None and str(item).strip():
            out.append(str(item).strip())
    return out


def _year(values: list[str], where: str) -> int:
    for value in values:
        text = value[:5] if value.startswith("-") else value[:4]
        if text.lstrip("-").isdigit():
            return int(text)
    raise QueryError(f"{where}: the year must start with a year like 1960, not {values!r}")


def _fuzzy(index: LabelIndex, query: str, kinds: set[str]) -> list[Hit]:
    """Names spelt closely like the query (difflib ratio >= FUZZY_CUTOFF) of the wanted kinds: for typos and
    spelling variants ("Phillipines"), scored below every real match."""
    folded = fold(query)
    if len(folded) < 4:
        return []
    keys = [k for k, names in index.exact.items() if any(index.entities[index.names[n].entity].kind in kinds
                                                          for n in names)]
    hits = []
    for key in difflib.get_close_matches(folded, keys, n=5, cutoff=FUZZY_CUTOFF):
        ratio = difflib.SequenceMatcher(None, folded, key).ratio()
        for n in index.exact[key]:
            name = index.names[n]
            entity = index.entities[name.entity]
            if entity.kind in kinds:
                hits.append(Hit(entity, name, "close", 70 * ratio))
    return hits


def _partial(index: LabelIndex, query: str, kinds: set[str]) -> list[Hit]:
    """Names sharing some whole words with the query, scored by the rare words both hold (an IDF-weighted F1 of
    the query's words and the name's, at most 65): "Kingdom of Hanover" finds "Hanover", "Timor-Leste" "East
    Timor". Used only when no name holds every query word."""
    total = len(index.names) + 1
    wanted = set(words(query))

    def idf(word: str) -> float:
        holders = index.word_holders(word)
        return math.log(total / (1 + len(holders)))

    weights = {w: idf(w) for w in wanted}
    found: dict[int, float] = {}
    for w in wanted:
        if weights[w] < 1.0:  # "of", "the", "republic": too common to find anything by
            continue
        for n in index.word_holders(w):
            found[n] = found.get(n, 0.0) + weights[w]
    hits = []
    q_total = sum(weights.values()) or 1.0
    for n, shared in found.items():
        name = index.names[n]
        entity = index.entities[name.entity]
        if entity.kind not in kinds or name.field not in ("label", "alias"):
            continue
        n_total = sum(idf(w) for w in set(name.folded.split(" "))) or 1.0
        recall, precision = shared / q_total, min(1.0, shared / n_total)
        f1 = 2 * recall * precision / (recall + precision)
        hits.append(Hit(entity, name, "partial", 65 * f1))
    return sorted(hits, key=lambda h: -h.score)[:20]


def kinds_for(type_id: Any, where: str) -> set[str]:
    """The index kinds a query's `type` allows (all five types when none is given)."""
    if type_id in (None, "", []):
        return {k for _, kinds in TYPES.values() for k in kinds}
    ids = type_id if isinstance(type_id, list) else [type_id]
    out: set[str] = set()
    for t in ids:
        t = t.get("id") if isinstance(t, dict) else t
        if t not in TYPES:
            raise QueryError(f"{where}: unknown type {t!r}; known: {', '.join(TYPES)}")
        out.update(TYPES[t][1])
    return out


def _constrain(c: Candidate, pid: str, values: list[str], where: str) -> None:
    e: Entity = c.hit.entity
    if pid == YEAR:
        year = _year(values, where)
        active = e.active_in(year)
        c.features.append({"id": "in_period", "value": bool(active)})
        if active is False:
            c.score -= 40
            c.consistent = False
        elif active is None:
            c.score -= 5
        return
    if pid not in CODE_PROPERTIES:
        raise QueryError(f"{where}: unknown property {pid!r}; known: {', '.join([YEAR, *CODE_PROPERTIES])}")
    held = e.codes.get(pid)
    agrees = held is not None and fold(held) in {fold(v) for v in values}
    c.features.append({"id": pid, "value": agrees})
    if agrees:
        c.score += 25
        c.exact = True
    else:
        c.score -= 50
        c.consistent = False


def _code_rank(c: Candidate) -> int:
    """Among equal scores, a name that is the entity's COW code or letters first: the graph's states are COW's,
    so "AUS" is COW's Austria before ISO's Australia (both are listed, neither matched)."""
    codes = c.hit.entity.codes
    return 0 if c.hit.name.text in (codes.get("cowCode"), codes.get("cowLetters")) else 1


def reconcile(index: LabelIndex, query: dict[str, Any], where: str, default_limit: int = 5) -> list[Candidate]:
    """The candidates for one reconciliation query, best first, with scores in [0, 100] and `match` decided."""
    text = query.get("query", "")
    if not isinstance(text, str):
        raise QueryError(f"{where}.query must be a string")
    limit = query.get("limit", default_limit)
    if not isinstance(limit, int) or limit < 1:
        raise QueryError(f"{where}.limit must be a positive whole number, not {limit!r}")
    kinds = kinds_for(query.get("type"), f"{where}.type")
    props = query.get("properties") or []
    if not isinstance(props, list) or any(not isinstance(p, dict) or "pid" not in p for p in props):
        raise QueryError(f"{where}.properties must be a list of {{pid, v}} objects")
    for p in props:  # every constraint is checked before any search, so a bad one is refused even with no hit
        if p["pid"] == YEAR:
            _year(_values(p.get("v")), f"{where}.properties[{p['pid']}]")
        elif p["pid"] not in CODE_PROPERTIES:
            raise QueryError(f"{where}.properties: unknown property {p['pid']!r}; "
                             f"known: {', '.join([YEAR, *CODE_PROPERTIES])}")
    hits = index.search(text, kinds=kinds, limit=50) if text.strip() else []
    if not hits and text.strip():
        hits = _partial(index, text, kinds) + _fuzzy(index, text, kinds)
    for p in props:  # a code given as a property finds its entity even when the name is spelt otherwise
        if p["pid"] in CODE_PROPERTIES:
            for v in _values(p.get("v")):
                hits += [h for h in index.search(v, kinds=kinds, limit=10) if h.how == "exact"
                         and h.name.field == "code" and h.entity.codes.get(p["pid"]) == h.name.text]
    best: dict[str, Candidate] = {}
    for h in hits:
        c = Candidate(h, h.score, h.how == "exact", features=[{"id": "name", "value": round(h.score, 1)}])
        if fold(h.name.text) != fold(text) and h.name.field == "code":
            c.score = min(c.score, 60)  # found by a property's code only
        for p in props:
            _constrain(c, p["pid"], _values(p.get("v")), f"{where}.properties[{p['pid']}]")
        c.score = max(0.0, min(100.0, c.score))
        held = best.get(h.entity.iri)
        if held is None or c.score > held.score:
            best[h.entity.iri] = c
    ranked = sorted(best.values(), key=lambda c: (-c.score, _code_rank(c), -c.hit.entity.weight, c.hit.entity.name))
    ranked = ranked[:limit]
    if ranked:
        top = ranked[0]
        lead = top.score - (ranked[1].score if len(ranked) > 1 else 0.0)
        top.match = top.exact and top.consistent and top.score >= MATCH_AT and lead >= MATCH_LEAD
    return ranked
