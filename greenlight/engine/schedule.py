"""Critical-path scheduling: forward and backward passes, serial plan, target, bundles, actuals.

Semantics (each pinned by tests in `tests/test_schedule.py`):

* A day is eligible for a task when its unit is `day`, or it is `workday` and the day works.
* A task starts on the first eligible day on or after it is ready, and finishes on its
  `duration`-th eligible day (start day counted). Duration 0 is a milestone: it finishes on its
  start day and its successors may start that same day.
* ready = the latest of the plan start and, per link (lags are in the successor's unit):
  FS lag 0: the day after the predecessor finishes (a milestone's own day);
  FS lag N: N eligible days must pass from that day, so ready is the day after the N-th;
  SS lag 0: the predecessor's start; SS lag N: the N-th eligible day after it.
* Serial plan: tasks one after another in topological order (ties by file order); each also
  honours its own links and lags, so the serial plan is never shorter than the parallel one.
* Backward pass: the latest finish that still lets every successor start on its late start
  (the exact inverse of the forward rules above, SS included), and never after the project
  finish; with a target, the target and its ancestors are planned back from `target.by`
  over the links among themselves. float_days = late start - early start (calendar days);
  critical means float_days <= 0 (= 0 except for tasks late against an infeasible target).
* Legal periods (`Task.legal`, day unit): the finish of a day count that lands on a rest day
  or holiday moves to the next working day (民法典 203); the late finish is the last working
  day on or before the bound, the late start that many days before it. An SS successor bounds
  a legal predecessor by its unrolled finish, which may plan its late start a day or two early.
* Forecast (whenever `as_of` is given, with or without actuals): finished tasks are fixed;
  started tasks finish no earlier than `as_of`, nor than their duration allows from their
  actual start, nor than their clock's `due` day; nothing unstarted starts before `as_of`, so
  it finishes no earlier than `as_of` plus its duration. A bundle has begun once all its
  members have (until then it is forecast as unstarted); its members report its forecast,
  except that a member's own actual start (and finish) are reported as they happened.
  Early/late dates, float and critical stay those of the baseline plan; forecast_* and
  slip_days report the re-forecast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from .calendar import WorkCalendar
from .network import Actual, Bundle, Network, ScheduleError, Target, Task

__all__ = ["schedule", "Schedule", "TaskResult", "Span", "TargetResult"]

_EARLY_START = attrgetter("early_start")


class Span(NamedTuple):
    """When a plan finishes and how long it takes from the plan start (both days counted)."""

    finish: date
    days: int
    workdays: int


class TaskResult(NamedTuple):
    """Dates, float and forecast of one task (bundle members report their bundle's dates)."""

    id: str
    name: str
    department: str
    duration: int
    unit: str
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    float_days: int
    critical: bool
    bundle: str = ""
    forecast_start: date | None = None
    forecast_finish: date | None = None
    slip_days: int | None = None


class TargetResult(NamedTuple):
    """Whether the target task can finish by its date, and how many days late otherwise."""

    task: str
    by: date
    feasible: bool
    days_late: int


@dataclass(frozen=True)
class Schedule:
    """The result of `schedule`: parallel and serial spans, critical path, per-task dates."""

    start: date
    calendar: str
    parallel: Span
    serial: Span
    saved_days: int
    critical: tuple[str, ...]
    tasks: tuple[TaskResult, ...]
    bundles: tuple[TaskResult, ...]
    target: TargetResult | None = None
    forecast: Span | None = None
    slip_days: int | None = None
    warnings: tuple[str, ...] = ()
    provisional_years: tuple[int, ...] = ()  # years spanned whose holidays are provisional


def schedule(
    tasks: Sequence[Task] | Network,
    *,
    start: date,
    calendar: WorkCalendar,
    bundles: Sequence[Bundle] = (),
    target: Target | None = None,
    actuals: Mapping[str, Actual] | None = None,
    as_of: date | None = None,
) -> Schedule:
    """Earliest and latest dates, float and critical path of `tasks` from `start`."""
    net = tasks if isinstance(tasks, Network) else Network.build(tasks, bundles)
    fixed = _actual_nodes(net, actuals or {}, as_of)
    goal = _target_node(net, target)
    tabs = _tables(net, calendar, start, target, fixed, as_of)
    node_tabs = tabs[0]
    s0 = start.toordinal()
    roll, back = _legal_moves(tabs[3])
    es, ef, serial_finish = _forward(net, node_tabs, s0, roll)
    late = _backward(net, node_tabs, _terminals(net, max(ef), goal, target), back)
    forecast = _forecast(net, node_tabs, s0, fixed, as_of.toordinal(), roll) if as_of else None
    hi = max(serial_finish, max(forecast[1])) if forecast else serial_finish
    if calendar.strict:  # the spans' years are checked first, as count_workdays would
        calendar.warnings_for(start, _d(hi))
    lo = _d(min(s0, min(late[0])))
    warnings = calendar.warnings_for(lo, _d(hi))
    result = _assemble(
        net, tabs, calendar, start, es, ef, late, serial_finish, forecast, goal, target, warnings,
        actuals or {},
    )  # fmt: skip
    provisional = calendar.provisional_years(lo, _d(hi))
    return replace(result, provisional_years=tuple(provisional)) if provisional else result


def _d(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def _actual_nodes(net: Network, actuals, as_of) -> dict[int, tuple[int, int | None, int]]:
    """(start, finish, due) per node (ordinals; due 0 when none). A bundle has begun once
    every member has: it starts with its earliest member, finishes with its latest, and is
    due with its latest-due member."""
    if actuals and as_of is None:
        raise ScheduleError("as_of is required with actuals", field="as_of")
    merged: dict[int, list] = {}
    for key, a in actuals.items():
        if key not in net.node_of:
            raise ScheduleError(f'actual for unknown task "{key}"', task=key, field="actuals")
        if a.finish is not None and a.finish < a.start:
            raise ScheduleError(
                f'task "{key}": actual finish {a.finish} is before its start {a.start}',
                task=key,
                field="actuals",
            )
        if max(a.start, a.finish or a.start) > as_of:
            raise ScheduleError(
                f'task "{key}": actual dates after as_of {as_of}', task=key, field="actuals"
            )
        merged.setdefault(net.node_of[key], []).append(a)
    size = {net.node_of[b.id]: len(b.tasks) for b in net.bundles}
    fixed = {}
    for node, acts in merged.items():
        if len(acts) < size.get(node, 1):  # a member not begun: the bundle has not begun
            continue
        finishes = [a.finish for a in acts]
        done = None if None in finishes else max(finishes).toordinal()
        due = max((a.due.toordinal() for a in acts if a.due and a.finish is None), default=0)
        fixed[node] = (min(a.start for a in acts).toordinal(), done, due)
    return fixed


def _target_node(net: Network, target: Target | None) -> int | None:
    if target is None:
        return None
    if target.task not in net.node_of:
        raise ScheduleError(
            f'target: unknown task "{target.task}"', task=target.task, field="target"
        )
    return net.node_of[target.task]


def _tables(net, calendar, start, target, fixed, as_of):
    """Per-node (work, nxt, prv, base) lists over a range no schedule can leave."""
    points = [start.toordinal()]
    if target:
        points.append(target.by.toordinal())
    if as_of:
        points.append(as_of.toordinal())
    points.extend(s for s, _, _ in fixed.values())
    points.extend(due for _, _, due in fixed.values() if due)
    pad = 2 * net.span + 60  # n eligible days never span more than 2n + 40 calendar days
    day, work, dates = calendar.snapshot(min(points) - pad, max(points) + pad)
    by_unit = ((day.work, day.nxt, day.prv, day.base), (work.work, work.nxt, work.prv, work.base))
    return [by_unit[w] for w in net.workday], dates, day.base, work


def _legal_moves(work):
    """(roll, back) on ordinals: the first working day on or after a day, the last on or before."""
    w, nxt, prv, base = work.work, work.nxt, work.prv, work.base

    def roll(o: int) -> int:
        return w[nxt[o - base]]

    def back(o: int) -> int:
        return w[prv[o - base]]

    return roll, back


def _forward(net: Network, tabs, start: int, roll):
    """Early start and finish per node, and the finish of the serial plan, in one pass.

    Per node `rel` is the first day its successors may start; the serial plan (`s*`) runs the
    same rules with each node also waiting for the one before it in `order`.
    """
    n = len(net.node_ids)
    es, ef, rel = [0] * n, [0] * n, [0] * n
    ses, srel = [0] * n, [0] * n
    preds, duration, legal = net.preds, net.duration, net.legal
    previous = start
    for i in net.order:
        work, nxt, _, base = tabs[i]
        r, sr = start, previous
        for p, ss, lag in preds[i]:
            if not lag:
                if ss:
                    x, y = es[p], ses[p]
                else:
                    x, y = rel[p], srel[p]
            elif ss:
                x = work[nxt[es[p] + 1 - base] + lag - 1]
                y = work[nxt[ses[p] + 1 - base] + lag - 1]
            else:
                x = work[nxt[rel[p] - base] + lag - 1] + 1
                y = work[nxt[srel[p] - base] + lag - 1] + 1
            if x > r:
                r = x
            if y > sr:
                sr = y
        d = duration[i]
        k, sk = nxt[r - base], nxt[sr - base]
        es[i], ses[i] = work[k], work[sk]
        if d:
            f, sf = work[k + d - 1], work[sk + d - 1]
            if legal and legal[i]:
                f, sf = roll(f), roll(sf)
            ef[i] = f
            rel[i] = f + 1
            previous = srel[i] = sf + 1
        else:
            ef[i] = rel[i] = es[i]
            previous = srel[i] = ses[i]
    # Each serial node ends no earlier than the one before it, so the last one ends the plan.
    last = net.order[-1]
    return es, ef, srel[last] - 1 if duration[last] else srel[last]


def _terminals(net: Network, finish: int, goal: int | None, target: Target | None):
    """Per node its latest allowed finish; with a target, the nodes planned back from it."""
    terminal = [finish] * len(net.node_ids)
    if goal is None:
        return terminal, None
    group = net.ancestors(goal)
    for i in group:
        terminal[i] = target.by.toordinal()
    return terminal, group


def _backward(net: Network, tabs, terminals, back) -> tuple[list[int], list[int]]:
    """Late start and late finish per node: the inverse of `_forward`'s rules.

    Nodes are taken in reverse topological order; once a node's late start is known, each of its
    prerequisites gets the latest finish that still lets it start then (with a target, a node of
    the target's group is not held back by nodes outside it).
    """
    bound, group = terminals
    bound = list(bound)
    n = len(net.node_ids)
    ls, lf = [0] * n, [0] * n
    preds, duration, legal = net.preds, net.duration, net.legal
    for s in reversed(net.order):
        work, _, prv, base = tabs[s]
        d = duration[s]
        k = prv[(back(bound[s]) if legal and legal[s] and d else bound[s]) - base]
        lf[s] = work[k]
        ls[s] = late = work[k - d + 1] if d else work[k]
        outside = group is not None and s not in group
        for p, ss, lag in preds[s]:
            if outside and p in group:
                continue
            if ss:
                latest = work[prv[late - base] - lag + 1] - 1 if lag else late
                p_work, _, p_prv, p_base = tabs[p]
                k = p_prv[latest - p_base]
                x = p_work[k + duration[p] - 1] if duration[p] else p_work[k]
            else:
                latest = work[prv[late - 1 - base] - lag + 1] if lag else late
                x = latest - 1 if duration[p] else latest
            if x < bound[p]:
                bound[p] = x
    return ls, lf


def _forecast(net: Network, tabs, start: int, fixed, as_of: int, roll):
    """Forecast start and finish per node as of `as_of`, from the actuals in `fixed` (if any)."""
    n = len(net.node_ids)
    fs, ff, rel = [0] * n, [0] * n, [0] * n
    legal = net.legal
    for i in net.order:
        work, nxt, _, base = tabs[i]
        d = duration = net.duration[i]
        if i in fixed and fixed[i][1] is not None:
            fs[i], ff[i] = fixed[i][0], fixed[i][1]
        elif i in fixed:
            fs[i], _, due = fixed[i]
            planned = work[nxt[fs[i] - base] + d - 1] if d else fs[i]
            ff[i] = work[nxt[max(planned, as_of, due) - base]]
            if legal and legal[i] and d:
                ff[i] = roll(ff[i])
        else:
            r = max(start, as_of)
            for p, ss, lag in net.preds[i]:
                if ss:
                    x = work[nxt[fs[p] + 1 - base] + lag - 1] if lag else fs[p]
                else:
                    x = work[nxt[rel[p] - base] + lag - 1] + 1 if lag else rel[p]
                r = max(r, x)
            k = nxt[r - base]
            fs[i], ff[i] = work[k], work[k + duration - 1] if duration else work[k]
            if legal and legal[i] and duration:
                ff[i] = roll(ff[i])
        rel[i] = ff[i] + 1 if d else ff[i]
    return fs, ff


def _span(tabs, start: date, s0: int, finish: int) -> Span:
    """The span from `start` to `finish`, with its working days (as `count_workdays`)."""
    dates, base, work = tabs[1], tabs[2], tabs[3]
    workdays = work.prv[finish - work.base] - work.nxt[s0 - work.base] + 1
    return Span(dates[finish - base], finish - s0 + 1, workdays)


def _assemble(
    net, tabs, calendar, start, es, ef, late, serial_finish, forecast, goal, target, warnings,
    actuals,
) -> Schedule:  # fmt: skip
    """Turn node ordinals into per-task and per-bundle results."""
    tasks, bundles = _task_results(net, tabs, es, ef, late, forecast, actuals)
    critical = [t for t in tasks if t.critical]
    critical.sort(key=_EARLY_START)  # stable: ties keep file order
    s0 = start.toordinal()
    parallel = _span(tabs, start, s0, max(ef))
    serial = _span(tabs, start, s0, serial_finish)
    fc_span = _span(tabs, start, s0, max(forecast[1])) if forecast else None
    return Schedule(
        start=start,
        calendar=calendar.name,
        parallel=parallel,
        serial=serial,
        saved_days=serial.days - parallel.days,
        critical=tuple(t.id for t in critical),
        tasks=tasks,
        bundles=bundles,
        target=_target_result(target, ef[goal]) if target else None,
        forecast=fc_span,
        slip_days=(fc_span.finish - parallel.finish).days if fc_span else None,
        warnings=tuple(warnings),
    )


def _task_results(net: Network, tabs, es, ef, late, forecast, actuals):
    """Per-node date columns, then one TaskResult per task and per bundle.

    A bundle's members report its dates; in the forecast, a member that has finished reports
    its own actual dates, and one that has begun its actual start."""
    ls, lf = late
    dates, base = tabs[1], tabs[2]
    new = tuple.__new__  # builds the NamedTuple without keyword-argument parsing
    if not net.bundles and not forecast:  # node k is task k: one flat tuple per task
        tasks = [
            new(
                TaskResult,
                (
                    t.id,
                    t.name,
                    t.department,
                    t.duration,
                    t.unit,
                    dates[a - base],
                    dates[b - base],
                    dates[c - base],
                    dates[d - base],
                    c - a,
                    c <= a,
                    "",
                    None,
                    None,
                    None,
                ),
            )  # fmt: skip
            for t, a, b, c, d in zip(net.tasks, es, ef, ls, lf, strict=True)
        ]
        return tuple(tasks), ()
    es_d = [dates[o - base] for o in es]
    ef_d = [dates[o - base] for o in ef]
    ls_d = [dates[o - base] for o in ls]
    lf_d = [dates[o - base] for o in lf]
    slack = [b - a for a, b in zip(es, ls, strict=True)]
    critical = [f <= 0 for f in slack]
    rows = list(zip(es_d, ef_d, ls_d, lf_d, slack, critical, strict=True))
    tails = [(None, None, None)] * len(rows)
    if forecast:
        fs, ff = forecast
        slip = [b - a for a, b in zip(ef, ff, strict=True)]
        tails = list(
            zip([dates[o - base] for o in fs], [dates[o - base] for o in ff], slip, strict=True)
        )
    node_of = net.node_of
    bundle_of = {m: b.id for b in net.bundles for m in b.tasks}
    tasks = []
    for t in net.tasks:
        i = node_of[t.id]
        head = (t.id, t.name, t.department, t.duration, t.unit)
        tail = tails[i]
        if forecast and t.id in bundle_of and t.id in actuals:
            a = actuals[t.id]
            finish = a.finish or tail[1]
            tail = (a.start, finish, (finish - dates[ef[i] - base]).days)
        tasks.append(new(TaskResult, head + rows[i] + (bundle_of.get(t.id, ""),) + tail))
    bundles = []
    for b in net.bundles:
        i = node_of[b.id]
        head = (b.id, b.name, "", b.duration, b.unit)
        bundles.append(new(TaskResult, head + rows[i] + ("",) + tails[i]))
    return tuple(tasks), tuple(bundles)


def _target_result(target: Target, finish: int) -> TargetResult:
    late = finish - target.by.toordinal()
    return TargetResult(target.task, target.by, late <= 0, max(late, 0))
