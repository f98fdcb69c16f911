"""The JSON API at /api/v1: each app's ninja router, with bearer-token and session auth."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from greenlight.accounts import api as accounts_api
from greenlight.accounts.models import ApiToken
from greenlight.analytics import api as analytics_api
from greenlight.approvals import api as approvals_api
from greenlight.approvals import commitment_api as approval_commitments_api
from greenlight.approvals import gap_api as approval_gaps_api
from greenlight.approvals import joint_api as joint_cases_api
from greenlight.catalog import api as catalog_api
from greenlight.kernel.api_errors import translate_errors
from greenlight.kernel.errors import DomainError
from greenlight.notifications import api as notifications_api
from greenlight.pipeline import api as pipeline_api
from greenlight.plans import api as plans_api
from greenlight.plans import schedule_api
from greenlight.projects import api as projects_api
from greenlight.reforms import api as reforms_api
from greenlight.reviews import api as reviews_api
from greenlight.supervision import api as supervision_api
from greenlight.tickets import api as tickets_api


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
    return api.create_response(request, {"detail": translate_errors(exc.errors)}, status=422)


# The composition root names every app's router; no app mounts another's.
ROUTERS = (
    accounts_api,
    catalog_api,
    supervision_api,
    approvals_api,
    joint_cases_api,
    approval_gaps_api,
    approval_commitments_api,
    projects_api,
    plans_api,
    schedule_api,
    notifications_api,
    tickets_api,
    reviews_api,
    pipeline_api,
    reforms_api,
    analytics_api,
)
for module in ROUTERS:
    api.add_router("/", module.router)
