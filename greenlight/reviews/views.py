"""Joint review pages: batches, the project picker, opinions, meetings with minutes, the
synchronous-handling board, feedback on action items, and decisions for project owners."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.approvals.choices import Status as ApprovalStatus
from greenlight.kernel.errors import DomainError
from greenlight.kernel.roles import Role
from greenlight.kernel.views import add_form_error, paginate
from greenlight.projects import selectors as project_selectors
from greenlight.projects.forms import ProjectFilterForm
from greenlight.projects.models import Project
from greenlight.supervision.panels import panel

from . import ics, permissions, selectors, services
from .choices import Outcome
from .forms import (
    OUTCOME_CHOICES,
    ActionItemForm,
    BatchForm,
    FeedbackForm,
    MeetingForm,
    OpinionForm,
)
from .models import ActionItem, Batch, Meeting, Opinion

PICKER_LIMIT = 400


def _staff(request) -> None:
    if request.user.role == Role.COMPANY:
        raise PermissionDenied


def _batch(request, pk: int) -> Batch:
    _staff(request)
    return get_object_or_404(Batch.objects.visible_to(request.user).select_related("region"), pk=pk)


def _meeting(request, pk: int) -> Meeting:
    _staff(request)
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("batch", "batch__region"), pk=pk
    )


@login_required
def batch_list(request):
    """Joint review batches the user may see (an approver: those involving its department)."""
    _staff(request)
    return render(
        request,
        "reviews/list.html",
        {
            "batches": selectors.batches(user=request.user)[:200],
            "can_run": permissions.can_run(request.user),
        },
    )


def _picker_filters(form) -> project_selectors.ProjectFilter:
    if not form.is_valid():
        return project_selectors.ProjectFilter(stage="approval")
    d = form.cleaned_data
    return project_selectors.ProjectFilter(
        q=d["q"].strip(),
        stage=d["stage"],
        category=d["category"],
        subdistrict=d["subdistrict"].pk if d["subdistrict"] else None,
        major={"1": True, "0": False}.get(d["major"]),
        department=d["department"].pk if d["department"] else None,
    )


@login_required
def batch_new(request):
    """Step 1, issue the list: pick projects with the project-list filters, then issue."""
    if not permissions.can_run(request.user):
        raise PermissionDenied
    filters_form = ProjectFilterForm(
        {k: v for k, v in request.GET.items() if k in ProjectFilterForm.base_fields}
        or {"stage": "approval"},
        user=request.user,
    )
    form = BatchForm(request.POST or None)
    picked = {int(v) for v in request.POST.getlist("project") if v.isdigit()}
    if request.method == "POST" and form.is_valid():
        chosen = Project.objects.visible_to(request.user).filter(pk__in=picked)
        try:
            batch = services.issue_batch(
                projects=chosen.select_related("region"), actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_form_error(form, exc)
            if exc.field == "project_ids":
                messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("Batch issued to %(n)s departments.") % {"n": batch.departments.count()}
            )
            return redirect("reviews:detail", pk=batch.pk)
    rows = project_selectors.project_list(user=request.user, filters=_picker_filters(filters_form))
    total = rows.count()
    return render(
        request,
        "reviews/new.html",
        {
            "form": form,
            "filters": filters_form,
            "rows": project_selectors.with_pending_counts(rows[:PICKER_LIMIT]),
            "total": total,
            "limit": PICKER_LIMIT,
            "picked": picked,
        },
    )


@login_required
def batch_detail(request, pk: int):
    """A batch: the five steps at a glance, construction starts, departments and projects."""
    batch = _batch(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "reviews/detail.html",
        {
            "batch": batch,
            "starts": selectors.starts(batch),
            "tallies": selectors.department_tallies(batch, today=today),
            "projects": Project.objects.filter(review_batches=batch)
            .select_related("owner")
            .order_by("pk"),
            "meetings": batch.meetings.all(),
            "opinions_due_passed": today > batch.opinion_due,
            "can_run": permissions.can_run(request.user),
            "meeting_form": MeetingForm() if permissions.can_run(request.user) else None,
            "supervision": panel(request, batch),
        },
    )


@login_required
def opinions(request, pk: int):
    """Step 2: opinions per project × matter; not-yet-in ones are visible to every department;
    an approver records its own department's here."""
    batch = _batch(request, pk)
    user = request.user
    dept = request.GET.get("department", "")
    default_dept = user.department_id if user.role == Role.APPROVER else None
    filters = selectors.OpinionFilter(
        department=int(dept)
        if dept.isdigit()
        else (None if "department" in request.GET else default_dept),
        pending=request.GET.get("pending") == "1",
    )
    page, query = paginate(request, selectors.opinions(batch=batch, filters=filters), 100)
    return render(
        request,
        "reviews/opinions.html",
        {
            "batch": batch,
            "page": page,
            "query": query,
            "filters": filters,
            "tallies": selectors.department_tallies(batch, today=timezone.localdate()),
            "kinds": OpinionForm.base_fields["kind"].choices,
        },
    )


@login_required
@require_POST
def record_opinion(request, pk: int):
    """An approver records its department's opinion (403 for anyone else)."""
    _staff(request)
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)
    if not permissions.can_record_opinion(request.user, opinion):
        raise PermissionDenied
    form = OpinionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("choose an opinion"), field="kind")
        services.record_opinion(opinion=opinion, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, f"{opinion.project.name} · {opinion.matter.name}: {exc.message}")
    else:
        messages.success(
            request,
            _("Opinion recorded: %(p)s · %(m)s")
            % {"p": opinion.project.name, "m": opinion.matter.name},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = f"/reviews/{opinion.batch_id}/opinions/"
    return redirect(back)


@login_required
def meeting_new(request, pk: int):
    """Step 3: schedule the batch's joint review meeting."""
    batch = _batch(request, pk)
    if not permissions.can_run(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                batch=batch, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_form_error(form, exc)
        else:
            messages.success(request, _("Meeting scheduled; the departments are invited."))
            return redirect("reviews:meeting", pk=meeting.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "reviews/meeting_form.html",
        {"batch": batch, "form": form, "meeting": None},
        status=status,
    )


@login_required
def meeting_edit(request, pk: int):
    """Move or relocate a meeting; attendees get a new notice and an updated invitation."""
    meeting = _meeting(request, pk)
    if not permissions.can_run(request.user):
        raise PermissionDenied
    initial = {
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "place": meeting.place,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_meeting(meeting=meeting, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_form_error(form, exc)
        else:
            messages.success(request, _("Meeting changed; the departments are told."))
            return redirect("reviews:meeting", pk=meeting.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "reviews/meeting_form.html",
        {"batch": meeting.batch, "form": form, "meeting": meeting},
        status=status,
    )


@login_required
def meeting(request, pk: int):
    """A meeting: time and place, attendees, the agenda and the minutes."""
    meeting = _meeting(request, pk)
    can_run = permissions.can_run(request.user)
    return render(
        request,
        "reviews/meeting.html",
        {
            "meeting": meeting,
            "batch": meeting.batch,
            "agenda": selectors.agenda(meeting),
            "attendees": selectors.department_tallies(meeting.batch, today=timezone.localdate()),
            "items": selectors.action_items(batch=meeting.batch, today=timezone.localdate()),
            "can_run": can_run,
            "outcomes": OUTCOME_CHOICES,
            "item_form": ActionItemForm(batch=meeting.batch) if can_run else None,
            "is_past": meeting.starts_at <= timezone.now(),
        },
    )


@login_required
@require_POST
def minutes(request, pk: int):
    """Record the summary and the decision per project (rows left blank are skipped)."""
    meeting = _meeting(request, pk)
    if not permissions.can_run(request.user):
        raise PermissionDenied
    decisions = []
    for pid in meeting.batch.items.values_list("project_id", flat=True):
        outcome = request.POST.get(f"outcome_{pid}", "")
        if outcome in Outcome.values:
            decisions.append(
                {"project_id": pid, "outcome": outcome, "text": request.POST.get(f"text_{pid}", "")}
            )
    try:
        services.record_minutes(
            meeting=meeting,
            actor=request.user,
            summary=request.POST.get("summary", ""),
            decisions=decisions,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Minutes recorded: %(n)s decisions.") % {"n": len(decisions)})
    return redirect("reviews:meeting", pk=pk)


@login_required
@require_POST
def add_item(request, pk: int):
    """Add one action item to the minutes."""
    meeting = _meeting(request, pk)
    if not permissions.can_run(request.user):
        raise PermissionDenied
    form = ActionItemForm(request.POST, batch=meeting.batch)
    try:
        if not form.is_valid():
            first = next(iter(form.errors.items()))
            raise DomainError(
                f"{form.fields[first[0]].label}: {' '.join(first[1])}", field=first[0]
            )
        services.record_minutes(
            meeting=meeting, actor=request.user, action_items=[form.service_item()]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Action item added."))
    return redirect("reviews:meeting", pk=pk)


@login_required
def invitation(request, pk: int):
    """The meeting's .ics invitation; an approver's lists its own department's agenda."""
    meeting = _meeting(request, pk)
    department = request.user.department if request.user.role == Role.APPROVER else None
    body = ics.invitation(
        meeting, department=department, url=request.build_absolute_uri(f"/reviews/meetings/{pk}/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="joint-review-{pk}.ics"'
    return response


_BOARD_LINK = (
    '<a class="ap {0}" href="{1}" title="{2}"><i class="light {0}"></i><span>{3}</span></a>'
)


def _board_cell(cell, prefix: str, labels: dict) -> str:
    """One board cell's links, built here rather than by the template for each of the
    thousands of approvals a large batch shows (escaped by format_html)."""

    def title(a) -> str:
        parts = [a.matter.name, labels.get(a.status, a.status)]
        if a.due_at:
            parts.append(timezone.localtime(a.due_at).strftime("%Y-%m-%d"))
        return " · ".join(parts)

    return format_html_join(
        "",
        _BOARD_LINK,
        ((a.light, f"{prefix}{a.pk}/", title(a), a.matter.name) for a in cell),
    )


@login_required
def board(request, pk: int):
    """Step 4: each project's approvals by department with their light (read-only)."""
    batch = _batch(request, pk)
    departments, rows, total = selectors.board(
        batch=batch, user=request.user, now=timezone.now(), fields=selectors.BOARD_PAGE_FIELDS
    )
    prefix = reverse("approvals:detail", args=[0]).removesuffix("0/")
    # the status words once per page (get_status_display re-translates every choice per call)
    labels = {value: str(label) for value, label in ApprovalStatus.choices}
    for row in rows:
        row.cells_html = [_board_cell(cell, prefix, labels) for cell in row.cells]
    return render(
        request,
        "reviews/board.html",
        {"batch": batch, "departments": departments, "rows": rows, "total": total},
    )


@login_required
def feedback(request, pk: int):
    """Step 5: action items by deadline, overdue ones flagged and counted per department."""
    batch = _batch(request, pk)
    today = timezone.localdate()
    items = selectors.action_items(batch=batch, today=today)
    for item in items:
        item.can_answer = permissions.can_feed_back(request.user, item) and item.feedback_at is None
    return render(
        request,
        "reviews/feedback.html",
        {
            "batch": batch,
            "items": items,
            "tallies": [t for t in selectors.department_tallies(batch, today=today) if t.items],
            "overdue": sum(1 for i in items if i.state == "overdue"),
            "form": FeedbackForm(),
        },
    )


@login_required
@require_POST
def give_feedback(request, pk: int):
    """The owner department feeds back on an action item."""
    _staff(request)
    item = get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("meeting"), pk=pk
    )
    if not permissions.can_feed_back(request.user, item):
        raise PermissionDenied
    form = FeedbackForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("this field is required"), field="feedback")
        services.feed_back(item=item, actor=request.user, text=form.cleaned_data["feedback"])
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Feedback recorded."))
    return redirect("reviews:feedback", pk=item.meeting.batch_id)


@login_required
def decisions(request):
    """Joint review decisions: a company reads those on its own projects, staff their batches'."""
    rows = selectors.decisions(user=request.user)[:300]
    return render(request, "reviews/decisions.html", {"rows": rows})
