from django.urls import path
from django.views.generic import RedirectView

from . import views

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
]
