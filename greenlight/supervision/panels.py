"""The supervision panel of a subject's page (an approval, a ticket, a batch): the notices on it
the user may see and, for a coordinator, the form issuing one (posted to `supervision:issue`).

The subject's view puts `panel(request, subject)` in its context as `supervision`; its template
includes "supervision/_notices.html" and "supervision/_issue_form.html" with it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from . import permissions, selectors, subjects
from .forms import NoticeForm


def panel(request, subject) -> dict:
    """What the subject's page shows of supervision; empty for users who may not read it."""
    user = request.user
    if not permissions.can_read(user):
        return {"can_read": False, "notices": [], "form": None}
    can_issue = (
        permissions.can_issue(user)
        and subject.supervision_open
        and bool(list(subject.supervision_departments()))
    )
    return {
        "can_read": True,
        "notices": list(selectors.of_subject(user=user, subject=subject)),
        "now": timezone.now(),
        "form": NoticeForm(subject=subject) if can_issue else None,
        "issue_url": reverse("supervision:issue", args=[subjects.kind_of(subject), subject.pk]),
    }
