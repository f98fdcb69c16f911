"""The JSON API at /api/v1: each app's ninja router, with bearer-token and session auth."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from greenlight.accounts.models import ApiToken
from greenlight.kernel.errors import DomainError


class BearerAuth(HttpBearer):
    """`Authorization: Bearer gl_...` with a token from `greenlight token create`."""

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(digest=ApiToken.hash(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Greenlight API",
    version="1",
    description="固定资产投资项目并联审批平台 API",
    urls_namespace="api",
    auth=[BearerAuth(), django_auth],
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": _("Authentication required: a bearer token or a session.")}, status=401
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    from greenlight.kernel.api_errors import translate_errors

    return api.create_response(request, {"detail": translate_errors(exc.errors)}, status=422)


APPS = (
    "accounts",
    "catalog",
    "projects",
    "approvals",
    "notifications",
    "reviews",
    "tickets",
    "pipeline",
    "reforms",
    "analytics",
)


def _mount() -> None:
    from importlib import import_module

    for app in APPS:
        api.add_router("/", import_module(f"greenlight.{app}.api").router)
    api.add_router("/", import_module("greenlight.catalog.schedule_api").router)


_mount()
