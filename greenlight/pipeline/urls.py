from django.urls import path

from . import views

app_name = "pipeline"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("targets/issue/", views.target_issue, name="target_issue"),
    path("targets/<int:pk>/acknowledge/", views.target_acknowledge, name="target_ack"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/new/", views.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/pin/", views.candidate_pin, name="candidate_pin"),
    path("pools/", views.pools, name="pools"),
    path("matching/", views.matching, name="matching"),
    path("decisions/", views.meeting_list, name="meetings"),
    path("decisions/new/", views.meeting_create, name="meeting_create"),
    path("decisions/<int:pk>/", views.meeting_detail, name="meeting"),
    path("push/", views.push, name="push"),
    path("push/<int:pk>/start/", views.push_start, name="push_start"),
]
