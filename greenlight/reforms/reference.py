"""The standard work reference (标准化工作指引), generated per region from live data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from greenlight.accounts.models import Department
from greenlight.catalog.choices import Stage
from greenlight.catalog.models import Bundle, Matter, Template
from greenlight.projects.choices import Lifecycle

from . import impact
from .models import limit_text


@dataclass
class Reference:
    """Everything the document shows, in reading order."""

    region: object
    generated_on: date
    stages: list[tuple[str, str]]
    lifecycle: list[tuple[str, str]]
    departments: list
    matters: list[tuple[str, list]] = field(default_factory=list)
    templates: list[dict] = field(default_factory=list)
    bundles: list = field(default_factory=list)
    five_steps: list[tuple[str, str]] = field(default_factory=list)
    rule_123: list[tuple[str, str]] = field(default_factory=list)
    supervision: list[tuple[str, str]] = field(default_factory=list)
    indicators: list[tuple[str, str]] = field(default_factory=list)

    def toc(self) -> list[tuple[str, str]]:
        """(anchor, heading) of each chapter."""
        return [
            ("definitions", _("1. Definitions and stages")),
            ("catalog", _("2. The approval catalog")),
            ("templates", _("3. Templates: serial and parallel durations")),
            ("mechanisms", _("4. Mechanisms")),
            ("indicators", _("5. Indicator definitions")),
        ]


def _limit(limit: int, unit: str) -> str:
    return limit_text(limit, unit)


def build(*, region, today: date) -> Reference:
    """Assemble the reference of `region` from the catalog, templates and engine."""
    ref = Reference(
        region=region,
        generated_on=today,
        stages=[(str(v), str(label)) for v, label in Stage.choices],
        lifecycle=[(str(v), str(label)) for v, label in Lifecycle.choices],
        departments=list(Department.objects.filter(region=region)),
    )
    depts = {d.kind: d.name for d in ref.departments}
    matters = Matter.objects.filter(is_active=True).prefetch_related("prerequisites")
    by_stage: dict[str, list] = {s: [] for s, _label in ref.stages}
    for m in matters:
        by_stage[m.stage].append(
            {
                "code": m.code,
                "name": m.name,
                "department": depts.get(m.department_kind, m.get_department_kind_display()),
                "statutory": _limit(m.statutory_limit, m.statutory_unit),
                "committed": _limit(m.committed_limit, m.committed_unit),
                "source": m.statutory_source,
                "materials": list(m.materials or []),
                "prerequisites": sorted(p.code for p in m.prerequisites.all()),
                "flags": [
                    str(f)
                    for f, on in (
                        (_("accept with gaps"), m.accept_with_gaps),
                        (_("approval on commitment"), m.commitment_based),
                    )
                    if on
                ],
            }
        )
    ref.matters = [(label, by_stage[s]) for s, label in ref.stages if by_stage[s]]
    state = impact.CatalogState.load()
    for t in Template.objects.all():
        spans = impact.spans(state, t.code, start=today)
        ref.templates.append(
            {
                "code": t.code,
                "name": t.name,
                "category": t.get_category_display(),
                "matters": len(state.templates.get(t.code, [])),
                "serial": spans["serial"],
                "parallel": spans["parallel"],
                "saved": spans["serial"] - spans["parallel"],
                "critical": [f"{c} {state.names.get(c, '')}" for c in spans["critical"]],
                "description": t.description,
            }
        )
    ref.bundles = [
        {
            "name": b.name,
            "limit": _limit(b.limit, b.unit),
            "matters": [m.name for m in b.matters.all()],
        }
        for b in Bundle.objects.prefetch_related("matters")
    ]
    ref.five_steps = _mechanisms()
    ref.rule_123 = _rule_123()
    ref.supervision = _supervision(region)
    ref.indicators = _indicators()
    return ref


def _mechanisms() -> list[tuple[str, str]]:
    return [
        (_("Issue the project list"), _("The command office issues the list of projects to push.")),
        (_("Early intervention"), _("Departments guide the owner before the formal application.")),
        (_("Joint review meeting"), _("Departments review the project together in one meeting.")),
        (_("Parallel handling"), _("Departments handle their approvals at the same time.")),
        (_("Feedback within a set time"), _("Each department reports its result by the deadline.")),
    ]


def _rule_123() -> list[tuple[str, str]]:
    return [
        (_("1 working day"), _("every problem gets a first reply")),
        (_("2 working days"), _("a solution path is set")),
        (_("3 working days"), _("visible progress is reported")),
    ]


def _supervision(region) -> list[tuple[str, str]]:
    yellow = (region.settings or {}).get("yellow_workdays", 3)
    return [
        (
            _("Green"),
            _("more than %(n)s working days left before the committed limit") % {"n": yellow},
        ),
        (
            _("Yellow"),
            _("%(n)s working days or fewer left: the department is reminded") % {"n": yellow},
        ),
        (_("Red"), _("the committed limit has passed: the command office supervises")),
    ]


def _indicators() -> list[tuple[str, str]]:
    return [
        (
            _("New construction starts"),
            _("projects whose actual construction start falls in the period"),
        ),
        (
            _("Completed investment"),
            _("sum of the monthly reported investment of the period (10,000 yuan)"),
        ),
        (
            _("Approval time"),
            _("from acceptance to decision, in the matter's unit, pauses excluded"),
        ),
        (_("On-time rate"), _("approvals decided by their due time over approvals decided")),
        (_("Days saved by parallel approval"), _("serial minus parallel duration of a plan")),
        (
            _("Target achievement"),
            _("achieved over issued, per region, subdistrict and department"),
        ),
    ]
