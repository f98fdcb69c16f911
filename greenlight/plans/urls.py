"""URLs of project plans, under /projects/<pk>/ (names in `plans:`)."""

from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("<int:pk>/charts/", views.charts, name="charts"),
    path("<int:pk>/charts/backward/", views.backward, name="backward"),
    path("<int:pk>/charts/<slug:view>/", views.chart, name="chart"),
    path("<int:pk>/charts/<slug:view>.svg", views.chart_svg, name="chart-svg"),
    path("<int:pk>/plan/edit/", views.edit, name="edit"),
    path("<int:pk>/plan/versions/", views.versions, name="versions"),
    path("<int:pk>/plan/versions/<int:number>/restore/", views.restore, name="restore"),
    path("<int:pk>/plan.<slug:fmt>", views.export, name="export"),
]
