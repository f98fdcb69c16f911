"""The scheduling semantics, one table row per rule."""

from datetime import date

import pytest

from greenlight.engine.calendar import provisional_warning
from greenlight.engine.network import Actual, Bundle, Link, ScheduleError, Target, Task, Unit
from greenlight.engine.schedule import schedule

from .helpers import CN, task

D = date.fromisoformat
MON = D("2026-03-02")


def _dates(result):
    return {t.id: (str(t.early_start), str(t.early_finish)) for t in result.tasks}


@pytest.mark.parametrize(
    ("rule", "start", "tasks", "expected"),
    [
        (
            "workdays skip the National Day holiday and count the 10-10 makeup Saturday",
            "2026-09-29",
            [task("a", 5)],
            {"a": ("2026-09-29", "2026-10-10")},
        ),
        (
            "FS successor starts on the first working day after the holiday",
            "2026-09-29",
            [task("a", 2), task("b", 1, "a")],
            {"a": ("2026-09-29", "2026-09-30"), "b": ("2026-10-08", "2026-10-08")},
        ),
        (
            "calendar-day tasks run through holidays",
            "2026-09-29",
            [task("a", 5, unit="day")],
            {"a": ("2026-09-29", "2026-10-03")},
        ),
        (
            "a plan starting on a Saturday starts workday tasks on Monday",
            "2026-03-07",
            [task("a", 1), task("b", 1, unit="day")],
            {"a": ("2026-03-09", "2026-03-09"), "b": ("2026-03-07", "2026-03-07")},
        ),
        (
            "a milestone finishes on its start day and successors start that same day",
            "2026-03-02",
            [task("a", 3), task("m", 0, "a"), task("b", 2, "m")],
            {
                "a": ("2026-03-02", "2026-03-04"),
                "m": ("2026-03-05", "2026-03-05"),
                "b": ("2026-03-05", "2026-03-06"),
            },
        ),
        (
            "SS lag 0: the successor may start with its predecessor",
            "2026-03-02",
            [task("a", 10), task("b", 1, ("a", "SS", 0))],
            {"a": ("2026-03-02", "2026-03-13"), "b": ("2026-03-02", "2026-03-02")},
        ),
        (
            "SS lag N: the N-th eligible day after the predecessor's start",
            "2026-03-05",
            [task("a", 10), task("b", 1, ("a", "SS", 2))],
            {"a": ("2026-03-05", "2026-03-18"), "b": ("2026-03-09", "2026-03-09")},
        ),
        (
            "FS lag N: N eligible days pass after the finish (Tue, Wed), start Thursday",
            "2026-03-02",
            [task("a", 1), task("b", 1, ("a", "FS", 2))],
            {"a": ("2026-03-02", "2026-03-02"), "b": ("2026-03-05", "2026-03-05")},
        ),
        (
            "FS lag in calendar days for a day-unit successor (Sat, Sun pass)",
            "2026-03-06",
            [task("a", 1), task("b", 1, ("a", "FS", 2), unit="day")],
            {"a": ("2026-03-06", "2026-03-06"), "b": ("2026-03-09", "2026-03-09")},
        ),
    ],
)
def test_forward_pass(rule, start, tasks, expected):
    # given the tasks of one rule
    # when scheduled from `start`
    result = schedule(tasks, start=D(start), calendar=CN)
    # then the early dates are as the rule says
    assert _dates(result) == expected, rule


def test_parallel_and_serial_spans():
    # given three independent tasks
    tasks = [task("a", 5), task("b", 3), task("c", 2)]
    # when scheduled
    r = schedule(tasks, start=MON, calendar=CN)
    # then parallel takes the longest, serial the sum, one after another in file order
    assert (str(r.parallel.finish), r.parallel.days, r.parallel.workdays) == ("2026-03-06", 5, 5)
    assert (str(r.serial.finish), r.serial.days, r.serial.workdays) == ("2026-03-13", 12, 10)
    assert r.saved_days == 7


def test_serial_follows_topological_order_then_file_order():
    # given c listed first but depending on b
    tasks = [task("c", 1, "b"), task("a", 1), task("b", 1)]
    # when scheduled
    r = schedule(tasks, start=MON, calendar=CN)
    # then serial runs a, b, c: the file order where the links allow it
    assert str(r.serial.finish) == "2026-03-04"


@pytest.mark.parametrize(
    ("tasks", "late", "critical"),
    [
        (  # a→c is critical; b has one day of float
            [task("a", 2), task("b", 1), task("c", 1, "a", "b")],
            {"a": ("2026-03-02", "2026-03-03"), "b": ("2026-03-03", "2026-03-03")},
            ("a", "c"),
        ),
        (  # b may finish on Friday at the latest: the weekend is no float for workday tasks
            [task("a", 5), task("b", 1), task("c", 1, "a", "b")],
            {"b": ("2026-03-06", "2026-03-06"), "c": ("2026-03-09", "2026-03-09")},
            ("a", "c"),
        ),
        (  # SS: delaying a's start delays b, so a is critical although b finishes later
            [task("a", 5), task("b", 5, ("a", "SS", 2))],
            {"a": ("2026-03-02", "2026-03-06"), "b": ("2026-03-04", "2026-03-10")},
            ("a", "b"),
        ),
        (  # a milestone on the critical path has zero float
            [task("a", 3), task("m", 0, "a"), task("b", 2, "m")],
            {"m": ("2026-03-05", "2026-03-05")},
            ("a", "m", "b"),
        ),
    ],
)
def test_backward_pass(tasks, late, critical):
    # given a plan / when scheduled
    r = schedule(tasks, start=MON, calendar=CN)
    by_id = {t.id: t for t in r.tasks}
    # then late dates, float and the critical path follow
    for tid, (ls, lf) in late.items():
        assert (str(by_id[tid].late_start), str(by_id[tid].late_finish)) == (ls, lf), tid
    assert r.critical == critical
    assert all((t.float_days == 0) == t.critical for t in r.tasks)
    assert by_id["a"].float_days == 0


@pytest.mark.parametrize(
    ("by", "feasible", "days_late", "b_late_start", "b_float"),
    [
        ("2026-03-20", True, 0, "2026-03-16", 7),
        ("2026-03-13", True, 0, "2026-03-09", 0),
        ("2026-03-11", False, 2, "2026-03-05", -4),
    ],
)
def test_target(by, feasible, days_late, b_late_start, b_float):
    # given a→b and an unrelated long task c
    tasks = [task("a", 5), task("b", 5, "a"), task("c", 30)]
    # when planned backward from b's target date
    r = schedule(tasks, start=MON, calendar=CN, target=Target("b", D(by)))
    by_id = {t.id: t for t in r.tasks}
    # then feasibility, lateness and float are against the target; c keeps the project finish
    assert (r.target.feasible, r.target.days_late) == (feasible, days_late)
    assert (str(by_id["b"].late_start), by_id["b"].float_days) == (b_late_start, b_float)
    assert by_id["b"].critical == (b_float <= 0)
    assert by_id["c"].float_days == 0


def test_bundle_merges_members():
    # given a→eia, a→dis, both→p, with eia+dis handled together in 11 working days
    tasks = [task("a", 1), task("eia", 20, "a"), task("dis", 10, "a"), task("p", 5, "eia", "dis")]
    bundle = Bundle("eia_dis", ("eia", "dis"), 11, Unit.WORKDAY, "联办")
    # when scheduled
    r = schedule(tasks, start=MON, calendar=CN, bundles=[bundle])
    by_id = {t.id: t for t in r.tasks}
    # then both members report the bundle's dates and p follows the bundle
    assert _dates(r)["eia"] == _dates(r)["dis"] == ("2026-03-03", "2026-03-17")
    assert _dates(r)["p"] == ("2026-03-18", "2026-03-24")
    assert by_id["eia"].bundle == "eia_dis"
    assert r.bundles[0].id == "eia_dis" and r.bundles[0].critical
    assert r.critical == ("a", "eia", "dis", "p")


def test_bundle_takes_union_of_outside_prerequisites():
    # given x (10 days) before dis only, and a bundle of eia+dis
    tasks = [task("x", 10), task("eia", 2), task("dis", 2, "x"), task("p", 1, "eia")]
    # when eia and dis are bundled
    r = schedule(tasks, start=MON, calendar=CN, bundles=[Bundle("b", ("eia", "dis"), 2)])
    # then eia waits for x too, and p (after eia only) waits for the bundle
    assert _dates(r)["eia"] == ("2026-03-16", "2026-03-17")
    assert _dates(r)["p"] == ("2026-03-18", "2026-03-18")


@pytest.mark.parametrize(
    ("actuals", "as_of", "b_forecast", "slip"),
    [
        # a finished two working days late; b cannot start before as_of
        ({"a": Actual(D("2026-03-02"), D("2026-03-10"))}, "2026-03-16", ("2026-03-16", "2026-03-20"), 7),
        # b started, not finished: no earlier than its duration allows
        ({"a": Actual(MON, D("2026-03-06")), "b": Actual(D("2026-03-11"))}, "2026-03-12", ("2026-03-11", "2026-03-17"), 4),
        # b started, not finished, and its duration is used up: no earlier than as_of
        ({"a": Actual(MON, D("2026-03-06")), "b": Actual(D("2026-03-11"))}, "2026-03-20", ("2026-03-11", "2026-03-20"), 7),
        # on time so far
        ({"a": Actual(MON, D("2026-03-06"))}, "2026-03-06", ("2026-03-09", "2026-03-13"), 0),
    ],
)  # fmt: skip
def test_actuals_forecast_and_slip(actuals, as_of, b_forecast, slip):
    # given a→b, planned 03-02..03-06 and 03-09..03-13
    tasks = [task("a", 5), task("b", 5, "a")]
    # when re-forecast from actuals
    r = schedule(tasks, start=MON, calendar=CN, actuals=actuals, as_of=D(as_of))
    b = r.tasks[1]
    # then b's forecast and slip follow; the baseline dates are unchanged
    assert (str(b.forecast_start), str(b.forecast_finish)) == b_forecast
    assert b.slip_days == slip == r.slip_days
    assert (str(b.early_start), str(b.early_finish)) == ("2026-03-09", "2026-03-13")


@pytest.mark.parametrize(
    ("actuals", "as_of", "a_forecast", "b_forecast"),
    [
        # nothing started, as_of two weeks after the plan start: all of it moves to as_of
        ({}, "2026-03-16", ("2026-03-16", "2026-03-20"), ("2026-03-23", "2026-03-27")),
        # nothing started, as_of on a Saturday: the first working day after it
        ({}, "2026-03-14", ("2026-03-16", "2026-03-20"), ("2026-03-23", "2026-03-27")),
        # nothing started, as_of before the plan start: the baseline stands
        ({}, "2026-02-20", ("2026-03-02", "2026-03-06"), ("2026-03-09", "2026-03-13")),
        # a running, its clock due later than its duration (an earlier pause): the due day
        ({"a": Actual(MON, due=D("2026-03-12"))}, "2026-03-05", ("2026-03-02", "2026-03-12"), ("2026-03-13", "2026-03-19")),
        # a running and overdue: not before as_of
        ({"a": Actual(MON, due=D("2026-03-06"))}, "2026-03-10", ("2026-03-02", "2026-03-10"), ("2026-03-11", "2026-03-17")),
        # a finished: its due day no longer matters
        ({"a": Actual(MON, D("2026-03-04"), D("2026-03-12"))}, "2026-03-05", ("2026-03-02", "2026-03-04"), ("2026-03-05", "2026-03-11")),
    ],
)  # fmt: skip
def test_forecast_never_before_as_of(actuals, as_of, a_forecast, b_forecast):
    # given a→b, planned 03-02..03-06 and 03-09..03-13
    tasks = [task("a", 5), task("b", 5, "a")]
    # when forecast as of a day, with or without actuals
    r = schedule(tasks, start=MON, calendar=CN, actuals=actuals or None, as_of=D(as_of))
    a, b = r.tasks
    # then the forecast follows the rules; the baseline is unchanged
    assert (str(a.forecast_start), str(a.forecast_finish)) == a_forecast
    assert (str(b.forecast_start), str(b.forecast_finish)) == b_forecast
    assert (str(b.early_start), str(b.early_finish)) == ("2026-03-09", "2026-03-13")
    assert r.forecast.finish == b.forecast_finish
    assert r.slip_days == (b.forecast_finish - b.early_finish).days


def test_a_bundle_is_due_with_its_latest_running_member():
    # given a bundle of a and b, both running, b's clock due later
    tasks = [task("a", 3), task("b", 3), task("c", 1, "a")]
    actuals = {"a": Actual(MON, due=D("2026-03-05")), "b": Actual(MON, due=D("2026-03-09"))}
    # when forecast
    r = schedule(
        tasks,
        start=MON,
        calendar=CN,
        bundles=[Bundle("ab", ("a", "b"), 3)],
        actuals=actuals,
        as_of=D("2026-03-03"),
    )
    # then the bundle finishes on b's due day and c follows it
    assert r.bundles[0].forecast_finish == D("2026-03-09")
    assert _task(r, "c").forecast_start == D("2026-03-10")


@pytest.mark.parametrize(
    ("actuals", "bundle", "a", "b"),
    [
        # a decided on its own, b not begun: the bundle has not begun; a keeps its dates
        ({"a": Actual(MON, D("2026-03-04"))}, ("2026-03-16", "2026-03-18"), ("2026-03-02", "2026-03-04"), ("2026-03-16", "2026-03-18")),
        # a running, b not begun: likewise, a keeps its actual start
        ({"a": Actual(MON)}, ("2026-03-16", "2026-03-18"), ("2026-03-02", "2026-03-18"), ("2026-03-16", "2026-03-18")),
        # both begun: the bundle began with the earlier; b reports its own start
        ({"a": Actual(MON), "b": Actual(D("2026-03-03"))}, ("2026-03-02", "2026-03-16"), ("2026-03-02", "2026-03-16"), ("2026-03-03", "2026-03-16")),
    ],
)  # fmt: skip
def test_a_bundle_begins_when_all_its_members_have(actuals, bundle, a, b):
    # given a bundle of a and b (3 working days), forecast as of Monday 03-16
    r = schedule(
        [task("a", 3), task("b", 3)],
        start=MON,
        calendar=CN,
        bundles=[Bundle("ab", ("a", "b"), 3)],
        actuals=actuals,
        as_of=D("2026-03-16"),
    )
    # then
    got = [(str(t.forecast_start), str(t.forecast_finish)) for t in (*r.bundles, *r.tasks)]
    assert got == [bundle, a, b]


def test_without_as_of_there_is_no_forecast():
    r = schedule([task("a", 5)], start=MON, calendar=CN)
    assert r.forecast is None and r.tasks[0].forecast_start is None


@pytest.mark.parametrize(
    ("tasks", "kwargs", "message"),
    [
        ([task("a", 1), task("a", 2)], {}, 'task "a": duplicate id'),
        ([task("a", -1)], {}, 'task "a": duration must be 0 or more, got -1'),
        ([task("a", 1, "zz")], {}, 'task "a": unknown prerequisite "zz"'),
        ([task("a", 1, "b"), task("b", 1, "a")], {}, "cycle: a → b → a"),
        ([task("a", 1, "a")], {}, "cycle: a → a"),
        ([], {}, "the plan has no tasks"),
        ([task("a", 1)], {"target": Target("zz", MON)}, 'target: unknown task "zz"'),
        ([task("a", 1)], {"actuals": {"a": Actual(MON)}}, "as_of is required with actuals"),
        (
            [task("a", 1), task("b", 1, "x"), task("x", 1, "a")],
            {"bundles": [Bundle("ab", ("a", "b"), 2)]},
            'cycle: ab → x → ab (bundle "ab" merges its tasks)',
        ),
    ],
)
def test_engine_rejects_bad_input(tasks, kwargs, message):
    # given bad input / when scheduled / then one clear ScheduleError
    with pytest.raises(ScheduleError) as e:
        schedule(tasks, start=MON, calendar=CN, **kwargs)
    assert str(e.value) == message


def test_warns_for_a_provisional_year():
    # given a plan that runs into 2027 (no State Council notice yet)
    r = schedule([task("a", 20)], start=D("2026-12-20"), calendar=CN)
    # then the result carries the calendar warning and names the provisional year
    assert r.warnings == (provisional_warning(2027),)
    assert r.provisional_years == (2027,)
    # and a plan within 2026 has neither
    inside = schedule([task("a", 5)], start=D("2026-09-01"), calendar=CN)
    assert (inside.warnings, inside.provisional_years) == ((), ())


def test_a_legal_day_period_ending_on_a_holiday_finishes_on_the_next_working_day():
    # given 7 days from 2026-09-28 (start counted): the 7th day is 10-04, in the National Day
    legal = [Task("a", 7, Unit.DAY, legal=True), Task("b", 1, Unit.WORKDAY, (Link("a"),))]
    plain = [Task("a", 7, Unit.DAY), Task("b", 1, Unit.WORKDAY, (Link("a"),))]
    # when
    got = schedule(legal, start=date(2026, 9, 28), calendar=CN)
    was = schedule(plain, start=date(2026, 9, 28), calendar=CN)
    # then the legal period ends on 10-08, the first working day after the holiday
    assert _task(got, "a").early_finish == date(2026, 10, 8)
    assert _task(got, "b").early_start == date(2026, 10, 9)
    assert _task(was, "a").early_finish == date(2026, 10, 4)  # a plain task keeps its arithmetic
    # and the backward pass agrees: the late finish is that working day; starting up to 4 days
    # later still ends on 10-08 (the holiday absorbs it), so that is the period's float
    a = _task(got, "a")
    assert (a.late_finish, a.late_start, a.float_days) == (date(2026, 10, 8), date(2026, 10, 2), 4)
    assert _task(got, "b").critical


def test_a_legal_period_ending_on_a_working_day_is_not_moved():
    got = schedule([Task("a", 5, Unit.DAY, legal=True)], start=date(2026, 11, 2), calendar=CN)
    assert _task(got, "a").early_finish == date(2026, 11, 6)


def test_a_legal_period_in_forecast_rolls_too():
    tasks = [Task("a", 3, Unit.DAY, legal=True)]
    got = schedule(
        tasks,
        start=date(2026, 11, 2),
        calendar=CN,
        actuals={"a": Actual(start=date(2026, 11, 5))},
        as_of=date(2026, 11, 6),
    )
    # 3 days from Thursday 11-05 end on Saturday 11-07 -> Monday 11-09
    assert _task(got, "a").forecast_finish == date(2026, 11, 9)


def _task(result, tid):
    return next(t for t in result.tasks if t.id == tid)
