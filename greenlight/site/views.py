"""Home page, health check and friendly error pages."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenlight.approvals import commitments as approval_commitments
from greenlight.approvals import gaps as approval_gaps
from greenlight.approvals import register as results_register
from greenlight.approvals import selectors as approval_selectors
from greenlight.approvals.choices import PENDING_STATUSES
from greenlight.approvals.models import Approval
from greenlight.kernel import edge
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
    """Liveness and each dependency's state, for the proxy and monitoring: 503 naming the
    dependency that is down (never its host, port or name)."""
    checks = {"database": _database_state(), "media": _media_state()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        # Closed so that the next request connects afresh: recovery needs no restart.
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def _media_state() -> str:
    media = Path(settings.MEDIA_ROOT)
    return "ok" if not media.exists() or media.is_dir() else "unavailable"


# The platform's own error pages (DEBUG is off in production): a title, what to do, and the
# request id to quote to the help desk; never a URL list, a setting or a traceback. Under /api/
# the same answers are JSON.
_MESSAGES = {
    400: _("Bad request: the request could not be read."),
    403: _("Not permitted: your role may not open this page or do this action."),
    404: _("Not found: this page does not exist, or it is not visible to you."),
    500: _("Server error: the error was logged; please try again later."),
}


def _error(request, status: int):
    request_id = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        body = {"detail": str(_MESSAGES[status]), "request_id": request_id}
        return JsonResponse(body, status=status)
    context = {"status": status, "request_id": request_id}
    return render(request, "site/error.html", context, status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def forbidden(request, exception=None):
    return _error(request, 403)


def not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    if edge.is_outage(sys.exc_info()[1]):
        return edge.unavailable(request, sys.exc_info()[1])
    return _error(request, 500)
