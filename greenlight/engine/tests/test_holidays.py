"""Provisional holidays by decree 795: 2027 derived from lunar-python, checked against the
package's 2025 and 2026, and how the calendar marks a provisional year."""

from datetime import date, timedelta

from chinese_calendar import constants
from lunar_python import Solar

from greenlight.engine.calendar import HOLIDAY, WEEKEND, WORKDAY, WorkCalendar
from greenlight.engine.holidays import provisional_holidays

D = date.fromisoformat
PACKAGE = WorkCalendar.from_package()
# The package's years up to 2026 only: 2027 stays provisional even once a package knows it.
CN = WorkCalendar.from_rows(
    (i.date, i.is_workday, i.note) for y in range(2024, 2027) for i in PACKAGE.days(y)
)


def _span(first: str, last: str) -> list[date]:
    a, b = D(first), D(last)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


def test_2027_has_the_decrees_thirteen_days():
    # given / when 2027 is derived
    days = provisional_holidays(2027)
    # then exactly the statutory days are off, each named
    expected = {D("2027-01-01"): "元旦"}
    expected |= {d: "春节" for d in _span("2027-02-05", "2027-02-08")}
    expected |= {D("2027-04-05"): "清明节"}
    expected |= {d: "劳动节" for d in _span("2027-05-01", "2027-05-02")}
    expected |= {D("2027-06-09"): "端午节", D("2027-09-15"): "中秋节"}
    expected |= {d: "国庆节" for d in _span("2027-10-01", "2027-10-03")}
    assert days == expected
    assert len(days) == 1 + 4 + 1 + 2 + 1 + 1 + 3


def test_2027_new_years_eve_is_the_last_day_of_the_lunar_year():
    # given the library's lunar dates
    eve = Solar.fromYmd(2027, 2, 5).getLunar()
    first = Solar.fromYmd(2027, 2, 6).getLunar()
    # then 2027-02-05 is lunar 2026-12-29 (a short twelfth month) and the next day is 正月初一
    assert (eve.getYear(), eve.getMonth(), eve.getDay()) == (2026, 12, 29)
    assert (first.getYear(), first.getMonth(), first.getDay()) == (2027, 1, 1)
    # and 清明 2027 is the solar term's day
    assert Solar.fromYmd(2027, 4, 5).getLunar().getJieQi() == "清明"


def test_2025_and_2026_derived_match_the_package_except_what_notices_decide():
    # given the package's official 2025 and 2026 (from the State Council notices)
    for year in (2025, 2026):
        derived = provisional_holidays(year)
        official_off = {d for d, _ in constants.holidays.items() if d.year == year}
        # then every derived day is off in the official calendar
        assert set(derived) <= official_off, year
        # and the official weekday holidays beyond them are the notices' 调休 and 补假 only
        statutory = {d for d in official_off if d.weekday() < 5 and d not in constants.in_lieu_days}
        assert statutory - {d for d in derived if d.weekday() < 5} == {
            D("2025-06-02"),  # 端午 on Saturday 05-31: made up on Monday (article 6 补假)
            D("2026-04-06"),  # 清明 on Sunday 04-05
            D("2026-05-04"),  # 劳动节 05-02 on Saturday
            D("2026-10-05"),  # 国庆 10-03 on Saturday
        } & {d for d in statutory if d.year == year}


def test_two_holidays_on_one_day_are_joined_and_years_before_the_decree_get_none():
    # 2028: 中秋 falls on 10-03, inside 国庆
    assert provisional_holidays(2028)[D("2028-10-03")] == "国庆节、中秋节"
    assert provisional_holidays(2024) == {} and provisional_holidays(2200) == {}


def test_the_calendar_marks_provisional_days_and_counts_them_off():
    # given the package calendar (data to 2026)
    # when 2027 days are described
    eve, saturday, plain = (CN.describe(D(d)) for d in ("2027-02-05", "2027-02-06", "2027-02-09"))
    # then the holidays are off and every day of 2027 is marked provisional
    assert (eve.kind, eve.note, eve.provisional) == (HOLIDAY, "春节", True)
    assert (saturday.kind, saturday.note) == (HOLIDAY, "春节")  # a weekend holiday keeps its name
    assert (plain.kind, plain.provisional) == (WORKDAY, True)
    assert CN.describe(D("2027-02-13")).kind == WEEKEND  # no 调休 make-up day is guessed
    assert CN.describe(D("2026-10-01")).provisional is False
    # and arithmetic skips them: Thursday 02-04 + 1 working day is Tuesday 02-09
    assert CN.add_workdays(D("2027-02-04"), 1) == D("2027-02-09")
    assert CN.count_workdays(D("2027-10-01"), D("2027-10-08")) == 5  # Oct 4-8


def test_rows_of_a_year_replace_its_provisional_days():
    # given a table calendar that knows 2027 from the notice (one make-up Saturday)
    rows = [(D("2027-02-05"), False, "春节"), (D("2027-02-20"), True, "春节")]
    cal = WorkCalendar.from_rows(rows)
    # then 2027 is no longer provisional, and only the rows decide
    assert not cal.is_provisional_year(2027) and cal.is_provisional_year(2028)
    assert cal.describe(D("2027-02-20")).kind == "makeup_workday"
    assert cal.is_workday(D("2027-01-01"))  # the rows did not list 元旦
    assert cal.warnings_for(D("2027-01-01"), D("2027-12-31")) == []
