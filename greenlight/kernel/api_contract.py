"""The edge's rules and error answers written into the OpenAPI document, so that the contract a
client reads (and a fuzzer generates from) is the one the API enforces.

* every input string: no control characters (`pattern`), at most TEXT_MAX characters unless
  the field says less; every input integer within the integer column, a `year` within the
  date window; every input number below DECIMAL_LIMIT in absolute value; dates and moments
  described with their window (JSON Schema has no date bounds, so in words);
* every operation documents its error answers (401, 403, 404, 413, 422, 503) with one shape,
  `ErrorOut`: `{"detail": "…"}` or `{"detail": [{"loc", "msg", "type"|"code"}]}`.
"""

from __future__ import annotations

from . import validation

ERROR_STATUSES = {
    "401": "Authentication required",
    "403": "Not permitted for this role",
    "404": "Not found, or not visible to the caller",
    "413": "Request body too large",
    "422": "Invalid input: each problem names its field (loc) with the reason (msg)",
    "503": "The database is unavailable; retry after Retry-After seconds",
}
ERROR_OUT = {
    "title": "ErrorOut",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["msg"],
                        "properties": {
                            "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                            "msg": {"type": "string"},
                            "type": {"type": "string"},
                            "code": {"type": "string"},
                        },
                    },
                },
            ]
        }
    },
}
# Printable text (with tab, LF, CR): the complement of validation._CONTROL.
TEXT_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
WINDOW = (
    f"Between {validation.MIN_DATE.isoformat()} and {validation.MAX_DATE.isoformat()}"
    "; time-zone offsets within ±14:00."
)


def document(schema: dict) -> dict:
    """`schema` (an OpenAPI document) with the edge's input rules and the error answers."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    inputs = _input_components(schema)
    for name in inputs:
        if name in components:
            _constrain(components[name], name="")
    components["ErrorOut"] = ERROR_OUT
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _constrain(parameter.get("schema", {}), name=parameter.get("name", ""))
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                if "$ref" not in media.get("schema", {}):
                    _constrain(media.get("schema", {}), name="")
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                if status in responses or int(status) in responses:
                    continue  # the operation documents this answer itself
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorOut"}
                            }
                        },
                    },
                )
    return schema


def _input_components(schema: dict) -> set[str]:
    """Names of the components reachable from request bodies and parameters (not answers)."""
    components = schema.get("components", {}).get("schemas", {})
    todo, seen = [], set()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            todo += [p.get("schema", {}) for p in operation.get("parameters", [])]
            todo += [m.get("schema", {}) for m in _content(operation.get("requestBody", {}))]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    todo.append(components.get(name, {}))
            todo += list(node.values())
        elif isinstance(node, list):
            todo += node
    return seen


def _content(body: dict) -> list[dict]:
    return list(body.get("content", {}).values())


def _constrain(node, *, name: str) -> None:
    """Add the edge's bounds to one JSON Schema node and everything inside it."""
    if isinstance(node, list):
        for item in node:
            _constrain(item, name=name)
        return
    if not isinstance(node, dict) or "$ref" in node:
        return
    kind, fmt = node.get("type"), node.get("format")
    if kind == "string" and fmt in ("date", "date-time"):
        node.setdefault("description", WINDOW)
    elif kind == "string" and "enum" not in node and fmt not in ("binary",):
        node.setdefault("pattern", TEXT_PATTERN)
        node["maxLength"] = min(node.get("maxLength", validation.TEXT_MAX), validation.TEXT_MAX)
    elif kind == "integer":
        low, high = validation.INT_MIN, validation.INT_MAX
        if name in validation.YEAR_FIELDS:
            low, high = validation.MIN_DATE.year, validation.MAX_DATE.year
        node["minimum"] = max(node.get("minimum", low), low)
        node["maximum"] = min(node.get("maximum", high), high)
    elif kind == "number":
        limit = float(validation.DECIMAL_LIMIT)
        node.setdefault("exclusiveMaximum", limit)
        node.setdefault("exclusiveMinimum", -limit)
    for key in ("anyOf", "oneOf", "allOf", "items", "additionalProperties"):
        if key in node:
            _constrain(node[key], name=name)
    for prop, sub in node.get("properties", {}).items():
        _constrain(sub, name=prop)
