"""Remote mode: answer queries from any SPARQL 1.1 store (Virtuoso, Fuseki) and publish a release into one.

Queries go to remote_endpoint by the SPARQL 1.1 Protocol; its answers are parsed and re-serialised by our own
writers, so negotiation, the row cap and the error shape are the same as with the embedded store. `foedus
publish` loads each named graph of a release by the Graph Store Protocol (PUT, replacing the graph) when
remote_graph_store is set, else by SPARQL Update (DROP SILENT GRAPH, then INSERT DATA in batches) at
remote_update_endpoint.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pyoxigraph import (
    BlankNode,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from foedus.errors import ApiError, ConfigError, FoedusError
from foedus.graph import layout
from foedus.queries.inline import inline_values
from foedus.server import errors
from foedus.server.backend import DataInfo, Limits, Outcome, Query, Row, rows_of
from foedus.settings import Settings
from foedus.sparql.formats import Format
from foedus.sparql.results import capped, write_result

# Triples per publishing request. Kept small: a store that challenges for digest auth answers 401 before it has
# read a large body and closes the connection, so the rest of the upload hits a broken pipe (seen with Virtuoso
# under load at 5000 triples); Virtuoso also ran out of memory parsing INSERT DATA of 5000 triples.
BATCH_TRIPLES = 1000
_RESULTS_ACCEPT = "application/sparql-results+json"
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
# How long what we know of the remote data (graphs, counts, version: the ETag) is trusted before asking again.
INFO_SECONDS = 10.0
# The two fixed statements remote mode needs for that: triples per named graph, the published release version.
_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_VERSIONS = (
    "SELECT DISTINCT ?v WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; "
    "<http://www.w3.org/2002/07/owl#versionInfo> ?v }"
)


class PublishError(FoedusError):
    """The remote store refused or could not be reached while publishing."""


def _opener(settings: Settings, url: str) -> urllib.request.OpenerDirector:
    """A URL opener that answers the store's digest or basic challenge with remote_user / remote_password."""
    handlers: list[Any] = []
    if settings.remote_user:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, settings.remote_user, settings.remote_password or "")
        handlers += [
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        ]
    return urllib.request.build_opener(*handlers)


def _send(
    settings: Settings,
    url: str,
    data: bytes,
    content_type: str,
    method: str = "POST",
    accept: str = "*/*",
    timeout: float | None = None,
) -> tuple[bytes, str]:
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": content_type, "Accept": accept}
    )
    with _opener(settings, url).open(request, timeout=timeout or float(settings.query_timeout)) as response:
        return response.read(), response.headers.get_content_type()


class RemoteBackend:
    """Queries answered by a remote SPARQL 1.1 endpoint (settings.remote_endpoint), over HTTP with its timeout.

    Substitutions go as a VALUES block first in the outermost WHERE group (queries/inline.py); the base IRI for
    relative IRIs as a BASE declaration before the query (a later BASE of the query's own still wins).
    """

    mode = "remote"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.endpoint = str(settings.remote_endpoint)
        self._info: DataInfo | None = None
        self._info_at = float("-inf")

    def _run(self, query: Query, limits: Limits) -> Any:
        """Send the query with the protocol dataset; parse the answer into pyoxigraph results or triples."""
        text = inline_values(query.text, query.substitutions)
        if query.base_iri:
            text = f"BASE {NamedNode(query.base_iri)}\n{text}"
        params = (
            [("query", text)]
            + [("default-graph-uri", g) for g in query.dataset.default_graphs]
            + [("named-graph-uri", g) for g in query.dataset.named_graphs]
        )
        graph = query.form in ("CONSTRUCT", "DESCRIBE")
        try:
            body, ctype = _send(
                self.settings,
                self.endpoint,
                urllib.parse.urlencode(params).encode(),
                "application/x-www-form-urlencoded",
                accept=_RDF_ACCEPT if graph else _RESULTS_ACCEPT,
                timeout=limits.timeout,
            )
        except urllib.error.HTTPError as exc:
            detail = f"{self.endpoint} answered {exc.code}: {exc.read().decode('utf-8', 'replace').strip()[:2000]}"
            if exc.code == 400:
                raise errors.bad_request(f"the remote store refused the query: {detail}") from None
            raise errors.query_failed(detail, 502) from None
        except TimeoutError:
            raise errors.timeout(limits.timeout) from None
        except (urllib.error.URLError, ConnectionError) as exc:
            raise errors.query_failed(f"cannot reach {self.endpoint}: {exc}", 502) from None
        try:
            if graph:
                fmt = RdfFormat.from_media_type(ctype) or RdfFormat.TURTLE
                return (Triple(q.subject, q.predicate, q.object) for q in parse(body, format=fmt))
            results_format = QueryResultsFormat.from_media_type(ctype) or QueryResultsFormat.JSON
            return parse_query_results(body, format=results_format)
        except (SyntaxError, ValueError) as exc:
            raise errors.query_failed(f"{self.endpoint} sent an answer that does not parse: {exc}", 502) from None

    def answer(self, query: Query, fmt: Format, limits: Limits) -> Outcome:
        """The remote's answer re-serialised by our writers in `fmt`, capped at limits.max_rows."""
        out = io.BytesIO()
        truncated = write_result(self._run(query, limits), query.form, fmt, limits.max_rows, out)
        return Outcome(out.getvalue(), fmt, truncated)

    def select(self, query: Query, limits: Limits) -> list[Row]:
        """SELECT rows as terms, at most limits.max_rows."""
        result = self._run(query, limits)
        if not isinstance(result, QuerySolutions):
            raise errors.query_failed(f"{self.endpoint} answered a SELECT with something else", 502)
        return rows_of(result)[: limits.max_rows]

    def ask(self, query: Query, limits: Limits) -> bool:
        """The boolean of an ASK."""
        result = self._run(replace(query, form="ASK"), limits)
        return isinstance(result, QueryBoolean) and bool(result)

    def construct(self, query: Query, limits: Limits) -> tuple[list[Triple], bool]:
        """The triples of a CONSTRUCT/DESCRIBE, capped."""
        triples, truncated = capped(self._run(query, limits), limits.max_rows)
        return triples, truncated

    def update(self, text: str) -> None:
        """Forward one SPARQL Update to remote_update_endpoint (the token-protected /update route)."""
        remote_update(self.settings, text)
        self._info_at = float("-inf")  # the data changed: ask again before the next ETag

    def info(self) -> DataInfo | None:
        """The remote data's named graphs with their triple counts and a version fingerprinting them.

        Asked at most every INFO_SECONDS (two fixed queries); None while the store cannot answer. The version (in
        the ETag) hashes the counts and the release version of the published description graph, so publishing a
        release changes it; no Last-Modified, since the remote store does not say when its data changed.
        """
        now = time.monotonic()
        if now - self._info_at < INFO_SECONDS:
            return self._info
        self._info_at = now
        limits = Limits(float(self.settings.query_timeout), 100000)
        try:
            counts = {
                r["g"].value: int(r["n"].value)
                for r in self.select(Query(_GRAPH_COUNTS), limits)
                if isinstance(r.get("g"), NamedNode) and "n" in r
            }
            versions = sorted(r["v"].value for r in self.select(Query(_VERSIONS), limits) if "v" in r)
        except ApiError:
            self._info = None
            return None
        digest = hashlib.sha256(json.dumps([versions, sorted(counts.items())]).encode()).hexdigest()[:16]
        self._info = DataInfo(
            version=f"remote-{digest}",
            last_modified=None,
            graphs=dict(sorted(counts.items())),
            default_graph_triples=sum(counts.values()),
            source=self.endpoint,
        )
        return self._info


def remote_update(settings: Settings, text: str) -> None:
    """Send one SPARQL Update to remote_update_endpoint."""
    url = settings.remote_update_endpoint or settings.remote_endpoint
    try:
        _send(
            settings,
            url,
            urllib.parse.urlencode({"update": text}).encode(),
            "application/x-www-form-urlencoded",
        )
    except urllib.error.HTTPError as exc:
        raise errors.query_failed(
            f"{url} answered {exc.code}: {exc.read()[:2000].decode('utf-8', 'replace')}", 502
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise errors.query_failed(f"cannot reach {url}: {exc}", 502) from None


def _graphs_of(nq: Path) -> dict[str | None, list[Triple]]:
    """The triples of an N-Quads file by graph IRI (None = the default graph)."""
    graphs: dict[str | None, list[Triple]] = defaultdict(list)
    for quad in parse(path=str(nq), format=RdfFormat.N_QUADS):
        name = quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else None
        graphs[name].append(Triple(quad.subject, quad.predicate, quad.object))
    return graphs


def _ntriples(triples: Iterable[Triple]) -> str:
    return serialize(list(triples), format=RdfFormat.N_TRIPLES).decode("utf-8")  # type: ignore[union-attr]


def _batches(triples: list[Triple]) -> Iterable[list[Triple]]:
    for start in range(0, len(triples), BATCH_TRIPLES):
        yield triples[start : start + BATCH_TRIPLES]


def _publish_gsp(settings: Settings, graph: str | None, triples: list[Triple]) -> None:
    """PUT the graph's first batch (replacing what was there), then POST the others (adding to it).

    One PUT of a whole graph is refused by stores with a request-size limit (Virtuoso resets the connection for the
    curated graph); batches keep every request small. Triples with blank nodes travel in one request, since a blank
    node split across two requests would become two nodes.
    """
    store = str(settings.remote_graph_store)
    target = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    url = store + ("&" if "?" in store else "?") + target
    batches = list(_batches([t for t in triples if not _has_blank(t)]))
    blank = [t for t in triples if _has_blank(t)]
    if blank:
        batches.append(blank)
    for i, batch in enumerate(batches or [[]]):
        _send(settings, url, _ntriples(batch).encode("utf-8"), "text/turtle", method="PUT" if i == 0 else "POST",
              timeout=600)


def _has_blank(triple: Triple) -> bool:
    return isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode)


def _publish_update(settings: Settings, graph: str | None, triples: list[Triple]) -> None:
    """DROP the graph, INSERT DATA its ground triples in batches, then its blank-node triples in one INSERT.

    Blank nodes are not allowed in INSERT DATA by some stores (Virtuoso), and a blank node split across two
    requests would become two nodes; so triples with blank nodes go together in one `INSERT {...} WHERE {}`.
    """
    url = str(settings.remote_update_endpoint)

    def update(text: str) -> None:
        _send(
            settings,
            url,
            urllib.parse.urlencode({"update": text}).encode(),
            "application/x-www-form-urlencoded",
            timeout=600,
        )

    # SPARQL Update takes no substitutions: the graph IRI is written by pyoxigraph (checked, escaped), as the
    # triples are (_ntriples), never pasted as raw text.
    target = str(NamedNode(graph)) if graph is not None else None

    def wrap(body: str) -> str:
        return f"GRAPH {target} {{\n{body}}}" if target else body

    if target is not None:
        update(f"DROP SILENT GRAPH {target}")
    for batch in _batches([t for t in triples if not _has_blank(t)]):
        update(f"INSERT DATA {{ {wrap(_ntriples(batch))} }}")
    blank = [t for t in triples if _has_blank(t)]
    if blank:
        update(f"INSERT {{ {wrap(_ntriples(blank))} }} WHERE {{}}")


def publish_release(settings: Settings, release: Path | None) -> str:
    """Load every graph of a release (default: releases/latest) into the remote store; say what went where."""
    release_dir = Path(release) if release is not None else layout.latest(Path(settings.releases))
    nq = release_dir / layout.NQUADS
    if not nq.is_file():
        raise ConfigError("no foedus.nq in this release; run `foedus build` first", where=str(release_dir))
    if settings.remote_graph_store:
        how, target, send = "Graph Store Protocol", str(settings.remote_graph_store), _publish_gsp
    elif settings.remote_update_endpoint:
        how, target, send = "SPARQL Update", str(settings.remote_update_endpoint), _publish_update
    else:
        raise ConfigError(
            "set remote_graph_store (Graph Store Protocol) or remote_update_endpoint (SPARQL Update)",
            where="remote_graph_store",
        )
    graphs = _graphs_of(nq)
    for graph, triples in graphs.items():
        try:
            send(settings, graph, triples)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            raise PublishError(
                f"{target} answered {exc.code}: {detail}", where=graph or "default graph"
            ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise PublishError(f"cannot reach {target}: {exc}", where=graph or "default graph") from None
    total = sum(len(t) for t in graphs.values())
    return (
        f"published {release_dir.resolve().name}: {len(graphs)} graphs, {total} triples to {target} by {how}"
    )
