"""Reads of the bottleneck analysis (堵点), all from the per-case fact table: figures per
matter, department, stage or department and month (`stats`, also read by the scorecards), the
table with names, the ranked sources of delay, and the cases behind each figure.

Every read first folds in the approval events the tick has not seen yet (`casefacts.catch_up`);
the figures are the aggregates of `rules.group_figures` over the facts `user` may see."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from greenlight.accounts.models import Department
from greenlight.catalog.choices import Stage
from greenlight.catalog.models import Matter

from . import casefacts, rules
from .models import CaseFact


def period_for_year(year: int) -> rules.Period:
    return rules.Period(date(year, 1, 1), date(year + 1, 1, 1))


def visible(*, user, period: rules.Period, matter=None, department=None, stage=None):
    """The facts of the cases decided in `period` that `user` may see."""
    start, end = period.bounds()
    qs = CaseFact.objects.visible_to(user).filter(decided_at__gte=start, decided_at__lt=end)
    if matter:
        qs = qs.filter(matter_id=matter)
    if department:
        qs = qs.filter(department_id=department)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by()


def stats(*, user, period: rules.Period, by: str, **filters) -> dict:
    """Figures per group (`rules.GROUP_KEYS[by]`) of the decided cases of `period` visible to
    `user`: one aggregate over the stored facts."""
    if by not in rules.GROUP_KEYS:
        raise ValueError(by)
    casefacts.catch_up()
    keys = rules.GROUP_KEYS[by]
    # aliased: some figures share their name with a fact column
    figures = {f"g_{name}": expr for name, expr in rules.group_figures().items()}
    qs = visible(user=user, period=period, **filters)
    if by != "matter":
        # a joint case (一口受理) counts once, by its lead member; per matter each member counts
        qs = qs.exclude(approval__joint_case__isnull=False, approval__joint_lead=False)
    qs = qs.values(*keys).annotate(**figures).order_by()
    out = {}
    for row in fetch_grouped(qs):
        key = row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
        out[key] = rules.rates(**{name: row[f"g_{name}"] for name in rules.FIGURES})
    return out


def fetch_grouped(qs) -> list[dict]:
    """The rows of a grouped aggregate over the facts, with the settings such a sort needs."""
    if connection.vendor != "postgresql":
        return list(qs)
    # The planner's cost guesses trigger JIT compilation, which costs more than it saves; the
    # sort by group fits in 64 MB (about 30 MB for a province year) instead of spilling to disk.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        cur.execute("SET LOCAL work_mem = '64MB'")
        return list(qs)


def table(*, user, period: rules.Period, by: str, **filters) -> list[dict]:
    """Figures per group with names and limits, the largest delay first."""
    figures = stats(user=user, period=period, by=by, **filters)
    names = _names(by, figures.keys())
    rows = []
    for key, v in figures.items():
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


def case_list(*, user, period: rules.Period, limit: int = 300, **filters) -> tuple[list, int]:
    """The cases behind a figure, the most delayed first: (fact, approval) pairs and the total."""
    casefacts.catch_up()
    qs = visible(user=user, period=period, **filters)
    related = ("approval__project", "approval__matter", "approval__department")
    shown = list(qs.select_related(*related).order_by("-delay", "-handling", "approval_id")[:limit])
    total = len(shown) if len(shown) < limit else qs.count()
    return [(f, f.approval) for f in shown], total
