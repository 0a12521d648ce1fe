"""Plan documents in: upload or paste, review, confirm (coordinators only)."""

from django.urls import path

from . import views

app_name = "plan_import"

urlpatterns = [
    path("ke-hoach/nhap/", views.upload, name="upload"),
    path("ke-hoach/nhap/xem-lai/", views.review, name="review"),
    path("ke-hoach/nhap/doc/<str:job_id>/", views.job, name="job"),
    path("ke-hoach/nhap/doc/<str:job_id>/tien-do/", views.job_progress, name="job_progress"),
]
