from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("new/<slug:kind>/<int:pk>/", views.issue, name="issue"),
]
