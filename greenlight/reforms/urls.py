from django.urls import path

from . import views

app_name = "reforms"
urlpatterns = [
    path("", views.register, name="register"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/limit/", views.item_limit, name="item_limit"),
    path("changes/", views.changes, name="changes"),
    path("reference/", views.reference_page, name="reference"),
    path("reference.docx", views.reference_docx, name="reference_docx"),
]
