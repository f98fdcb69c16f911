"""Bulk audit rows: the same chains and MACs as one `record` at a time."""

import pytest

from greenlight.audit import services
from greenlight.audit import verify as chain_verify
from greenlight.audit.models import AuditEvent


@pytest.mark.django_db
def test_record_many_continues_each_chain_and_verifies(world):
    services.record(world.project1, "project_updated", actor=world.users.coordinator)
    n = services.record_many(
        [
            {"obj": world.project1, "action": "project_updated", "changes": {"i": 1}},
            {"obj": world.approval1, "action": "approval_submitted", "actor": world.users.company},
            {"obj": world.project2, "action": "project_created"},
            {"obj": world.project1, "action": "project_updated", "changes": {"i": 2}},
        ]
    )
    assert n == 4
    seqs = list(
        AuditEvent.objects.filter(chain=f"p:{world.project1.pk}")
        .order_by("seq")
        .values_list("seq", "action")
    )
    # the project's chain: the single row, then three bulk rows (an approval's row is on it too)
    assert [s for s, _ in seqs] == [1, 2, 3, 4]
    assert seqs[2][1] == "approval_submitted"
    assert AuditEvent.objects.filter(chain=f"p:{world.project2.pk}").count() == 1
    assert chain_verify.verify().intact
    # and a single record after the bulk one still continues the chain
    services.record(world.project1, "project_updated")
    assert chain_verify.verify().intact


@pytest.mark.django_db
def test_record_many_of_nothing_writes_nothing(world):
    assert services.record_many([]) == 0
    assert not AuditEvent.objects.exists()
