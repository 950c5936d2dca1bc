"""The Flask application factory: one blueprint per surface, the backend opened once and handed in.

Adding a surface is one line in BLUEPRINTS (or one `register_blueprint` call by whoever builds on create_app).
Nothing imports this module but the entry points (run.py, tests): blueprints reach the state through context.py.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from pyoxigraph import Store

from foedus.errors import ConfigError
from foedus.server import (
    api,
    ask,
    cooperation,
    dataset,
    errors,
    health,
    http,
    maps,
    ontology_docs,
    reconcile,
    resources,
    search,
    service_description,
    sparql,
    ui,
    update,
    validate,
)
from foedus.server.backend import Backend, DataInfo
from foedus.server.context import EXTENSION, ServerState
from foedus.server.embedded import EmbeddedBackend
from foedus.server.page_queries import page_queries
from foedus.server.remote import RemoteBackend
from foedus.server.store import load_release_store
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
    maps.bp,
    cooperation.bp,
    search.bp,
    reconcile.bp,
    ask.bp,
    validate.bp,
)


def open_backend(settings: Settings, store: Store | None, info: DataInfo | None) -> Backend:
    """The backend over a given store, else the remote store at remote_endpoint, else releases/latest."""
    if store is not None:
        return EmbeddedBackend(store, info)
    if settings.remote_endpoint:
        return RemoteBackend(settings)
    return EmbeddedBackend(*load_release_store(settings.releases / "latest"))


def create_app(
    settings: Settings | None = None, store: Store | None = None, *, info: DataInfo | None = None
) -> Flask:
    """Build the app over a store (else remote_endpoint, else releases/latest), with CORS and caching."""
    settings = settings or load_settings()
    backend = open_backend(settings, store, info)
    if settings.update_token and backend.mode == "embedded" and int(settings.workers) > 1:
        raise ConfigError(
            "update_token with the embedded store needs workers = 1: each worker holds its own copy "
            "of the store, so an update would reach only one of them",
            where="update_token",
        )
    page_queries()  # parse-checked now: a broken server/rq/*.rq stops start-up, naming the file
    app = Flask("foedus.server")
    app.config["MAX_CONTENT_LENGTH"] = int(settings.max_request_bytes)
    app.extensions[EXTENSION] = ServerState(settings, backend)
    errors.register(app)
    http.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if settings.update_token:
        app.register_blueprint(update.bp)
    return app
