"""API of the in-app inbox."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import services
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


@router.get("/notifications", response=list[NotificationOut])
def inbox(request, unread: bool = False):
    """The caller's own inbox, newest first."""
    qs = Notification.objects.visible_to(request.user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs[:200]


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def read(request, notification_id: int):
    """Mark one of the caller's messages read; another user's is 404."""
    item = get_object_or_404(Notification.objects.visible_to(request.user), pk=notification_id)
    return services.mark_read(notification=item)
