"""`/ask?question=` and `/text2sparql`: a question in plain words answered by ONE saved query, shown with its
parameters and SPARQL so a person learns the query; when the router is not sure, the choices instead of an answer.

Routing is ask_route.route (pure); this blueprint adapts the label index to it, runs the chosen saved query
through the backend exactly as /api does (typed parameters by substitution, class checks asked of the data), and
renders the answer as a page or as JSON (`format=json` or an Accept preferring JSON). `/text2sparql` answers the
TEXT2SPARQL challenge's shape: the query text with its parameters written in as constants (a VALUES block of the
typed terms in their own N-Triples syntax, written also at each use inside the WHERE group: queries/inline.py
inline_constants), runnable on /sparql with the rows the saved query gives.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request
from pyoxigraph import NamedNode

from foedus.queries.catalog import ParamError, SavedQuery
from foedus.queries.inline import inline_constants
from foedus.queries.run import check_classes, compact
from foedus.server import errors
from foedus.server.api import _is_a, catalog
from foedus.server.ask_read import Found
from foedus.server.ask_route import Candidate, route
from foedus.server.backend import Query
from foedus.server.context import state
from foedus.server.label_index import Entity, LabelIndex, label_index
from foedus.server.resources import href, iri_base
from foedus.server.search import wants_json
from foedus.sparql.formats import RESULT_FORMATS
from foedus.sparql.text_match import fold

bp = Blueprint("ask", __name__)
MAX_QUESTION = 500
SURE = 0.3  # below this confidence the top candidate is offered, not run
HTTP_400 = "https://www.rfc-editor.org/rfc/rfc9110#status.400"
TEXT2SPARQL = "https://text2sparql.aksw.org/"
_QID = re.compile(r"^Q\d+$")
JSON_RESULTS = next(f for f in RESULT_FORMATS if f.key == "json")
RESERVED = ("question", "query", "format")


def _found(e: Entity) -> Found:
    return Found(e.iri, e.name, e.kind, tuple(e.periods), e.period_text(), e.weight)


_BARE: weakref.WeakKeyDictionary[LabelIndex, dict[str, list[int]]] = weakref.WeakKeyDictionary()
_TRAILER = re.compile(r"\s*\([^()]*\)\s*$")


def _bare_names(index: LabelIndex) -> dict[str, list[int]]:
    """Names that end in a parenthesis ("Triple Alliance (1882)"), folded without it; once per index."""
    held = _BARE.get(index)
    if held is None:
        held = {}
        for n, name in enumerate(index.names):
            if name.field in ("label", "alias") and _TRAILER.search(name.text):
                held.setdefault(fold(_TRAILER.sub("", name.text)), []).append(n)
        _BARE[index] = held
    return held


class IndexLookup:
    """The label index as the router's Lookup: exact names (codes only when typed as codes) and word matches.

    A name written with a year or note in parentheses is also found without it: "Triple Alliance" is the
    "Triple Alliance (1882)", where no other name is exactly that.
    """

    def __init__(self, index: LabelIndex) -> None:
        self.index = index

    def exact(self, text: str, *, code: bool) -> Sequence[Found]:
        """Entities one of whose names is `text` once folded; a code or QID counts only when typed as one."""
        seen: dict[str, Found] = {}
        key = fold(text)
        for n in self.index.exact.get(key) or _bare_names(self.index).get(key, []):
            name = self.index.names[n]
            if name.field == "code" and not code or name.field.endswith("wikidata") and not _QID.match(text):
                continue
            entity = self.index.entities[name.entity]
            if not entity.iri.endswith("/place"):  # an MME exercise's place is named by its text, not an entity
                seen.setdefault(entity.iri, _found(entity))
        return list(seen.values())

    def containing(self, text: str, kinds: Sequence[str]) -> Sequence[Found]:
        """Entities of those kinds with a name holding every word of `text` (the search rule), best first."""
        return [_found(h.entity) for h in self.index.search(text, kinds=kinds, limit=30)]


def _question(name: str = "question") -> str:
    q = " ".join(request.args.get(name, "").split())
    if not q:
        raise errors.bad_request(f"parameter {name!r} is required: a question in plain words, e.g. "
                                 f"{name}=Members of NATO on 1990-01-01", HTTP_400)
    if len(q) > MAX_QUESTION:
        raise errors.bad_request(f"parameter {name!r} is {len(q)} characters long; at most {MAX_QUESTION}",
                                 HTTP_400)
    return q


def _given(saved: SavedQuery | None) -> dict[str, str]:
    """Parameter values a person chose from the offered candidates (only those of the chosen query)."""
    if saved is None:
        return {}
    names = {p.name for p in saved.params}
    return {k: v for k, v in request.args.items() if k in names and k not in RESERVED and v}


def _ask_link(question: str, query: str, params: dict[str, str]) -> str:
    return "/ask?" + urlencode({"question": question, "query": query, **params})


def _bind(cand: Candidate) -> tuple[SavedQuery, Any]:
    saved = catalog().queries[cand.query]
    subs = saved.bind(cand.params)
    check_classes(_is_a, saved, subs)
    return saved, subs


def _run(cand: Candidate) -> dict[str, Any]:
    """Run the chosen saved query through the backend (as /api does) and return its SPARQL JSON result."""
    st = state()
    saved, subs = _bind(cand)
    outcome = st.backend.answer(Query(saved.text, saved.form, substitutions=subs), JSON_RESULTS, st.limits)
    result: dict[str, Any] = json.loads(outcome.body)
    result["truncated"] = outcome.truncated
    result["sparql"] = saved.text
    result["bound_sparql"] = inline_constants(saved.text, subs)
    return result


def _candidate_json(question: str, cand: Candidate) -> dict[str, Any]:
    doubts = [{"param": a.param, "text": a.text, "why": a.why,
               "options": [{"iri": o.iri, "href": href(o.iri), "name": o.name, "kind": o.kind, "period": o.period,
                            "ask": _ask_link(question, cand.query, cand.params | {a.param: o.iri})}
                           for o in a.options]} for a in cand.ambiguous]
    return {"query": cand.query, "title": cand.title, "params": cand.params, "confidence": cand.confidence,
            "ready": cand.ready, "explanation": cand.explanation, "missing": cand.missing, "ambiguous": doubts,
            "ask": _ask_link(question, cand.query, cand.params),
            "api": f"/api/{cand.query}" + ("?" + urlencode(cand.params) if cand.params else "")}


def _instead(question: str, cand: Candidate, param: str, lookup: IndexLookup) -> dict[str, Any] | None:
    """When the entity chosen for `param` is not of the class the query wants (a treaty family named like an
    alliance), the entities with names holding its name that are: offered, each as a link, never taken."""
    refused = cand.chosen.get(param)
    cls = catalog().queries[cand.query].param(param).cls
    if refused is None or cls is None:
        return None
    near = [f for f in lookup.containing(refused.name, (refused.kind,)) if f.iri != refused.iri][:8]
    fits = [f for f in near if _is_a(NamedNode(f.iri), cls)]
    if not fits:
        return None
    return {"param": param, "text": refused.name, "why": f"{refused.name} is not a {compact(cls)}",
            "options": [{"iri": o.iri, "href": href(o.iri), "name": o.name, "kind": o.kind, "period": o.period,
                         "ask": _ask_link(question, cand.query, cand.params | {param: o.iri})} for o in fits]}


def answer_question(question: str, only: str | None = None) -> dict[str, Any]:
    """The whole answer to a question: status, the chosen query's rows, and every candidate considered."""
    if only is not None and catalog().get(only) is None:
        raise errors.not_found(f"no saved query named {only!r}; see /api for the list")
    lookup = IndexLookup(label_index())
    cands = route(question, catalog(), lookup, only=only, given=_given(catalog().get(only or "")))
    body: dict[str, Any] = {"question": question, "status": "no-match", "answer": None,
                            "candidates": [_candidate_json(question, c) for c in cands]}
    if not cands:
        body["message"] = ("no saved query fits this question; nothing was run. The saved queries are listed at "
                           "/api")
        return body
    top = cands[0]
    if not top.ready or (top.confidence < SURE and only is None):
        body["status"] = "not-sure"
        reasons = [f"{a.why}: which one?" for a in top.ambiguous]
        reasons += [f"the question does not give {m!r}" for m in top.missing]
        if not reasons:
            reasons = [f"the best query, {top.query}, fits only weakly (confidence {top.confidence})"]
        body["message"] = "; ".join(reasons) + ". Nothing was run; choose below."
        return body
    try:
        result = _run(top)
    except ParamError as exc:
        body["status"] = "not-sure"
        body["message"] = f"parameter {exc.param!r} {exc.message}. Nothing was run; choose below."
        doubt = _instead(question, top, exc.param, lookup)
        if doubt:
            body["candidates"][0]["ambiguous"].append(doubt)
        return body
    body["status"] = "answered"
    body["answer"] = _candidate_json(question, top) | result
    return body


@bp.route("/ask", methods=["GET"])
def ask() -> Response | str:
    """A question answered by one saved query, with its parameters and SPARQL; or the choices when not sure."""
    raw = request.args.get("question", "")
    as_json = wants_json()
    if not raw.strip() and not as_json and "question" not in request.args:
        return render_template("ask.html", question="", body=None)
    question = _question()
    body = answer_question(question, request.args.get("query") or None)
    if as_json:
        return jsonify(body)
    return render_template("ask.html", question=question, body=body)


def our_dataset() -> str:
    """The IRI of the Foedus dataset (the release's VoID/DCAT description names it)."""
    return iri_base() + "id/dataset/foedus"


@bp.route("/text2sparql", methods=["GET"])
def text2sparql() -> Response:
    """The TEXT2SPARQL challenge's endpoint: {dataset, question, query}, the query runnable on /sparql."""
    dataset = request.args.get("dataset", "").strip()
    if not dataset:
        raise errors.bad_request(f"parameter 'dataset' is required; this endpoint answers for {our_dataset()}",
                                 TEXT2SPARQL)
    if dataset != our_dataset():
        raise errors.bad_request(f"parameter 'dataset': {dataset!r} is not served here; this endpoint answers "
                                 f"for {our_dataset()}", TEXT2SPARQL)
    question = _question()
    cands = route(question, catalog(), IndexLookup(label_index()))
    top = cands[0] if cands else None
    if top is None or not top.ready or top.confidence < SURE:
        why = "no saved query fits it" if top is None else (
            "; ".join([a.why for a in top.ambiguous] + [f"it does not give {m!r}" for m in top.missing])
            or f"the best query, {top.query}, fits only weakly")
        raise errors.unanswerable(f"not sure how to answer {question!r}: {why}; see /ask?"
                                  + urlencode({"question": question}) + " for the choices", TEXT2SPARQL)
    try:
        saved, subs = _bind(top)
    except ParamError as exc:
        raise errors.bad_request(f"parameter {exc.param!r} {exc.message}", TEXT2SPARQL) from None
    return jsonify({"dataset": dataset, "question": question, "query": inline_constants(saved.text, subs)})
