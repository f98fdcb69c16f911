"""A straightforward networkx version of the engine's semantics, walking the calendar day by day.

Used by bench_schedule.py to check the engine's answers and to show what the index lists buy.
Same rules as greenlight/engine/schedule.py (no bundles, target or actuals).
"""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx

ONE = timedelta(days=1)


class Walker:
    """Eligible-day arithmetic by walking one day at a time."""

    def __init__(self, calendar):
        self.calendar = calendar

    def ok(self, d: date, unit: str) -> bool:
        return unit == "day" or self.calendar.describe(d).is_workday

    def first_on_or_after(self, d: date, unit: str) -> date:
        while not self.ok(d, unit):
            d += ONE
        return d

    def last_on_or_before(self, d: date, unit: str) -> date:
        while not self.ok(d, unit):
            d -= ONE
        return d

    def nth_on_or_after(self, d: date, n: int, unit: str) -> date:
        d = self.first_on_or_after(d, unit)
        for _ in range(n - 1):
            d = self.first_on_or_after(d + ONE, unit)
        return d

    def nth_on_or_before(self, d: date, n: int, unit: str) -> date:
        d = self.last_on_or_before(d, unit)
        for _ in range(n - 1):
            d = self.last_on_or_before(d - ONE, unit)
        return d


def reference_schedule(tasks, start: date, calendar) -> dict:
    """{"parallel": finish, "serial": finish, "tasks": {id: (es, ef, ls, lf, float)}}."""
    w = Walker(calendar)
    g = nx.DiGraph()
    pos = {t.id: k for k, t in enumerate(tasks)}
    for t in tasks:
        g.add_node(t.id, task=t)
    for t in tasks:
        for link in t.after:
            g.add_edge(link.task, t.id)
    order = list(nx.lexicographical_topological_sort(g, key=pos.__getitem__))
    es, ef = _forward(g, order, start, w, chained=False)
    _, serial_ef = _forward(g, order, start, w, chained=True)
    finish = max(ef.values())
    ls, lf = _backward(g, order, finish, w, es)
    rows = {n: (es[n], ef[n], ls[n], lf[n], (ls[n] - es[n]).days) for n in order}
    return {"parallel": finish, "serial": max(serial_ef.values()), "tasks": rows}


def _release(t, finish: date) -> date:
    return finish + ONE if t.duration else finish


def _forward(g, order, start, w, chained):
    es, ef = {}, {}
    previous = start
    for n in order:
        t = g.nodes[n]["task"]
        ready = previous if chained else start
        for link in t.after:
            p = g.nodes[link.task]["task"]
            if link.type == "SS":
                base = es[p.id]
                x = w.nth_on_or_after(base + ONE, link.lag, t.unit) if link.lag else base
            else:
                rel = _release(p, ef[p.id])
                x = w.nth_on_or_after(rel, link.lag, t.unit) + ONE if link.lag else rel
            ready = max(ready, x)
        es[n] = w.first_on_or_after(ready, t.unit)
        ef[n] = w.nth_on_or_after(es[n], t.duration, t.unit) if t.duration else es[n]
        previous = _release(t, ef[n])
    return es, ef


def _backward(g, order, finish, w, es):
    ls, lf = {}, {}
    for n in reversed(order):
        t = g.nodes[n]["task"]
        bound = finish
        for s in g.successors(n):
            succ = g.nodes[s]["task"]
            for link in (lk for lk in succ.after if lk.task == n):
                late = ls[s]
                if link.type == "SS":
                    latest = (
                        w.nth_on_or_before(late, link.lag, succ.unit) - ONE if link.lag else late
                    )
                    begin = w.last_on_or_before(latest, t.unit)
                    x = w.nth_on_or_after(begin, t.duration, t.unit) if t.duration else begin
                else:
                    latest = (
                        w.nth_on_or_before(late - ONE, link.lag, succ.unit) if link.lag else late
                    )
                    x = latest - ONE if t.duration else latest
                bound = min(bound, x)
        lf[n] = w.last_on_or_before(bound, t.unit)
        ls[n] = w.nth_on_or_before(lf[n], t.duration, t.unit) if t.duration else lf[n]
    return ls, lf
