"""`/ontology`: the ontology's IRI. Browsers get the pyLODE documentation, programs the ontology in RDF.

The HTML is the output of `foedus.ontology.docs.build_docs`: taken from the release when the build put it
there (`<release>/ontology-docs/index.html`), else generated into a temporary directory: by `foedus serve` in the
gunicorn master before the workers fork (about a second; every worker shares the pages), or else on the first
request (apps made by tests that never open /ontology never pay).
Terms (`/ontology/<Term>`) are dereferenced by resources.py like every other IRI of ours.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request, send_file
from pyoxigraph import RdfFormat, parse, serialize

from foedus.server import errors
from foedus.server.context import state
from foedus.server.http import Version, conditional
from foedus.server.resources import BY_SUFFIX, HTML, OFFERED, SUFFIX
from foedus.sparql.formats import Format, negotiate
from foedus.vocab import PREFIXES

bp = Blueprint("ontology_docs", __name__)

EXTENSION_KEY = "foedus.ontology_docs"
_LOCK = threading.Lock()
_EXT_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _release_docs() -> Path | None:
    """The docs the build wrote into the served release, if any."""
    st = state()
    source = st.info.source if st.info is not None else ""
    for candidate in ([Path(source)] if source else []) + [Path(st.settings.releases) / "latest"]:
        index = candidate / "ontology-docs" / "index.html"
        if index.is_file():
            return index.parent
    return None


def prepare_docs(app: Flask) -> Path:
    """Build the documentation pages for `app` now (about a second) rather than on the first /ontology request."""
    with app.app_context():
        return docs_dir()


def docs_dir() -> Path:
    """The directory holding index.html and extensions/*.html: the release's, else built once now."""
    found = _release_docs()
    if found is not None:
        return found
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _LOCK:
        built: Path | None = app.extensions.get(EXTENSION_KEY)
        if built is None or not (built / "index.html").is_file():
            from foedus.ontology.docs import build_docs

            built = Path(tempfile.mkdtemp(prefix="foedus-ontology-docs-"))
            build_docs(built)
            app.extensions[EXTENSION_KEY] = built
    return built


def _html() -> Response:
    """The documentation page, its links to the extensions' pages pointed at where we serve them."""
    text = (docs_dir() / "index.html").read_text(encoding="utf-8")
    text = text.replace('href="extensions/', f'href="{request.script_root}/ontology-docs/extensions/')
    return Response(text, 200, content_type="text/html; charset=utf-8")


def _rdf(fmt: Format) -> Response:
    """The core ontology (ontology/foedus.ttl) in the asked RDF format."""
    from foedus.ontology.codegen import core_path

    assert fmt.rdf is not None
    path = core_path()
    if fmt.rdf == RdfFormat.TURTLE:
        body = path.read_bytes()
    else:
        triples = list(parse(path=str(path), format=RdfFormat.TURTLE))
        if fmt.rdf.supports_datasets:
            from pyoxigraph import DefaultGraph, Quad

            body = (
                serialize(
                    [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples], format=fmt.rdf
                )
                or b""
            )
        else:
            body = serialize(triples, format=fmt.rdf, prefixes=PREFIXES) or b""
    return Response(body, 200, content_type=fmt.content_type)


@bp.route("/ontology", methods=["GET", "HEAD"])
@bp.route("/ontology.<suffix>", methods=["GET", "HEAD"])
def ontology(suffix: str | None = None) -> Response:
    """The ontology IRI: documentation for browsers, Turtle/JSON-LD/N-Triples/RDF/XML by Accept or suffix."""
    if suffix is not None:
        if suffix not in BY_SUFFIX:
            raise errors.not_found(
                f"no representation .{suffix}; try " + ", ".join("." + s for s in SUFFIX.values()),
                errors.HTTP_SEMANTICS,
            )
        fmt = BY_SUFFIX[suffix]
    else:
        fmt = negotiate(OFFERED, request.headers.get("Accept"), request.args.get("format"), "the ontology")

    def body() -> Response:
        response = _html() if fmt.key == HTML.key else _rdf(fmt)
        response.headers["Content-Location"] = f"{request.script_root}/ontology.{SUFFIX[fmt.key]}"
        return response

    from foedus.ontology.codegen import core_path

    source = docs_dir() / "index.html" if fmt.key == HTML.key else core_path()
    return conditional(fmt.key, body, negotiated=suffix is None, version=file_version(source))


def file_version(path: Path) -> Version:
    """A file's validators: a hash of its bytes (the ETag stem) and its modification time."""
    stat = path.stat()
    return _hashed(str(path), stat.st_mtime_ns, stat.st_size), datetime.fromtimestamp(int(stat.st_mtime), tz=UTC)


@functools.cache
def _hashed(path: str, mtime_ns: int, size: int) -> str:
    """The hash of a file's bytes, computed once per version of the file (mtime and size key the cache)."""
    return "file-" + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


@bp.route("/ontology-docs/extensions/<name>.html", methods=["GET"])
def extension_docs(name: str) -> Response:
    """The documentation page of one ontology extension."""
    path = docs_dir() / "extensions" / f"{name}.html"
    if not _EXT_NAME.match(name) or not path.is_file():
        raise errors.not_found(f"no ontology extension {name!r}", errors.HTTP_SEMANTICS)
    return send_file(path, mimetype="text/html")
