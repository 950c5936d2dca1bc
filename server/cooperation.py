"""Military cooperation of a state, or between two states: joint exercises by year, US troop presence over the
years, defence-cooperation agreements and (for two states) the alliances they shared.

State pages (/id/state/N) show it for one state, `/dyad?a=2&b=740` for a pair; both draw their charts from
`/cooperation/data.json?a=...[&b=...]`. Everything is read by page queries (server/rq/exercises-by-year.rq,
us-troops-in-host.rq, us-troops-abroad.rq, cooperation-agreements.rq) and one saved query
(queries/alliances-between-states.rq), through the backend, values bound as terms.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from foedus.server import errors
from foedus.server.backend import Row
from foedus.server.describe import curie, graph_name, href, iri_base, labels_for
from foedus.server.page_queries import iri, run_saved, run_select
from foedus.server.ui import resolve_ref

bp = Blueprint("cooperation", __name__)

USA = 2  # the COW code of the United States: troopdata counts its troops abroad
_CODE = re.compile(r"^\d{1,4}$")
SPEC = "https://w3id.org/foedus/ontology"


def _text(row: Row, key: str) -> str:
    return row[key].value if key in row else ""


def usa() -> str:
    """The IRI of the United States under this server's iri_base."""
    return iri_base() + f"id/state/{USA}"


def state_ref(raw: str, what: str) -> str:
    """A state's IRI from a COW code (`740`), a key (`state/740`), a local path or an IRI; 400 when it is none."""
    raw = raw.strip()
    if not raw:
        raise errors.bad_request(f"give `{what}`: a state (a COW code such as 740, state/740 or its IRI)", SPEC)
    ref = iri_base() + "id/state/" + raw if _CODE.match(raw) else resolve_ref(raw)
    iri(ref, f"`{what}`")
    return ref


def exercises_by_year(a: str, b: str | None = None) -> dict[str, Any]:
    """Joint exercises of `a` (with `b` too when given) per year and source graph, and in all."""
    values = {"a": iri(a)} | ({"b": iri(b)} if b else {})
    years: dict[int, dict[str, int]] = {}
    for row in run_select("exercises-by-year", **values):
        years.setdefault(int(row["year"].value), {})[graph_name(row["graph"].value)] = int(row["exercises"].value)
    sources = sorted({s for by in years.values() for s in by})
    return {
        "sources": sources,
        "years": [{"year": y, "count": sum(by.values()), "bySource": by} for y, by in sorted(years.items())],
        "total": sum(sum(by.values()) for by in years.values()),
    }


def us_troops(a: str, b: str | None = None) -> dict[str, Any]:
    """US active-duty troops over the years: in `a` (a state page), abroad in all (the USA's page), in the other
    state of a pair with the USA; nothing for a pair without it."""
    us = usa()
    if b is None and a == us:
        rows = run_select("us-troops-abroad")
        years = [{"year": int(r["year"].value), "troops": int(r["total"].value), "hosts": int(r["hosts"].value)}
                 for r in rows]
        return {"kind": "abroad", "host": "", "years": years, "source": "us-troops"}
    host = a if b is None else (b if a == us else a if b == us else "")
    if not host:
        return {"kind": "", "host": "", "years": [], "source": ""}
    rows = run_select("us-troops-in-host", host=iri(host))
    years = [{"year": int(r["year"].value), "troops": int(r["troops"].value)} for r in rows]
    return {"kind": "host", "host": host, "years": years, "source": "us-troops"}


def agreements(a: str, b: str | None = None) -> list[dict[str, Any]]:
    """Defence-cooperation agreements `a` is party to (with `b` when given), DCAD's and the curated core's."""
    values = {"a": iri(a)} | ({"b": iri(b)} if b else {})
    rows = run_select("cooperation-agreements", **values)
    others = {o for r in rows for o in _text(r, "others").split()}
    labels = labels_for(others)
    found = []
    for row in rows:
        partners = sorted(_text(row, "others").split(), key=lambda o: labels.get(o, o))
        found.append(
            {
                "iri": row["item"].value,
                "href": href(row["item"].value),
                "label": _text(row, "label") or curie(row["item"].value),
                "start": _text(row, "start"),
                "end": _text(row, "end"),
                "partners": [{"iri": p, "label": labels.get(p, curie(p)), "href": href(p)} for p in partners],
                "areas": _text(row, "areas"),
                "source": graph_name(row["graph"].value),
            }
        )
    return found


def alliances_between(a: str, b: str) -> list[dict[str, str]]:
    """The alliances both states belonged to at once (saved query alliances-between-states, curated dating)."""
    rows = run_saved("alliances-between-states", stateA=a, stateB=b, dating="curated")
    return [
        {
            "iri": r["alliance"].value,
            "href": href(r["alliance"].value),
            "label": _text(r, "allianceLabel") or curie(r["alliance"].value),
            "from": _text(r, "alliedFrom"),
            "until": _text(r, "alliedUntil"),
            "source": graph_name(r["graph"].value),
        }
        for r in rows
    ]


def cooperation(a: str, b: str | None = None) -> dict[str, Any]:
    """Everything the state page's or the dyad page's cooperation sections show."""
    names = labels_for([a] + ([b] if b else []))
    troops = us_troops(a, b)
    return {
        "a": {"iri": a, "label": names.get(a, curie(a)), "href": href(a)},
        "b": {"iri": b, "label": names.get(b, curie(b)), "href": href(b)} if b else None,
        "exercises": exercises_by_year(a, b),
        "troops": troops | {"hostLabel": names.get(troops["host"], curie(troops["host"])) if troops["host"] else ""},
        "agreements": agreements(a, b),
        "alliances": alliances_between(a, b) if b else [],
        "src": url_for("cooperation.cooperation_data", a=a, b=b or None),
    }


def _pair() -> tuple[str, str | None]:
    a = state_ref(request.args.get("a", ""), "a")
    raw_b = request.args.get("b", "").strip()
    b = state_ref(raw_b, "b") if raw_b else None
    if b == a:
        raise errors.bad_request("`a` and `b` are the same state; give two states", SPEC)
    return a, b


@bp.route("/cooperation/data.json", methods=["GET"])
def cooperation_data() -> Response:
    """Exercises by year, US troops by year, agreements (and shared alliances) of `a`, or of `a` with `b`."""
    a, b = _pair()
    return jsonify(cooperation(a, b))


@bp.route("/dyad", methods=["GET"])
def dyad_page() -> str:
    """Two states side by side: alliances shared, joint exercises by year, US troops, cooperation agreements."""
    if not request.args.get("a") and not request.args.get("b"):
        return render_template("dyad.html", c=None, a="2", b="740")
    a, b = _pair()
    if b is None:
        raise errors.bad_request("give `b` too: the other state of the pair", SPEC)
    return render_template("dyad.html", c=cooperation(a, b), a=request.args["a"], b=request.args["b"])
