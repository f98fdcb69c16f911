"""The versioned catalog history: every change of a matter's committed limit or prerequisites,
or of a bundle, with who, when, before, after, the register item and the days it saves.

`catalog.services.save_matter` announces every change before it applies the new values
(`catalog.hooks.matter_changing`, received by `on_matter_changing`), so the stored matter is
still the "before". A register item is linked by passing it as the change's `cause`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from greenlight.approvals.models import Approval
from greenlight.catalog.choices import LimitKind
from greenlight.catalog.models import LimitChange, Matter

from . import impact
from .choices import ChangeKind
from .models import CatalogChange, ReformItem

WORKDAY_AS_DAYS = 7 / 5  # when a limit changes unit, compare in calendar days


def _days(limit: int, unit: str, *, as_unit: str) -> float:
    if unit == as_unit:
        return float(limit)
    return limit * WORKDAY_AS_DAYS if unit == "workday" else limit / WORKDAY_AS_DAYS


def limit_saving(old: tuple[int, str], new: tuple[int, str]) -> float:
    """Days saved per approval: the old minus the new limit (in the new limit's unit)."""
    return _days(old[0], old[1], as_unit=new[1]) - float(new[0])


def approvals_last_year(matter_ids, at: datetime) -> int:
    """Approvals of the matters accepted in the 12 months before `at` (distinct projects)."""
    return (
        Approval.objects.filter(
            matter_id__in=matter_ids, accepted_at__gt=at - timedelta(days=365), accepted_at__lte=at
        )
        .values("project_id")
        .distinct()
        .count()
    )


def _save(*, kind, before, after, actor, at, item, count, saved, templates, **refs):
    return CatalogChange.objects.create(
        kind=kind,
        before=before,
        after=after,
        changed_by=actor if getattr(actor, "pk", None) else None,
        changed_at=at,
        item=item,
        approvals_12m=count,
        days_saved=round(saved * count),
        templates=templates,
        **refs,
    )


def on_matter_changing(*, matter, data, prerequisites, actor, cause, at) -> None:
    """Receiver of `catalog.hooks.matter_changing`: version the change, linked to `cause` when
    it is a register item."""
    item = cause if isinstance(cause, ReformItem) else None
    record_matter_change(
        matter=matter, data=data, prerequisites=prerequisites, actor=actor, item=item, at=at
    )


def record_matter_change(
    *, matter: Matter | None, data: dict, prerequisites, actor, item=None, at=None
) -> list[CatalogChange]:
    """Version a matter's committed limit and prerequisites before `data` is applied."""
    if matter is None or matter.pk is None:
        return []
    at = at or timezone.now()
    stored = Matter.objects.get(pk=matter.pk)
    old_limit = (stored.committed_limit, stored.committed_unit)
    new_limit = (
        int(data.get("committed_limit", old_limit[0])),
        data.get("committed_unit", old_limit[1]),
    )
    old_pre = sorted(stored.prerequisites.values_list("code", flat=True))
    new_pre = sorted({getattr(p, "code", p) for p in prerequisites})
    if old_limit == new_limit and old_pre == new_pre:
        return []
    before_state = impact.CatalogState.load()
    out = []
    if old_limit != new_limit:
        after_state = before_state.copy()
        after_state.limits[stored.code] = new_limit
        rows = impact.compare(
            before_state,
            after_state,
            impact.affected(before_state, matters={stored.code}),
            start=timezone.localtime(at).date(),
        )
        limit_row = LimitChange.objects.create(
            matter=stored,
            kind=LimitKind.COMMITTED,
            old_limit=old_limit[0],
            old_unit=old_limit[1],
            new_limit=new_limit[0],
            new_unit=new_limit[1],
            reason=str(getattr(item, "finding", ""))[:300],
            changed_by=actor if getattr(actor, "pk", None) else None,
        )
        out.append(
            _save(
                kind=ChangeKind.LIMIT,
                before={"limit": old_limit[0], "unit": old_limit[1]},
                after={"limit": new_limit[0], "unit": new_limit[1]},
                actor=actor,
                at=at,
                item=item,
                count=approvals_last_year([stored.pk], at),
                saved=limit_saving(old_limit, new_limit),
                templates=rows,
                matter=stored,
                limit_change=limit_row,
            )
        )
        before_state = after_state
    if old_pre != new_pre:
        after_state = before_state.copy()
        after_state.prerequisites[stored.code] = set(new_pre)
        rows = impact.compare(
            before_state,
            after_state,
            impact.affected(before_state, matters={stored.code}),
            start=timezone.localtime(at).date(),
        )
        out.append(
            _save(
                kind=ChangeKind.PREREQUISITES,
                before={"prerequisites": old_pre},
                after={"prerequisites": new_pre},
                actor=actor,
                at=at,
                item=item,
                count=0,
                saved=0,
                templates=rows,
                matter=stored,
            )
        )
    return out


def record_bundle_change(
    *, bundle, before: dict, after: dict, actor, item=None, at=None
) -> CatalogChange:
    """Version a bundle's limit or members; `before`/`after` = {"limit", "unit", "matters"}."""
    at = at or timezone.now()
    state = impact.CatalogState.load()
    old = state.copy()
    old.bundles[bundle.code] = (before["limit"], before["unit"], tuple(sorted(before["matters"])))
    new = state.copy()
    new.bundles[bundle.code] = (after["limit"], after["unit"], tuple(sorted(after["matters"])))
    members = set(before["matters"]) | set(after["matters"])
    rows = impact.compare(
        old, new, impact.affected(state, matters=members), start=timezone.localtime(at).date()
    )
    ids = Matter.objects.filter(code__in=after["matters"][:1]).values_list("pk", flat=True)
    return _save(
        kind=ChangeKind.BUNDLE,
        before=before,
        after=after,
        actor=actor,
        at=at,
        item=item,
        count=approvals_last_year(list(ids), at),
        saved=limit_saving((before["limit"], before["unit"]), (after["limit"], after["unit"])),
        templates=rows,
        bundle=bundle,
    )
