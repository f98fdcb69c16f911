"""Lifecycle gates: a project enters 建设 or 竣工 only with the facts behind it.

建设 (construction) needs an actual start date and the construction-permit stage done: at least
one 施工许可-stage approval, and every one of them approved (withdrawn ones do not count).
竣工 (completed) needs a completion date, an actual start, and every completion-stage approval
(联合验收 and the like) approved, at least one. A coordinator may override a gate with a
reason; the override is audited and shown on the project.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from greenlight.approvals.choices import Status
from greenlight.catalog.choices import Stage

from .choices import Lifecycle

GATED = {Lifecycle.CONSTRUCTION: Stage.CONSTRUCTION_PERMIT, Lifecycle.COMPLETED: Stage.COMPLETION}


def _open_matters(project, stage: str) -> tuple[int, list[str]]:
    """How many approvals of `stage` count, and the names of those not approved."""
    if project.pk is None:
        return 0, []
    rows = (
        project.approvals.filter(matter__stage=stage)
        .exclude(status=Status.WITHDRAWN)
        .values_list("matter__name", "status")
    )
    return len(rows), [name for name, status in rows if status != Status.APPROVED]


def missing_dates(project, stage: str) -> list[str]:
    """The dates `project` lacks to be in lifecycle `stage` (no query); [] when none."""
    missing = []
    if stage in GATED and project.actual_start is None:
        missing.append(_("an actual construction start date"))
    if stage == Lifecycle.COMPLETED and project.completed_on is None:
        missing.append(_("a completion date"))
    return missing


def missing_for(project, stage: str) -> list[str]:
    """What `project` (with its new values set) lacks to be in lifecycle `stage`; [] when none."""
    if stage not in GATED:
        return []
    missing = missing_dates(project, stage)
    count, open_names = _open_matters(project, GATED[stage])
    label = Stage(GATED[stage]).label
    if count == 0:
        missing.append(_("an approved matter of the stage “%(stage)s”") % {"stage": label})
    for name in open_names:
        missing.append(_("the approval of %(matter)s") % {"matter": name})
    return missing


def explain(stage: str, missing: list[str]) -> str:
    """One sentence naming everything the stage change lacks."""
    return _("The project cannot be %(stage)s yet: it needs %(missing)s.") % {
        "stage": Lifecycle(stage).label,
        "missing": _("; ").join(missing),
    }
