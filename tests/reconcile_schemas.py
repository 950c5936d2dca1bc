"""JSON Schemas of the Reconciliation Service API v0.2 responses, written by us from the specification's text
(https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/): the published schema files
carry no licence we could find, so they are not copied. Each schema states what the spec requires of a response;
the tests validate our answers against them with jsonschema."""

from __future__ import annotations

from typing import Any

_TYPE = {"oneOf": [{"type": "string"},
                   {"type": "object", "required": ["id"],
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}]}
_SERVICE = {"type": "object", "properties": {"service_url": {"type": "string"}, "service_path": {"type": "string"}}}
_TEMPLATE = {"type": "string", "pattern": r"\{\{id\}\}"}

MANIFEST: dict[str, Any] = {
    "type": "object",
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
    "properties": {
        "versions": {"type": "array", "items": {"type": "string"}, "contains": {"const": "0.2"}},
        "name": {"type": "string"},
        "identifierSpace": {"type": "string"},
        "schemaSpace": {"type": "string"},
        "documentation": {"type": "string"},
        "view": {"type": "object", "required": ["url"], "properties": {"url": _TEMPLATE}},
        "defaultTypes": {"type": "array", "items": _TYPE, "uniqueItems": True},
        "suggest": {"type": "object", "properties": {k: _SERVICE for k in ("entity", "type", "property")}},
        "preview": {"type": "object", "required": ["url", "width", "height"],
                    "properties": {"url": _TEMPLATE, "width": {"type": "integer"}, "height": {"type": "integer"}}},
        "extend": {"type": "object", "properties": {
            "propose_properties": _SERVICE,
            "property_settings": {"type": "array", "items": {
                "type": "object", "required": ["type", "label", "name"],
                "properties": {"type": {"enum": ["number", "text", "checkbox", "select"]},
                               "label": {"type": "string"}, "name": {"type": "string"}}}}}},
    },
}

RESULT_BATCH: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["result"],
        "properties": {"result": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "name", "score"],
            "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
                "score": {"type": "number", "minimum": 0, "maximum": 100},  # our promise: scores in [0, 100]
                "match": {"type": "boolean"},
                "type": {"type": "array", "items": _TYPE},
                "features": {"type": "array", "items": {
                    "type": "object", "required": ["id", "value"],
                    "properties": {"id": {"type": "string"}, "value": {"type": ["boolean", "number"]}}}},
            }}}},
    },
}

SUGGEST: dict[str, Any] = {
    "type": "object",
    "required": ["result"],
    "properties": {"result": {"type": "array", "items": {
        "type": "object", "required": ["id", "name"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
                       "notable": {"type": "array", "items": _TYPE}}}}},
}

PROPOSE_PROPERTIES: dict[str, Any] = {
    "type": "object",
    "required": ["properties"],
    "properties": {"type": {"type": "string"}, "properties": {"type": "array", "items": {
        "type": "object", "required": ["id", "name"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}},
}

_CELL = {"oneOf": [
    {"type": "object", "additionalProperties": False, "required": ["id", "name"],
     "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"}}},
    {"type": "object", "additionalProperties": False, "required": ["str"], "properties": {"str": {"type": "string"}}},
    {"type": "object", "additionalProperties": False, "required": ["int"],
     "properties": {"int": {"type": "integer"}}},
    {"type": "object", "additionalProperties": False, "required": ["float"],
     "properties": {"float": {"type": "number"}}},
    {"type": "object", "additionalProperties": False, "required": ["bool"],
     "properties": {"bool": {"type": "boolean"}}},
    {"type": "object", "additionalProperties": False, "required": ["date"],
     "properties": {"date": {"type": "string"}}},
]}

EXTEND_RESPONSE: dict[str, Any] = {
    "type": "object",
    "required": ["meta", "rows"],
    "properties": {
        "meta": {"type": "array", "items": {
            "type": "object", "required": ["id", "name"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                           "type": {"type": "object", "required": ["id"]}}}},
        "rows": {"type": "object", "additionalProperties": {
            "type": "object", "additionalProperties": {"type": "array", "items": _CELL}}},
    },
}
