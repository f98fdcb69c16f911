"""Bulk project writes: checked like single ones, audited per project."""

from datetime import date
from decimal import Decimal

import pytest

from greenlight.audit.models import AuditEvent
from greenlight.kernel.errors import InvalidInput
from greenlight.projects import bulk
from greenlight.projects.models import Project


def _project(world, code: str) -> Project:
    return Project(
        code=code,
        name="西乡智慧物流园",
        owner=world.org1,
        region=world.baoan,
        category="social_industry",
        industry="logistics",
        location="深圳市宝安区西乡街道",
        construction_nature="new",
        funding_source="social",
        total_investment=Decimal(12000),
        stage="approval",
    )


@pytest.mark.django_db
def test_register_many_audits_each_project_and_refuses_duplicates(world):
    code = world.project1.code[:-4] + "9001"
    rows = bulk.register_many([_project(world, code)])
    assert AuditEvent.objects.filter(action="project_created", object_id=str(rows[0].pk)).exists()
    with pytest.raises(InvalidInput) as exc:
        bulk.register_many([_project(world, code[:-1] + "2"), _project(world, code[:-1] + "2")])
    assert exc.value.field == "rows.1"


@pytest.mark.django_db
def test_record_history_refuses_a_completion_before_the_start(world):
    p = world.project1
    p.actual_start, p.completed_on = date(2025, 5, 1), date(2025, 4, 1)
    with pytest.raises(InvalidInput) as exc:
        bulk.record_history([p])
    assert exc.value.field == "rows.0.completed_on"
    p.completed_on = date(2026, 4, 1)
    bulk.record_history([p])
    p.refresh_from_db()
    assert p.completed_on == date(2026, 4, 1)
    assert AuditEvent.objects.filter(action="project_updated", object_id=str(p.pk)).exists()


def test_record_history_refuses_a_stage_without_its_dates(world):
    # given a project the history takes to construction without an actual start
    p = world.project1
    p.stage, p.actual_start, p.completed_on = "construction", None, None
    # then it is refused, naming the row and what is missing, in Chinese
    with pytest.raises(InvalidInput) as exc:
        bulk.record_history([p])
    assert exc.value.field == "rows.0.stage"
    assert "实际开工" in str(exc.value)
    # and with its start the stage is stored
    p.actual_start = date(2025, 5, 1)
    bulk.record_history([p])
    p.refresh_from_db()
    assert (p.stage, p.actual_start) == ("construction", date(2025, 5, 1))
