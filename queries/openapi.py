"""The OpenAPI 3.1 description of the saved-query API, generated from the query files (no second registry)."""

from __future__ import annotations

from typing import Any

from foedus import __version__
from foedus.queries.catalog import Catalog, Param, SavedQuery
from foedus.sparql.formats import formats_for

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["status", "title", "detail", "spec"],
        "properties": {"status": {"type": "integer"}, "title": {"type": "string"},
                       "detail": {"type": "string"}, "spec": {"type": "string", "format": "uri"}},
    }},
}


def param_schema(p: Param) -> dict[str, Any]:
    """The JSON Schema (2020-12, as OpenAPI 3.1 uses) of one parameter's value, as its registered type says."""
    return p.schema()


def _operation(q: SavedQuery) -> dict[str, Any]:
    formats = formats_for(q.form)
    parameters: list[dict[str, Any]] = [{
        "name": p.name, "in": "query", "required": p.required, "description": p.doc,
        "schema": param_schema(p), "example": p.json_value(p.example),
    } for p in q.params]
    parameters.append({"name": "format", "in": "query", "required": False,
                       "description": "result format (overrides the Accept header)",
                       "schema": {"type": "string", "enum": [f.key for f in formats]}})
    example_query = "&".join(f"{p.name}={p.example}" for p in q.params)
    return {
        "operationId": q.name.replace("-", "_"),
        "summary": q.title,
        "description": q.description
        + (f"\n\nExample: `/api/{q.name}?{example_query}`" if example_query else ""),
        "tags": list(q.tags),
        "parameters": parameters,
        "responses": {
            "200": {"description": "the query's result", "content": {f.media_type: {} for f in formats}},
            "400": {"description": "a parameter is missing, unknown, or its value does not fit its type",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "406": {"description": "no acceptable result format",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "503": {"description": "the query ran longer than the server allows",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }


def openapi_document(catalog: Catalog, server_url: str = "/") -> dict[str, Any]:
    """An OpenAPI 3.1.0 document with one GET operation per saved query at /api/<name>."""
    tags = sorted({t for q in catalog for t in q.tags})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Foedus saved queries",
            "version": __version__,
            "summary": "Questions about military alliances, answered from the Foedus knowledge graph.",
            "description": "Each operation runs one saved SPARQL query (queries/<name>.rq) with typed "
                           "parameters. Values are bound to the query's variables, never pasted into its "
                           "text. Results come in every format of the SPARQL endpoint: choose with the Accept"
                           " header or `format`.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server_url}],
        "tags": [{"name": t} for t in tags],
        "paths": {f"/api/{q.name}": {"get": _operation(q)} for q in catalog},
        "components": {"schemas": {"Error": ERROR_SCHEMA}},
    }
