"""What a catalog change does to the templates: serial and parallel durations, critical path.

Each template is scheduled by the engine from its TemplateItem/TemplateLink rows, the
catalog's prerequisites among its matters and the bundles it contains, before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from greenlight.catalog.calendars import current as current_calendar
from greenlight.catalog.models import Bundle, Matter, Template, TemplateLink
from greenlight.engine.network import Bundle as EBundle
from greenlight.engine.network import Link, LinkType, Task, Unit
from greenlight.engine.schedule import schedule


@dataclass
class CatalogState:
    """Limits, prerequisites and bundles of the catalog, which a change overrides."""

    limits: dict[str, tuple[int, str]]
    names: dict[str, str]
    prerequisites: dict[str, set[str]]
    bundles: dict[str, tuple[int, str, tuple[str, ...]]]
    templates: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str, str, int]]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> CatalogState:
        """Read the whole catalog (a handful of queries)."""
        limits, names = {}, {}
        for code, name, limit, unit in Matter.objects.values_list(
            "code", "name", "committed_limit", "committed_unit"
        ):
            limits[code], names[code] = (limit, unit), name
        prereqs: dict[str, set[str]] = {}
        for m, p in Matter.prerequisites.through.objects.values_list(
            "from_matter__code", "to_matter__code"
        ):
            prereqs.setdefault(m, set()).add(p)
        bundles = {
            b.code: (b.limit, b.unit, tuple(sorted(m.code for m in b.matters.all())))
            for b in Bundle.objects.prefetch_related("matters")
        }
        templates = {
            t.code: [it.matter.code for it in t.items.all()]
            for t in Template.objects.prefetch_related("items__matter")
        }
        links: dict[str, list] = {}
        for row in TemplateLink.objects.values_list(
            "template__code", "predecessor__code", "successor__code", "type", "lag"
        ):
            links.setdefault(row[0], []).append(row[1:])
        return cls(limits, names, prereqs, bundles, templates, links)

    def copy(self) -> CatalogState:
        return CatalogState(
            dict(self.limits),
            self.names,
            {k: set(v) for k, v in self.prerequisites.items()},
            dict(self.bundles),
            self.templates,
            self.links,
        )


def tasks(state: CatalogState, template: str) -> tuple[list[Task], list[EBundle]]:
    """Engine tasks of one template under `state`."""
    present = state.templates[template]
    inside = set(present)
    after: dict[str, dict[str, Link]] = {c: {} for c in present}
    for c in present:
        for p in state.prerequisites.get(c, ()):
            if p in inside:
                after[c][p] = Link(p)
    for pred, succ, kind, lag in state.links.get(template, ()):
        after[succ][pred] = Link(pred, LinkType(kind), lag)
    out = [
        Task(
            id=c,
            duration=state.limits[c][0],
            unit=Unit(state.limits[c][1]),
            after=tuple(after[c][p] for p in sorted(after[c])),
            name=state.names.get(c, c),
        )
        for c in present
    ]
    bundles = [
        EBundle(id=code, tasks=members, duration=limit, unit=Unit(unit))
        for code, (limit, unit, members) in sorted(state.bundles.items())
        if members and all(m in inside for m in members)
    ]
    return out, bundles


def spans(state: CatalogState, template: str, *, start: date, calendar=None) -> dict:
    """Serial and parallel days and the critical path of one template from `start`."""
    ts, bs = tasks(state, template)
    if not ts:
        return {"serial": 0, "parallel": 0, "critical": []}
    result = schedule(ts, start=start, calendar=calendar or current_calendar(), bundles=bs)
    return {
        "serial": result.serial.days,
        "parallel": result.parallel.days,
        "critical": list(result.critical),
    }


def affected(state: CatalogState, *, matters: set[str]) -> list[str]:
    """Templates that contain any of `matters`."""
    return sorted(t for t, codes in state.templates.items() if matters & set(codes))


def compare(
    before: CatalogState, after: CatalogState, templates: list[str], *, start: date
) -> list:
    """Per template: serial and parallel days and critical path, before and after."""
    calendar = current_calendar()
    rows = []
    for code in templates:
        a = spans(before, code, start=start, calendar=calendar)
        b = spans(after, code, start=start, calendar=calendar)
        rows.append(
            {
                "template": code,
                "serial_before": a["serial"],
                "serial_after": b["serial"],
                "parallel_before": a["parallel"],
                "parallel_after": b["parallel"],
                "serial_saved": a["serial"] - b["serial"],
                "parallel_saved": a["parallel"] - b["parallel"],
                "critical_before": a["critical"],
                "critical_after": b["critical"],
            }
        )
    return rows
