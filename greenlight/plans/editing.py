"""The custom plan editor's form: edits applied to a draft plan document, then scheduled."""

from __future__ import annotations

import json
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.catalog import calendars
from greenlight.catalog.models import Bundle as BundleRow
from greenlight.catalog.models import Matter
from greenlight.engine import planfile
from greenlight.kernel.errors import DomainError
from greenlight.projects import selectors as project_selectors
from greenlight.projects.models import Project

from . import charting, planning, selectors, services
from .models import PlanVersion

_LINK = re.compile(r"^\s*([^\s]+)(?:\s+(FS|SS)\s*(?:\+\s*(\d+))?)?\s*$", re.IGNORECASE)


def initial_document(project: Project, *, user, today) -> dict:
    """The version in force, else the catalog plan of the project's approvals."""
    version = selectors.latest_version(project)
    if version is not None:
        return version.document
    approvals = project_selectors.project_approvals(project=project, user=user)
    tasks, bundles = planning.tasks_for(project, approvals, planning.CatalogGraph.load())
    start = planning.plan_start(project, approvals, today)
    return services.document_for(name=project.name, start=start, tasks=tasks, bundles=bundles)


def _links_text(after: list) -> str:
    parts = []
    for link in after or []:
        text = link["task"]
        if link.get("type", "FS") != "FS" or link.get("lag"):
            text += f" {link.get('type', 'FS')}+{link.get('lag', 0)}"
        parts.append(text)
    return ", ".join(parts)


def _parse_links(text: str, code: str) -> list[dict]:
    out = []
    for part in filter(None, (p.strip() for p in re.split(r"[,，;；]", text or ""))):
        m = _LINK.match(part)
        if not m:
            raise DomainError(
                _(
                    "Matter %(code)s: cannot read the prerequisite “%(text)s” (write CODE, or CODE SS+5)."
                )
                % {"code": code, "text": part},
                field="after",
            )
        out.append(
            {"task": m.group(1), "type": (m.group(2) or "FS").upper(), "lag": int(m.group(3) or 0)}
        )
    return out


def _int(value: str, code: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise DomainError(
            _("Matter %(code)s: the duration must be a whole number.") % {"code": code},
            field="duration",
        ) from None


def apply_form(project: Project, post, *, user) -> tuple[dict, str]:
    """The draft document after the form's edits, and the error that refuses it (or "")."""
    try:
        document = json.loads(post.get("document") or "{}")
        tasks = document["tasks"]
    except (ValueError, KeyError, TypeError):
        return initial_document(project, user=user, today=timezone.localdate()), _(
            "The draft could not be read; it was reloaded."
        )
    try:
        document["tasks"] = _edit_tasks(tasks, post)
        _add_matter(document, post, project)
        _add_early_link(document, post)
        _toggle_bundles(document, post)
        services.check_document(document)
    except DomainError as exc:
        return document, str(exc.message)
    return document, ""


def _edit_tasks(tasks: list[dict], post) -> list[dict]:
    out = []
    for t in tasks:
        code = t["id"]
        if post.get(f"remove_{code}"):
            continue
        if f"dur_{code}" in post:
            t["duration"] = _int(post[f"dur_{code}"], code)
        if post.get(f"unit_{code}") in ("workday", "day"):
            t["unit"] = post[f"unit_{code}"]
        if f"after_{code}" in post:
            t["after"] = _parse_links(post[f"after_{code}"], code)
        out.append(t)
    removed = {t["id"] for t in tasks} - {t["id"] for t in out}
    for t in out:  # links to a removed matter go with it
        t["after"] = [link for link in t.get("after", []) if link["task"] not in removed]
    return out


def _add_matter(document: dict, post, project: Project) -> None:
    code = (post.get("add_matter") or "").strip()
    if not code or any(t["id"] == code for t in document["tasks"]):
        return
    matter = Matter.objects.filter(code=code, is_active=True).first()
    if matter is None:
        raise DomainError(_("Unknown matter %(code)s.") % {"code": code}, field="add_matter")
    present = {t["id"] for t in document["tasks"]}
    dept = project.region.departments.filter(kind=matter.department_kind).first()
    document["tasks"].append(
        {
            "id": matter.code,
            "name": matter.name,
            "department": dept.short_name if dept else matter.get_department_kind_display(),
            "duration": matter.committed_limit,
            "unit": matter.committed_unit,
            "legal": True,
            "after": [
                {"task": p, "type": "FS", "lag": 0}
                for p in matter.prerequisites.values_list("code", flat=True)
                if p in present
            ],
        }
    )


def _add_early_link(document: dict, post) -> None:
    source, target = post.get("ss_from", "").strip(), post.get("ss_to", "").strip()
    if not source or not target:
        return
    lag = _int(post.get("ss_lag") or "0", target)
    task = next((t for t in document["tasks"] if t["id"] == target), None)
    if task is None:
        raise DomainError(_("Unknown matter %(code)s.") % {"code": target}, field="ss_to")
    after = [link for link in task.get("after", []) if link["task"] != source]
    task["after"] = [*after, {"task": source, "type": "SS", "lag": lag}]


def _toggle_bundles(document: dict, post) -> None:
    if "bundles_shown" not in post:
        return
    present = {t["id"] for t in document["tasks"]}
    wanted = set(post.getlist("bundle"))
    out = []
    for code, name, members, limit, unit in _catalog_bundles():
        if code in wanted and set(members) <= present:
            out.append(
                {
                    "id": code,
                    "name": name,
                    "tasks": list(members),
                    "duration": limit,
                    "unit": unit,
                    "legal": True,
                }  # fmt: skip
            )
    document["bundles"] = out


def _catalog_bundles() -> list[tuple]:
    return [
        (b.code, b.name, tuple(m.code for m in b.matters.all()), b.limit, b.unit)
        for b in BundleRow.objects.prefetch_related("matters")
    ]


def editor_context(project: Project, document: dict, *, error: str, user) -> dict:
    """Rows, choices and the recomputed chart (when the draft schedules) for the editor."""
    present = {t["id"] for t in document.get("tasks", [])}
    chosen = {b["id"] for b in document.get("bundles") or []}
    rows = [{**t, "links": _links_text(t.get("after"))} for t in document.get("tasks", [])]
    context = {
        "document_json": json.dumps(document, ensure_ascii=False),
        "rows": rows,
        "error": error,
        "addable": Matter.objects.filter(is_active=True)
        .exclude(code__in=present)
        .order_by("stage", "code"),
        "bundles": [
            {"code": c, "name": n, "checked": c in chosen}
            for c, n, members, _l, _u in _catalog_bundles()
            if set(members) <= present
        ],
        "svg": "",
        "summary": None,
    }
    if not error:
        plan = planfile.from_dict(document)
        result = planfile.run(plan, calendars.current())
        data = charting.ChartData(
            title=project.name, subtitle=project.code, tasks=list(plan.tasks),
            bundles=list(plan.bundles), result=result, calendar=calendars.current(),
            today=timezone.localdate(),
        )  # fmt: skip
        context["svg"] = charting.svg("combined", data)
        context["summary"] = result
    return context


def compare(a: PlanVersion, b: PlanVersion) -> dict:
    """Two versions side by side: finish, days saved, and which matters changed."""
    ta = {t["id"]: t for t in a.document.get("tasks", [])}
    tb = {t["id"]: t for t in b.document.get("tasks", [])}
    changed = [
        {
            "id": k,
            "name": tb[k].get("name", k),
            "before": ta[k].get("duration"),
            "after": tb[k].get("duration"),
        }
        for k in ta.keys() & tb.keys()
        if (ta[k].get("duration"), ta[k].get("after"))
        != (tb[k].get("duration"), tb[k].get("after"))
    ]
    return {
        "a": a,
        "b": b,
        "finish_delta": (b.finish - a.finish).days if a.finish and b.finish else None,
        "saved_delta": b.saved_days - a.saved_days,
        "added": sorted((k, tb[k].get("name", k)) for k in tb.keys() - ta.keys()),
        "removed": sorted((k, ta[k].get("name", k)) for k in ta.keys() - tb.keys()),
        "changed": sorted(changed, key=lambda r: r["id"]),
    }
