"""API of the case page: GET /api/v1/analytics/case, the figures of the case for a district
and period, checked as the page's form checks them (422 naming the field)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from . import casepage
from .casepage_forms import CaseForm

router = Router(tags=["analytics"])


class CaseIn(Schema):
    region: str = ""
    start: date | None = None
    end: date | None = None
    days: int | None = None
    template: str = ""


class FigureOut(Schema):
    key: str
    label: str
    seed: str
    seed_text: str
    seed_value: float | None
    seed_before: float | None
    value: float | None
    before: float | None
    unit: str
    definition: str
    n: int | None
    link: str


class CaseOut(Schema):
    region: str
    start: date
    end: date
    days: int
    template: str
    figures: list[FigureOut]


@router.get("/analytics/case", response=CaseOut)
def get_case(request, q: Query[CaseIn]):
    """Each figure of the case beside the platform's computation, with its definition and the
    link to the cases behind it; a figure without data has `value` null."""
    data = {k: v for k, v in q.dict().items() if v not in (None, "")}
    form = CaseForm({k: str(v) for k, v in data.items()}, user=request.user)
    if not form.is_valid():
        raise ValidationError(
            [
                {"loc": ["query", name], "msg": str(errors[0]), "type": "value_error"}
                for name, errors in form.errors.items()
            ]
        )
    choice = form.choice()
    if choice["region"] is None:
        msg = _("no district is visible to you")
        raise ValidationError([{"loc": ["query", "region"], "msg": msg, "type": "value_error"}])
    rows = casepage.figures(**choice, user=request.user)
    return {
        "region": choice["region"].code,
        "start": choice["start"],
        "end": choice["end"],
        "days": choice["days"],
        "template": choice["template"],
        "figures": [
            {
                "key": f.key,
                "label": f.label,
                "seed": f.seed,
                "seed_text": f.seed_text,
                "seed_value": f.seed_value,
                "seed_before": f.seed_before,
                "value": f.value,
                "before": f.before,
                "unit": f.unit,
                "definition": f.definition,
                "n": f.n,
                "link": f.link,
            }
            for f in rows
        ],
    }
