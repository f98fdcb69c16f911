"""Saving an edit form untouched in Chromium keeps its dates: the browser's date and time
pickers take ISO values only, and drop anything else without a word."""

from datetime import date

import pytest
from django.forms.models import model_to_dict

from tests import factories as f
from tests.test_forms_round_trip import _meeting

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _stored(obj, *skip):
    obj.refresh_from_db()
    return {k: v for k, v in model_to_dict(obj).items() if k not in skip}


def test_project_edit_saved_untouched_in_the_browser_keeps_its_dates(
    live_server, page, shot, world
):
    project = world.project1
    project.subdistrict = f.SubdistrictFactory(region=world.baoan, name="新桥")
    project.plan_start = date(2026, 3, 2)
    project.land_acquired_on = date(2026, 2, 27)
    project.planned_start = date(2026, 12, 15)
    project.actual_start = None
    project.save()
    before = _stored(project, "updated_at")
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/projects/{project.pk}/edit/")
    # the pickers show the dates (a non-ISO value would leave them empty)
    assert page.input_value("#id_planned_start") == "2026-12-15"
    assert page.input_value("#id_land_acquired_on") == "2026-02-27"
    shot("project-edit-dates")
    with page.expect_navigation():
        page.click("main button.primary")
    assert f"/projects/{project.pk}/" in page.url
    assert _stored(project, "updated_at") == before


def test_meeting_edit_saved_untouched_in_the_browser_keeps_its_time(live_server, page, shot, world):
    meeting = _meeting(world)
    before = _stored(meeting)
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/reviews/meetings/{meeting.pk}/edit/")
    assert page.input_value("#id_starts_at") == "2026-12-16T09:30"
    with page.expect_navigation():
        page.click("main button.primary")
    assert f"/reviews/meetings/{meeting.pk}/" in page.url
    assert _stored(meeting) == before


def test_decision_meeting_form_offers_today_in_its_picker(live_server, page, world):
    from django.utils import timezone

    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/pipeline/decisions/new/")
    assert page.input_value("#id_held_on") == timezone.localdate().isoformat()
