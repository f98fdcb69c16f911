"""The security events the trail records, wherever they happen: the accounts app's hook
(tokens, second factor, locks, passwords, users), Django's login signals (every login form,
the admin's included), django-axes' lockout and every write of the Django admin (LogEntry).

Signals serve here because these acts happen inside Django and its libraries, not in our
services; nothing of the domain hangs on them."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save

from greenlight.accounts import hooks as account_hooks

from . import services

ADMIN_ACTIONS = {ADDITION: "admin_added", CHANGE: "admin_changed", DELETION: "admin_deleted"}


def on_security_event(*, action, obj, actor, outcome, changes):
    services.record(obj, action, actor=actor, outcome=outcome, changes=changes)


def on_logged_in(sender, request, user, **kwargs):
    services.record(user, "login", actor=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        services.record(user, "logout", actor=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    services.record(
        None,
        "login_failed",
        outcome=services.FAILURE,
        object_type="accounts.user",
        object_id=username[:40],
        object_repr=username,
        changes={"username": username},
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    services.record(
        None,
        "lockout",
        outcome=services.FAILURE,
        object_type="accounts.user",
        object_id=str(username or "")[:40],
        object_repr=str(username or ip_address or ""),
        changes={"username": username, "ip": ip_address},
    )


def on_admin_write(sender, instance: LogEntry, created, **kwargs):
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    obj = None
    if model is not None and instance.action_flag != DELETION:
        obj = model._default_manager.filter(pk=instance.object_id).first()
    services.record(
        obj,
        ADMIN_ACTIONS.get(instance.action_flag, "admin_write"),
        actor=instance.user,
        object_type=model._meta.label_lower if model else "",
        object_id=str(instance.object_id or "")[:40],
        object_repr=instance.object_repr,
        changes={"message": instance.get_change_message()},
    )


def connect() -> None:
    from axes.signals import user_locked_out

    account_hooks.security_event.connect(on_security_event)
    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid="audit_login")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="audit_logout")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit_lockout")
    post_save.connect(on_admin_write, sender=LogEntry, dispatch_uid="audit_admin_write")
