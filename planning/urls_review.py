"""Plan documents in: upload or paste, review, confirm (coordinators only)."""

from django.urls import path

from . import review_views

app_name = "plan_import"

urlpatterns = [
    path("ke-hoach/nhap/", review_views.upload, name="upload"),
    path("ke-hoach/nhap/xem-lai/", review_views.review, name="review"),
]
