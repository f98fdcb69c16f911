"""The results register (电子证照 / 批文): each project's results in force, their validity, the
earlier results a matter reuses as materials, and the export in the national 批复文件 fields."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import Outcome
from .models import Approval, Decision

EXPIRING_DAYS = 30
NO_EXPIRY = date(9999, 1, 1)  # what the national table writes for a result without a period


def results(*, user, project=None) -> QuerySet[Decision]:
    """Grants in force (corrections applied) the user may see, of one project or all."""
    qs = (
        Decision.objects.visible_to(user)
        .current()
        .filter(outcome=Outcome.APPROVED)
        .exclude(approval__decisions__outcome=Outcome.REVOKED)  # 撤销: no longer in force
        .select_related("approval__matter", "approval__project", "issued_by")
        .order_by("approval__matter__stage", "approval__matter__code", "id")
    )
    return qs.filter(approval__project=project) if project is not None else qs


def validity(decision: Decision, *, today: date) -> str:
    """ "expired", "expiring" (within 30 days), "valid" or "" (no period)."""
    if decision.valid_until is None:
        return ""
    if decision.valid_until < today:
        return "expired"
    if decision.valid_until <= today + timedelta(days=EXPIRING_DAYS):
        return "expiring"
    return "valid"


VALIDITY_LABELS = {
    "expired": _("expired"),
    "expiring": _("expires within 30 days"),
    "valid": _("valid"),
    "": _("no period"),
}


def expiring(*, user, today: date) -> QuerySet[Decision]:
    """Results the user may see whose validity ends within 30 days (owners, coordinators)."""
    return results(user=user).filter(
        valid_until__gte=today, valid_until__lte=today + timedelta(days=EXPIRING_DAYS)
    )


@dataclass(frozen=True)
class Material:
    """One earlier result a matter takes as a material, and whether the project has it."""

    matter: object
    result: Decision | None

    @property
    def on_file(self) -> bool:
        return self.result is not None


def reused_materials(approval: Approval, *, today: date) -> list[Material]:
    """The results `approval`'s matter requires, each with the project's result in force (a
    valid one; an expired result counts as missing)."""
    required = list(approval.matter.required_results.order_by("stage", "code"))
    if not required:
        return []
    found = {
        d.approval.matter_id: d
        for d in Decision.objects.current()
        .filter(
            outcome=Outcome.APPROVED,
            approval__project_id=approval.project_id,
            approval__matter__in=required,
        )
        .select_related("approval")
        if d.valid_until is None or d.valid_until >= today
    }
    return [Material(m, found.get(m.pk)) for m in required]


# The national table 项目审批事项批复文件信息表 (SPGL_XMSPSXPFWJXXB), in its order.
NATIONAL_COLUMNS = (
    ("DFSJZJ", "地方数据主键"),
    ("XZQHDM", "行政区划代码"),
    ("XMDM", "项目代码"),
    ("GCDM", "工程代码"),
    ("SPSXSLBM", "审批事项实例编码"),
    ("PFRQ", "批复日期"),
    ("PFWH", "批复文号"),
    ("PFWJBT", "批复文件标题"),
    ("PFWJYXQX", "批复文件有效期限"),
    ("FJMC", "附件名称"),
    ("FJLX", "附件类型"),
    ("FJID", "附件内容"),
    ("SJYXBS", "数据有效标识"),
    ("SJWXYY", "数据无效原因"),
)


def national_rows(decisions, *, base_url: str = "") -> list[list]:
    """One row per act in the national fields: a corrected act stays, marked invalid (0) with
    the reason, so the provincial system replaces it with the correction."""
    rows = []
    for d in decisions:
        a = d.approval
        corrected = None if d.is_current else d.corrected_by
        rows.append(
            [
                str(d.pk),
                a.project.region.code,
                a.project.code,
                a.project.code,
                f"{a.project.code}-{a.matter.code}-{a.pk}",
                d.issued_on.isoformat(),
                d.number,
                d.title,
                (d.valid_until or NO_EXPIRY).isoformat(),
                d.file_name,
                d.file_extension,
                f"{base_url}/approvals/decisions/{d.pk}/file/" if d.file_name else "",
                0 if corrected else 1,
                f"更正：{corrected.number}（{corrected.correction_reason}）" if corrected else "",
            ]
        )
    return rows


def export_xlsx(decisions, *, base_url: str = "") -> bytes:
    """The register as an Excel sheet with the national table's field codes and names."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "SPGL_XMSPSXPFWJXXB"
    ws.append([code for code, _name in NATIONAL_COLUMNS])
    ws.append([name for _code, name in NATIONAL_COLUMNS])
    for row in national_rows(decisions, base_url=base_url):
        ws.append(row)
    for col, width in zip(
        "ABCDEFGHIJKLMN", (10, 10, 26, 26, 30, 12, 24, 40, 14, 24, 8, 40, 8, 30), strict=True
    ):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_decisions(*, user, project) -> QuerySet[Decision]:
    """Every grant of a project with its corrections (the acts in force and those replaced)."""
    return (
        Decision.objects.visible_to(user)
        .filter(approval__project=project, outcome=Outcome.APPROVED)
        .select_related("approval__matter", "approval__project__region", "corrected_by")
        .order_by("approval__matter__stage", "approval__matter__code", "at", "id")
    )
