from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("pull/", views.run_http, {"direction": "pull"}, name="pull"),
    path("push/", views.run_http, {"direction": "push"}, name="push"),
    path("export.json", views.export_json, name="export"),
    path("investment/", views.investment, name="investment"),
]
