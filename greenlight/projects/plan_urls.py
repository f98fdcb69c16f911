"""URLs of project plans (included by projects/urls.py, so names live in `projects:`)."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("<int:pk>/charts/", plan_views.charts, name="charts"),
    path("<int:pk>/charts/backward/", plan_views.backward, name="plan-backward"),
    path("<int:pk>/charts/<slug:view>/", plan_views.chart, name="chart"),
    path("<int:pk>/charts/<slug:view>.svg", plan_views.chart_svg, name="chart-svg"),
    path("<int:pk>/plan/edit/", plan_views.edit, name="plan-edit"),
    path("<int:pk>/plan/versions/", plan_views.versions, name="plan-versions"),
    path("<int:pk>/plan/versions/<int:number>/restore/", plan_views.restore, name="plan-restore"),
    path("<int:pk>/plan.<slug:fmt>", plan_views.export, name="plan-export"),
]
