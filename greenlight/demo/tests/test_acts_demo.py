"""The demo's administrative acts: past decisions carry their acts, the strategic emerging-
industry projects take 环评 + 排污许可 as joint cases on the catalog's 11 working days, and the
figure the platform shows is measured on their real dates."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from greenlight.accounts.models import User
from greenlight.approvals import joint
from greenlight.approvals.models import Approval, Decision, JointCase
from greenlight.catalog.models import Bundle

TODAY = date(2026, 11, 20)


@pytest.fixture
def demo(db):
    call_command(
        "demo",
        "--projects",
        "120",
        "--today",
        TODAY.isoformat(),
        stdout=StringIO(),
        stderr=StringIO(),
    )


def test_decided_approvals_carry_their_acts(demo):
    decided = Approval.objects.filter(status__in=["approved", "not_accepted"])
    assert decided.exists()
    assert Decision.objects.count() == decided.count()
    refusals = Decision.objects.filter(outcome="not_accepted")
    assert all(d.opinion and d.legal_basis for d in refusals)


def test_joint_cases_keep_the_bundle_limit_and_decide_members_together(demo):
    bundle = Bundle.objects.get(code="eia_permit")
    assert bundle.limit == 11 and bundle.unit == "workday"  # no demo reform overwrote it
    cases = JointCase.objects.filter(bundle=bundle)
    assert cases.exists()
    for case in cases.filter(decided_at__isnull=False):
        members = list(case.members.all())
        assert {m.matter.code for m in members} == {"EC-01", "EC-03"}
        assert {m.decided_at for m in members} == {case.decided_at}
        assert case.project.industry in {
            "manufacturing",
            "electronics",
            "new_energy",
            "biomedicine",
        }
    # the figure comes from the cases' own acceptance and decision dates
    coordinator = User.objects.get(username="coordinator")
    (row,) = joint.figures(user=coordinator)
    days = sorted(
        joint.handling_workdays(c)
        for c in JointCase.objects.visible_to(coordinator).filter(decided_at__isnull=False)
    )
    assert row["n"] == len(days) and row["longest"] == days[-1]
    assert row["median"] == (days[(len(days) - 1) // 2] + days[len(days) // 2]) / 2
