"""API of the data exchange: the runs of the caller's region with their rows, and the 投资
platform's record of a project code as registration fields."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from greenlight.kernel.errors import NotPermitted

from . import client, fields, permissions, selectors
from .choices import RowOutcome

router = Router(tags=["exchange"])


def _need(user) -> None:
    if not permissions.can_read(user):
        raise NotPermitted(_("Only a district's coordinators see the data exchange."))


class ExchangeRunOut(Schema):
    id: int
    region: str = Field(alias="region.code")
    direction: str
    source: str
    name: str
    status: str
    message: str
    started_at: datetime
    finished_at: datetime | None
    total: int
    applied: int
    unchanged: int
    failed: int


class ExchangeRowOut(Schema):
    number: int = Field(description="row number in the file (the header is row 1)")
    table: str
    key: str
    outcome: str
    field: str
    reason: str


class ExchangeRunDetailOut(ExchangeRunOut):
    rows: list[ExchangeRowOut]

    @staticmethod
    def resolve_rows(obj):
        return obj.rows_list


class ExchangeRunFilter(Schema):
    direction: str | None = Field(None, pattern="^(import|export)$")


class InvestmentRecordOut(Schema):
    code: str
    name: str | None = None
    category: str | None = None
    industry: str | None = None
    construction_nature: str | None = None
    funding_source: str | None = None
    total_investment: str | None = None
    land_area: str | None = None
    location: str | None = None
    scale_content: str | None = None
    planned_start: str | None = None
    owner_credit_code: str | None = None


@router.get("/exchange/runs", response=list[ExchangeRunOut])
def list_runs(request, filters: Query[ExchangeRunFilter]):
    """The exchange runs of the caller's region, newest first."""
    _need(request.user)
    qs = selectors.runs(user=request.user)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    return qs[:200]


@router.get("/exchange/runs/{run_id}", response=ExchangeRunDetailOut)
def get_run(request, run_id: int, outcome: RowOutcome | None = None):
    """One run with its rows (only the failed ones with `outcome=failed`)."""
    _need(request.user)
    run = get_object_or_404(selectors.runs(user=request.user), pk=run_id)
    rows = run.rows.order_by("number", "id")
    if outcome:
        rows = rows.filter(outcome=outcome)
    run.rows_list = list(rows[:5000])
    return run


class InvestmentLookupIn(Schema):
    code: str = Field(..., min_length=1, max_length=24, description="项目代码")


@router.post("/exchange/investment-lookups", response=InvestmentRecordOut)
def investment_lookup(request, body: InvestmentLookupIn):
    """Ask the 投资 platform for its record of a project code, as registration fields (404 when
    it has none): what `POST /api/v1/projects` then takes, with the owner's credit code."""
    code = body.code.strip()
    if not permissions.can_run(request.user):
        raise NotPermitted(_("Only a district's coordinators see the data exchange."))
    record = client.investment_record(code)
    if record is None:
        raise Http404(_("the investment platform has no project %(code)s") % {"code": code})
    data = fields.project_data({**record, "XMDM": record.get("XMDM") or code})
    out = {k: (str(v) if v is not None else None) for k, v in data.items()}
    out["owner_credit_code"] = str(record.get("DWTYSHXYDM") or "") or None
    return InvestmentRecordOut(**out)
