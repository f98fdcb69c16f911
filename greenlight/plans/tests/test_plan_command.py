"""`greenlight plan FILE`: the table and summary, --json, and one line with exit code 2 on bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command

from greenlight.catalog import calendars
from greenlight.engine.calendar import provisional_warning

pytestmark = pytest.mark.django_db

# The dangerous-slope case of the district: 141 days in series, 90 in parallel.
SLOPE = """\
name: 危险边坡治理工程审批
start: 2026-03-02
tasks:
  - {id: survey, name: 边坡勘察, department: 规划和自然资源局, duration: 30, unit: day}
  - {id: design, name: 治理设计, department: 住房和建设局, duration: 60, unit: day, after: [survey]}
  - {id: eia, name: 环境影响评价, department: 生态环境局, duration: 21, unit: day, after: [survey]}
  - {id: water, name: 水土保持方案, department: 水务局, duration: 30, unit: day, after: [survey]}
"""

NATIONAL_DAY = """\
start: 2026-09-01
tasks:
  - {id: geo, duration: 30, unit: day}
  - {id: eia, duration: 20, after: [geo]}
"""


@pytest.fixture(autouse=True)
def fresh_cache():
    calendars.invalidate()
    yield
    calendars.invalidate()


def _file(tmp_path, text: str, name: str = "plan.yaml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def _run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("plan", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_prints_the_table_and_the_summary_line(tmp_path):
    # given the dangerous-slope plan
    path = _file(tmp_path, SLOPE)
    # when planned
    code, out, err = _run(path)
    # then the lanes, the critical stars and the headline are printed
    assert (code, err) == (0, "")
    assert "串联 141 天 → 并联 90 天，节省 51 天" in out
    assert "规划和自然资源局" in out and "★" in out
    assert "警告" not in out


def test_json_has_the_documented_shape(tmp_path):
    # given a plan running over National Day
    path = _file(tmp_path, NATIONAL_DAY)
    # when planned with --json
    code, out, _ = _run(path, "--json")
    # then the JSON document comes out, eia starting after the holiday
    doc = json.loads(out)
    assert code == 0
    assert list(doc) == [
        "name", "start", "calendar", "parallel", "serial", "saved_days", "critical",
        "tasks", "bundles", "warnings", "provisional_years",
    ]  # fmt: skip
    assert doc["tasks"][1]["early_start"] == "2026-10-08"
    assert doc["tasks"][0]["float_days"] == 7  # geo may finish as late as the holiday's end
    assert doc["critical"] == ["eia"]


def test_the_calendar_table_is_used_when_seeded(tmp_path):
    # given a seeded table where an administrator closed 2026-10-08
    from greenlight.catalog.models import CalendarDay

    calendars.seed_from_package()
    CalendarDay.objects.filter(date="2026-10-08").update(is_workday=False, source="admin")
    calendars.invalidate()
    # when planned
    _, out, _ = _run(_file(tmp_path, NATIONAL_DAY), "--json")
    # then eia starts a day later
    assert json.loads(out)["tasks"][1]["early_start"] == "2026-10-09"


def test_natural_calendar_counts_every_day(tmp_path):
    # given a natural-calendar plan over National Day
    path = _file(tmp_path, NATIONAL_DAY.replace("start:", "calendar: natural\nstart:"))
    # when planned
    _, out, _ = _run(path, "--json")
    # then eia starts right after geo
    assert json.loads(out)["tasks"][1]["early_start"] == "2026-10-01"


def test_a_provisional_year_warns_and_strict_refuses(tmp_path):
    # given a plan in 2028, which no State Council notice covers yet (provisional)
    path = _file(tmp_path, "start: 2028-03-01\ntasks:\n  - {id: a, duration: 5}\n")
    # when planned, then strictly
    code, out, _ = _run(path)
    strict_code, strict_out, strict_err = _run(path, "--strict-calendar")
    # then the first warns, the second stops with one line
    assert code == 0 and f"警告：{provisional_warning(2028)}" in out
    assert (strict_code, strict_out) == (2, "")
    assert strict_err.count("\n") == 1 and "2028 年为暂定日历" in strict_err
    assert "--strict-calendar" in strict_err


BAD = [
    (
        "cycle",
        "start: 2026-03-02\ntasks:\n  - {id: a, duration: 1, after: [b]}\n"
        "  - {id: b, duration: 1, after: [a]}\n",
        "line 3: cycle: a → b → a",
    ),
    (
        "unknown prerequisite",
        "start: 2026-03-02\ntasks:\n  - {id: a, duration: 1, after: [ghost]}\n",
        'task "a": unknown prerequisite "ghost"',
    ),
    (
        "duplicate id",
        "start: 2026-03-02\ntasks:\n  - {id: a, duration: 1}\n  - {id: a, duration: 2}\n",
        'line 4: task "a": duplicate id',
    ),
    (
        "negative duration",
        "start: 2026-03-02\ntasks:\n  - {id: a, duration: -3}\n",
        'task "a": duration must be 0 or more, got -3',
    ),
    (
        "unknown unit",
        "start: 2026-03-02\ntasks:\n  - {id: a, duration: 3, unit: week}\n",
        'task "a": unknown unit "week"',
    ),
    (
        "bad date",
        "start: 2026-02-30\ntasks:\n  - {id: a, duration: 3}\n",
        'start: bad date "2026-02-30"',
    ),
    (
        "task in two bundles",
        "start: 2026-03-02\ntasks:\n  - {id: a, duration: 1}\n  - {id: b, duration: 1}\n"
        "bundles:\n  - {id: x, tasks: [a, b], duration: 2}\n  - {id: y, tasks: [b], duration: 1}\n",
        'task "b" is in two bundles: "x" and "y"',
    ),
    (
        "invalid YAML",
        "start: 2026-03-02\ntasks: [{id: a, duration: 1}\n",
        "not valid YAML",
    ),
]


@pytest.mark.parametrize(("text", "problem"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_exits_2_with_one_line(tmp_path, text, problem):
    # given a bad plan file
    path = _file(tmp_path, text)
    # when planned
    code, out, err = _run(path)
    # then exit code 2, nothing on stdout, one line on stderr naming the problem
    assert (code, out) == (2, "")
    assert err.count("\n") == 1, err
    assert problem in err and "plan.yaml" in err


def test_a_missing_file_exits_2_with_one_line(tmp_path):
    # given no file
    # when planned
    code, _, err = _run(str(tmp_path / "nope.yaml"))
    # then one line says so
    assert code == 2 and err.count("\n") == 1 and "nope.yaml: no such file" in err


def test_the_console_script_exits_2_without_a_traceback(tmp_path):
    # given a cyclic plan and the installed `greenlight` script, on a database not migrated yet
    path = _file(tmp_path, BAD[0][1])
    script = Path(sys.executable).with_name("greenlight")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    # when run as a user would
    bad = subprocess.run([script, "plan", path], capture_output=True, text=True, env=env)
    good = subprocess.run(
        [script, "plan", _file(tmp_path, SLOPE, "slope.yaml")],
        capture_output=True,
        text=True,
        env=env,
    )
    # then the exit code is 2 and stderr is one line; the good plan still runs (package calendar)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [f"plan: {path}: line 3: cycle: a → b → a"]
    assert good.returncode == 0 and "串联 141 天 → 并联 90 天，节省 51 天" in good.stdout
