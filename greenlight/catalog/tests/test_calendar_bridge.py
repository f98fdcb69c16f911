"""The calendar table bridge: seeding, the per-process cache, and the all-or-nothing CSV import."""

from __future__ import annotations

from datetime import date

import pytest

from greenlight.audit.models import AuditEvent
from greenlight.catalog import calendars
from greenlight.catalog.models import CalendarDay
from greenlight.engine.calendar import provisional_warning
from greenlight.engine.network import Task, Unit
from greenlight.engine.schedule import schedule

pytestmark = pytest.mark.django_db

GOOD_2027 = """\
date,is_workday,note
2027-01-01,否,元旦
2027-02-06,是,春节
2027-02-08,false,春节
2027-02-09,0,春节
2027-02-20,1,春节
"""


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts and ends with an empty cache, whatever the rolled-back tables held."""
    calendars.invalidate()
    yield
    calendars.invalidate()


def _csv(tmp_path, text: str, name: str = "days.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_copies_every_package_year_and_is_idempotent():
    # given an empty table and the package's years
    package = calendars.package_calendar()
    expected = sum(len(package.days(y)) for y in package.known_years)
    # when seeded twice
    first = calendars.seed_from_package()
    second = calendars.seed_from_package()
    # then every day is there once, and the second run adds nothing
    assert (first, second) == (expected, 0)
    assert CalendarDay.objects.count() == expected
    national_day = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert (national_day.is_workday, national_day.note, national_day.source) == (
        False,
        "国庆节",
        "package",
    )


def test_an_administrators_edit_survives_a_reseed():
    # given a seeded table where an administrator turned a workday into a day off
    calendars.seed_from_package()
    CalendarDay.objects.filter(date=date(2026, 10, 9)).update(
        is_workday=False, note="台风停工", source="admin"
    )
    # when seeded again
    created = calendars.seed_from_package()
    # then the edit wins
    row = CalendarDay.objects.get(date=date(2026, 10, 9))
    assert created == 0
    assert (row.is_workday, row.note, row.source) == (False, "台风停工", "admin")


def test_a_package_row_that_drifted_is_corrected_on_reseed():
    # given a package row that no longer matches the package (e.g. after an upgrade)
    calendars.seed_from_package()
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(is_workday=True, note="")
    # when seeded again
    calendars.seed_from_package()
    # then the package's answer is back
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).is_workday is False


def test_current_is_the_package_while_the_table_is_empty():
    # given no calendar rows
    # when the current calendar is asked
    calendar = calendars.current()
    # then it is the package's, and asking again is served from the cache
    assert calendar is calendars.package_calendar()
    assert calendars.current() is calendar


def test_current_reflects_an_edit_after_invalidate():
    # given a seeded table and the cached calendar, where Friday 2026-10-09 works
    calendars.seed_from_package()
    day = date(2026, 10, 9)
    assert calendars.current().is_workday(day)
    # when an administrator makes it a day off and the cache is invalidated
    CalendarDay.objects.filter(date=day).update(is_workday=False, note="台风停工", source="admin")
    calendars.invalidate()
    # then the next current() sees it
    info = calendars.current().describe(day)
    assert (info.kind, info.note) == ("holiday", "台风停工")


def test_another_processes_edit_is_noticed_on_the_next_recheck(monkeypatch):
    # given a cached calendar
    calendars.seed_from_package()
    day = date(2026, 10, 9)
    assert calendars.current().is_workday(day)
    # when the table changes without invalidate() (another process) and the recheck is due
    CalendarDay.objects.filter(date=day).update(is_workday=False, source="admin")
    monkeypatch.setattr(calendars, "RECHECK_SECONDS", 0)
    # then the fingerprint differs and the calendar is rebuilt
    assert not calendars.current().is_workday(day)


def test_import_writes_the_days_and_makes_the_year_known(tmp_path):
    # given a seeded table (2004-2026) and a CSV with 2027's holidays
    calendars.seed_from_package()
    path = _csv(tmp_path, GOOD_2027)
    # when imported
    report = calendars.import_csv(path)
    # then the listed days are written as imports and the rest of 2027 is filled in
    assert (report.years, report.created, report.updated, report.filled) == ([2027], 5, 0, 360)
    assert CalendarDay.objects.filter(date__year=2027, source="import").count() == 365
    row = CalendarDay.objects.get(date=date(2027, 2, 6))
    assert (row.is_workday, row.note) == (True, "春节")
    assert CalendarDay.objects.get(date=date(2027, 3, 1)).is_workday is True  # a plain Monday
    assert CalendarDay.objects.get(date=date(2027, 3, 6)).is_workday is False  # a plain Saturday
    event = AuditEvent.objects.get(action="calendar_imported")
    assert event.changes["years"] == [2027] and event.changes["created"] == 5


def test_a_2027_import_lets_plans_in_2027_schedule_without_warning(tmp_path):
    # given 2027 imported
    calendars.seed_from_package()
    tasks = [Task("a", 10, Unit.WORKDAY)]
    before = schedule(tasks, start=date(2027, 2, 1), calendar=calendars.current())
    calendars.import_csv(_csv(tmp_path, GOOD_2027))
    # when a plan running through 春节 2027 is scheduled
    after = schedule(tasks, start=date(2027, 2, 1), calendar=calendars.current())
    # then the provisional warning is gone and the imported days count instead of the decree's
    assert before.warnings == (provisional_warning(2027),)
    assert before.provisional_years == (2027,)
    assert (after.warnings, after.provisional_years) == ((), ())
    assert calendars.current().describe(date(2027, 2, 6)).kind == "makeup_workday"
    assert before.parallel.finish == date(2027, 2, 16)  # 02-05 and 02-08 off (decree)
    assert after.parallel.finish == date(2027, 2, 15)  # Saturday 02-06 works, 02-05 too


def test_import_replaces_existing_days_but_fills_nothing_in_a_known_year(tmp_path):
    # given a seeded 2026
    calendars.seed_from_package()
    path = _csv(tmp_path, "date,is_workday,note\n2026/10/9,否,台风停工\n")
    # when one 2026 day is imported (Excel's 2026/10/9 spelling)
    report = calendars.import_csv(path)
    # then only that day changes
    assert (report.created, report.updated, report.filled) == (0, 1, 0)
    row = CalendarDay.objects.get(date=date(2026, 10, 9))
    assert (row.is_workday, row.note, row.source) == (False, "台风停工", "import")
    assert CalendarDay.objects.filter(source="import").count() == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2027-01-01,maybe,元旦", 'row 3, column is_workday: "maybe" is not a yes/no value'),
        ("2027-01-01,,元旦", "row 3, column is_workday: missing"),
        ("2027-13-01,是,", 'row 3, column date: "2027-13-01" is not a date'),
        ("01/02/2027,是,", 'row 3, column date: "01/02/2027" is not a date'),
        (",是,", "row 3, column date: missing"),
        ("1800-01-01,是,", "row 3, column date: 1800-01-01 is out of range"),
        ("2027-02-06,是,春节", "row 3, column date: 2027-02-06 is already on row 2"),
        ("2027-03-01,是," + "长" * 101, "row 3, column note: longer than 100 characters"),
        ("2027-03-01,是,x,y", "row 3: 4 cells, the header has 3"),
    ],
)
def test_a_bad_row_names_row_column_and_reason_and_nothing_is_written(tmp_path, text, problem):
    # given a seeded table and a CSV whose second row is bad
    calendars.seed_from_package()
    rows, events = CalendarDay.objects.count(), AuditEvent.objects.count()
    path = _csv(tmp_path, "date,is_workday,note\n2027-02-06,是,春节\n" + text + "\n")
    # when imported
    with pytest.raises(calendars.CalendarImportError) as caught:
        calendars.import_csv(path)
    # then the problem is named and nothing is written
    assert any(line.startswith(problem) for line in caught.value.lines), caught.value.lines
    assert CalendarDay.objects.count() == rows
    assert AuditEvent.objects.count() == events


def test_every_problem_is_reported_at_once(tmp_path):
    # given a CSV with three bad rows
    path = _csv(tmp_path, "date,is_workday,note\nx,是,\n2027-01-02,maybe,\n2027-01-03,1,\ny,z,\n")
    # when imported
    with pytest.raises(calendars.CalendarImportError) as caught:
        calendars.import_csv(path)
    # then all four problems are listed, in row order
    assert [line.split(":")[0] for line in caught.value.lines] == [
        "row 2, column date",
        "row 3, column is_workday",
        "row 5, column date",
        "row 5, column is_workday",
    ]
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "row 1: the header is missing"),
        ("2027-01-01,是,元旦\n", 'row 1: unknown column "2027-01-01"'),
        ("date,workday,note\n2027-01-01,是,\n", 'row 1: unknown column "workday"'),
        ("date,note\n2027-01-01,元旦\n", 'row 1: the column "is_workday" is missing'),
        ("date,is_workday,note\n", "the file has a header but no days"),
    ],
)
def test_a_bad_header_or_empty_file_is_refused(tmp_path, text, problem):
    # given a CSV without a usable header or rows
    path = _csv(tmp_path, text)
    # when imported
    with pytest.raises(calendars.CalendarImportError) as caught:
        calendars.import_csv(path)
    # then the problem is named
    assert any(line.startswith(problem) for line in caught.value.lines), caught.value.lines


def test_a_missing_file_is_one_clear_problem(tmp_path):
    # given no file
    # when imported
    with pytest.raises(calendars.CalendarImportError) as caught:
        calendars.import_csv(tmp_path / "nope.csv")
    # then the one problem says so
    assert len(caught.value.lines) == 1 and "cannot read the file" in caught.value.lines[0]


def test_the_header_may_carry_a_bom_and_omit_the_note_column(tmp_path):
    # given an Excel-style CSV (BOM, no note column)
    path = tmp_path / "excel.csv"
    path.write_text("\ufeffdate,is_workday\n2027-01-01,否\n", encoding="utf-8")
    # when imported
    report = calendars.import_csv(path)
    # then it is read like any other
    assert report.created == 1
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).is_workday is False
