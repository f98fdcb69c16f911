"""The demo stores the plans the planner computes: `greenlight replan --all` right after
`greenlight demo` finds nothing to change; the major projects carry custom plans with versions."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from greenlight.approvals.models import Approval
from greenlight.plans.models import PlanVersion
from greenlight.projects.models import Project

TODAY = date(2026, 12, 2)
PLAN = (
    "pk",
    "planned_start",
    "planned_finish",
    "forecast_start",
    "forecast_finish",
    "float_days",
    "critical",
)


def _plans():
    approvals = list(Approval.objects.order_by("pk").values_list(*PLAN))
    projects = list(Project.objects.order_by("pk").values_list("pk", "forecast_start"))
    return approvals, projects


@pytest.mark.django_db(transaction=True)
def test_replan_all_right_after_the_demo_changes_nothing():
    call_command("flush", "--noinput", verbosity=0)
    call_command(
        "demo", "--projects", "60", "--today", TODAY.isoformat(), stdout=StringIO(),
        stderr=StringIO(),
    )  # fmt: skip
    before = _plans()
    assert len(before[0]) > 500
    out = StringIO()
    call_command("replan", "--all", "--today", TODAY.isoformat(), stdout=out, stderr=StringIO())
    assert "0 approvals changed" in out.getvalue()
    assert _plans() == before
    # the twelve major projects have custom plans, an optimized second version on most
    majors = Project.objects.filter(region__code="440306", is_major=True, plan_versions__number=1)
    assert majors.distinct().count() == 12
    assert PlanVersion.objects.filter(number=2).count() >= 6
