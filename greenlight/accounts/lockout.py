"""The page a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE): the platform's own,
in the user's language, saying for how long; JSON for the API."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "User name or password: too many failed attempts (%(limit)d); login is locked for "
        "%(minutes)d minutes, for this account and this address. The security administrator "
        "can lift the lock."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


def locked_out(request, credentials=None, *args, **kwargs):
    """Answer 403 with the lockout message (never says whether the password was right)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"loc": ["username"], "msg": message()}]}, status=403)
    context = {"lockout": message(), "form": None}
    return render(request, "site/login.html", context, status=403)
