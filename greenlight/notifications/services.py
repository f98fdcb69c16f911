"""Notifying people: inbox messages and webhook deliveries, with retries and no duplicates."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .choices import DeliveryStatus, WebhookKind
from .models import Delivery, Notification, Webhook

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 5


def notify(
    *,
    users: Iterable,
    event: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    region=None,
    department=None,
    now: datetime | None = None,
) -> int:
    """Put a message in each user's inbox and queue it for the region's webhooks; idempotent
    per `key` (a repeated call for the same event adds nothing). Returns new inbox messages."""
    created = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user, event=event, key=key, title=title[:200], body=body, url=url
                )
                created += 1
        except IntegrityError:
            continue
    if region is not None:
        _queue(
            event=event,
            key=key,
            title=title,
            body=body,
            url=url,
            region=region,
            department=department,
            now=now or timezone.now(),
        )
    return created


def _queue(*, event, key, title, body, url, region, department, now) -> None:
    hooks = Webhook.objects.filter(region=region, is_active=True)
    for hook in hooks:
        if hook.department_id and (department is None or hook.department_id != department.pk):
            continue
        if not hook.wants(event):
            continue
        payload = render_payload(hook, event=event, title=title, body=body, url=url)
        Delivery.objects.get_or_create(
            webhook=hook,
            key=key,
            defaults={"event": event, "payload": payload, "next_attempt_at": now},
        )


def render_payload(hook: Webhook, *, event: str, title: str, body: str, url: str) -> dict:
    """The body a webhook of this kind expects (WeCom and DingTalk robots differ slightly)."""
    text = f"{title}\n{body}".strip() + (f"\n{url}" if url else "")
    if hook.kind == WebhookKind.JSON:
        return {"event": event, "title": title, "body": body, "url": url}
    if hook.markdown:
        md = f"**{title}**\n\n{body}" + (f"\n\n[查看]({url})" if url else "")
        if hook.kind == WebhookKind.WECOM:
            return {"msgtype": "markdown", "markdown": {"content": md}}
        return {"msgtype": "markdown", "markdown": {"title": title, "text": md}}
    return {"msgtype": "text", "text": {"content": text}}


def _post(url: str, payload: dict) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        if response.status >= 300:
            raise urllib.error.HTTPError(url, response.status, "status", response.headers, None)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4 ... minutes, at most 4 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


def deliver_due(*, now: datetime | None = None, post: Callable[[str, dict], None] = _post) -> dict:
    """Send every pending delivery whose time has come; failures retry with backoff."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    due = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).select_related("webhook")
    for delivery in due[:500]:
        delivery.attempts += 1
        try:
            post(delivery.webhook.url, delivery.payload)
        except Exception as exc:  # noqa: BLE001 - any failure of a remote end is retried
            delivery.last_error = str(exc)[:300]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                counts["failed"] += 1
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                counts["retry"] += 1
        else:
            delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
            counts["sent"] += 1
        delivery.save(
            update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"]
        )
    return counts


def mark_read(*, notification: Notification, at: datetime | None = None) -> Notification:
    """Mark one inbox message read."""
    if notification.read_at is None:
        notification.read_at = at or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
