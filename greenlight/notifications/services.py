"""Notifying people: inbox messages and webhook deliveries, with retries and no duplicates."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import urllib.error
import urllib.parse
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


_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")


def escape_markdown(text: str) -> str:
    """User text shown literally by a markdown robot: every markdown sign backslashed, so a
    project named `[点此](http://…)` or `**紧急**` is not a link nor bold."""
    return _MARKDOWN_SIGNS.sub(r"\\\1", text)


def render_payload(hook: Webhook, *, event: str, title: str, body: str, url: str) -> dict:
    """The body a webhook of this kind expects (WeCom and DingTalk robots differ slightly);
    user text is escaped for the format (JSON encodes itself; markdown is backslashed)."""
    text = f"{title}\n{body}".strip() + (f"\n{url}" if url else "")
    if hook.kind == WebhookKind.JSON:
        return {"event": event, "title": title, "body": body, "url": url}
    if hook.markdown:
        link = urllib.parse.quote(url, safe="/:?&=#%")
        md = f"**{escape_markdown(title)}**\n\n{escape_markdown(body)}" + (
            f"\n\n[查看]({link})" if url else ""
        )
        if hook.kind == WebhookKind.WECOM:
            return {"msgtype": "markdown", "markdown": {"content": md}}
        return {"msgtype": "markdown", "markdown": {"title": title, "text": md}}
    return {"msgtype": "text", "text": {"content": text}}


def sign(hook: Webhook, data: bytes, *, now: datetime) -> tuple[str, dict[str, str]]:
    """The URL and headers of a delivery of `data`, signed with the hook's secret (none without).

    Every kind gets `X-Greenlight-Timestamp` (Unix seconds) and `X-Greenlight-Signature:
    sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>`; a receiver recomputes it
    and refuses a stale timestamp. A DingTalk robot with 加签 also gets what it checks: the URL's
    `timestamp` (milliseconds) and `sign` (Base64 HMAC-SHA256 of "<timestamp>\\n<secret>").
    """
    if not hook.secret:
        return hook.url, {}
    key = hook.secret.encode()
    seconds = str(int(now.timestamp()))
    digest = hmac.new(key, seconds.encode() + b"." + data, hashlib.sha256).hexdigest()
    headers = {"X-Greenlight-Timestamp": seconds, "X-Greenlight-Signature": f"sha256={digest}"}
    url = hook.url
    if hook.kind == WebhookKind.DINGTALK:
        millis = str(int(now.timestamp() * 1000))
        mac = hmac.new(key, f"{millis}\n{hook.secret}".encode(), hashlib.sha256).digest()
        query = urllib.parse.urlencode({"timestamp": millis, "sign": base64.b64encode(mac)})
        url = f"{url}{'&' if '?' in url else '?'}{query}"
    return url, headers


def body_bytes(payload: dict) -> bytes:
    """The exact bytes posted (and signed) for `payload`."""
    return json.dumps(payload, ensure_ascii=False).encode()


def _post(url: str, payload: dict, headers: dict | None = None) -> None:
    data = body_bytes(payload)
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        if response.status >= 300:
            raise urllib.error.HTTPError(url, response.status, "status", response.headers, None)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4 ... minutes, at most 4 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


def deliver_due(
    *, now: datetime | None = None, post: Callable[[str, dict, dict], None] = _post
) -> dict:
    """Send every pending delivery whose time has come; failures retry with backoff."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    due = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).select_related("webhook")
    for delivery in due[:500]:
        delivery.attempts += 1
        try:
            url, headers = sign(delivery.webhook, body_bytes(delivery.payload), now=now)
            post(url, delivery.payload, headers)
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
