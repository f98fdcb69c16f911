"""Custom plans: versions (who, when, summary), refusals that name the matter, restore, hook."""

import copy
from datetime import date

import pytest

from greenlight.audit.models import AuditEvent
from greenlight.catalog import calendars
from greenlight.kernel.errors import DomainError
from greenlight.plans import editing as plan_editing
from greenlight.plans import planning
from greenlight.plans import selectors as plan_selectors
from greenlight.plans import services as plan_services
from greenlight.plans.models import PlanVersion

from .plan_fixtures import build_plan_world

TODAY = date(2026, 3, 2)


@pytest.fixture
def plan(world):
    return build_plan_world(world)


def document(world, plan):
    return plan_editing.initial_document(plan.project, user=world.users.coordinator, today=TODAY)


def test_saving_makes_numbered_versions_with_author_and_summary(world, plan):
    # given the catalog plan of a major project
    doc = document(world, plan)
    # when the coordinator saves it twice, the second time with B shortened
    v1 = plan_services.save_version(
        project=plan.project, document=doc, actor=world.users.coordinator, note="初版"
    )
    doc2 = copy.deepcopy(doc)
    next(t for t in doc2["tasks"] if t["id"] == "B-1")["duration"] = 2
    v2 = plan_services.save_version(
        project=plan.project, document=doc2, actor=world.users.coordinator
    )
    # then both are kept, numbered, with who saved them and the plan's figures
    assert (v1.number, v2.number) == (1, 2)
    assert v1.created_by == world.users.coordinator and v1.created_at is not None
    assert v1.matters == 4 and v1.parallel_days > v2.parallel_days
    assert plan_selectors.latest_version(plan.project) == v2
    assert AuditEvent.objects.filter(action="plan_version_saved").count() == 2


def test_planning_compute_follows_the_version_in_force(world, plan):
    # given a saved custom plan without matter C and with D at 20 working days
    doc = document(world, plan)
    doc["tasks"] = [t for t in doc["tasks"] if t["id"] != "C-1"]
    for t in doc["tasks"]:
        t["after"] = [link for link in t.get("after", []) if link["task"] != "C-1"]
        if t["id"] == "D-1":
            t["duration"] = 20
    plan_services.save_version(project=plan.project, document=doc, actor=world.users.coordinator)
    # when the project is scheduled through the bridge
    approvals = list(plan.project.approvals.select_related("matter", "department"))
    result = planning.compute(plan.project, approvals, graph=planning.CatalogGraph.load(),
                              calendar=calendars.current(), today=TODAY)  # fmt: skip
    # then the custom plan is used
    ids = {t.id: t for t in result.tasks}
    assert "C-1" not in ids and ids["D-1"].duration == 20
    # and the stored approvals follow it: C, outside the plan, keeps its old baseline and has
    # no forecast (nothing stale is shown as today's forecast)
    planning.replan(plan.project, today=TODAY)
    c = plan.project.approvals.get(matter__code="C-1")
    assert c.forecast_finish is None and not c.critical


@pytest.mark.parametrize(
    "edit, expected",
    [
        ("cycle", "甲事项"),
        ("negative", "乙事项"),
    ],
)
def test_cycles_and_negative_durations_are_refused_naming_the_matter(world, plan, edit, expected):
    # given a saved version
    doc = document(world, plan)
    plan_services.save_version(project=plan.project, document=doc, actor=world.users.coordinator)
    bad = copy.deepcopy(doc)
    if edit == "cycle":  # A after D, while D waits for A
        next(t for t in bad["tasks"] if t["id"] == "A-1")["after"] = [{"task": "D-1"}]
    else:
        next(t for t in bad["tasks"] if t["id"] == "B-1")["duration"] = -3
    # when saving the bad edit
    with pytest.raises(DomainError) as exc:
        plan_services.save_version(
            project=plan.project, document=bad, actor=world.users.coordinator
        )
    # then the message names the matter, and the saved plan is unchanged
    assert expected in str(exc.value.message)
    assert PlanVersion.objects.filter(project=plan.project).count() == 1
    assert plan_selectors.latest_version(plan.project).document == doc


def test_restore_makes_the_old_version_current_as_a_new_one(world, plan):
    doc = document(world, plan)
    plan_services.save_version(project=plan.project, document=doc, actor=world.users.coordinator)
    doc2 = copy.deepcopy(doc)
    doc2["tasks"] = doc2["tasks"][:1]
    plan_services.save_version(project=plan.project, document=doc2, actor=world.users.coordinator)
    # when version 1 is restored
    v3 = plan_services.restore_version(
        project=plan.project, number=1, actor=world.users.coordinator
    )
    # then version 3 carries version 1's plan and says so
    assert v3.number == 3 and v3.restored_from == 1 and v3.document == doc
    assert plan_selectors.custom_tasks(plan.project)[0][0].id == doc["tasks"][0]["id"]


def test_no_custom_plan_lookup_for_ordinary_projects(world, django_assert_num_queries):
    # given a project that is not major
    with django_assert_num_queries(0):
        assert plan_selectors.custom_tasks(world.project2) is None


def test_compare_versions(world, plan):
    doc = document(world, plan)
    v1 = plan_services.save_version(
        project=plan.project, document=doc, actor=world.users.coordinator
    )
    doc2 = copy.deepcopy(doc)
    next(t for t in doc2["tasks"] if t["id"] == "B-1")["duration"] = 1
    v2 = plan_services.save_version(
        project=plan.project, document=doc2, actor=world.users.coordinator
    )
    diff = plan_editing.compare(v1, v2)
    assert diff["finish_delta"] < 0 and [r["id"] for r in diff["changed"]] == ["B-1"]
    assert diff["added"] == [] and diff["removed"] == []
