"""The label index: every label, alias, code and Wikidata QID of the release, folded, for search and reconciliation.

Oxigraph has no text index and a CONTAINS scan over every literal is slow, so the server reads the names once (five
page queries in server/rq/label-index-*.rq, through the endpoint's executor) into a sorted word list; a lookup is a
binary search per query word and an intersection. Each entry knows its kind (state, alliance, treaty, organisation,
instrument, ...), a size signal (how many resources point at it), its codes and when it existed. `foedus serve`
builds it once in the gunicorn master before the workers fork (prepare_index), so they share it copy-on-write and
no first request waits for it; elsewhere (tests, remote mode) it is built on first use. It is built again when an
update changes the data (the data's generation).
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from foedus.sparql.text_match import fold, words

if TYPE_CHECKING:
    from flask import Flask

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FO = "https://w3id.org/foedus/ontology/"
OWL = "http://www.w3.org/2002/07/owl#"
WD = "http://www.wikidata.org/entity/"
PROV_LOCATION = "http://www.w3.org/ns/prov#Location"
LABEL_PREDICATES = {RDFS + "label", SKOS + "prefLabel", "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name"}
ALIAS_PREDICATES = {SKOS + "altLabel"}
# Code predicates and the key each is known by in answers (reconciliation properties, extend).
CODE_PREDICATES = {
    FO + "cowCode": "cowCode",
    FO + "cowLetters": "cowLetters",
    FO + "iso3166Alpha2": "iso2",
    FO + "iso3166Alpha3": "iso3",
    FO + "atopId": "atopId",
    FO + "dcadId": "dcadId",
    FO + "cowAllianceId": "cowAllianceId",
    FO + "cow4AllianceId": "cow4AllianceId",
}
# The order kinds are listed in when their matches score the same.
KIND_ORDER = ("state", "alliance", "organisation", "treaty", "instrument", "occurrence", "actor", "class", "property",
              "place")
# Points off a kind's matches: an exercise's place (id/instrument/mme-847/place) is named by the text MME gives for
# where it was held ("West Germany"), so the thing of that name (the state, through its alias) ranks above it.
KIND_PENALTY = {"place": 5}
FIELD_PENALTY = {"label": 0, "alias": 2, "code": 4, "wikidata": 4, "close-wikidata": 8}
MATCH_SCORE = {"exact": 100, "prefix": 90, "words": 80, "word-prefix": 70}


@dataclass
class Entity:
    """One indexed resource: its IRI, preferred name, kind, size signal, codes and periods."""

    iri: str
    name: str = ""
    kind: str = "other"
    weight: int = 0
    codes: dict[str, str] = field(default_factory=dict)
    periods: list[tuple[str, str | None]] = field(default_factory=list)

    def period_text(self) -> str:
        """When it existed, e.g. "1816–1945, 1990–" for a state or "1949–" for an alliance ("" when unknown)."""
        spans = sorted(set(self.periods), key=lambda p: (p[0], p[1] or "9999"))
        if not spans:
            return ""
        if self.kind == "treaty":
            return "signed " + spans[0][0][:4]
        if self.kind != "state":
            start = min(s for s, _ in spans)
            ends = [e for _, e in spans]
            end = None if any(e is None for e in ends) else max(e for e in ends if e)
            spans = [(start, end)]
        return ", ".join(f"{s[:4]}–{e[:4] if e else ''}" for s, e in spans)

    def active_in(self, year: int) -> bool | None:
        """True when one of its periods covers `year`; None when no period is known."""
        if not self.periods:
            return None
        for start, end in self.periods:
            if int(start[:4].lstrip("-") or 0) <= year and (end is None or year <= int(end[:4])):
                return True
        return False


@dataclass(frozen=True)
class Name:
    """One name of an entity: the text as written, folded, and what kind of name it is (label, alias, code...)."""

    entity: int
    text: str
    folded: str
    field: str
    lang: str


@dataclass(frozen=True)
class Hit:
    """A search answer: the entity, the name that matched, how it matched and its score (0-100)."""

    entity: Entity
    name: Name
    how: str
    score: float


def _kind(iri: str, types: set[str], base: str) -> str:
    if PROV_LOCATION in types:
        return "place"
    if iri.startswith(base + "id/"):
        segment = iri[len(base) + 3 :].split("/", 1)[0]
        if segment == "actor":
            if FO + "State" in types:
                return "state"
            return "organisation" if FO + "InternationalOrganization" in types else "actor"
        return segment
    if OWL + "Class" in types:
        return "class"
    if types & {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty"}:
        return "property"
    return "other"


class LabelIndex:
    """Names of every labelled resource, searchable by folded whole words and word prefixes."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.names: list[Name] = []
        self.by_iri: dict[str, int] = {}
        self.exact: dict[str, list[int]] = defaultdict(list)
        self._words: list[str] = []
        self._word_names: list[int] = []

    def _entity(self, iri: str) -> int:
        n = self.by_iri.get(iri)
        if n is None:
            n = self.by_iri[iri] = len(self.entities)
            self.entities.append(Entity(iri))
        return n

    def _add_name(self, entity: int, text: str, kind: str, lang: str = "") -> None:
        folded = fold(text)
        if folded:
            self.names.append(Name(entity, text, folded, kind, lang))

    def _finish(self) -> None:
        pairs = sorted((w, n) for n, name in enumerate(self.names) for w in set(name.folded.split(" ")))
        self._words = [w for w, _ in pairs]
        self._word_names = [n for _, n in pairs]
        for n, name in enumerate(self.names):
            self.exact[name.folded].append(n)

    def _names_with_prefix(self, prefix: str) -> set[int]:
        lo = bisect_left(self._words, prefix)
        hi = bisect_left(self._words, prefix + "\uffff", lo)
        return set(self._word_names[lo:hi])

    def word_holders(self, word: str) -> list[int]:
        """Indexes of the names that hold `word` (folded) as a whole word."""
        lo = bisect_left(self._words, word)
        hi = bisect_left(self._words, word + " ", lo)
        return self._word_names[lo:hi]

    def candidates(self, query: str) -> set[int]:
        """Indexes of the names matching `query` (text_match.matches: every query word starts a word of the name)."""
        wanted = sorted(set(words(query)), key=len, reverse=True)
        if not wanted:
            return set()
        found = self._names_with_prefix(wanted[0])
        for w in wanted[1:]:
            if not found:
                break
            found &= self._names_with_prefix(w)
        return found

    def score(self, name: Name, folded_query: str, query_words: list[str]) -> tuple[str, float]:
        """How `name` matches the folded query and its score: exact > prefix of the name > whole words > prefixes."""
        if name.folded == folded_query:
            how = "exact"
        elif name.field in ("code", "wikidata", "close-wikidata"):
            how = "word-prefix"  # a code counts when it is typed in full; a prefix of one ranks last
        elif name.folded.startswith(folded_query):
            how = "prefix"
        else:
            have = set(name.folded.split(" "))
            how = "words" if all(q in have for q in query_words) else "word-prefix"
        extra = max(0, len(name.folded) - len(folded_query))
        return how, MATCH_SCORE[how] - FIELD_PENALTY[name.field] - (min(8.0, extra / 4) if how != "exact" else 0)

    def search(self, query: str, *, kinds: Iterable[str] | None = None, limit: int = 20) -> list[Hit]:
        """The best-matching entities for `query`, one hit each (its best name), best first."""
        folded = fold(query)
        query_words = folded.split(" ") if folded else []
        wanted_kinds = set(kinds) if kinds else None
        best: dict[int, Hit] = {}
        for n in self.candidates(query):
            name = self.names[n]
            entity = self.entities[name.entity]
            if wanted_kinds is not None and entity.kind not in wanted_kinds:
                continue
            how, score = self.score(name, folded, query_words)
            score -= KIND_PENALTY.get(entity.kind, 0)
            held = best.get(name.entity)
            if held is None or score > held.score:
                best[name.entity] = Hit(entity, name, how, score)
        order = {k: i for i, k in enumerate(KIND_ORDER)}
        return heapq.nsmallest(
            limit,
            best.values(),
            key=lambda h: (-h.score, order.get(h.entity.kind, len(order)), -h.entity.weight, h.entity.name),
        )

    def entity(self, iri: str) -> Entity | None:
        """The indexed entity with this IRI, if any."""
        n = self.by_iri.get(iri)
        return None if n is None else self.entities[n]

    def stats(self) -> dict[str, Any]:
        """Counts for the bench report and /healthz-style diagnostics."""
        kinds: dict[str, int] = defaultdict(int)
        for e in self.entities:
            kinds[e.kind] += 1
        return {"entities": len(self.entities), "names": len(self.names), "words": len(self._words), "kinds": kinds}


def build_index(
    names: list[dict[str, Any]],
    wikidata: list[dict[str, Any]],
    weights: list[dict[str, Any]],
    periods: list[dict[str, Any]],
    types: list[dict[str, Any]],
    base: str,
) -> LabelIndex:
    """The index from the rows of the label-index-*.rq page queries (pyoxigraph terms by variable)."""
    index = LabelIndex()
    type_sets: dict[str, set[str]] = defaultdict(set)
    for row in types:
        type_sets[row["x"].value].add(row["t"].value)
    preferred: dict[str, tuple[int, str]] = {}
    for row in names:
        iri, pred, lit = row["x"].value, row["p"].value, row["l"]
        text = lit.value.strip()
        if not text:
            continue
        n = index._entity(iri)
        if pred in CODE_PREDICATES:
            index.entities[n].codes[CODE_PREDICATES[pred]] = text
            index._add_name(n, text, "code")
            continue
        kind = "label" if pred in LABEL_PREDICATES else "alias"
        lang = getattr(lit, "language", None) or ""
        index._add_name(n, text, kind, lang)
        rank = (0 if pred == SKOS + "prefLabel" else 1 if pred == RDFS + "label" else 2) if kind == "label" else 3
        rank = rank * 2 + (0 if lang in ("en", "") else 1)
        if iri not in preferred or (rank, text) < preferred[iri]:
            preferred[iri] = (rank, text)
    for row in wikidata:
        found = index.by_iri.get(row["x"].value)
        if found is None:
            continue
        n = found
        qid = row["wd"].value[len(WD) :]
        close = row["p"].value == SKOS + "closeMatch"
        if not close:
            index.entities[n].codes.setdefault("wikidata", qid)
        index._add_name(n, qid, "close-wikidata" if close else "wikidata")
    for row in weights:
        found = index.by_iri.get(row["x"].value)
        if found is not None:
            index.entities[found].weight = int(row["n"].value)
    for row in periods:
        found = index.by_iri.get(row["x"].value)
        if found is not None:
            end = row["end"].value if "end" in row else None
            index.entities[found].periods.append((row["start"].value, end))
    for entity in index.entities:
        entity.name = preferred.get(entity.iri, (0, entity.codes.get("cowLetters", entity.iri)))[1]
        entity.kind = _kind(entity.iri, type_sets.get(entity.iri, set()), base)
    index._finish()
    return index


_LOCK = threading.Lock()
EXTENSION = "foedus.label_index"


def label_index() -> LabelIndex:
    """The index of the app handling this request: built on first use, again after an update changed the data."""
    from flask import current_app

    from foedus.server.context import state
    from foedus.server.describe import iri_base
    from foedus.server.page_queries import run_select

    st = state()
    info = st.backend.info()
    key = (id(st.backend), info.generation if info else 0)
    held = current_app.extensions.get(EXTENSION)
    if held is not None and held[0] == key:
        return held[1]
    with _LOCK:
        held = current_app.extensions.get(EXTENSION)
        if held is not None and held[0] == key:
            return held[1]
        index = build_index(
            run_select("label-index-names"),
            run_select("label-index-wikidata"),
            run_select("label-index-weights"),
            run_select("label-index-periods"),
            run_select("label-index-types"),
            iri_base(),
        )
        current_app.extensions[EXTENSION] = (key, index)
        return index


def prepare_index(app: Flask) -> LabelIndex | None:
    """Build `app`'s label index now, in the process that forks the workers, so they inherit it instead of each
    building its own at its first search; then stop the query helpers the build forked here (each worker forks its
    own). Embedded data only: a remote store may change under us or be down at start-up (then first use builds it)."""
    from foedus.server.context import state
    from foedus.server.query_pool import reset_pools

    with app.app_context():
        if state().mode != "embedded":
            return None
        index = label_index()
    reset_pools()
    return index
