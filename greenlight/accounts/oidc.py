"""OpenID Connect with the provincial identity service (mozilla-django-oidc): authorization code
with PKCE and a nonce, the ID token's signature (JWKS), issuer, audience and expiry checked; the
claims go to `signon.sign_on`. Every refusal (bad state or nonce, a provider error, a pending or
disabled user, claims that do not fit) ends on the login page with its reason, and in the trail.

Nothing here answers unless settings.OIDC_ENABLED: no button, the two pages 404."""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import signon
from .services import PROVIDER_MFA
from .signon import Refused

log = logging.getLogger(__name__)


def provider_mfa(payload: dict) -> bool:
    """Does the ID token assert a second factor the platform is configured to accept?"""
    acr = str(payload.get("acr") or "")
    amr = payload.get("amr") or []
    amr = {str(v) for v in (amr if isinstance(amr, list) else [amr])}
    return bool((acr and acr in settings.OIDC_MFA_ACR) or amr.intersection(settings.OIDC_MFA_AMR))


class SignOnBackend(OIDCAuthenticationBackend):
    """The authentication backend of the callback: only a call carrying the flow's nonce."""

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None  # a password login, or sign-on is off
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        """The session's user, while active (a user disabled here loses the session)."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_token(self, token, **kwargs):
        """The signature, expiry and nonce (the library), then the issuer and the audience."""
        try:
            payload = super().verify_token(token, **kwargs)
        except SuspiciousOperation as exc:
            reason = "nonce" if "nonce" in str(exc).lower() else "token"
            message = _("Sign-on: the identity service's answer failed checks.")
            raise Refused(reason, message) from exc
        except jwt.PyJWTError as exc:  # expired, not yet valid, malformed
            log.warning("ID token refused: %s", exc)
            message = _("Sign-on: the identity service's answer failed checks.")
            raise Refused("token", message) from exc
        if "nonce" in kwargs:
            audience = payload.get("aud")
            audience = audience if isinstance(audience, list) else [audience]
            if payload.get("iss") != settings.OIDC_OP_ISSUER:
                raise Refused("issuer", _("Sign-on: the answer came from another issuer."))
            if settings.OIDC_RP_CLIENT_ID not in audience:
                raise Refused("audience", _("Sign-on: the answer was meant for another client."))
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """The user the claims sign on as (userinfo and ID token together)."""
        user_info = self.get_userinfo(access_token, id_token, payload)
        if user_info.get("sub") != payload.get("sub"):
            raise Refused("subject", _("Sign-on: the identity service's answer failed checks."))
        claims = {**payload, **user_info}
        user = signon.sign_on(issuer=settings.OIDC_OP_ISSUER, claims=claims)
        self.request.greenlight_provider_mfa = provider_mfa(payload)
        return user


class SignOnStartView(OIDCAuthenticationRequestView):
    """`统一身份认证登录`: off to the provider with a fresh state, nonce and PKCE challenge."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)


class SignOnCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: the code exchanged, the user signed on, or the reason shown."""

    @property
    def failure_url(self):
        return reverse("login")

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            refusal = self._precheck(request)
            if refusal is not None and refusal.reason == "provider_error":
                super().get(request)  # drops the flow's state from the session
            if refusal is not None:
                raise refusal
            return super().get(request)
        except Refused as refusal:
            return self._refuse(refusal)
        except requests.RequestException as exc:
            log.warning("identity service: %s", exc)
            message = _("Sign-on: the identity service refused the code or did not answer.")
            return self._refuse(Refused("provider", message))

    @staticmethod
    def _precheck(request) -> Refused | None:
        if request.GET.get("error"):
            error = str(request.GET["error"])[:100]
            return Refused(
                "provider_error",
                _("Sign-on: the identity service answered %(error)s.") % {"error": error},
                claims={"error": error},
            )
        state = request.GET.get("state")
        if not request.GET.get("code") or state not in request.session.get("oidc_states", {}):
            return Refused(
                "state", _("Sign-on: this answer does not belong to a login begun here.")
            )
        return None

    def _refuse(self, refusal: Refused):
        signon.refused(refusal)
        messages.error(self.request, refusal.message)
        return self.login_failure()

    def login_success(self):
        response = super().login_success()
        mfa = getattr(self.request, "greenlight_provider_mfa", False)
        if mfa:
            self.request.session[PROVIDER_MFA] = True
        signon.signed_on(user=self.user, provider_mfa=mfa)
        return response
