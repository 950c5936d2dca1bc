"""`/dataset`: what a release is made of (VoID/DCAT), the licence and citation of every source, downloads.

The page reads the `description` graph the build writes, so it says what void.ttl says; the files of the
release (N-Quads, TriG, Turtle, JSON-LD, void.ttl, release.json, the build report) are served from the release
directory at /releases/<version>/<file>, the URLs the VoID description gives as void:dataDump.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, request, send_file

from foedus.graph import layout
from foedus.server import errors
from foedus.server.context import state
from foedus.server.describe import graph_name
from foedus.server.http import conditional
from foedus.server.page_queries import run_select
from foedus.server.resources import HTML, OFFERED, SUFFIX
from foedus.sparql.formats import negotiate

bp = Blueprint("dataset", __name__)

# The files of a release a visitor may download, with their media types and what each is for.
DOWNLOADS: tuple[tuple[str, str, str], ...] = (
    (layout.NQUADS, "application/n-quads", "every named graph, N-Quads (one statement per line, graph kept)"),
    (layout.TRIG, "application/trig", "every named graph, TriG"),
    (layout.TURTLE, "text/turtle", "the union of all graphs, Turtle"),
    (layout.JSONLD, "application/ld+json", "the union of all graphs, JSON-LD"),
    (layout.VOID, "text/turtle", "this description: VoID and DCAT"),
    (layout.RELEASE_JSON, "application/json", "version, triples per graph, sources, entity counts"),
    (layout.REPORT_MD, "text/markdown", "the build report: sources, checks, warnings"),
    (layout.REPORT_JSON, "application/json", "the build report, for programs"),
)
_MEDIA = {name: media for name, media, _ in DOWNLOADS}


def release_dir() -> Path | None:
    """The directory of the release being served (None when serving files or a remote store)."""
    st = state()
    if st.info is not None and st.info.source and Path(st.info.source).is_dir():
        return Path(st.info.source)
    latest = layout.latest(Path(st.settings.releases))
    return latest if (latest / layout.RELEASE_JSON).is_file() else None


def _first(rows: list[dict[str, Any]], key: str) -> str:
    for row in rows:
        if key in row:
            return str(row[key].value)
    return ""


def description() -> dict[str, Any]:
    """The release's dataset and one entry per named graph, from the description graph (or the counts)."""
    st = state()
    top = run_select("dataset-description")
    subsets = run_select("dataset-subsets")
    graphs: dict[str, dict[str, Any]] = {}
    for row in subsets:
        entry = graphs.setdefault(
            row["graph"].value, {"graph": row["graph"].value, "dataset": row["s"].value}
        )
        for key in ("title", "licence", "cite", "landing", "version", "triples"):
            if key in row and key not in entry:
                entry[key] = row[key].value
    counts = st.info.graphs if st.info is not None else {}
    for graph, count in counts.items():
        graphs.setdefault(graph, {"graph": graph}).setdefault("triples", str(count))
    for entry in graphs.values():
        entry["name"] = graph_name(entry["graph"])
    return {
        "iri": _first(top, "d"),
        "title": _first(top, "title") or "Foedus",
        "licence": _first(top, "licence"),
        "version": _first(top, "version") or (st.info.version if st.info else ""),
        "issued": _first(top, "issued"),
        "endpoint": _first(top, "endpoint"),
        "graphs": sorted(graphs.values(), key=lambda g: g["name"]),
    }


def downloads() -> list[dict[str, Any]]:
    """The release files present on disk, with size and media type."""
    folder = release_dir()
    if folder is None:
        return []
    version = state().info.version if state().info is not None else "latest"
    found = []
    for name, media, what in DOWNLOADS:
        path = folder / name
        if path.is_file():
            found.append(
                {
                    "name": name,
                    "media": media,
                    "what": what,
                    "bytes": path.stat().st_size,
                    "url": f"{request.script_root}/releases/{version}/{name}",
                }
            )
    return found


@bp.route("/dataset", methods=["GET", "HEAD"])
def dataset() -> Response:
    """The dataset page; Turtle (void.ttl) for clients that ask for RDF."""
    fmt = negotiate(
        OFFERED, request.headers.get("Accept"), request.args.get("format"), "the dataset description"
    )
    folder = release_dir()
    void = folder / layout.VOID if folder is not None else None
    if fmt.key != HTML.key and (void is None or not void.is_file() or fmt.key != "turtle"):
        raise errors.not_acceptable(["text/html", "text/turtle"], "the dataset description")

    def body() -> Response:
        if void is not None and fmt.key != HTML.key:
            response = send_file(void, mimetype="text/turtle")
            response.headers["Content-Location"] = f"{request.script_root}/dataset.{SUFFIX['turtle']}"
            return response
        text = render_template("dataset.html", d=description(), downloads=downloads())
        return Response(text, 200, content_type="text/html; charset=utf-8")

    return conditional("dataset-" + fmt.key, body)


@bp.route("/releases/<version>/<name>", methods=["GET", "HEAD"])
def download(version: str, name: str) -> Response:
    """One file of the served release (its own version or `latest`); other versions are not kept here."""
    st = state()
    folder = release_dir()
    current = st.info.version if st.info is not None else None
    if (
        folder is None
        or name not in _MEDIA
        or version not in ("latest", current)
        or not (folder / name).is_file()
    ):
        raise errors.not_found(
            f"this server serves the files of release {current or '(none)'} only: {', '.join(_MEDIA)}"
        )
    response = send_file(
        folder / name,
        mimetype=_MEDIA[name],
        as_attachment=name.startswith("foedus."),
        download_name=name,
        conditional=True,
        max_age=3600,
    )
    return response
