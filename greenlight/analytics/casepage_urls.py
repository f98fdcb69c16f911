"""URLs of the case page, mounted at /analytics/case/."""

from django.urls import path

from . import casepage_views

app_name = "casepage"
urlpatterns = [
    path("", casepage_views.page, name="page"),
    path("cases/", casepage_views.cases, name="cases"),
]
