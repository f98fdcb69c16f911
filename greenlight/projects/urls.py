from django.urls import path

from . import import_views, views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("new/owners/", views.owner_options, name="owner_options"),
    path("new/optional-matters/", views.optional_matters, name="optional_matters"),
    path("import/", import_views.import_upload, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/commit/", import_views.import_commit, name="import_commit"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/matters/add/", views.matter_add, name="matter_add"),
    path("<int:pk>/matters/<int:approval_pk>/remove/", views.matter_remove, name="matter_remove"),
]
