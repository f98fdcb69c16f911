from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_new, name="new"),
    path("decisions/", views.decisions, name="decisions"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/opinions/", views.opinions, name="opinions"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("opinions/<int:pk>/", views.record_opinion, name="record_opinion"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/items/", views.add_item, name="add_item"),
    path("meetings/<int:pk>/invite.ics", views.invitation, name="ics"),
    path("items/<int:pk>/feedback/", views.give_feedback, name="give_feedback"),
]
