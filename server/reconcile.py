"""`/reconcile`: the W3C Reconciliation Service API v0.2 over the label index (OpenRefine and its kin).

GET without parameters is the service manifest; `queries=` (GET or POST form) a batch of reconciliation queries;
`extend=` a data-extension request. Suggest (entities, types, properties), preview and propose_properties have
their own paths under /reconcile/. Identifiers are our IRIs without `https://w3id.org/foedus/id/` (`state/255`),
types the local names of our classes (`State`, `Alliance`, `Treaty`, `InternationalOrganization`, `Instrument`).
Scoring is in reconcile_match.py; alliance memberships for `extend` come from a page query.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from pyoxigraph import Literal, NamedNode

from foedus.server import errors
from foedus.server.describe import iri_base
from foedus.server.http import framable
from foedus.server.label_index import Entity, label_index
from foedus.server.page_queries import run_select
from foedus.server.reconcile_match import CODE_PROPERTIES, KIND_TYPE, TYPES, YEAR, Candidate, QueryError, reconcile

bp = Blueprint("reconcile", __name__)
SPEC = "https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/"
MAX_BATCH = 500
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")
PROPERTIES: dict[str, str] = {YEAR: "year (the state existed, the alliance was in force, the treaty was signed)",
                              **CODE_PROPERTIES, "alliances": "alliance memberships in a year (extend only)"}


def _public_base() -> str:
    return request.url_root.rstrip("/")


def _ident(entity: Entity) -> str:
    base = iri_base() + "id/"
    return entity.iri[len(base):] if entity.iri.startswith(base) else entity.iri


def _entity_of(ident: str) -> Entity | None:
    return label_index().entity(ident if ident.startswith(("http://", "https://")) else iri_base() + "id/" + ident)


def _type_of(entity: Entity) -> list[dict[str, str]]:
    tid = KIND_TYPE.get(entity.kind)
    return [{"id": tid, "name": TYPES[tid][0]}] if tid else []


def describe(entity: Entity) -> str:
    """A line that tells namesakes apart: kind, codes, period."""
    codes = entity.codes
    parts = [entity.kind]
    if "cowCode" in codes:
        parts.append(f"COW {codes['cowCode']} {codes.get('cowLetters', '')}".strip())
    if "atopId" in codes:
        parts.append(f"ATOP {codes['atopId']}")
    if entity.period_text():
        parts.append(entity.period_text())
    return " · ".join(parts)


def _answer(body: Any) -> Response:
    """JSON, or JSONP when the client named a callback (as v0.2 allows for GET)."""
    callback = request.values.get("callback", "")
    if not callback:
        return jsonify(body)
    if not _CALLBACK.match(callback):
        raise errors.bad_request(f"callback must be a JavaScript identifier, not {callback!r}", SPEC)
    return Response(f"{callback}({json.dumps(body)});", mimetype="application/javascript")


def manifest() -> dict[str, Any]:
    """The service manifest: what this service offers and where."""
    base = _public_base()
    return {
        "versions": ["0.2"],
        "name": "Foedus: states, alliances, treaties, organisations and instruments of military diplomacy",
        "identifierSpace": iri_base() + "id/",
        "schemaSpace": iri_base() + "ontology/",
        "documentation": base + "/reconcile/docs",
        "view": {"url": base + "/id/{{id}}"},
        "defaultTypes": [{"id": tid, "name": name} for tid, (name, _) in TYPES.items()],
        "preview": {"url": base + "/reconcile/preview?id={{id}}", "width": 420, "height": 180},
        "suggest": {
            kind: {"service_url": base, "service_path": f"/reconcile/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": base, "service_path": "/reconcile/propose_properties"},
            "property_settings": [
                {"type": "number", "label": "Year", "name": YEAR, "default": 2000,
                 "help_text": "for `alliances`: the memberships in force in this year"},
            ],
        },
    }


def _parse_json(name: str) -> Any:
    try:
        return json.loads(request.values[name])
    except json.JSONDecodeError as exc:
        raise errors.bad_request(f"{name} is not JSON: {exc}", SPEC) from None


def _result(c: Candidate) -> dict[str, Any]:
    e = c.hit.entity
    desc = describe(e) + (f" · matched “{c.hit.name.text}”" if c.hit.name.text != e.name else "")
    return {"id": _ident(e), "name": e.name, "description": desc, "score": round(c.score, 1),
            "match": c.match, "type": _type_of(e), "features": c.features}


def reconcile_batch(queries: Any) -> dict[str, Any]:
    """Answers to a batch {key: query}: {key: {"result": [...]}}, in the order given."""
    if not isinstance(queries, dict) or not queries:
        raise errors.bad_request("queries must be a non-empty JSON object of {key: query}", SPEC)
    if len(queries) > MAX_BATCH:
        raise errors.bad_request(f"queries holds {len(queries)} queries; at most {MAX_BATCH} a batch", SPEC)
    index = label_index()
    out = {}
    for key, query in queries.items():
        if not isinstance(query, dict):
            raise errors.bad_request(f"queries[{key!r}] must be an object with a `query`", SPEC)
        try:
            out[key] = {"result": [_result(c) for c in reconcile(index, query, f"queries[{key!r}]")]}
        except QueryError as exc:
            raise errors.bad_request(str(exc), SPEC) from None
    return out


def _alliances_in(entities: list[Entity], year: int) -> dict[str, list[dict[str, str]]]:
    rows = run_select(
        "reconcile-memberships-in-year",
        state=[NamedNode(e.iri) for e in entities],
        first=Literal(f"{year:04d}-01-01", datatype=XSD_DATE),
        last=Literal(f"{year:04d}-12-31", datatype=XSD_DATE),
    )
    index = label_index()
    found: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        alliance = index.entity(row["a"].value)
        name = alliance.name if alliance else row["a"].value
        ident = _ident(alliance) if alliance else row["a"].value
        found.setdefault(row["state"].value, {})[ident] = {"id": ident, "name": name}
    return {iri: sorted(v.values(), key=lambda a: a["name"]) for iri, v in found.items()}


def extend(request_: Any) -> dict[str, Any]:
    """Data extension: the asked properties of the given entities ({"meta": [...], "rows": {id: {pid: [...]}}})."""
    if not isinstance(request_, dict) or not isinstance(request_.get("ids"), list) \
            or not isinstance(request_.get("properties"), list):
        raise errors.bad_request("extend must be a JSON object with `ids` and `properties` lists", SPEC)
    ids = [str(i) for i in request_["ids"]][:MAX_BATCH]
    entities = {i: _entity_of(i) for i in ids}
    meta: list[dict[str, Any]] = []
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {i: {} for i in ids}
    for prop in request_["properties"]:
        pid = str(prop.get("id")) if isinstance(prop, dict) else ""
        if pid not in CODE_PROPERTIES and pid != "alliances":
            raise errors.bad_request(f"extend.properties: unknown property {pid!r}; known: "
                                     f"{', '.join([*CODE_PROPERTIES, 'alliances'])}", SPEC)
        if pid == "alliances":
            settings = prop.get("settings") or {}
            year = settings.get(YEAR, 2000)
            if not isinstance(year, int) and not str(year).lstrip("-").isdigit():
                raise errors.bad_request(f"extend.properties[alliances].settings.year must be a year, not {year!r}",
                                         SPEC)
            year = int(year)
            members = _alliances_in([e for e in entities.values() if e is not None], year)
            meta.append({"id": "alliances", "name": f"alliance memberships in {year}",
                         "type": {"id": "Alliance", "name": "Alliance"}})
            for i, e in entities.items():
                rows[i]["alliances"] = members.get(e.iri, []) if e else []
            continue
        meta.append({"id": pid, "name": CODE_PROPERTIES[pid]})
        for i, e in entities.items():
            value = e.codes.get(pid) if e else None
            if value is None:
                rows[i][pid] = []
            elif pid in ("cowCode", "atopId") and value.lstrip("-").isdigit():
                rows[i][pid] = [{"int": int(value)}]
            else:
                rows[i][pid] = [{"str": value}]
    return {"meta": meta, "rows": rows}


@bp.route("/reconcile", methods=["GET", "POST"])
def service() -> Response:
    """The manifest, a batch of queries (`queries=`) or a data extension (`extend=`)."""
    if "queries" in request.values:
        return _answer(reconcile_batch(_parse_json("queries")))
    if "extend" in request.values:
        return _answer(extend(_parse_json("extend")))
    return _answer(manifest())


@bp.route("/reconcile/suggest/entity", methods=["GET"])
def suggest_entity() -> Response:
    """Entities whose names start with `prefix` (optionally of one `type`), for autocompletion in a client."""
    prefix = request.args.get("prefix", "")
    cursor = request.args.get("cursor", "0")
    if not cursor.isdigit():
        raise errors.bad_request(f"cursor must be a whole number, not {cursor!r}", SPEC)
    try:
        from foedus.server.reconcile_match import kinds_for

        kinds = kinds_for(request.args.get("type") or None, "type")
    except QueryError as exc:
        raise errors.bad_request(str(exc), SPEC) from None
    hits = label_index().search(prefix, kinds=kinds, limit=int(cursor) + 10)[int(cursor):]
    return _answer({"result": [{"id": _ident(h.entity), "name": h.entity.name, "description": describe(h.entity),
                                "notable": _type_of(h.entity)} for h in hits]})


@bp.route("/reconcile/suggest/type", methods=["GET"])
def suggest_type() -> Response:
    """Our five types whose names start with `prefix`."""
    prefix = request.args.get("prefix", "").casefold()
    return _answer({"result": [{"id": tid, "name": name} for tid, (name, _) in TYPES.items()
                               if name.casefold().startswith(prefix) or tid.casefold().startswith(prefix)]})


@bp.route("/reconcile/suggest/property", methods=["GET"])
def suggest_property() -> Response:
    """The properties a query may constrain by or extend with, whose id or name starts with `prefix`."""
    prefix = request.args.get("prefix", "").casefold()
    return _answer({"result": [{"id": pid, "name": name, "description": name} for pid, name in PROPERTIES.items()
                               if pid.casefold().startswith(prefix) or name.casefold().startswith(prefix)]})


@bp.route("/reconcile/propose_properties", methods=["GET"])
def propose_properties() -> Response:
    """The properties worth fetching for a type."""
    tid = request.args.get("type", "")
    if tid not in TYPES:
        raise errors.bad_request(f"type must be one of {', '.join(TYPES)}, not {tid!r}", SPEC)
    wanted = {"State": ["cowCode", "cowLetters", "iso2", "iso3", "wikidata", "alliances"],
              "Alliance": ["atopId", "wikidata"], "Instrument": ["dcadId", "wikidata"]}.get(tid, ["wikidata"])
    return _answer({"type": tid, "properties": [{"id": p, "name": PROPERTIES[p]} for p in wanted]})


@bp.route("/reconcile/preview", methods=["GET"])
def preview() -> Response:
    """A small HTML card for one entity, to show beside a candidate in the client (which frames it)."""
    ident = request.args.get("id", "")
    entity = _entity_of(ident) if ident else None
    if entity is None:
        raise errors.not_found(f"no entity {ident!r} in the label index (give id=state/255, alliance/nato, ...)")
    page = render_template("reconcile_preview.html", e=entity, ident=_ident(entity), line=describe(entity))
    return framable(Response(page, 200, content_type="text/html; charset=utf-8"))


@bp.route("/reconcile/docs", methods=["GET"])
def docs() -> str:
    """What the service offers, for people (the manifest's `documentation`)."""
    return render_template("reconcile_docs.html", manifest=manifest(), properties=PROPERTIES, types=TYPES)
