"""`POST /api/v1/schedule`: schedule a plan document, the same JSON as `greenlight plan --json`.

The body is read by the engine's own validator (`planfile.from_dict`), not by a pydantic schema,
so that the API, the command and plan files give the same errors, each naming the task and the
problem: 422 `{"detail": [{"loc": [...], "msg": "..."}]}`.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from greenlight.catalog import calendars
from greenlight.engine import planfile, report
from greenlight.engine.calendar import CalendarError

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
                "lag": {"type": "integer", "minimum": 0, "default": 0},
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
                    "duration": {"type": "integer", "minimum": 0},
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
                    "duration": {"type": "integer", "minimum": 0},
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


def _errors(loc, msg: str, kind: str) -> dict:
    return {"detail": [{"loc": [str(part) for part in loc], "msg": msg, "type": kind}]}
