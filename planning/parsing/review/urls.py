"""Plan documents in: upload or paste, review, confirm (coordinators only)."""

from django.urls import path

from . import views

app_name = "plan_import"

urlpatterns = [
    path("ke-hoach/nhap/", views.upload, name="upload"),
    path("ke-hoach/nhap/xem-lai/", views.review, name="review"),
]
