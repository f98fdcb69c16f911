"""URL map: pages, the API, the admin and language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from greenlight.accounts import views as account_views
from greenlight.site import views as site_views
from greenlight.site.api import api

urlpatterns = [
    path("", site_views.home, name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("greenlight.accounts.urls")),
    path("audit/", include("greenlight.audit.urls")),
    path("projects/", include("greenlight.projects.urls")),
    path("projects/", include("greenlight.plans.urls")),
    path("templates/", include("greenlight.plans.template_urls")),
    path("approvals/", include("greenlight.approvals.urls")),
    path("supervision/", include("greenlight.supervision.urls")),
    path("notifications/", include("greenlight.notifications.urls")),
    path("reviews/", include("greenlight.reviews.urls")),
    path("tickets/", include("greenlight.tickets.urls")),
    path("pipeline/", include("greenlight.pipeline.urls")),
    path("reforms/", include("greenlight.reforms.urls")),
    path("analytics/case/", include("greenlight.analytics.casepage_urls")),
    path("exchange/", include("greenlight.exchange.urls")),
    path("analytics/", include("greenlight.analytics.urls")),
    path("calendar/", include("greenlight.catalog.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", site_views.healthz, name="healthz"),
]

handler400 = "greenlight.site.views.bad_request"
handler403 = "greenlight.site.views.forbidden"
handler404 = "greenlight.site.views.not_found"
handler500 = "greenlight.site.views.server_error"
