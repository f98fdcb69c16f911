"""Reads of the bottleneck page (堵点): figures per matter, department or stage, the ranked
sources of delay, and the cases behind each figure."""

from __future__ import annotations

from datetime import date

from greenlight.accounts.models import Department
from greenlight.approvals.models import Approval
from greenlight.catalog.choices import Stage
from greenlight.catalog.models import Matter

from . import facts

BY_LABELS = {"matter": "matter", "department": "department", "stage": "stage"}


def period_for_year(year: int) -> facts.Period:
    return facts.Period(date(year, 1, 1), date(year + 1, 1, 1))


def table(*, user, period: facts.Period, by: str, **filters) -> list[dict]:
    """Figures per group with names and limits, the largest delay first."""
    stats = facts.stats(user=user, period=period, by=by, **filters)
    names = _names(by, stats.keys())
    rows = []
    for key, v in stats.items():
        row = {**v, **names.get(key, {"label": str(key)}), "key": key, "param": by}
        row["delay_per_year"] = v["delay"] * 365 / max(period.days, 1)
        rows.append(row)
    rows.sort(key=lambda r: (-r["delay"], -r["n"], str(r["label"])))
    return rows


def _names(by: str, keys) -> dict:
    keys = list(keys)
    if by == "matter":
        return {
            m.pk: {
                "label": m.name,
                "code": m.code,
                "committed": (m.committed_limit, m.get_committed_unit_display()),
                "statutory": (m.statutory_limit, m.get_statutory_unit_display()),
                "department_kind": m.get_department_kind_display(),
            }
            for m in Matter.objects.filter(pk__in=keys)
        }
    if by == "department":
        return {
            d.pk: {"label": d.short_name or d.name, "region": d.region.name}
            for d in Department.objects.filter(pk__in=keys).select_related("region")
        }
    labels = dict(Stage.choices)
    return {k: {"label": str(labels.get(k, k))} for k in keys}


def ranking(rows: list[dict], *, top: int = 10) -> list[dict]:
    """The largest sources of delay (days a year), from a `table()`."""
    return [r for r in rows if r["delay"] > 0][:top]


def case_list(*, user, period: facts.Period, limit: int = 300, **filters) -> tuple[list, int]:
    """The cases behind a figure, the most delayed first, with their approvals loaded."""
    items = facts.facts(facts.cases(user=user, period=period, **filters), period=period)
    items.sort(key=lambda f: (-f.delay, -f.handling, f.id))
    shown = items[:limit]
    rel = {
        a.pk: a
        for a in Approval.objects.filter(pk__in=[f.id for f in shown]).select_related(
            "project", "matter", "department"
        )
    }
    return [(f, rel[f.id]) for f in shown if f.id in rel], len(items)
