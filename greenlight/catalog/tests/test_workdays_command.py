"""`greenlight workdays add|count|check` on the platform calendar; bad input exits 2 with one line."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from greenlight.catalog import calendars
from greenlight.catalog.models import CalendarDay
from greenlight.engine.calendar import provisional_warning

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    calendars.invalidate()
    yield
    calendars.invalidate()


def _run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("workdays", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (("add", "2026-09-30", "1"), "2026-10-08"),  # over National Day
        (("add", "2026-10-01", "0"), "2026-10-08"),  # 0: the day itself, or the next working one
        (("add", "2026-10-09", "1"), "2026-10-10"),  # a makeup Saturday works
        (("add", "2026-10-09", "-1"), "2026-10-08"),
        (("add", "2026-10-08", "-1"), "2026-09-30"),
        (("count", "2026-10-01", "2026-10-31"), "18"),
        (("count", "2026-10-31", "2026-10-01"), "0"),
        (("check", "2026-10-10"), "2026-10-10 makeup_workday 国庆节"),
        (("check", "2026-10-03"), "2026-10-03 holiday 国庆节"),
        (("check", "2026-10-11"), "2026-10-11 weekend"),
        (("check", "2026-10-12"), "2026-10-12 workday"),
    ],
)
def test_answers(args, answer):
    # given the package calendar (empty table)
    # when asked
    code, out, err = _run(*args)
    # then the answer is one line
    assert (code, out, err) == (0, answer + "\n", "")


def test_an_edit_in_the_table_is_used():
    # given a seeded table where an administrator closed 2026-10-12
    calendars.seed_from_package()
    CalendarDay.objects.filter(date="2026-10-12").update(
        is_workday=False, note="台风停工", source="admin"
    )
    calendars.invalidate()
    # when checked
    _, out, _ = _run("check", "2026-10-12")
    # then the edit shows
    assert out == "2026-10-12 holiday 台风停工\n"


def test_a_provisional_year_warns_on_stderr_and_strict_refuses():
    # given 2028, which no State Council notice covers yet
    # when checked, then strictly
    code, out, err = _run("check", "2028-01-03")
    strict = _run("check", "2028-01-03", "--strict-calendar")
    # then the answer comes with a warning, and the strict run exits 2 with one line
    assert (code, out) == (0, "2028-01-03 workday\n")
    assert err == f"warning: {provisional_warning(2028)}\n"
    assert strict == (2, "", f"workdays: {provisional_warning(2028)}\n")


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("add", "2026-13-01", "1"), 'bad date "2026-13-01" (use YYYY-MM-DD)'),
        (("add", "tomorrow", "1"), 'bad date "tomorrow"'),
        (("add", "2026-10-01", "x"), 'N must be a whole number, got "x"'),
        (("add", "2026-10-01", "99999"), "N must be between -10000 and 10000"),
        (("count", "2026-10-01", "2026-02-30"), 'bad date "2026-02-30"'),
        (("check", "1800-01-01"), "date 1800-01-01 out of range"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, problem):
    # given a bad argument
    # when run
    code, out, err = _run(*args)
    # then exit code 2 and one line naming it
    assert (code, out) == (2, "")
    assert err == f"workdays: {problem}\n" or (err.count("\n") == 1 and problem in err)
