"""Account policy on every request: the idle timeout, a second factor where the role needs one,
a password younger than PASSWORD_MAX_AGE_DAYS. Until then only the pages that fix it (and
logging out)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from . import services

SEEN = "greenlight_seen"  # the session's last activity (epoch seconds)
TOUCH_SECONDS = 60

# URL names a user may still open while the policy is not met.
OPEN = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "healthz",
        "accounts:mfa_setup",
        "accounts:mfa_verify",
        "accounts:sso_login",
        "accounts:sso_callback",
        "accounts:password_change",
        "accounts:password_change_done",
    }
)


HEALTH_PATH = "/healthz"


def _name(request) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    return match.view_name


class AccountPolicyMiddleware:
    """Sends a signed-in user to enrol or verify a second factor, or to change an expired
    password; the API answers 403 naming what is missing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return self.get_response(request)  # a probe: no session, no account, no database
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _idle(request):
            services.tell("session_expired", user, actor=user)
            logout(request)
            return self._refuse(request, "login", "session", _idle_message())
        if user is not None and user.is_authenticated and _name(request) not in OPEN:
            if user.mfa_required and not services.second_factor_met(request):
                return self._refuse(request, "accounts:mfa_setup", "otp", _mfa_message())
            if user.password_expired:
                return self._refuse(
                    request, "accounts:password_change", "password", _expired_message()
                )
        return self.get_response(request)

    @staticmethod
    def _refuse(request, page: str, field: str, msg: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": [{"loc": [field], "msg": msg}]}, status=403)
        return redirect(page)


def _idle(request) -> bool:
    """Idle longer than SESSION_COOKIE_AGE (30 min)? Else note the activity, at most once a
    minute (each note saves the session, which renews its expiry in the database)."""
    now = time.time()
    seen = request.session.get(SEEN)
    if seen is not None and now - seen > settings.SESSION_COOKIE_AGE:
        return True
    if seen is None or now - seen > TOUCH_SECONDS:
        request.session[SEEN] = now
    return False


def _idle_message() -> str:
    return _("Session: ended after %(minutes)d idle minutes; log in again.") % {
        "minutes": settings.SESSION_COOKIE_AGE // 60
    }


def _mfa_message() -> str:
    return _("Second factor: your role needs a one-time code from your authenticator app.")


def _expired_message() -> str:
    return _("Password: it is older than %(days)d days and must be changed.") % {
        "days": settings.PASSWORD_MAX_AGE_DAYS
    }
