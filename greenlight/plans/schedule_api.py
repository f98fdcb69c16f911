"""`POST /api/v1/schedule`: schedule a plan document, the same JSON as `greenlight plan --json`.

The body is checked against the documented schema (`PLAN_SCHEMA`, JSON Schema) and the edge's
rules (kernel/validation.py: text, the date window), then read by the engine's own validator
(`planfile.from_dict`), so that the API, the command and plan files give the same errors, each
naming the task and the problem: 422 `{"detail": [{"loc": [...], "msg": "..."}]}`.
"""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import Router, Schema, Status

from greenlight.catalog import calendars
from greenlight.engine import planfile, report
from greenlight.engine.calendar import CalendarError
from greenlight.kernel import validation

router = Router(tags=["schedule"])

_DATE = {"type": "string", "format": "date", "example": "2026-09-01"}
_UNIT = {"type": "string", "enum": ["workday", "day"], "default": "workday"}
_LINK = {
    "oneOf": [
        {"type": "string", "description": "a prerequisite's id, finish-to-start"},
        {
            "type": "object",
            "required": ["task"],
            "properties": {
                "task": {"type": "string"},
                "type": {"type": "string", "enum": ["FS", "SS"], "default": "FS"},
                "lag": {"type": "integer", "minimum": 0, "maximum": 3650, "default": 0},
            },
        },
    ]
}
PLAN_SCHEMA = {
    "type": "object",
    "required": ["start", "tasks"],
    "properties": {
        "name": {"type": "string"},
        "start": _DATE,
        "calendar": {"type": "string", "enum": ["cn", "natural"], "default": "cn"},
        "tasks": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "duration"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "department": {"type": "string"},
                    "duration": {"type": "integer", "minimum": 0, "maximum": 3650},
                    "unit": _UNIT,
                    "after": {"type": "array", "items": _LINK},
                },
            },
        },
        "bundles": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "tasks", "duration"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "tasks": {"type": "array", "items": {"type": "string"}},
                    "duration": {"type": "integer", "minimum": 0, "maximum": 3650},
                    "unit": _UNIT,
                },
            },
        },
        "target": {
            "type": "object",
            "required": ["task", "by"],
            "properties": {"task": {"type": "string"}, "by": _DATE},
        },
        "as_of": _DATE,
        "actuals": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["start"],
                "properties": {"start": _DATE, "finish": _DATE, "due": _DATE},
            },
        },
    },
    "example": {
        "name": "危险边坡治理工程审批",
        "start": "2026-09-01",
        "tasks": [
            {"id": "geo", "duration": 30, "unit": "day"},
            {"id": "eia", "duration": 20, "after": ["geo"]},
            {"id": "permit", "duration": 5, "after": ["eia"]},
        ],
    },
}


class PlanErrorOut(Schema):
    """One problem of a plan: where (`loc`) and what (`msg`), naming the task."""

    loc: list[str]
    msg: str
    type: str


class PlanErrorsOut(Schema):
    detail: list[PlanErrorOut]


@router.post(
    "/schedule",
    response={200: dict, 422: PlanErrorsOut},
    summary="Schedule a plan",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PLAN_SCHEMA}},
        }
    },
)
def schedule_plan(request, strict_calendar: bool = False):
    """Dates, float, critical path and serial vs parallel span of a plan (as `greenlight plan --json`)."""
    try:
        document = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return Status(422, _errors([], _("the body is not valid JSON"), "json_invalid"))
    problem = _schema_problem(document)
    if problem:
        return Status(422, _errors(*problem))
    try:
        plan = planfile.from_dict(document)
        calendar = calendars.current()
        result = planfile.run(plan, calendar.strictly() if strict_calendar else calendar)
    except planfile.PlanError as exc:
        return Status(422, _errors(exc.loc, exc.message, "plan_invalid"))
    except CalendarError as exc:
        kind = "calendar_provisional_year" if exc.provisional else "calendar_unknown_year"
        return Status(422, _errors(["start"], str(exc), kind))
    return Status(200, report.to_json(plan, result))


_VALIDATOR = jsonschema.Draft202012Validator(
    PLAN_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


_JSON_KINDS = {
    "object": lambda: pgettext("JSON type", "a JSON object"),
    "array": lambda: pgettext("JSON type", "a list"),
    "string": lambda: pgettext("JSON type", "text"),
    "integer": lambda: pgettext("JSON type", "a whole number"),
    "number": lambda: pgettext("JSON type", "a number"),
    "boolean": lambda: pgettext("JSON type", "true or false"),
}


def _schema_problem(document) -> tuple[list, str, str] | None:
    """The first place where `document` leaves PLAN_SCHEMA or the edge's rules, if any (a body
    that is no JSON object is left to the engine's reader, whose words plan files share)."""
    if not isinstance(document, dict):
        return None
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(document))
    if error is not None:
        loc = list(error.absolute_path)
        if error.validator == "required":
            missing = next((f for f in error.validator_value if f not in error.instance), "")
            return [*loc, missing], _("this field is required"), "missing"
        if error.validator == "type" and isinstance(error.validator_value, str):
            kind = _JSON_KINDS.get(error.validator_value)
            if kind is not None:
                return (
                    loc,
                    pgettext("JSON type", "must be %(kind)s") % {"kind": kind()},
                    "schema_type",
                )
        return (
            loc,
            _("does not match the plan schema (%(rule)s)") % {"rule": error.validator},
            (f"schema_{error.validator}"),
        )
    return _edge_problem(document, [])


def _edge_problem(value, loc: list) -> tuple[list, str, str] | None:
    """Text and dates of the document through kernel/validation.py."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        reason = validation.problem(value) if isinstance(value, str | int) else None
        if reason is None and isinstance(value, str) and len(value) == 10:
            try:
                reason = validation.date_problem(dt.date.fromisoformat(value))
            except ValueError:
                reason = None
        return (loc, reason, "edge") if reason else None
    for key, item in items:
        found = _edge_problem(item, [*loc, key])
        if found:
            return found
    return None


def _errors(loc, msg: str, kind: str) -> dict:
    return {"detail": [{"loc": [str(part) for part in loc], "msg": msg, "type": kind}]}
