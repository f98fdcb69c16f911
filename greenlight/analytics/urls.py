"""URLs of the analytics pages, mounted at /analytics/."""

from django.urls import path

from . import district_views, views

app_name = "analytics"
urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.projects, name="projects"),
    path("districts/", district_views.comparison, name="districts"),
    path("bottlenecks/", views.bottleneck_page, name="bottlenecks"),
    path("bottlenecks/cases/", views.cases, name="cases"),
    path("scorecards/", views.scorecard_page, name="scorecards"),
    path("scorecards.xlsx", views.scorecard_export, name="scorecards_xlsx"),
    path("scorecards/<int:pk>/", views.scorecard_detail, name="scorecard"),
    path("investment/", views.investment_page, name="investment"),
    path("investment/report/", views.report, name="report"),
    path("investment/import/", views.import_page, name="import"),
    path("investment/import/commit/", views.import_commit, name="import_commit"),
    path("investment/template.xlsx", views.import_template, name="import_template"),
    path("investment/monthly.xlsx", views.monthly_report, name="monthly"),
    path("export/", views.export_page, name="export"),
    path("export/ocel.json", views.export_ocel, name="ocel"),
    path("export/events.csv", views.export_csv, name="csv"),
]
