from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:year>/notice/", views.notice, name="notice"),
    path("import/", views.upload, name="import"),
    path("changes/", views.change_list, name="changes"),
    path("changes/<int:pk>/", views.change_detail, name="change"),
]
