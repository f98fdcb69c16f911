"""Plan files (YAML or JSON) <-> engine values, with one-line, line-precise errors.

`load(text)` parses a plan file, `from_dict(data)` an already-decoded document (the API body);
both validate fully and raise `PlanError` naming the task, the problem and, for files, the line.
`run(plan, calendar)` schedules it (`report.to_json` gives the documented JSON shape).

A task is `{id, name, department, duration, unit, after, legal}`: `unit` is `workday`
(default) or `day`; `after` lists prerequisite ids or `{task, type: FS|SS, lag}`; `legal: true`
makes a `day` duration a legal period (民法典 203: a last day on a rest day or holiday moves to
the next working day), as the platform writes every catalog matter's limit; without it a day
count is plain arithmetic. A bundle takes `legal` too.

`as_of` (the forecast date) forecasts the plan from that day: nothing unstarted starts before
it. `actuals` map a task to `{start, finish}` (dates on or before `as_of`); a running task may
add `due`, the day its clock leaves it until, and is then forecast to finish no earlier.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .calendar import WorkCalendar
from .network import Actual, Bundle, Link, LinkType, Network, ScheduleError, Target, Task, Unit
from .schedule import Schedule, schedule

__all__ = ["Plan", "PlanError", "load", "from_dict", "to_dict", "run"]

TOP_KEYS = {"name", "start", "calendar", "target", "tasks", "bundles", "actuals", "as_of"}
TASK_KEYS = {"id", "name", "department", "duration", "unit", "after", "legal"}
BUNDLE_KEYS = {"id", "name", "tasks", "duration", "unit", "legal"}
LINK_KEYS = {"task", "type", "lag"}
CALENDARS = ("cn", "natural")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PlanError(ValueError):
    """Bad plan input: one human-readable line, with the file line and the field's location."""

    def __init__(self, message: str, *, line: int | None = None, loc: tuple = ()):
        self.message, self.line, self.loc = message, line, tuple(loc)
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Plan:
    """A parsed, validated plan file: the engine's public input."""

    start: date
    tasks: tuple[Task, ...]
    name: str = ""
    calendar: str = "cn"
    bundles: tuple[Bundle, ...] = ()
    target: Target | None = None
    actuals: dict[str, Actual] = field(default_factory=dict)
    as_of: date | None = None
    lines: dict[tuple[str, str], int] = field(default_factory=dict, compare=False)


# -- reading ------------------------------------------------------------------------------------


class _Map(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int | None = None
    key_lines: dict


class _Seq(list):
    """A YAML sequence that remembers its line and the line of each item."""

    line: int | None = None
    item_lines: list


def load(text: str) -> Plan:
    """Parse and validate a YAML or JSON plan file."""
    import yaml  # here, not at the top: every command and worker imports this module, few parse

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        if text.lstrip().startswith("{"):
            return _load_json(text)
        raise PlanError(f"not valid YAML: {problem}", line=mark and mark.line + 1) from None
    if node is None:
        raise PlanError("the plan file is empty")
    return from_dict(_to_python(node, yaml.SafeLoader("")))


def _load_json(text: str) -> Plan:
    try:
        return from_dict(json.loads(text))
    except json.JSONDecodeError as e:
        raise PlanError(f"not valid JSON: {e.msg}", line=e.lineno) from None


def _to_python(node, loader) -> Any:
    """Build plain values from a composed YAML node, keeping line numbers on containers."""
    import yaml

    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = _Map()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _to_python(key_node, loader)
            key = key if isinstance(key, str) else str(key)
            if key in out:
                raise PlanError(f'duplicate key "{key}"', line=key_node.start_mark.line + 1)
            out[key] = _to_python(value_node, loader)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out = _Seq(_to_python(item, loader) for item in node.value)
        out.line = line
        out.item_lines = [item.start_mark.line + 1 for item in node.value]
        return out
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:  # e.g. 2026-13-02 looks like a date to YAML; report it as a bad date
        return node.value


def _line(container: Any, key: Any = None) -> int | None:
    if isinstance(container, _Map) and key in container.key_lines:
        return container.key_lines[key]
    if isinstance(container, _Seq) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", None)


# -- validating ---------------------------------------------------------------------------------


class _Reader:
    """Field readers that raise PlanError with the line and location of the bad value."""

    def __init__(self):
        self.lines: dict[tuple[str, str], int] = {}

    def fail(self, message: str, container: Any, key: Any, loc: tuple) -> PlanError:
        return PlanError(message, line=_line(container, key), loc=loc)

    def mapping(self, value: Any, what: str, loc: tuple, allowed: set[str]) -> dict:
        if not isinstance(value, dict):
            raise PlanError(f"{what}: expected a mapping", line=_line(value), loc=loc)
        for key in value:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(f'{what}: unknown field "{key}" (known: {known})', value, key, loc)
        return value

    def date(self, container: Any, key: str, what: str, loc: tuple) -> date:
        value = container.get(key)
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                pass
        if not isinstance(value, date) or isinstance(value, datetime):
            shown = "missing" if value is None else f'"{value}"'
            message = f"{what}: bad date {shown} (use YYYY-MM-DD)"
            raise self.fail(message, container, key, (*loc, key))
        if not 1901 <= value.year <= 2199:
            raise self.fail(f"{what}: date {value} out of range", container, key, (*loc, key))
        return value

    def count(self, container: Any, key: str, what: str, loc: tuple, default=None) -> int:
        value = container.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            shown = "missing" if value is None else f'"{value}"'
            raise self.fail(f"{what}: {key} must be a whole number, got {shown}", container, key,
                            (*loc, key))  # fmt: skip
        if value < 0:
            raise self.fail(f"{what}: {key} must be 0 or more, got {value}", container, key,
                            (*loc, key))  # fmt: skip
        return value

    def choice(self, container: Any, key: str, what: str, loc: tuple, options, default):
        value = container.get(key, default)
        if value not in options:
            shown = " or ".join(str(o) for o in options)
            message = f'{what}: unknown {key} "{value}" (use {shown})'
            raise self.fail(message, container, key, (*loc, key))
        return value

    def ident(self, container: Any, key: str, what: str, loc: tuple) -> str:
        value = container.get(key)
        if value is None or value == "" or isinstance(value, dict | list):
            raise self.fail(f"{what}: missing {key}", container, key, (*loc, key))
        return str(value)

    def flag(self, container: Any, key: str, what: str, loc: tuple) -> bool:
        """An optional true/false value (default false)."""
        value = container.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{what}: {key} must be true or false", container, key, (*loc, key))
        return value

    def text(self, container: Any, key: str) -> str:
        value = container.get(key, "")
        return "" if value is None else str(value)


def from_dict(data: Any) -> Plan:
    """Validate a decoded plan document (YAML/JSON/API body) and build engine values."""
    r = _Reader()
    doc = r.mapping(data, "plan", (), TOP_KEYS)
    tasks_raw = doc.get("tasks")
    if not isinstance(tasks_raw, list) or not tasks_raw:
        raise r.fail("tasks: the plan needs a list of tasks", doc, "tasks", ("tasks",))
    tasks = tuple(_task(r, raw, tasks_raw, k) for k, raw in enumerate(tasks_raw))
    ids = {t.id for t in tasks}
    for k, t in enumerate(tasks):
        for j, link in enumerate(t.after):
            if link.task not in ids:
                after = tasks_raw[k].get("after")
                message = f'task "{t.id}": unknown prerequisite "{link.task}"'
                raise r.fail(message, after, j, ("tasks", k, "after", j))
    bundles = _bundles(r, doc, ids)
    as_of = r.date(doc, "as_of", "as_of", ()) if "as_of" in doc else None
    plan = Plan(
        start=r.date(doc, "start", "start", ()),
        tasks=tasks,
        name=r.text(doc, "name"),
        calendar=r.choice(doc, "calendar", "calendar", (), CALENDARS, "cn"),
        bundles=bundles,
        target=_target(r, doc, ids | {b.id for b in bundles}),
        actuals=_actuals(r, doc, ids | {b.id for b in bundles}, as_of),
        as_of=as_of,
        lines=r.lines,
    )
    check(plan)
    return plan


def _task(r: _Reader, raw: Any, seq: list, k: int) -> Task:
    loc = ("tasks", k)
    named = isinstance(raw, dict) and isinstance(raw.get("id"), str | int)
    m = r.mapping(raw, f'task "{raw["id"]}"' if named else f"task #{k + 1}", loc, TASK_KEYS)
    tid = r.ident(m, "id", f"task #{k + 1}", loc)
    what = f'task "{tid}"'
    if ("task", tid) in r.lines:
        first = r.lines[("task", tid)]
        message = f"{what}: duplicate id" + (f" (first defined on line {first})" if first else "")
        raise r.fail(message, m, "id", (*loc, "id"))
    r.lines[("task", tid)] = _line(seq, k) or 0
    after = m.get("after") or []
    if not isinstance(after, list):
        after = [after]  # `after: geo` is read as `after: [geo]`
    return Task(
        id=tid,
        duration=r.count(m, "duration", what, loc),
        unit=Unit(r.choice(m, "unit", what, loc, ("day", "workday"), "workday")),
        after=tuple(
            _link(r, item, after, j, what, (*loc, "after", j)) for j, item in enumerate(after)
        ),  # fmt: skip
        name=r.text(m, "name"),
        department=r.text(m, "department"),
        legal=r.flag(m, "legal", what, loc),
    )


def _link(r: _Reader, item: Any, seq: list, j: int, what: str, loc: tuple) -> Link:
    if not isinstance(item, dict):
        if item is None or isinstance(item, list):
            raise r.fail(f"{what}: empty prerequisite", seq, j, loc)
        return Link(str(item))
    m = r.mapping(item, f"{what} prerequisite", loc, LINK_KEYS)
    return Link(
        task=r.ident(m, "task", f"{what} prerequisite", loc),
        type=LinkType(r.choice(m, "type", f"{what} prerequisite", loc, ("FS", "SS"), "FS")),
        lag=r.count(m, "lag", f"{what} prerequisite", loc, default=0),
    )


def _bundles(r: _Reader, doc: dict, ids: set[str]) -> tuple[Bundle, ...]:
    raw = doc.get("bundles") or []
    if not isinstance(raw, list):
        raise r.fail("bundles: expected a list", doc, "bundles", ("bundles",))
    bundles, owner = [], {}
    for k, item in enumerate(raw):
        loc = ("bundles", k)
        m = r.mapping(item, f"bundle #{k + 1}", loc, BUNDLE_KEYS)
        bid = r.ident(m, "id", f"bundle #{k + 1}", loc)
        what = f'bundle "{bid}"'
        if bid in ids or ("bundle", bid) in r.lines:
            raise r.fail(f"{what}: duplicate id", m, "id", (*loc, "id"))
        r.lines[("bundle", bid)] = _line(raw, k) or 0
        members = m.get("tasks")
        if not isinstance(members, list) or not members:
            raise r.fail(f"{what}: needs a list of tasks", m, "tasks", (*loc, "tasks"))
        for j, member in enumerate(map(str, members)):
            if member not in ids:
                raise r.fail(f'{what}: unknown task "{member}"', members, j, (*loc, "tasks", j))
            if member in owner:
                message = f'task "{member}" is in two bundles: "{owner[member]}" and "{bid}"'
                raise r.fail(message, members, j, (*loc, "tasks", j))
            owner[member] = bid
        unit = r.choice(m, "unit", what, loc, ("day", "workday"), "workday")
        duration = r.count(m, "duration", what, loc)
        legal = r.flag(m, "legal", what, loc)
        bundles.append(
            Bundle(bid, tuple(map(str, members)), duration, Unit(unit), r.text(m, "name"), legal)
        )
    return tuple(bundles)


def _target(r: _Reader, doc: dict, ids: set[str]) -> Target | None:
    if doc.get("target") is None:
        return None
    m = r.mapping(doc["target"], "target", ("target",), {"task", "by"})
    task = r.ident(m, "task", "target", ("target",))
    if task not in ids:
        raise r.fail(f'target: unknown task "{task}"', m, "task", ("target", "task"))
    r.lines[("target", "")] = _line(doc, "target") or 0
    return Target(task, r.date(m, "by", "target", ("target",)))


def _actuals(r: _Reader, doc: dict, ids: set[str], as_of: date | None) -> dict[str, Actual]:
    raw = doc.get("actuals") or {}
    if not raw:
        return {}
    m = r.mapping(raw, "actuals", ("actuals",), set(raw))
    if as_of is None:
        raise r.fail("actuals: as_of (the forecast date) is required with actuals", doc,
                     "actuals", ("as_of",))  # fmt: skip
    out = {}
    for key, value in m.items():
        loc, what = ("actuals", key), f'actual for "{key}"'
        if key not in ids:
            raise r.fail(f'actuals: unknown task "{key}"', m, key, loc)
        a = r.mapping(value, what, loc, {"start", "finish", "due"})
        start = r.date(a, "start", what, loc)
        finish = r.date(a, "finish", what, loc) if a.get("finish") is not None else None
        due = r.date(a, "due", what, loc) if a.get("due") is not None else None
        if finish and finish < start:
            raise r.fail(f"{what}: finish {finish} is before start {start}", a, "finish", loc)
        if max(start, finish or start) > as_of:
            raise r.fail(f"{what}: dates after as_of {as_of}", a, "start", loc)
        r.lines[("actual", key)] = _line(m, key) or 0
        out[key] = Actual(start, finish, due)
    return out


def check(plan: Plan) -> Network:
    """Compile the plan's network (cycles, bundles), mapping engine errors to plan lines."""
    try:
        return Network.build(plan.tasks, plan.bundles)
    except ScheduleError as e:
        line = plan.lines.get(("task", e.task)) or plan.lines.get(("bundle", e.task))
        raise PlanError(e.message, line=line, loc=_loc(plan, e)) from None


def _loc(plan: Plan, e: ScheduleError) -> tuple:
    for k, t in enumerate(plan.tasks):
        if t.id == e.task:
            return ("tasks", k, e.field) if e.field else ("tasks", k)
    return (e.field,) if e.field else ()


def run(plan: Plan, calendar: WorkCalendar) -> Schedule:
    """Schedule a plan; `calendar` is used for `calendar: cn` (natural needs none)."""
    cal = WorkCalendar.natural() if plan.calendar == "natural" else calendar
    try:
        return schedule(
            check(plan),
            start=plan.start,
            calendar=cal,
            target=plan.target,
            actuals=plan.actuals or None,
            as_of=plan.as_of,
        )
    except ScheduleError as e:
        raise PlanError(
            e.message, line=plan.lines.get(("task", e.task)), loc=_loc(plan, e)
        ) from None


def to_dict(
    *, name: str, start: date, tasks: Sequence[Task], bundles: Sequence[Bundle] = ()
) -> dict:
    """Tasks and bundles as a plan-file document that `from_dict` reads back unchanged."""
    return {
        "name": name,
        "start": start.isoformat(),
        "calendar": "cn",
        "tasks": [_task_dict(t) for t in tasks],
        "bundles": [_bundle_dict(b) for b in bundles],
    }


def _task_dict(t: Task) -> dict:
    out = {"id": t.id, "name": t.name, "department": t.department, "duration": t.duration,
           "unit": str(t.unit)}  # fmt: skip
    if t.legal:
        out["legal"] = True
    if t.after:
        out["after"] = [
            {"task": link.task, "type": str(link.type), "lag": link.lag} for link in t.after
        ]
    return out


def _bundle_dict(b: Bundle) -> dict:
    out = {"id": b.id, "name": b.name, "tasks": list(b.tasks), "duration": b.duration,
           "unit": str(b.unit)}  # fmt: skip
    if b.legal:
        out["legal"] = True
    return out
