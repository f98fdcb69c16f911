"""Account policy on every request: a second factor where the role needs one, a password
younger than PASSWORD_MAX_AGE_DAYS. Until then only the pages that fix it (and logging out)."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# URL names a user may still open while the policy is not met.
OPEN = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "healthz",
        "accounts:mfa_setup",
        "accounts:mfa_verify",
        "accounts:password_change",
        "accounts:password_change_done",
    }
)


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
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _name(request) not in OPEN:
            if user.mfa_required and not user.is_verified():
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


def _mfa_message() -> str:
    return _("Second factor: your role needs a one-time code from your authenticator app.")


def _expired_message() -> str:
    return _("Password: it is older than %(days)d days and must be changed.") % {
        "days": settings.PASSWORD_MAX_AGE_DAYS
    }
