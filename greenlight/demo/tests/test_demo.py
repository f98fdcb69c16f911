"""The demo district: deterministic, at scale, with one user per role."""

import hashlib
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from greenlight.approvals.models import Approval
from greenlight.projects.models import Project

TODAY = date(2026, 11, 20)


def _fingerprint() -> str:
    rows = Approval.objects.order_by("project__code", "matter__code").values_list(
        "project__code",
        "project__name",
        "matter__code",
        "status",
        "accepted_at",
        "due_at",
        "critical",
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic_and_complete():
    # given a first build on an empty database (flush also restarts the id sequences, as a
    # fresh database would have them)
    call_command("flush", "--noinput", verbosity=0)
    call_command(
        "demo",
        "--projects",
        "40",
        "--today",
        TODAY.isoformat(),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    first = _fingerprint()
    stages = set(Project.objects.values_list("stage", flat=True))
    statuses = set(Approval.objects.values_list("status", flat=True))
    # when it is built again from scratch
    call_command("flush", "--noinput", verbosity=0)
    call_command(
        "demo",
        "--projects",
        "40",
        "--today",
        TODAY.isoformat(),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    # then the data is the same
    assert _fingerprint() == first
    assert stages == {"planning", "preparation", "approval", "construction", "completed"}
    assert {"approved", "not_started"} <= statuses
    from greenlight.accounts.models import User

    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {
        "coordinator",
        "approver",
        "company",
        "leader",
        "supervisor",
        "admin",
        "security_admin",
        "audit_admin",
    }


@pytest.mark.django_db
def test_demo_if_empty_leaves_existing_data_alone(world):
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "not loaded again" in out.getvalue()
    assert Project.objects.count() == 3
