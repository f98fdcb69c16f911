"""The inbox page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .models import Notification


@login_required
def inbox(request):
    """The user's messages, newest first."""
    items = Notification.objects.visible_to(request.user)[:200]
    return render(request, "notifications/inbox.html", {"items": items})


@login_required
@require_POST
def open_item(request, pk: int):
    """Mark a message read and go to what it is about."""
    item = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.mark_read(notification=item)
    if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()}):
        return redirect(item.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    """Mark every message read."""
    from django.utils import timezone

    Notification.objects.visible_to(request.user).filter(read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:inbox")


def unread_count(request) -> dict:
    """Context processor: the unread count shown in the top bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    }
