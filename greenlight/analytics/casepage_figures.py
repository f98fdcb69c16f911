"""The computations behind the case page, one function per group of figures of the case.

Each takes a `casepage.Scope` and returns its `casepage.Figure` records; see the definitions
in the records themselves (they are shown on the page as written here)."""

from __future__ import annotations

from datetime import timedelta
from statistics import median

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.approvals import joint
from greenlight.approvals.models import Approval, JointCase
from greenlight.catalog.calendars import current as current_calendar
from greenlight.catalog.models import Bundle, Template
from greenlight.pipeline.models import AnnualTarget
from greenlight.projects.models import Project
from greenlight.reforms import impact
from greenlight.reviews.models import Batch, BatchProject
from greenlight.tickets.models import Ticket

from .casepage_records import Scope, make

DAYS = pgettext_lazy("case page", "days")
WORKDAYS = _("working days")
PROJECTS = pgettext_lazy("case page", "projects")
ITEMS = pgettext_lazy("case page", "items")


def _workdays(first, last, cal) -> int:
    """Working days after the acceptance day up to the decision day (行政许可法 82)."""
    a, b = timezone.localtime(first).date(), timezone.localtime(last).date()
    return cal.count_workdays(a + timedelta(days=1), b) if b > a else 0


def _median(values: list[int]):
    return median(values) if values else None


# -- 3+1 flowchart: a template's serial and parallel days --------------------------------------


def template_days(s: Scope) -> list:
    """危险边坡 141 → 90: the template scheduled by the engine from the period's first day."""
    label = _("Template: serial → parallel days")
    definition = _(
        "The template's matters at today's committed limits, scheduled by the engine on the "
        "working-day calendar from the period's first day: all in series, then as the "
        "template's dependency network allows (calendar days, first to last day). Cases: the "
        "district's projects on this template."
    )
    state = impact.CatalogState.load()
    if not s.template or s.template not in state.templates:
        return [make("template_days", label, value=None, unit=DAYS, definition=definition)]
    spans = impact.spans(state, s.template, start=s.start, calendar=current_calendar())
    cases = s.of(Project.objects.all(), "region").filter(template__code=s.template)
    name = Template.objects.filter(code=s.template).values_list("name", flat=True).first()
    label = f"{label} · {name or s.template}"
    return [
        make(
            "template_days",
            label,
            value=spans["parallel"] or None,
            before=spans["serial"] or None,
            unit=DAYS,
            definition=definition,
            cases=cases.order_by("-id"),
        )
    ]


# -- 环评 + 排污许可: handled apart, then as one joint case --------------------------------------


def eia_bundle() -> Bundle | None:
    """The catalog's 环评 + 排污许可 bundle."""
    return (
        Bundle.objects.filter(code="eia_permit").first()
        or Bundle.objects.filter(name__contains="排污许可").order_by("code").first()
    )


def joint_eia(s: Scope) -> list:
    """The bundle's handling time in working days, apart (before) and as a joint case (after)."""
    bundle = eia_bundle()
    apart_def = _(
        "Median, over the projects whose 环评 and 排污许可 were both decided outside a joint "
        "case, the later in the period, of the sum of the two matters' own handling times in "
        "working days (each from its acceptance to its decision, acceptance day not counted, "
        "pauses included). The time between the two applications is the project's own "
        "schedule (排污许可 is usually filed before operation), not handling, and is left out."
    )
    joint_def = _(
        "Median, over the joint cases (一口受理) of the bundle decided in the period, of the "
        "working days from the case's acceptance to its decision (acceptance day not counted, "
        "pauses included)."
    )
    apart_label, joint_label = _("环评 + 排污许可 handled apart"), _("环评 + 排污许可 as one case")
    if bundle is None:
        return [
            make("eia_separate", apart_label, value=None, unit=WORKDAYS, definition=apart_def),
            make("eia_joint", joint_label, value=None, unit=WORKDAYS, definition=joint_def),
        ]
    cal = current_calendar()
    members = list(bundle.matters.values_list("pk", flat=True))
    approvals = s.of(Approval.objects.all(), "project__region").filter(matter_id__in=members)
    pairs = (
        approvals.filter(joint_case__isnull=True, accepted_at__isnull=False)
        .filter(decided_at__isnull=False)
        .values("project_id")
        .annotate(n=Count("matter_id", distinct=True), dec=Max("decided_at"))
        .filter(n=len(members), **s.in_period("dec"))
        .values("project_id")
    )
    apart: dict[int, int] = {}
    handled = (
        approvals.filter(project_id__in=pairs, joint_case__isnull=True, accepted_at__isnull=False)
        .filter(decided_at__isnull=False)
        .values_list("project_id", "accepted_at", "decided_at")
    )
    for project_id, accepted, decided in handled:
        apart[project_id] = apart.get(project_id, 0) + _workdays(accepted, decided, cal)
    cases = s.of(JointCase.objects.all(), "project__region").filter(
        bundle=bundle, accepted_at__isnull=False, **s.in_period("decided_at")
    )
    together = [
        joint.handling_workdays(c, calendar=cal) for c in cases.only("accepted_at", "decided_at")
    ]
    apart_cases = approvals.filter(project_id__in=list(apart)).select_related("project", "matter")
    return [
        make(
            "eia_separate",
            apart_label,
            value=_median(list(apart.values())),
            unit=WORKDAYS,
            definition=apart_def,
            cases=apart_cases.order_by("project_id", "matter__code"),
            n=len(apart),
        ),
        make(
            "eia_joint",
            joint_label,
            value=_median(together),
            unit=WORKDAYS,
            definition=joint_def,
            cases=cases.select_related("project", "bundle").order_by("-decided_at"),
            n=len(together),
        ),
    ]


# -- 联审联批五步法: starts within N days of a batch --------------------------------------------


def batch_starts(s: Scope) -> list:
    """Projects of a batch issued in the period that started within N days of its issue, their
    share of the year's starts, the year's starts and the year's target (if entered)."""
    batches = list(
        s.of(Batch.objects.all(), "region")
        .filter(**s.in_period("issued_at"))
        .values_list("pk", "issued_at")
    )
    window = Q(pk__in=[])
    for pk, issued in batches:
        day = timezone.localtime(issued).date()
        on_list = BatchProject.objects.filter(batch_id=pk, project_id=OuterRef("pk"))
        window |= Q(
            Exists(on_list), actual_start__gte=day, actual_start__lte=day + timedelta(s.days)
        )
    projects = s.of(Project.objects.all(), "region")
    started = projects.filter(window)
    years = sorted(started.values_list("actual_start__year", flat=True).distinct().order_by())
    n = started.count() if batches else None
    year_starts = projects.filter(actual_start__year__in=years).count() if years else None
    targets = s.of(AnnualTarget.objects.all(), "region").filter(
        year__in=years, subdistrict__isnull=True, department__isnull=True, new_starts__gt=0
    )
    target = sum(targets.values_list("new_starts", flat=True)) or None
    years_text = "、".join(str(y) for y in years) or "—"
    share = round(100 * n / year_starts, 1) if n and year_starts else None
    return [
        make(
            "batch_starts",
            _("Started within %(n)d days of a five-step batch") % {"n": s.days},
            value=n,
            unit=PROJECTS,
            definition=_(
                "Projects on the list of a batch issued in the period whose actual construction "
                "start is on the issue day or at most %(n)d calendar days after it (each counted "
                "once)."
            )
            % {"n": s.days},
            cases=started.select_related("owner").order_by("actual_start", "id"),
        ),
        make(
            "batch_share",
            _("Their share of the year's new starts"),
            value=share,
            unit="%",
            definition=_(
                "The projects above as a percentage of all the district's projects whose actual "
                "start falls in the same year (%(years)s); counted from the actual starts, "
                "never from a target."
            )
            % {"years": years_text},
            cases=started.select_related("owner").order_by("actual_start", "id"),
        ),
        make(
            "year_starts",
            _("New starts of the year (actual)"),
            value=year_starts,
            unit=PROJECTS,
            definition=_("Projects of the district with an actual start in %(years)s.")
            % {"years": years_text},
            cases=projects.filter(actual_start__year__in=years)
            .select_related("owner")
            .order_by("actual_start", "id"),
        ),
        make(
            "starts_target",
            _("New starts target of the year (as entered)"),
            value=target,
            unit=PROJECTS,
            definition=_(
                "The new-starts target issued to the district as a whole for %(years)s "
                "(年度任务), shown as entered; no figure when none was entered."
            )
            % {"years": years_text},
        ),
    ]


# -- projects served, matters and problems handled ---------------------------------------------


def served(s: Scope) -> list:
    """Projects served, approvals decided and tickets handled in the period."""
    approvals = s.of(Approval.objects.all(), "project__region")
    tickets = s.of(Ticket.objects.all(), "project__region")
    decided = approvals.filter(**s.in_period("decided_at"))
    handled = tickets.filter(
        Q(**s.in_period("resolved_at")) | Q(resolved_at__isnull=True, **s.in_period("closed_at"))
    )
    touched = approvals.filter(project_id=OuterRef("pk")).filter(
        Q(**s.in_period("accepted_at")) | Q(**s.in_period("decided_at"))
    )
    raised = tickets.filter(project_id=OuterRef("pk"), **s.in_period("reported_at"))
    listed = BatchProject.objects.filter(
        project_id=OuterRef("pk"), **s.in_period("batch__issued_at")
    )
    projects = s.of(Project.objects.all(), "region").filter(
        Q(Exists(touched)) | Q(Exists(raised)) | Q(Exists(listed))
    )
    n_projects, n_decided, n_handled = projects.count(), decided.count(), handled.count()
    return [
        make(
            "projects_served",
            _("Projects served"),
            value=n_projects or None,
            unit=PROJECTS,
            definition=_(
                "Projects of the district with an approval accepted or decided, a problem "
                "reported, or a place on a five-step batch in the period."
            ),
            cases=projects.select_related("owner").order_by("-id"),
        ),
        make(
            "approvals_handled",
            _("Approval matters decided"),
            value=n_decided or None,
            unit=ITEMS,
            definition=_(
                "Approvals (办件) decided in the period: approved, refused or not accepted; each "
                "member of a joint case counts."
            ),
            cases=decided.select_related("project", "matter").order_by("-decided_at"),
        ),
        make(
            "tickets_handled",
            _("Blocking problems handled (1-2-3 tickets)"),
            value=n_handled or None,
            unit=ITEMS,
            definition=_("Tickets resolved in the period (or closed, when never resolved)."),
            cases=handled.select_related("project").order_by("-reported_at"),
        ),
        make(
            "matters_and_problems",
            _("Matters and problems handled"),
            value=(n_decided + n_handled) or None,
            unit=ITEMS,
            definition=_("The two figures above added: approvals decided and tickets handled."),
        ),
    ]
