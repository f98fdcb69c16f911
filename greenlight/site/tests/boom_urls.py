"""The site's URLs plus a page that fails, to see the 500 answer (tests only)."""

from django.urls import path

from greenlight.site.urls import handler400, handler403, handler404, handler500  # noqa: F401
from greenlight.site.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("DATABASE_URL=postgres://secret@db/greenlight")


urlpatterns = [path("boom/", boom), *site_patterns]
