"""WorkCalendar: package data, rows, natural, unknown years, O(1) arithmetic vs a naive walk."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlight.engine.calendar import CalendarError, WorkCalendar, provisional_warning

CN = WorkCalendar.from_package()
D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "kind", "note"),
    [
        ("2026-09-30", "workday", ""),
        ("2026-10-01", "holiday", "国庆节"),
        ("2026-10-03", "holiday", "国庆节"),  # a Saturday inside the holiday keeps its name
        ("2026-10-07", "holiday", "国庆节"),
        ("2026-10-08", "workday", ""),
        ("2026-10-10", "makeup_workday", "国庆节"),  # Saturday 调休 working day
        ("2026-10-11", "weekend", ""),
        ("2026-02-17", "holiday", "春节"),
        ("2026-01-01", "holiday", "元旦"),
        ("2026-04-05", "holiday", "清明节"),
        ("2026-05-01", "holiday", "劳动节"),
        ("2026-06-19", "holiday", "端午节"),
        ("2026-09-25", "holiday", "中秋节"),
        ("2015-09-03", "holiday", "抗战胜利70周年纪念日"),
    ],
)
def test_describe_names_holidays_in_chinese(day, kind, note):
    # given the package calendar
    # when a day is described
    info = CN.describe(D(day))
    # then its kind and Chinese note are reported, and is_workday agrees with the package
    assert (info.kind, info.note) == (kind, note)
    assert CN.is_workday(D(day)) == chinese_calendar.is_workday(D(day)) == info.is_workday


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2026-09-30", 1, "2026-10-08"),  # over the National Day holiday
        ("2026-09-30", 3, "2026-10-10"),  # the makeup Saturday counts
        ("2026-10-09", 2, "2026-10-12"),
        ("2026-09-30", 0, "2026-09-30"),  # 0: the day itself when it works
        ("2026-10-01", 0, "2026-10-08"),  # 0: else the next working day
        ("2026-10-08", -1, "2026-09-30"),  # negative counts back
        ("2026-10-12", -2, "2026-10-09"),
        ("2026-12-31", 1, "2027-01-04"),  # 2027 is provisional: 元旦 (Fri) off, no 调休
    ],
)
def test_add_workdays(day, n, expected):
    # given / when / then
    assert CN.add_workdays(D(day), n) == D(expected)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2026-10-01", "2026-10-31", 18),
        ("2026-10-01", "2026-10-07", 0),
        ("2026-10-08", "2026-10-08", 1),
        ("2026-10-09", "2026-10-08", 0),  # last before first
        ("2026-01-01", "2026-12-31", 248),  # as chinese_calendar.get_workdays
    ],
)
def test_count_workdays_inclusive(first, last, expected):
    # given / when / then
    assert CN.count_workdays(D(first), D(last)) == expected


def test_known_years_and_provisional_year_warning():
    # given the package calendar, which stops at 2026
    # when asked about a range into 2027
    warnings = CN.warnings_for(D("2026-12-01"), D("2027-02-01"))
    # then 2027 is reported as provisional, with the decree's holidays and no 调休
    assert CN.known_years[0] == 2004 and CN.known_years[-1] == 2026
    assert warnings == [provisional_warning(2027)]
    assert "暂定" in warnings[0] and "未含调休" in warnings[0]
    assert not CN.is_workday(D("2027-01-01"))  # a Friday, 元旦 by the decree
    assert CN.provisional_years(D("2026-12-01"), D("2028-01-01")) == [2027, 2028]
    assert not CN.is_provisional_year(2026)


def test_a_year_before_the_decree_without_data_is_weekends_only():
    # given a calendar knowing only 2030 (rows), asked about 2003 (before decree 795)
    cal = WorkCalendar.from_rows([(D("2030-01-07"), False, "测试假")])
    # when / then
    assert cal.warnings_for(D("2003-01-01"), D("2003-12-31")) == [
        "no holiday data for 2003: weekends only"
    ]
    assert cal.is_workday(D("2003-10-01")) and not cal.is_provisional_year(2003)


def test_strict_calendar_raises_for_a_provisional_year():
    # given a strict copy
    strict = CN.strictly()
    # when / then
    assert strict.is_workday(D("2026-10-08"))
    with pytest.raises(CalendarError, match="2027 年为暂定日历"):
        strict.add_workdays(D("2026-12-31"), 1)


def test_from_rows_and_natural():
    # given rows that make a Monday a holiday and a Saturday a working day
    rows = [(D("2030-01-07"), False, "测试假"), (D("2030-01-12"), True, "测试调休")]
    cal = WorkCalendar.from_rows(rows)
    # when / then
    assert cal.known_years == (2030,)
    assert cal.describe(D("2030-01-07")).kind == "holiday"
    assert cal.describe(D("2030-01-12")).kind == "makeup_workday"
    assert cal.add_workdays(D("2030-01-04"), 1) == D("2030-01-08")
    assert WorkCalendar.natural().add_workdays(D("2026-10-01"), 3) == D("2026-10-04")
    assert WorkCalendar.natural().warnings_for(D("2100-01-01"), D("2101-01-01")) == []


def test_days_of_a_year_cover_it():
    # given / when
    days = CN.days(2026)
    # then every day is there and the workdays add up
    assert len(days) == 365 and sum(d.is_workday for d in days) == 248


def _walk_add(cal, d, n):
    while n > 0:
        d += timedelta(days=1)
        n -= cal.describe(d).is_workday
    return d


dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))


@settings(max_examples=200, deadline=None)
@given(day=dates, n=st.integers(min_value=1, max_value=400))
def test_add_workdays_matches_a_naive_walk(day, n):
    # given a day and a count / when added / then it equals walking day by day
    assert CN.add_workdays(day, n) == _walk_add(CN, day, n)
    assert CN.count_workdays(day + timedelta(days=1), CN.add_workdays(day, n)) == n


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_is_workday_matches_the_package(day):
    # given / when / then
    assert CN.is_workday(day) == chinese_calendar.is_workday(day)
