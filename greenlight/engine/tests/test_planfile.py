"""Plan files: parsing, every bad-input message with its line, JSON and text output."""

import json
import textwrap

import pytest

from greenlight.engine import planfile, report

from .helpers import CN

GOOD = textwrap.dedent(
    """\
    name: 危险边坡治理工程审批
    start: 2026-09-01
    tasks:
      - id: geo
        name: 地质灾害危险性评估
        department: 规划和自然资源局
        duration: 30
        unit: day
      - id: eia
        department: 生态环境局
        duration: 20
        after: [geo]
      - id: discharge
        department: 生态环境局
        duration: 10
        after: [geo]
      - id: permit
        department: 住房和城乡建设局
        duration: 5
        after: [eia, {task: discharge, type: FS, lag: 0}]
    bundles:
      - {id: eia_permit, name: 环评与排污许可联办, tasks: [eia, discharge], duration: 11}
    target: {task: permit, by: 2026-12-15}
    """
)


def test_good_plan_round_trips_to_json():
    # given a good plan file
    plan = planfile.load(GOOD)
    # when scheduled and rendered
    out = report.to_json(plan, planfile.run(plan, CN))
    # then the documented shape comes out, dates as ISO strings
    assert list(out) == [
        "name", "start", "calendar", "parallel", "serial", "saved_days", "critical",
        "tasks", "bundles", "target", "warnings", "provisional_years",
    ]  # fmt: skip
    assert out["parallel"] == {"finish": "2026-10-28", "days": 58, "workdays": 38}
    assert out["tasks"][1]["early_start"] == "2026-10-08"
    assert out["bundles"][0]["tasks"] == ["eia", "discharge"]
    assert out["target"] == {"task": "permit", "by": "2026-12-15", "feasible": True, "days_late": 0}
    json.dumps(out)  # serialisable as is


def test_json_plan_file_is_accepted():
    # given the same plan as JSON (tabs and all)
    doc = {
        "start": "2026-03-02",
        "tasks": [{"id": "a", "duration": 2}, {"id": "b", "duration": 1, "after": ["a"]}],
    }
    # when loaded
    plan = planfile.load(json.dumps(doc, indent="\t"))
    # then it schedules like YAML
    assert str(planfile.run(plan, CN).parallel.finish) == "2026-03-04"


def test_a_running_actuals_due_day_is_read_and_forecast():
    # given a plan forecast as of a day, with a running task whose clock is due later
    plan = planfile.load(
        textwrap.dedent(
            """\
            start: 2026-03-02
            as_of: 2026-03-05
            tasks: [{id: a, duration: 5}, {id: b, duration: 1, after: [a]}]
            actuals:
              a: {start: 2026-03-02, due: 2026-03-12}
            """
        )
    )
    # when scheduled
    out = report.to_json(plan, planfile.run(plan, CN))
    # then a is forecast to its due day and b after it
    assert plan.actuals["a"].due.isoformat() == "2026-03-12"
    assert [t["forecast_finish"] for t in out["tasks"]] == ["2026-03-12", "2026-03-13"]
    assert out["as_of"] == "2026-03-05"


def test_text_report_has_lanes_stars_and_summary():
    # given a scheduled plan without a target, so the critical path has zero float
    plan = planfile.load(GOOD.replace("target: {task: permit, by: 2026-12-15}", ""))
    result = planfile.run(plan, CN)
    # when rendered as text
    text = report.render_text(plan, result)
    # then lanes, stars and the exact summary line are there
    assert "规划和自然资源局" in text and "★" in text
    assert (
        f"串联 {result.serial.days} 天 → 并联 {result.parallel.days} 天，节省 {result.saved_days} 天"
        in text
    )
    assert report.summary(result) == "串联 58 天 → 并联 58 天，节省 0 天"  # the bundle is serial


def _bad(text):
    with pytest.raises(planfile.PlanError) as e:
        planfile.load(textwrap.dedent(text))
    return str(e.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            """\
            start: 2026-03-02
            tasks:
              - {id: a, duration: 1, after: [b]}
              - {id: b, duration: 1, after: [c]}
              - {id: c, duration: 1, after: [a]}
            """,
            "line 3: cycle: a → c → b → a"  # c after a, b after c, a after b,
        ),
        (
            """\
            start: 2026-03-02
            tasks:
              - {id: a, duration: 1}
              - id: b
                duration: 1
                after: [a, geo2]
            """,
            'line 6: task "b": unknown prerequisite "geo2"',
        ),
        (
            """\
            start: 2026-03-02
            tasks:
              - {id: a, duration: 1}
              - {id: a, duration: 2}
            """,
            'line 4: task "a": duplicate id (first defined on line 3)',
        ),
        (
            """\
            start: 2026-03-02
            tasks:
              - id: a
                duration: -3
            """,
            'line 4: task "a": duration must be 0 or more, got -3',
        ),
        (
            """\
            start: 2026-03-02
            tasks:
              - id: a
                duration: 3
                unit: week
            """,
            'line 5: task "a": unknown unit "week" (use day or workday)',
        ),
        (
            """\
            start: 2026-13-02
            tasks: [{id: a, duration: 1}]
            """,
            'line 1: start: bad date "2026-13-02" (use YYYY-MM-DD)',
        ),
        (
            """\
            start: 2026-03-02
            tasks: [{id: a, duration: 1}, {id: b, duration: 1}]
            bundles:
              - {id: x, tasks: [a], duration: 1}
              - {id: y, tasks: [b, a], duration: 1}
            """,
            'line 5: task "a" is in two bundles: "x" and "y"',
        ),
        (
            """\
            start: 2026-03-02
            tasks: [{id: a, duration: 1}]
            actuals:
              a: {start: 2026-03-02}
            """,
            "line 3: actuals: as_of (the forecast date) is required with actuals",
        ),
        (
            """\
            start: 2026-03-02
            tasks: [{id: a, duration: 1}]
            target: {task: permit, by: 2026-12-15}
            """,
            'line 3: target: unknown task "permit"',
        ),
        (
            """\
            start: 2026-03-02
            tasks:
              - id: a
                duration: 1
                afer: [b]
            """,
            'line 5: task "a": unknown field "afer" (known: after, department, duration, id, legal, name, unit)',
        ),
        (
            """\
            start: 2026-03-02
            tasks:
              - {id: a, duration: 1}
              - {id: b, duration: 1, after: [{task: a, type: FF}]}
            """,
            'line 4: task "b" prerequisite: unknown type "FF" (use FS or SS)',
        ),
        (
            """\
            start: 2026-03-02
            tasks:
              - {id: a, duration: three}
            """,
            'line 3: task "a": duration must be a whole number, got "three"',
        ),
        ("start: 2026-03-02\n", "line 1: tasks: the plan needs a list of tasks"),
        ("start: 2026-03-02\ntasks: [\n", "line 3: not valid YAML: expected the node content, but found '<stream end>'"),
        (
            """\
            start: 2026-03-02
            calendar: lunar
            tasks: [{id: a, duration: 1}]
            """,
            'line 2: calendar: unknown calendar "lunar" (use cn or natural)',
        ),
        (
            """\
            start: 2026-03-02
            as_of: 2026-03-05
            tasks: [{id: a, duration: 1}]
            actuals:
              a: {start: 2026-03-04, finish: 2026-03-03}
            """,
            'line 5: actual for "a": finish 2026-03-03 is before start 2026-03-04',
        ),
        (
            """\
            start: 2026-03-02
            tasks:
              - {id: a, duration: 1, after: [x]}
              - {id: x, duration: 1, after: [b]}
              - {id: b, duration: 1}
            bundles:
              - {id: ab, tasks: [a, b], duration: 2}
            """,
            'line 7: cycle: ab → x → ab (bundle "ab" merges its tasks)',
        ),
    ],
)  # fmt: skip
def test_bad_input_gives_one_clear_line(text, message):
    # given a bad plan file / when loaded / then one line naming the line, task and problem
    got = _bad(text)
    assert got == message
    assert "\n" not in got


def test_api_location_is_reported():
    # given a decoded document with a bad duration in the second task
    doc = {
        "start": "2026-03-02",
        "tasks": [{"id": "a", "duration": 1}, {"id": "b", "duration": -1}],
    }
    # when validated
    with pytest.raises(planfile.PlanError) as e:
        planfile.from_dict(doc)
    # then the location points at the field, and no line is claimed
    assert e.value.loc == ("tasks", 1, "duration") and e.value.line is None


def test_to_dict_round_trips_through_from_dict():
    # given a plan with an SS link, a lag, a legal period and a bundle
    text = """
name: round trip
start: 2026-11-02
tasks:
  - {id: a, name: 甲, department: 规资, duration: 7, unit: day, legal: true}
  - {id: b, duration: 3, after: [{task: a, type: SS, lag: 2}]}
  - {id: c, duration: 2, after: [b]}
bundles:
  - {id: bc, name: 联办, tasks: [b, c], duration: 4, legal: true, unit: day}
"""
    plan = planfile.load(text)
    # when
    doc = planfile.to_dict(name=plan.name, start=plan.start, tasks=plan.tasks, bundles=plan.bundles)
    # then
    again = planfile.from_dict(doc)
    assert (again.tasks, again.bundles) == (plan.tasks, plan.bundles)
