"""Which approval matters a project has: its template's matters (the optional ones only when
ticked) opened as approvals (办件) at the departments of its region. The one way a project's
approvals come to be: registration by any channel, 谋划生成 and a coordinator adding a matter
all go through `open_approvals`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from greenlight.accounts.models import Department
from greenlight.approvals.choices import Status
from greenlight.approvals.models import Approval
from greenlight.catalog.models import Matter, Template, TemplateItem
from greenlight.kernel.errors import DomainError


def template_for(category: str) -> Template | None:
    """The catalog template of a project category (None when the catalog has none)."""
    return Template.objects.filter(category=category).order_by("code").first()


def optional_items(template: Template | None) -> list[TemplateItem]:
    """The template's optional items, in template order, with their matters."""
    if template is None:
        return []
    return list(template.items.filter(optional=True).select_related("matter").order_by("position"))


def template_matters(template: Template | None, *, optional=()) -> list[Matter]:
    """The matters a project of `template` opens: every required item, and the optional items
    whose matter code is in `optional`; an optional code the template does not offer is refused
    (field `optional_matters`)."""
    if template is None:
        if optional:
            raise DomainError(
                _("this category has no template, so it offers no optional matters"),
                field="optional_matters",
            )
        return []
    items = list(template.items.select_related("matter").order_by("position"))
    offered = {i.matter.code for i in items if i.optional}
    wanted = {str(c).strip() for c in optional if str(c).strip()}
    stray = sorted(wanted - offered)
    if stray:
        raise DomainError(
            _(
                "%(codes)s is not an optional matter of the template “%(template)s” (it offers: %(offered)s)"
            )
            % {
                "codes": "、".join(stray),
                "template": template.name,
                "offered": "、".join(sorted(offered)) or _("none"),
            },
            field="optional_matters",
        )
    return [i.matter for i in items if not i.optional or i.matter.code in wanted]


def departments_for(region, matters) -> dict[str, Department]:
    """The region's department of each matter's kind; refuses (field `matters`) when the region
    has no department for one of them, naming it."""
    depts = {d.kind: d for d in Department.objects.filter(region=region)}
    for matter in matters:
        if matter.department_kind not in depts:
            raise DomainError(
                _("%(region)s has no department for %(kind)s (needed by %(matter)s)")
                % {
                    "region": region.name,
                    "kind": matter.get_department_kind_display(),
                    "matter": matter.name,
                },
                field="matters",
            )
    return depts


def open_approvals(project, matters) -> list[Approval]:
    """Open an approval, not started, for each of `matters` the project does not have yet."""
    depts = departments_for(project.region, matters)
    have = set(project.approvals.values_list("matter_id", flat=True)) if project.pk else set()
    rows = [
        Approval(project=project, matter=m, department=depts[m.department_kind])
        for m in matters
        if m.pk not in have
    ]
    return Approval.objects.bulk_create(rows)


def addable_matters(project):
    """The active catalog matters the project does not have yet, in stage and code order."""
    have = project.approvals.values_list("matter_id", flat=True)
    return Matter.objects.filter(is_active=True).exclude(pk__in=have).order_by("stage", "code")


REMOVABLE = frozenset({Status.NOT_STARTED})


def removal_refused(approval) -> str:
    """Why `approval` may not be removed from its project ("" when it may): once a department
    has it (early intervention, submitted, decided), it stays and is withdrawn instead."""
    if approval.status in REMOVABLE and approval.submitted_at is None:
        return ""
    return _(
        "%(matter)s cannot be removed: it is “%(status)s” already (only a matter not yet started may be removed; withdraw it instead)"
    ) % {
        "matter": approval.matter.name,
        "status": approval.get_status_display(),
    }
