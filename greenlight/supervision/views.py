"""Notice pages: the list, one notice with its reply form, and issuing a notice on a subject."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.kernel.errors import DomainError
from greenlight.kernel.roles import Role

from . import permissions, selectors, services, subjects
from .forms import FilterForm, NoticeForm, ReplyForm


def _reader(request) -> None:
    if not permissions.can_read(request.user):
        raise PermissionDenied


def _filters(form: FilterForm, user) -> selectors.NoticeFilter:
    if not form.is_bound:
        # an approver starts with its department's notices (what it has to answer)
        return selectors.NoticeFilter(mine=user.role == Role.APPROVER)
    if not form.is_valid():
        return selectors.NoticeFilter()
    d = form.cleaned_data
    return selectors.NoticeFilter(
        state=d["state"],
        kind=d["kind"],
        department=d["department"].pk if d["department"] else None,
        mine=d["mine"],
        q=d["q"].strip(),
    )


@login_required
def notice_list(request):
    """Supervision notices the user may see: by state, subject type, department."""
    _reader(request)
    user, now = request.user, timezone.now()
    form = FilterForm(request.GET or None, user=user)
    filters = _filters(form, user)
    if not form.is_bound:
        form.initial["mine"] = filters.mine
    rows = selectors.notice_list(user=user, filters=filters, now=now)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/list.html",
        {"form": form, "page": page, "now": now, "page_query": query.urlencode()},
    )


@login_required
def notice_detail(request, pk: int):
    """One notice and its reply; the addressed department replies here (others: 403)."""
    _reader(request)
    notice = get_object_or_404(selectors.visible(user=request.user), pk=pk)
    may_reply = permissions.can_reply(request.user, notice) and not notice.is_answered
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_reply:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reply_notice(
                    notice=notice, text=form.cleaned_data["text"], actor=request.user
                )
            except DomainError as exc:
                form.add_error("text" if exc.field == "text" else None, str(exc.message))
            else:
                messages.success(request, _("Reply recorded."))
                return redirect("supervision:detail", pk=pk)
        status = 422
    subject = notice.subject
    return render(
        request,
        "supervision/detail.html",
        {
            "notice": notice,
            "subject": subject,
            "subject_kind": subjects.label_of(subjects.kind_of(subject)) if subject else "",
            "state": notice.state(now=timezone.now()),
            "form": form if may_reply else None,
        },
        status=status,
    )


@login_required
def issue(request, kind: str, pk: int):
    """Issue a notice on a subject (a coordinator): the form, and its post from the subject's
    page; 404 when the subject is not visible, 403 for other roles or a finished subject."""
    _reader(request)
    subject = subjects.visible(kind, pk, request.user)
    if not (permissions.can_issue(request.user) and subject.supervision_open):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, subject=subject)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                notice = services.issue_notice(
                    subject=subject,
                    department=d.get("department"),
                    text=d["text"],
                    reply_days=d["reply_days"],
                    actor=request.user,
                )
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc.message))
            else:
                messages.success(request, _("Supervision notice issued."))
                return redirect(notice)
        status = 422
    return render(
        request,
        "supervision/issue.html",
        {"form": form, "subject": subject, "subject_kind": subjects.label_of(kind)},
        status=status,
    )
