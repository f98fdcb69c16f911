"""The region's projects and approvals as national table rows, for a download or a push."""

from __future__ import annotations

from django.utils import timezone

from greenlight.approvals.models import Approval, ApprovalEvent, Decision, Pause
from greenlight.projects.models import Project

from .models import ExchangeRecord
from .tables import (
    CASE,
    CATEGORIES,
    FUNDING,
    HISTORY,
    NATURES,
    NO_EXPIRY,
    OUTCOME_RESULTS,
    PROJECT,
    REASON_SPECIALS,
    RESULT,
    SPECIAL,
)

CODE_OF = {
    "category": {v: k for k, v in CATEGORIES.items()},
    "construction_nature": {v: k for k, v in NATURES.items()},
    "funding_source": {v: k for k, v in FUNDING.items()},
}
EVENT_STATUS = {
    "submitted": "1",
    "accepted": "3",
    "not_accepted": "5",
    "approved": "11",
    "rejected": "13",
    "withdrawn": "14",
}


def _at(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def case_numbers(approvals) -> dict[int, str]:
    """办件编号 of each approval: the 工改 system's when one was exchanged, else the platform's
    own ({项目代码}-{事项编码}-{id}, as the results register writes it)."""
    linked = dict(
        ExchangeRecord.objects.filter(table=CASE, approval__in=approvals).values_list(
            "approval_id", "key"
        )
    )
    return {a.pk: linked.get(a.pk) or f"{a.project.code}-{a.matter.code}-{a.pk}" for a in approvals}


def _project(p: Project) -> dict:
    return {
        "XZQHDM": p.region.code,
        "XMDM": p.code,
        "XMMC": p.name,
        "GCDM": p.code,
        "SPLCLX": CODE_OF["category"].get(p.category, ""),
        "JSXZ": CODE_OF["construction_nature"].get(p.construction_nature, ""),
        "XMZJSX": CODE_OF["funding_source"].get(p.funding_source, ""),
        "GBHY": p.industry,
        "NKGSJ": p.planned_start.isoformat() if p.planned_start else "",
        "ZTZE": str(p.total_investment) if p.total_investment is not None else "",
        "JSDD": p.location,
        "JSGMJNR": p.scale_content,
        "YDMJ": str(p.land_area) if p.land_area is not None else "",
        "DWTYSHXYDM": p.owner.credit_code,
        "DWMC": p.owner.name,
    }


def document(*, user) -> dict[str, list[dict]]:
    """Every national table of the projects `user` sees."""
    projects = Project.objects.visible_to(user).select_related("region", "owner").order_by("code")
    approvals = list(
        Approval.objects.visible_to(user)
        .exclude(status="not_started")
        .select_related("project__region", "matter", "department")
        .order_by("project__code", "matter__code")
    )
    numbers = case_numbers(approvals)
    head = {a.pk: {"XZQHDM": a.project.region.code, "GCDM": a.project.code} for a in approvals}
    doc = {PROJECT: [_project(p) for p in projects], CASE: [], HISTORY: [], SPECIAL: [], RESULT: []}
    for a in approvals:
        doc[CASE].append(
            {
                **head[a.pk],
                "SPSXBM": a.matter.code,
                "SPSXSLBM": numbers[a.pk],
                "SPBMMC": a.department.name,
                "SXBLSX": a.matter.committed_limit,
            }
        )
    events = ApprovalEvent.objects.filter(approval__in=approvals).order_by(
        "approval_id", "at", "pk"
    )
    for e in events.select_related("actor"):
        if e.kind == "paused" or e.kind == "resumed" or e.kind not in EVENT_STATUS:
            continue
        doc[HISTORY].append(
            {
                **head[e.approval_id],
                "SPSXSLBM": numbers[e.approval_id],
                "BLZT": EVENT_STATUS[e.kind],
                "BLSJ": _at(e.at),
                "BLYJ": e.note,
                "BLR": e.actor.display_name if e.actor else "",
            }
        )
    for p in Pause.objects.filter(approval__in=approvals).order_by("approval_id", "started_at"):
        doc[SPECIAL].append(
            {
                **head[p.approval_id],
                "SPSXSLBM": numbers[p.approval_id],
                "TBCX": REASON_SPECIALS.get(p.reason, ""),
                "TBCXMC": p.note or p.get_reason_display(),
                "TBCXKSSJ": _at(p.started_at),
                "TBCXJSSJ": _at(p.ended_at),
            }
        )
    decisions = Decision.objects.filter(approval__in=approvals).current().order_by("pk")
    for d in decisions:
        if d.outcome not in OUTCOME_RESULTS:
            continue
        doc[RESULT].append(
            {
                **head[d.approval_id],
                "SPSXSLBM": numbers[d.approval_id],
                "SPJG": OUTCOME_RESULTS[d.outcome],
                "PFRQ": d.issued_on.isoformat(),
                "PFWH": d.number,
                "PFWJBT": d.title,
                "PFWJYXQX": (d.valid_until.isoformat() if d.valid_until else NO_EXPIRY),
                "BLYJ": d.opinion,
                "FLYJ": d.legal_basis,
                "BLR": d.handler_name,
            }
        )
    return doc
