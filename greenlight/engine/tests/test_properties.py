"""Hypothesis properties of the scheduler over random plans."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from greenlight.engine.network import Bundle, Link, LinkType, Task, Unit
from greenlight.engine.schedule import schedule

from .helpers import CN

FAST = settings(max_examples=120, deadline=None)
starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def plans(draw, units=(Unit.WORKDAY, Unit.DAY), lags=(0, 0, 1, 3), types=("FS", "FS", "SS")):
    """A random DAG: each task depends on up to three earlier ones."""
    n = draw(st.integers(min_value=1, max_value=14))
    tasks = []
    for i in range(n):
        earlier = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        links = tuple(
            Link(f"t{p}", LinkType(draw(st.sampled_from(types))), draw(st.sampled_from(lags)))
            for p in earlier
        )
        unit = draw(st.sampled_from(units))
        tasks.append(Task(f"t{i}", draw(st.integers(0, 15)), unit, links))
    return tasks


def _by_id(result):
    return {t.id: t for t in result.tasks}


@FAST
@given(tasks=plans(), start=starts)
def test_parallel_never_finishes_after_serial(tasks, start):
    # given a random plan / when scheduled / then parallel <= serial
    r = schedule(tasks, start=start, calendar=CN)
    assert r.parallel.finish <= r.serial.finish and r.saved_days >= 0


@FAST
@given(tasks=plans(), start=starts)
def test_tasks_respect_prerequisites_and_working_days(tasks, start):
    # given a random plan / when scheduled
    r = _by_id(schedule(tasks, start=start, calendar=CN))
    for t in tasks:
        me = r[t.id]
        # then each task starts after its prerequisites allow
        for link in t.after:
            p = r[link.task]
            if link.type == LinkType.SS:
                assert me.early_start >= p.early_start
            else:
                release = p.early_finish + timedelta(days=1 if p.duration else 0)
                assert me.early_start >= release
        # and workday tasks start and finish on working days, with no negative float
        if t.unit == Unit.WORKDAY:
            assert CN.is_workday(me.early_start) and CN.is_workday(me.early_finish)
            assert CN.is_workday(me.late_start) and CN.is_workday(me.late_finish)
        assert me.float_days >= 0 and me.early_start >= start


@FAST
@given(tasks=plans(units=(Unit.WORKDAY,), lags=(0,)), start=starts)
def test_critical_tasks_have_zero_float_and_chain_start_to_finish(tasks, start):
    # given a random plan in one unit / when scheduled
    r = schedule(tasks, start=start, calendar=CN)
    by_id = _by_id(r)
    critical = {t.id for t in r.tasks if t.critical}
    # then critical means zero float
    assert all(by_id[c].float_days == 0 for c in critical)
    # and some chain of critical links runs from the first working day to the finish
    first = CN.add_workdays(start, 0)
    succs = {t.id: [] for t in tasks}
    for t in tasks:
        for link in t.after:
            succs[link.task].append(t.id)
    frontier = [c for c in critical if by_id[c].early_start == first]
    seen = set(frontier)
    while frontier:
        node = frontier.pop()
        seen.add(node)
        frontier.extend(s for s in succs[node] if s in critical and s not in seen)
    assert any(by_id[c].early_finish == r.parallel.finish for c in seen)


@FAST
@given(tasks=plans(), start=starts, data=st.data())
def test_adding_a_prerequisite_never_shortens_the_plan(tasks, start, data):
    # given a plan and one more link from an earlier task to a later one
    if len(tasks) < 2:
        return
    j = data.draw(st.integers(1, len(tasks) - 1))
    i = data.draw(st.integers(0, j - 1))
    kind = LinkType(data.draw(st.sampled_from(("FS", "SS"))))
    more = list(tasks)
    more[j] = replace(tasks[j], after=(*tasks[j].after, Link(tasks[i].id, kind)))
    # when both are scheduled / then the finish does not move earlier
    before = schedule(tasks, start=start, calendar=CN).parallel.finish
    assert schedule(more, start=start, calendar=CN).parallel.finish >= before


@FAST
@given(tasks=plans(), start=starts, data=st.data())
def test_a_bundle_no_longer_than_its_chain_never_lengthens_the_plan(tasks, start, data):
    # given a plan with a chain m0 → m1 → m2 inserted: m0 after some tasks, some tasks after m2
    unit = data.draw(st.sampled_from((Unit.WORKDAY, Unit.DAY)))
    durations = data.draw(st.lists(st.integers(1, 10), min_size=2, max_size=3))
    split = data.draw(st.integers(0, len(tasks)))  # later tasks never precede earlier ones
    head, tail = tasks[:split], tasks[split:]
    before = data.draw(st.lists(st.sampled_from([t.id for t in head] or [""]), max_size=2))
    chain = [Task("m0", durations[0], unit, tuple(Link(b) for b in set(before) if b))]
    for k, d in enumerate(durations[1:], start=1):
        chain.append(Task(f"m{k}", d, unit, (Link(f"m{k - 1}"),)))
    followers = data.draw(st.lists(st.sampled_from([t.id for t in tail] or [""]), max_size=2))
    link = Link(chain[-1].id)
    plan = (
        head
        + chain
        + [replace(t, after=(*t.after, link)) if t.id in followers else t for t in tail]
    )
    bundle = Bundle(
        "b", tuple(t.id for t in chain), data.draw(st.integers(0, sum(durations))), unit
    )
    # when the chain is handled as a bundle no longer than its members' sum
    plain = schedule(plan, start=start, calendar=CN).parallel.finish
    merged = schedule(plan, start=start, calendar=CN, bundles=[bundle]).parallel.finish
    # then the plan does not get longer
    assert merged <= plain
