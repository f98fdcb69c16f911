from django.urls import path
from django.views.generic import RedirectView

from . import act_views, commitment_views, gap_views, joint_views, views

app_name = "approvals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("overdue/", views.overdue, name="overdue"),
    # moved to greenlight.supervision; the old addresses (in sent messages) redirect there
    path("notices/", RedirectView.as_view(pattern_name="supervision:list", permanent=True)),
    path(
        "notices/<int:pk>/",
        RedirectView.as_view(pattern_name="supervision:detail", permanent=True),
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/decide/", act_views.decide, name="decide"),
    path("<int:pk>/joint/", joint_views.open_case, name="joint_open"),
    path("<int:pk>/accept-with-gaps/", gap_views.accept_with_gaps, name="accept_with_gaps"),
    path("missing/<int:pk>/supplied/", gap_views.supplied, name="supplied"),
    path("missing/overdue/", gap_views.overdue, name="gaps_overdue"),
    path("<int:pk>/commitment/", commitment_views.commit, name="commit"),
    path("<int:pk>/commitment/file/", commitment_views.commitment_file, name="commitment_file"),
    path("checks/", commitment_views.due, name="checks"),
    path("checks/<int:pk>/record/", commitment_views.record, name="check_record"),
    path("checks/<int:pk>/revoke/", commitment_views.revoke, name="check_revoke"),
    path("joint/<int:pk>/", joint_views.detail, name="joint"),
    path("joint/<int:pk>/act/", joint_views.act, name="joint_act"),
    path("joint/<int:pk>/decide/", joint_views.decide, name="joint_decide"),
    path("decisions/<int:pk>/correct/", act_views.correct, name="correct"),
    path("decisions/<int:pk>/file/", act_views.decision_file, name="decision_file"),
    path("results/expiring/", act_views.expiring, name="expiring"),
    path("results/<int:project_id>/", act_views.results, name="results"),
    path("results/<int:project_id>/export.xlsx", act_views.results_export, name="results_export"),
]
