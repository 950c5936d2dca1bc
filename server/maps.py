"""The map: joint exercises of a year or of a series, and US bases abroad, as points on a world map.

The country shapes are world-atlas's Natural Earth 1:110m TopoJSON, drawn in the browser with d3-geo and
topojson-client from the package's vendor/ copy (no tile server, no CDN, works offline). The points come from
/map/data.json, which runs page queries (server/rq/map-*.rq) through the backend: MME v7 exercises (1980-2010,
geocoded), curated exercises whose place has coordinates, and the us-bases sites. Resource pages of an exercise,
an edition, a series or a base show their place on a small map (`places`, server/rq/resource-places.rq).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from pyoxigraph import Literal, NamedNode

from foedus.server import errors
from foedus.server.backend import Row
from foedus.server.describe import FO, curie, graph_name, href, labels_for
from foedus.server.page_queries import iri, run_select
from foedus.server.ui import resolve_ref

bp = Blueprint("maps", __name__)

LAYERS = ("exercises", "bases")
DEFAULT_YEAR = 1995  # the map's first view: a year in the middle of MME's 1980-2010
BASE_KINDS = {FO + "MajorBase": "major base", FO + "LilyPadSite": "lily pad", FO + "HostFundedSite": "host-funded site"}
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_YEAR = re.compile(r"^\d{4}$")
YEAR_SPEC = "https://www.w3.org/TR/xmlschema11-2/#gYear"


def _text(row: Row, key: str) -> str:
    return row[key].value if key in row else ""


def _year(raw: str) -> int | None:
    """A four-digit year from a request, None when blank; 400 otherwise."""
    raw = raw.strip()
    if not raw:
        return None
    if not _YEAR.match(raw):
        raise errors.bad_request(f"year must be a year like 1995, not {raw!r}", YEAR_SPEC)
    return int(raw)


def _layers(raw: list[str]) -> tuple[str, ...]:
    """The layers asked for (`layer=exercises&layer=bases`, or comma-separated); all when none is given."""
    wanted = [w.strip() for value in raw for w in value.split(",") if w.strip()]
    unknown = sorted(set(wanted) - set(LAYERS))
    if unknown:
        raise errors.bad_request(f"unknown layer {', '.join(unknown)}; layers: {', '.join(LAYERS)}",
                                 "https://w3id.org/foedus/map")
    return tuple(layer for layer in LAYERS if layer in wanted) if wanted else LAYERS


def exercise_points(year: int | None = None, series: str | None = None) -> list[dict[str, Any]]:
    """The located joint exercises begun in `year` and/or editions of `series` (all located ones when neither)."""
    values: dict[str, NamedNode | Literal] = {}
    if year is not None:
        values["year"] = Literal(str(year), datatype=XSD_INTEGER)
    if series:
        values["series"] = iri(series, "series")
    rows = run_select("map-exercises", **values)
    series_labels = labels_for({r["s"].value for r in rows if "s" in r})
    points = []
    for row in rows:
        of = _text(row, "s")
        points.append(
            {
                "iri": row["item"].value,
                "href": href(row["item"].value),
                "label": _text(row, "label") or curie(row["item"].value),
                "lat": float(row["latitude"].value),
                "lon": float(row["longitude"].value),
                "start": _text(row, "start"),
                "end": _text(row, "end"),
                "place": _text(row, "place"),
                "participants": int(row["participants"].value),
                "series": of,
                "seriesLabel": series_labels.get(of, curie(of)) if of else "",
                "source": graph_name(row["graph"].value),
            }
        )
    return points


def base_points() -> list[dict[str, Any]]:
    """US bases and sites abroad with coordinates (us-bases), each with its host and kinds."""
    rows = run_select("map-bases")
    hosts = labels_for({r["host"].value for r in rows if "host" in r})
    points = []
    for row in rows:
        host = _text(row, "host")
        points.append(
            {
                "iri": row["base"].value,
                "href": href(row["base"].value),
                "label": _text(row, "label") or curie(row["base"].value),
                "lat": float(row["lat"].value),
                "lon": float(row["long"].value),
                "host": host,
                "hostLabel": hosts.get(host, curie(host)) if host else "",
                "hostHref": href(host) if host else "",
                "kinds": [BASE_KINDS[k] for k in _text(row, "kinds").split() if k in BASE_KINDS],
                "source": graph_name(row["graph"].value),
            }
        )
    return points


def series_choices() -> list[dict[str, Any]]:
    """Exercise series with located editions, by name: for the series picker."""
    choices = [
        {
            "iri": r["s"].value,
            "label": _text(r, "label") or curie(r["s"].value),
            "editions": int(r["editions"].value),
            "first": _text(r, "first"),
            "last": _text(r, "last"),
        }
        for r in run_select("map-series")
    ]
    return sorted(choices, key=lambda c: (c["label"].lower(), c["iri"]))


def places(resource: str) -> list[dict[str, Any]]:
    """The points a resource page shows on its small map: its own place, its series', or its editions'."""
    rows = run_select("resource-places", iri=iri(resource))
    return [
        {
            "iri": r["at"].value,
            "href": href(r["at"].value),
            "label": _text(r, "label"),
            "lat": float(r["lat"].value),
            "lon": float(r["long"].value),
            "how": _text(r, "how"),
        }
        for r in rows
    ]


def map_view(year: int | None, series: str | None, layers: tuple[str, ...]) -> dict[str, Any]:
    """Everything /map draws: the points of each layer asked for, with counts by source."""
    exercises = exercise_points(year, series) if "exercises" in layers else []
    bases = base_points() if "bases" in layers else []
    by_source: dict[str, int] = {}
    for p in exercises:
        by_source[p["source"]] = by_source.get(p["source"], 0) + 1
    return {
        "year": year,
        "series": series or "",
        "seriesLabel": labels_for([series]).get(series, curie(series)) if series else "",
        "layers": list(layers),
        "atlas": url_for("ui.vendor", name="countries-110m.json"),
        "exercises": exercises,
        "bases": bases,
        "counts": {"exercises": len(exercises), "exercisesBySource": by_source, "bases": len(bases)},
    }


def _request_view() -> tuple[int | None, str | None, tuple[str, ...]]:
    """Year, series IRI and layers of a /map or /map/data.json request."""
    year = _year(request.args.get("year", ""))
    ref = request.args.get("series", "").strip()
    series = resolve_ref(ref) if ref else None
    if series:
        iri(series, "series")  # 400 before any query when it is no IRI
    return year, series, _layers(request.args.getlist("layer") + request.args.getlist("layers"))


@bp.route("/map", methods=["GET"])
def map_page() -> str:
    """The map page: a year's or a series' joint exercises and the US bases abroad, with layer toggles."""
    year, series, layers = _request_view()
    if "year" not in request.args and "series" not in request.args:
        year = DEFAULT_YEAR
    src = url_for("maps.map_data", year=year if year is not None else "", series=series or "", layer=list(layers))
    return render_template(
        "map.html", year=year, series=series or "", layers=layers, choices=series_choices(), src=src
    )


@bp.route("/map/data.json", methods=["GET"])
def map_data() -> Response:
    """The points of /map as JSON: `year=`, `series=` (IRI or instrument/<slug>), `layer=` (repeatable)."""
    year, series, layers = _request_view()
    return jsonify(map_view(year, series, layers))
