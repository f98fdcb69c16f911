"""URLs of the template overview pages (mounted at /templates/)."""

from django.urls import path

from . import template_views

app_name = "templates"
urlpatterns = [
    path("", template_views.template_list, name="list"),
    path("<slug:code>/", template_views.template_detail, name="detail"),
    path("<slug:code>/<slug:view>/", template_views.template_detail, name="view"),
    path("<slug:code>/<slug:view>.svg", template_views.template_svg, name="svg"),
]
