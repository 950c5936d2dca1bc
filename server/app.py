"""The Flask application factory: one blueprint per surface, the data loaded once and handed in.

Adding a surface is one line in BLUEPRINTS (or one `register_blueprint` call by whoever builds on create_app).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, current_app
from pyoxigraph import Store

from foedus.errors import ConfigError
from foedus.server import (
    api,
    dataset,
    errors,
    health,
    http,
    ontology_docs,
    resources,
    service_description,
    sparql,
    ui,
    update,
    validate,
)
from foedus.server.page_queries import page_queries
from foedus.server.query_exec import Backend, EmbeddedBackend
from foedus.server.store import ReleaseInfo, count_graphs, load_release_store
from foedus.settings import Settings, load_settings

# The surfaces, in the order their routes are matched. Another surface: append its blueprint here.
BLUEPRINTS: tuple[Blueprint, ...] = (
    sparql.bp,
    service_description.bp,
    health.bp,
    api.bp,
    resources.bp,
    ontology_docs.bp,
    dataset.bp,
    ui.bp,
    validate.bp,
)


@dataclass
class ServerState:
    """What every request needs: settings, the backend answering queries, and what we know of the data."""

    settings: Settings
    backend: Backend
    info: ReleaseInfo | None
    store: Store | None
    generation: int = 0

    @property
    def mode(self) -> str:
        """`embedded` (pyoxigraph in this process) or `remote` (a SPARQL 1.1 store at remote_endpoint)."""
        return "embedded" if self.store is not None else "remote"


def state() -> ServerState:
    """The ServerState of the app handling the current request."""
    st: ServerState = current_app.extensions["foedus"]
    return st


def _backend(
    settings: Settings, store: Store | None, info: ReleaseInfo | None
) -> tuple[Backend, Store | None, ReleaseInfo | None]:
    if store is not None:
        if info is None:
            graphs, default = count_graphs(store)
            from datetime import UTC, datetime

            info = ReleaseInfo(
                f"store-{id(store):x}", datetime.now(tz=UTC).replace(microsecond=0), graphs, default
            )
        return EmbeddedBackend(store), store, info
    if settings.remote_endpoint:
        from foedus.server.remote import RemoteBackend

        return RemoteBackend(settings), None, None
    store, info = load_release_store(settings.releases / "latest")
    return EmbeddedBackend(store), store, info


def create_app(
    settings: Settings | None = None, store: Store | None = None, *, info: ReleaseInfo | None = None
) -> Flask:
    """Build the app over a store (else remote_endpoint, else releases/latest), with CORS and caching."""
    settings = settings or load_settings()
    backend, store, info = _backend(settings, store, info)
    if settings.update_token and store is not None and int(settings.workers) > 1:
        raise ConfigError(
            "update_token with the embedded store needs workers = 1: each worker holds its own copy "
            "of the store, so an update would reach only one of them",
            where="update_token",
        )
    page_queries()  # parse-checked now: a broken server/rq/*.rq stops start-up, naming the file
    app = Flask("foedus.server")
    app.config["MAX_CONTENT_LENGTH"] = int(settings.max_request_bytes)
    app.extensions["foedus"] = ServerState(settings, backend, info, store)
    errors.register(app)
    http.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if settings.update_token:
        app.register_blueprint(update.bp)
    return app
