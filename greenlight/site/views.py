"""Home page, health check and friendly error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from greenlight.approvals import commitments as approval_commitments
from greenlight.approvals import gaps as approval_gaps
from greenlight.approvals import register as results_register
from greenlight.approvals import selectors as approval_selectors
from greenlight.approvals.choices import PENDING_STATUSES
from greenlight.approvals.models import Approval
from greenlight.kernel.roles import Role
from greenlight.projects.choices import Lifecycle
from greenlight.projects.models import Project
from greenlight.supervision import permissions as supervision_permissions
from greenlight.supervision import selectors as supervision_selectors
from greenlight.tickets import selectors as ticket_selectors


@login_required
def home(request):
    """Each role's starting page: its share of projects by stage and its pending approvals."""
    projects = Project.objects.visible_to(request.user)
    counts = dict(projects.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    stages = [(value, label, counts.get(value, 0)) for value, label in Lifecycle.choices]
    approvals = Approval.objects.visible_to(request.user).filter(status__in=PENDING_STATUSES)
    if request.user.department_id:
        approvals = approvals.filter(department_id=request.user.department_id)
    # a joint case (一口受理) counts once per department, as the work queue shows it
    summary = {
        "pending": approval_selectors.count_once(approvals),
        "paused": approval_selectors.count_once(approvals.filter(status="paused")),
    }
    context = {
        "stages": stages,
        "total": sum(counts.values()),
        "major": projects.filter(is_major=True).count(),
        "summary": summary,
        "todo": _todo(request.user),
    }
    return render(request, "site/home.html", context)


def _todo(user) -> dict:
    """What needs the user now: red approvals, overdue tickets, notices to answer, opinions."""

    now = timezone.now()
    overdue = approval_selectors.overdue(user=user, now=now)
    if user.department_id:
        overdue = overdue.filter(department_id=user.department_id)
    tickets = ticket_selectors.light_counts(
        user=user, filters=ticket_selectors.TicketFilter(mine=bool(user.department_id)), now=now
    )
    notices = 0
    if supervision_permissions.can_read(user):
        notices = supervision_selectors.to_answer(user=user).count()
    expiring = None  # the owners' and coordinators' results to renew (validity within 30 days)
    if user.role in (Role.COMPANY, Role.COORDINATOR):
        expiring = results_register.expiring(user=user, today=timezone.localdate()).count()
    late = None  # 容缺 materials past their day: the department's and the owner's
    if user.role in (Role.COMPANY, Role.APPROVER):
        late = approval_gaps.overdue(user=user, today=timezone.localdate()).count()
    checks = None  # 事后核查 to do: the department's
    if user.role == Role.APPROVER:
        checks = approval_commitments.due_checks(user=user, today=timezone.localdate()).count()
    return {
        "post_checks": checks,
        "late_materials": late,
        "expiring_results": expiring,
        "overdue_approvals": approval_selectors.count_once(overdue),
        "overdue_tickets": tickets.get("overdue", 0),
        "escalated_tickets": tickets.get("escalated", 0),
        "open_notices": notices,
    }


def healthz(request):
    """Liveness and database reachability, for the proxy and monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    return render(request, "site/error.html", {"status": 403}, status=403)


def not_found(request, exception=None):
    return render(request, "site/error.html", {"status": 404}, status=404)


def server_error(request):
    return render(request, "site/error.html", {"status": 500}, status=500)
