"""A year without the State Council notice: provisional days, marked everywhere they are used;
the notice entered by an administrator then moves every running clock and plan at once, lists
what moved and tells the people concerned."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greenlight.approvals.models import Approval
from greenlight.audit.models import AuditEvent
from greenlight.catalog import calendars, changes, hooks, notices
from greenlight.catalog.models import CalendarChange, CalendarDay, CalendarMove
from greenlight.catalog.notices import Holiday, MakeupDay
from greenlight.engine.calendar import provisional_warning
from greenlight.kernel.errors import NotPermitted
from greenlight.notifications.models import Notification
from greenlight.projects.models import Project
from tests.auth import verified_login

from .calendar_fixtures import NOTICE_2027, build_calendar_world, local

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def cal(world):
    return build_calendar_world(world)


def _enter(world, notice=NOTICE_2027, **kwargs):
    return notices.enter(
        year=2027,
        holidays=notice.holidays,
        makeup_days=notice.makeup_days,
        actor=world.users.admin,
        **kwargs,
    )


def _day(moment) -> date:
    return timezone.localtime(moment).date()


# -- provisional 2027 on the platform calendar ---------------------------------------------------


def test_the_seeded_platform_calendar_has_2027_provisional(cal):
    # given the table seeded to 2026
    platform = calendars.current()
    # then 2027 follows the decree: 元旦, 春节 from 除夕 02-05, 清明, 端午, 中秋, 国庆 1-3
    off = [d for d in ("2027-01-01", "2027-02-05", "2027-02-08", "2027-04-05", "2027-06-09",
                       "2027-09-15", "2027-10-01", "2027-10-03")]  # fmt: skip
    assert not any(platform.is_workday(D(d)) for d in off)
    assert platform.is_workday(D("2027-02-09")) and platform.is_workday(D("2027-10-04"))
    assert platform.is_provisional_year(2027) and not platform.is_provisional_year(2026)
    assert notices.describe_year(2027).status == "provisional"
    assert notices.describe_year(2026).status == "package"


def test_a_clock_across_national_day_2026_keeps_the_official_rules(cal):
    # given an approval accepted Monday 2026-09-28 with 5 working days
    # then National Day (10-01 to 10-07) is skipped and Saturday 10-10 works (调休): due 10-10
    assert _day(cal.national_day.due_at) == D("2026-10-10")
    assert calendars.provisional_years(cal.national_day.due_at) == []


def test_a_clock_into_2027_counts_provisional_days_and_is_marked(cal):
    # given an approval accepted 2026-11-23 with 55 working days
    # then 元旦 and 春节 02-05, 02-08 are off (decree only): due Thursday 2027-02-11, provisional
    assert _day(cal.late.due_at) == D("2027-02-11")
    assert calendars.provisional_years(cal.late.due_at) == [2027]


# -- marked where used ---------------------------------------------------------------------------


def test_the_banner_shows_on_an_approval_due_in_2027_and_not_on_one_in_2026(cal, world, client_for):
    # given the coordinator
    client = client_for(world.users.coordinator)
    # when both approvals are opened
    late = client.get(f"/approvals/{cal.late.pk}/").content.decode()
    official = client.get(f"/approvals/{cal.national_day.pk}/").content.decode()
    # then only the one due in 2027 says its calendar is provisional, and why
    assert "provisional-calendar" in late and "2027 年为暂定工作日历" in late
    assert "全国年节及纪念日放假办法" in late and "不推测调休上班日" in late
    assert "provisional-calendar" not in official


def test_the_work_queue_marks_provisional_due_dates_without_a_query_per_row(cal, world, client_for):
    # given the approver of 生态环境局 (its approval is due in 2027)
    client = client_for(world.users.approver)
    # when the queue is shown with one more running approval of 2027 than before
    first = client.get("/approvals/")
    extra = Approval.objects.create(
        project=world.project2, matter=world.matter, department=world.eco, status="accepted",
        accepted_at=cal.late.accepted_at, due_at=cal.late.due_at,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as one:
        client.get("/approvals/")
    extra.delete()
    with CaptureQueriesContext(connection) as none:
        client.get("/approvals/")
    # then the banner and the row mark show, and the extra row costs no query
    page = first.content.decode()
    assert "provisional-calendar" in page and "暂定</small>" in page
    assert len(one.captured_queries) == len(none.captured_queries)


def test_the_project_page_and_chart_show_the_banner_when_the_plan_reaches_2027(
    cal, world, client_for
):
    # given the coordinator
    client = client_for(world.users.coordinator)
    # when project1 (plan into 2027) and project2 (all in 2026) are shown
    project = client.get(f"/projects/{world.project1.pk}/").content.decode()
    other = client.get(f"/projects/{world.project2.pk}/").content.decode()
    chart = client.get(f"/projects/{world.project1.pk}/charts/combined/").content.decode()
    # then project1 and its chart carry the banner, and the chart marks the provisional holidays
    assert "provisional-calendar" in project and "provisional-calendar" not in other
    assert "provisional-calendar" in chart
    assert 'class="off holiday provisional"' in chart and "春节（暂定）" in chart


def test_the_api_warns_on_an_approval_and_a_project_in_2027(cal, world, client_for):
    # given the coordinator
    client = client_for(world.users.coordinator)
    # when the approval and project details are read
    late = client.get(f"/api/v1/approvals/{cal.late.pk}").json()
    official = client.get(f"/api/v1/approvals/{cal.national_day.pk}").json()
    project = client.get(f"/api/v1/projects/{world.project1.pk}").json()
    # then the 2027 ones carry the warning
    assert late["provisional_years"] == [2027]
    assert late["calendar_warnings"] == [provisional_warning(2027)]
    assert (official["provisional_years"], official["calendar_warnings"]) == ([], [])
    assert project["provisional_years"] == [2027] and project["calendar_warnings"]


def test_strict_plan_refuses_2027_until_the_notice_is_entered(cal, world, tmp_path):
    # given a plan file in 2027
    path = tmp_path / "plan.yaml"
    path.write_text("start: 2027-02-01\ntasks:\n  - {id: a, duration: 5}\n", encoding="utf-8")

    def plan():
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("plan", str(path), "--strict-calendar", stdout=out, stderr=err)
        except SystemExit as exc:
            return exc.code, err.getvalue()
        return 0, out.getvalue()

    # when planned strictly while 2027 is provisional, then after the notice
    refused = plan()
    _enter(world)
    accepted = plan()
    # then it is refused naming the provisional year, and accepted once the notice is in
    assert (
        refused[0] == 2 and "2027 年为暂定日历" in refused[1] and "--strict-calendar" in refused[1]
    )
    assert accepted[0] == 0 and "警告" not in accepted[1]


# -- the notice ----------------------------------------------------------------------------------


def test_the_notice_moves_due_dates_tickets_and_forecasts_and_lists_them(cal, world):
    # given the running clocks, the ticket and the stored forecasts on the provisional 2027
    forecast_before = world.project1.forecast_start
    ticket_before = cal.ticket.feedback_due
    # when the administrator enters the 2027 notice
    change = _enter(world)
    # then the 2027 days are the notice's (元旦 to 01-03, 春节 02-05..02-12, Saturday 02-20 works)
    platform = calendars.current()
    assert not platform.is_provisional_year(2027)
    assert CalendarDay.objects.filter(date__year=2027, source="notice").count() == 365
    assert platform.describe(D("2027-02-20")).kind == "makeup_workday"
    assert platform.is_workday(D("2027-04-05"))  # the entered notice decides 清明 (not listed)
    # and the clock into 2027 moved from 02-11 to 02-17; the National Day one did not
    late = Approval.objects.get(pk=cal.late.pk)
    assert _day(late.due_at) == D("2027-02-17")
    assert Approval.objects.get(pk=cal.national_day.pk).due_at == cal.national_day.due_at
    # and the ticket's milestones and project1's forecast moved too
    cal.ticket.refresh_from_db()
    assert _day(ticket_before) == D("2027-02-09") and _day(cal.ticket.feedback_due) == D(
        "2027-02-15"
    )
    forecast_after = Project.objects.get(pk=world.project1.pk).forecast_start
    assert forecast_after > forecast_before
    # and the change lists exactly what moved
    moves = {(m.kind, m.object_id, m.what): (m.before, m.after) for m in change.moves.all()}
    assert moves[("approval", cal.late.pk, "due")] == (D("2027-02-11"), D("2027-02-17"))
    assert moves[("project", world.project1.pk, "forecast_start")] == (
        forecast_before,
        forecast_after,
    )
    assert moves[("ticket", cal.ticket.pk, "feedback")] == (D("2027-02-09"), D("2027-02-15"))
    assert ("approval", cal.national_day.pk, "due") not in moves
    assert (change.approvals, change.tickets) == (2, 3)  # late and nanshan; three milestones
    # and it is audited: the notice and each moved clock
    event = AuditEvent.objects.get(action="calendar_notice")
    assert event.changes["details"]["makeup_days"] == [["2027-02-20", "春节"]]
    assert AuditEvent.objects.filter(
        action="approval_due_recalendared", object_id=str(cal.late.pk)
    ).exists()


def test_the_inbox_tells_the_people_concerned_and_no_other_district(cal, world):
    # when the notice is entered
    change = _enter(world)
    inbox = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    # then the department's approver, the owner's users and the region's coordinator are told
    assert {"approver", "company1", "coordinator", "ns_coordinator"} <= set(inbox)
    assert "鹏鼎园区扩建项目 · 环境影响评价报告表审批" in inbox["approver"].body
    assert "2027-02-11 → 2027-02-17" in inbox["approver"].body
    assert "鹏鼎园区扩建项目" in inbox["company1"].body
    assert inbox["coordinator"].url == f"/calendar/changes/{change.pk}/"
    # and nobody else: not the water approver (its clock did not move), not the other owner
    assert not {"water", "company2", "leader", "supervisor", "province"} & set(inbox)
    # and each district hears only of its own: Nanshan's coordinator of Nanshan's approval
    assert "南山某项目" in inbox["ns_coordinator"].body
    assert "鹏鼎" not in inbox["ns_coordinator"].body
    assert "南山" not in inbox["coordinator"].body


def test_the_moved_page_lists_from_and_to_for_coordinators_of_their_region(cal, world, client_for):
    # given the notice entered
    change = _enter(world)
    url = f"/calendar/changes/{change.pk}/"
    # when the coordinators of both districts and the company open the list
    page = client_for(world.users.coordinator).get(url).content.decode()
    ns_page = client_for(world.users.nanshan).get(url).content.decode()
    company = client_for(world.users.company).get(url)
    # then Bao'an's coordinator sees Bao'an's moves from → to, Nanshan's its own, the company none
    assert "鹏鼎园区扩建项目 · 环境影响评价报告表审批" in page
    assert "2027-02-11" in page and "2027-02-17" in page and "+6" in page
    assert "南山某项目" not in page
    assert "南山某项目" in ns_page and "鹏鼎" not in ns_page
    assert company.status_code == 403
    # and the list of changes links it
    listing = client_for(world.users.admin).get("/calendar/changes/").content.decode()
    assert url in listing


def test_the_notice_form_enters_the_year_and_shows_what_moved(cal, world, client_for):
    # given the administrator on the 2027 notice page, prefilled with the provisional holidays
    client = client_for(world.users.admin)
    page = client.get("/calendar/2027/notice/").content.decode()
    assert 'value="2027-02-05"' in page and "provisional-calendar" in page
    # when the notice is posted (two ranges and one make-up Saturday)
    data = _form(NOTICE_2027.holidays, NOTICE_2027.makeup_days)
    response = client.post("/calendar/2027/notice/", data, follow=True)
    # then the year is entered and the page that follows lists what moved
    change = CalendarChange.objects.get()
    assert response.redirect_chain[-1][0] == f"/calendar/changes/{change.pk}/"
    body = response.content.decode()
    assert "2027-02-17" in body and "鹏鼎园区扩建项目" in body
    assert not calendars.current().is_provisional_year(2027)


def test_bad_notice_input_is_named_by_field_on_the_form_and_nothing_is_written(
    cal, world, client_for
):
    # given the administrator, and a make-up day on a Wednesday and two overlapping ranges
    client = client_for(world.users.admin)
    holidays = [
        Holiday(D("2027-02-05"), D("2027-02-12"), "春节"),
        Holiday(D("2027-02-10"), D("2027-02-11"), "元宵"),
    ]
    data = _form(holidays, [MakeupDay(D("2027-02-17"), "春节")])
    # when posted
    response = client.post("/calendar/2027/notice/", data)
    # then each problem shows on its row, in Chinese, and nothing is written
    body = response.content.decode()
    assert response.status_code == 200
    assert "第 2 行与第 1 行（春节 2027-02-05 至 2027-02-12）重叠" in body
    assert "调休上班日必须是周六或周日，2027-02-17 是星期三" in body
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarChange.objects.exists()


@pytest.mark.parametrize(
    ("holidays", "makeup", "field", "message"),
    [
        (
            [("2026-12-31", "2027-01-02", "元旦")],
            [],
            "holidays.0.start",
            "2026-12-31 不在 2027 年内",
        ),
        ([("2027-12-31", "2028-01-01", "元旦")], [], "holidays.0.end", "不在 2027 年内"),
        ([("2027-02-12", "2027-02-05", "春节")], [], "holidays.0.end", "放假末日早于放假首日"),
        ([("2027-02-05", "2027-02-12", " ")], [], "holidays.0.name", "请填写节日名称"),
        ([(None, "2027-02-12", "春节")], [], "holidays.0.start", "第 1 行：请填写日期"),
        ([], [], "holidays", "请至少填写一个放假区间"),
        (
            [("2027-02-05", "2027-02-12", "春节"), ("2027-02-12", "2027-02-13", "其他")],
            [],
            "holidays.1.start",
            "第 2 行与第 1 行",
        ),
        (
            [("2027-02-05", "2027-02-12", "春节")],
            [("2027-02-17", "")],
            "makeup_days.0.day",
            "必须是周六或周日",
        ),  # fmt: skip
        (
            [("2027-02-05", "2027-02-12", "春节")],
            [("2027-02-06", "")],
            "makeup_days.0.day",
            "在春节放假期间内",
        ),  # fmt: skip
        (
            [("2027-02-05", "2027-02-12", "春节")],
            [("2028-01-01", "")],
            "makeup_days.0.day",
            "不在 2027 年内",
        ),  # fmt: skip
        (
            [("2027-02-05", "2027-02-12", "春节")],
            [("2027-02-20", ""), ("2027-02-20", "")],
            "makeup_days.1.day",
            "已在第 1 行",
        ),
    ],
)
def test_the_service_names_each_bad_field(cal, world, holidays, makeup, field, message):
    # given a notice with one problem
    hs = [Holiday(D(a) if a else None, D(b) if b else None, n) for a, b, n in holidays]
    ms = [MakeupDay(D(d), n) for d, n in makeup]
    # when entered
    with pytest.raises(notices.NoticeError) as caught:
        notices.enter(year=2027, holidays=hs, makeup_days=ms, actor=world.users.admin)
    # then the field is named with the reason in Chinese, and nothing is written
    assert caught.value.field == field
    assert any(f == field and message in m for f, m in caught.value.problems), caught.value.problems
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_only_an_administrator_enters_the_notice(cal, world, client_for):
    # given a coordinator / when it enters the notice / then it is refused, on the page too
    with pytest.raises(NotPermitted):
        notices.enter(
            year=2027,
            holidays=NOTICE_2027.holidays,
            makeup_days=[],
            actor=world.users.coordinator,
        )
    assert client_for(world.users.coordinator).get("/calendar/2027/notice/").status_code == 403
    assert client_for(world.users.coordinator).get("/calendar/").status_code == 200
    assert client_for(world.users.approver).get("/calendar/").status_code == 403


def test_a_failing_recomputation_rolls_the_notice_back(cal, world, monkeypatch):
    # given a receiver that fails
    def broken(**payload):
        raise RuntimeError("boom")

    hooks.calendar_changed.connect(broken)
    try:
        # when the notice is entered
        with pytest.raises(RuntimeError):
            _enter(world)
    finally:
        hooks.calendar_changed._receivers.remove(broken)
    # then nothing changed: days, clocks, changes, messages; and 2027 is still provisional
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert Approval.objects.get(pk=cal.late.pk).due_at == cal.late.due_at
    assert not CalendarChange.objects.exists() and not CalendarMove.objects.exists()
    assert not Notification.objects.exists()
    assert calendars.current().is_provisional_year(2027)


def test_the_csv_import_moves_clocks_too(cal, world, tmp_path):
    # given a CSV of the same 2027 notice
    lines = ["date,is_workday,note"]
    for h in NOTICE_2027.holidays:
        d = h.start
        while d <= h.end:
            lines.append(f"{d},否,{h.name}")
            d = date.fromordinal(d.toordinal() + 1)
    lines.append("2027-02-20,是,春节")
    path = tmp_path / "2027.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    # when imported with the command
    call_command("calendar", "import", str(path), stdout=out)
    # then the clock moved as with the form, and the command says what moved
    assert _day(Approval.objects.get(pk=cal.late.pk).due_at) == D("2027-02-17")
    change = CalendarChange.objects.get(kind="import")
    assert f"/calendar/changes/{change.pk}/" in out.getvalue()
    assert "2 approval due dates" in out.getvalue()


def test_the_calendar_page_shows_each_years_source(cal, world, client_for):
    # given the administrator
    client = client_for(world.users.admin)
    # when the calendar page is shown before and after the notice
    before = client.get("/calendar/").content.decode()
    _enter(world)
    after = client.get("/calendar/").content.decode()
    # then 2027 is provisional (with its decree holidays and the banner), then entered
    assert "provisional-calendar" in before and "暂定：仅按放假办法计法定节假日" in before
    assert "春节 02-05–02-08" in before
    assert "国务院放假通知（已录入）" in after and "春节 02-05–02-12" in after
    assert "/calendar/2028/notice/" in after


def test_seeding_an_unchanged_package_records_no_change(cal):
    # given the seeded table / when seeded again
    assert changes.seed() is None
    assert not CalendarChange.objects.exists()


def _form(holidays, makeup) -> dict:
    data = {
        "h-TOTAL_FORMS": str(len(holidays) + 1),
        "h-INITIAL_FORMS": "0",
        "m-TOTAL_FORMS": str(len(makeup) + 1),
        "m-INITIAL_FORMS": "0",
    }
    for i, h in enumerate(holidays):
        data |= {f"h-{i}-name": h.name, f"h-{i}-start": str(h.start), f"h-{i}-end": str(h.end)}
    for i, m in enumerate(makeup):
        data |= {f"m-{i}-day": str(m.day), f"m-{i}-name": m.name}
    return data


def test_json_summary_of_a_change_is_kept(cal, world):
    # given the notice entered / then the change keeps the notice as entered
    change = _enter(world)
    assert change.details["holidays"][1] == ["2027-02-05", "2027-02-12", "春节"]
    assert json.dumps(change.details, ensure_ascii=False)


def test_an_admin_edit_of_one_day_moves_the_clocks_too(cal, world, client):
    # given the administrator in the Django admin
    admin = world.users.admin
    admin.is_staff = True
    admin.save()
    verified_login(client, admin)
    # when Tuesday 2026-12-29 is closed (a typhoon)
    response = client.post(
        "/admin/catalog/calendarday/2026-12-29/change/",
        {"date": "2026-12-29", "note": "台风停工"},  # is_workday unchecked
    )
    # then the day is off, the clock over it moved one working day and the change is listed
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D("2026-12-29")).source == "admin"
    assert _day(Approval.objects.get(pk=cal.late.pk).due_at) == D("2027-02-12")
    assert CalendarChange.objects.get().kind == "edit"
    # and a day of provisional 2027 cannot be added alone (the notice page enters the year)
    refused = client.post(
        "/admin/catalog/calendarday/add/", {"date": "2027-03-01", "note": "x"}
    ).content.decode()
    assert "/calendar/2027/notice/" in refused
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_a_paused_clock_keeps_its_stopped_due_time_on_the_new_calendar(cal, world):
    # given the 2027 clock paused on 2026-12-01 (expert review), its due time kept as it stopped
    from greenlight.approvals.models import Pause

    Approval.objects.filter(pk=cal.late.pk).update(status="paused")
    Pause.objects.create(
        approval=cal.late, reason="expert_review", started_at=local(D("2026-12-01"))
    )
    # when the notice is entered
    _enter(world)
    # then the stored due time moved like a running one (the pause extends it when it resumes)
    assert _day(Approval.objects.get(pk=cal.late.pk).due_at) == D("2027-02-17")


def test_the_django_admins_calendar_list_warns_of_provisional_years(cal, world, client):
    # given the administrator (staff) on the calendar days of the Django admin
    admin = world.users.admin
    admin.is_staff = True
    admin.save()
    verified_login(client, admin)
    # when the list is shown / then it names the provisional year and the notice page
    body = client.get("/admin/catalog/calendarday/").content.decode()
    assert "年为暂定日历：尚未录入国务院放假通知" in body and "/calendar/" in body
