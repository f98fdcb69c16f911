"""Custom plans of major projects: validate, save a version, restore one."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.audit import services as audit
from greenlight.catalog import calendars
from greenlight.engine import planfile
from greenlight.engine.network import Bundle, Task
from greenlight.kernel.errors import DomainError
from greenlight.projects.models import Project

from . import planning
from .models import PlanVersion


def check_document(document: dict) -> planfile.Plan:
    """Validate a plan document; a cycle or a negative duration is refused naming the matter."""
    try:
        return planfile.from_dict(document)
    except planfile.PlanError as exc:
        raise DomainError(_explain(exc, document), field=_field(exc)) from None


def _field(exc: planfile.PlanError) -> str:
    loc = [str(p) for p in exc.loc if not isinstance(p, int)]
    return loc[-1] if loc else "tasks"


def _explain(exc: planfile.PlanError, document: dict) -> str:
    """The engine's message with matter codes followed by their names."""
    names = {
        str(t.get("id")): t.get("name") for t in document.get("tasks") or [] if isinstance(t, dict)
    }
    message = exc.message
    if message.startswith("cycle: "):
        chain = message[len("cycle: ") :].split(" → ")
        shown = " → ".join(f"{c}（{names.get(c) or c}）" for c in chain)
        return _("The links make a cycle: %(chain)s") % {"chain": shown}
    if "must be 0 or more" in message and '"' in message:
        code = message.split('"')[1]
        return _("Matter %(code)s (%(name)s): the duration must be 0 or more.") % {
            "code": code,
            "name": names.get(code) or code,
        }
    return message


def _summarize(version: PlanVersion, plan: planfile.Plan, calendar) -> None:
    result = planfile.run(plan, calendar)
    version.matters = len(plan.tasks)
    version.finish = result.parallel.finish
    version.serial_days = result.serial.days
    version.parallel_days = result.parallel.days
    version.saved_days = result.saved_days


def save_version(
    *, project: Project, document: dict, actor, note: str = "", restored_from: int | None = None
) -> PlanVersion:
    """Save a coordinator's custom plan as the project's next version and replan the project."""
    plan = check_document(document)
    calendar = calendars.current()
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        last = PlanVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0
        version = PlanVersion(
            project=project,
            number=last + 1,
            document=document,
            note=note[:200],
            restored_from=restored_from,
            created_by=actor,
        )
        try:
            _summarize(version, plan, calendar)
        except planfile.PlanError as exc:
            raise DomainError(_explain(exc, document), field=_field(exc)) from None
        version.save()
        audit.record(
            version,
            "plan_version_saved",
            actor=actor,
            changes={"project": project.pk, "number": version.number, "note": version.note,
                     "restored_from": restored_from, "finish": version.finish},
        )  # fmt: skip
        project._custom_plan = None
        planning.replan(project, calendar=calendar, today=timezone.localdate())
    return version


def restore_version(*, project: Project, number: int, actor) -> PlanVersion:
    """Make an earlier version the plan in force again, as a new version (history is kept)."""
    old = PlanVersion.objects.filter(project=project, number=number).first()
    if old is None:
        raise DomainError(_("There is no version %(n)s.") % {"n": number}, field="number")
    return save_version(
        project=project,
        document=old.document,
        actor=actor,
        note=_("restored from version %(n)s") % {"n": number},
        restored_from=number,
    )


def document_for(*, name: str, start: date, tasks: list[Task], bundles: list[Bundle]) -> dict:
    """Engine tasks and bundles as a plan-file document (what versions store and JSON exports)."""
    return planfile.to_dict(name=name, start=start, tasks=tasks, bundles=bundles)
