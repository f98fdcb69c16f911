"""The case page's figures on a hand-built district (casepage_world), each worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greenlight.analytics import casepage
from greenlight.catalog.calendars import current as current_calendar
from tests import factories as f

from . import casepage_world

START = date(2025, 1, 1)


@pytest.fixture
def built(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return casepage_world.build(world)


def by_key(rows) -> dict:
    return {r.key: r for r in rows}


def _figures(world, user=None, **kw):
    args = {"region": world.baoan, "start": START, "end": timezone.localdate(), **kw}
    return by_key(casepage.figures(**args, user=user))


def test_template_serial_and_parallel_days(world, built):
    # when
    fig = _figures(world)["template_days"]
    # then at today's limits (B cut from 10 to 7 by the register): A 5 + B 7 + C 8 = 20
    # calendar days in series; A → B (12) beside C (8) in parallel
    assert (fig.before, fig.value) == (20, 12)
    assert (fig.seed_before, fig.seed_value) == (141, 90)
    assert "危险边坡" in fig.label and "141" in fig.seed_text
    assert list(fig.cases) == [built.p1]


def test_joint_eia_apart_and_as_one_case(world, built):
    # when
    figs = _figures(world)
    # then apart: the median of the sums of each matter's own handling, p2 5 + 7 = 12 and p3
    # 3 + 15 = 18 (not the months from p3's 环评 to its 排污许可): 15
    apart = figs["eia_separate"]
    assert (apart.value, apart.n) == (15, 2)
    assert {a.project_id for a in apart.cases} == {built.p2.pk, built.p3.pk}
    # and the joint case: the working days after 2025-11-03 up to today, counted day by day
    cal = current_calendar()
    today = timezone.localdate()
    day, expected = date(2025, 11, 4), 0
    while day <= today:
        expected += cal.is_workday(day)
        day += timedelta(days=1)
    together = figs["eia_joint"]
    assert (together.value, together.n, together.seed_value) == (expected, 1, 11)
    assert list(together.cases) == [built.case]


def test_starts_within_n_days_of_a_batch_and_their_share(world, built):
    # when
    figs = _figures(world)
    # then p1 (day 0) and p2 (day 70) count, p4 (day 71) does not; 2025 starts: p1 p2 p4 p5
    assert figs["batch_starts"].value == 2
    assert {p.pk for p in figs["batch_starts"].cases} == {built.p1.pk, built.p2.pk}
    assert figs["year_starts"].value == 4
    assert figs["batch_share"].value == 50.0
    # no target entered: no figure, never one derived from the starts
    assert figs["starts_target"].value is None
    # when N is 71 and a target is entered
    built.issue_target(
        region=world.baoan,
        year=2025,
        actor=world.users.coordinator,
        investment="1000",
        new_starts=9,
        generated=0,
    )
    figs = _figures(world, days=71)
    # then
    assert (figs["batch_starts"].value, figs["batch_share"].value) == (3, 75.0)
    assert figs["starts_target"].value == 9 and figs["year_starts"].value == 4


def test_projects_served_matters_and_problems(world, built):
    # when
    figs = _figures(world)
    # then p1 (joint case, batch), p2, p3 (approvals), p4 (approval, ticket, batch); not p5
    assert figs["projects_served"].value == 4
    # approvals decided: p2 ×2, p3 ×2, p4 ×1, p1's two joint members = 7; one ticket resolved
    assert figs["approvals_handled"].value == 7
    assert figs["tickets_handled"].value == 1
    assert figs["matters_and_problems"].value == 8
    assert list(figs["tickets_handled"].cases) == [built.ticket]


def test_reform_register_and_days_saved(world, built):
    # when
    figs = _figures(world)
    # then
    assert figs["reform_items"].value == 3
    assert (figs["reform_immediate"].value, figs["reform_rectify"].value) == (2, 1)
    assert (figs["reform_documents"].value, figs["reform_units"].value) == (2, 2)
    # per matter: EC1 15 → 10 = 5, B 10 → 7 = 3: 8 days, from 2 matters
    assert (figs["days_saved"].value, figs["days_saved"].n) == (8, 2)
    # weighted, as the register stored it: EC1 cut 3 on 04-01 × the 4 projects with an EC1
    # accepted in the year before (p2, p3, p4 and Nanshan's: the catalog is shared) = 12, cut
    # 2 on 05-06 × 4 = 8, B × 0 = 0
    assert figs["days_saved_weighted"].value == 20
    assert figs["days_saved_weighted"].seed == "—"


def test_a_period_without_data_says_so(world, built):
    # when a period before anything happened
    figs = _figures(world, start=date(2022, 1, 1), end=date(2022, 12, 31))
    # then each figure of the period has no value (not zero); the register has no dates
    for key in (
        "eia_separate",
        "eia_joint",
        "batch_starts",
        "batch_share",
        "projects_served",
        "approvals_handled",
        "tickets_handled",
        "days_saved",
        "days_saved_weighted",
    ):
        assert figs[key].value is None, key
    assert figs["reform_items"].value == 3


def test_figures_are_scoped_to_the_users_share(world, built):
    # when company1 (owner of p1 only) and the other district read
    mine = _figures(world, user=world.users.company)
    other = by_key(
        casepage.figures(
            region=world.nanshan, start=START, end=timezone.localdate(), user=world.users.nanshan
        )
    )
    # then company1 sees its project's joint case and figures, no batch and no register
    assert mine["projects_served"].value == 1
    assert mine["approvals_handled"].value == 2
    assert mine["eia_separate"].value is None and mine["eia_joint"].n == 1
    assert mine["batch_starts"].value is None and mine["reform_items"].value is None
    assert mine["days_saved"].value is None
    # and Nanshan sees its own pair only (each matter 1 working day: 2)
    assert other["approvals_handled"].value == 2 and other["eia_separate"].value == 2
    assert other["reform_items"].value is None and other["batch_starts"].value is None


def test_query_count_does_not_grow_with_the_projects(world, built):
    # given the queries of one read
    with CaptureQueriesContext(connection) as first:
        _figures(world, user=world.users.coordinator)
    # when twenty more projects with decided approvals and starts exist
    for i in range(20):
        p = f.ProjectFactory(owner=world.org2, actual_start=date(2025, 10, 12))
        f.ApprovalFactory(
            project=p,
            matter=built.ec1,
            department=world.eco,
            status="approved",
            accepted_at=casepage_world.at(2025, 3, 3),
            decided_at=casepage_world.at(2025, 3, 5 + i % 3),
        )
    with CaptureQueriesContext(connection) as second:
        figs = _figures(world, user=world.users.coordinator)
    # then the same number of queries, and the new decisions count
    # (the calendar cache checks the calendar table now and then, whatever the read)
    first, second = (
        [q["sql"] for q in run.captured_queries if "catalog_calendarday" not in q["sql"]]
        for run in (first, second)
    )
    assert len(second) == len(first) < 40
    assert figs["approvals_handled"].value == 27
