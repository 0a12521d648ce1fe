"""Spreadsheet import/export URLs (namespace "spreadsheets")."""

from django.urls import path, re_path

from . import views

app_name = "spreadsheets"

urlpatterns = [
    path("bang-tinh/", views.index, name="index"),
    re_path(r"^bang-tinh/xuat\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    re_path(r"^bang-tinh/mau\.(?P<fmt>csv|xlsx)$", views.template, name="template"),
    path("bang-tinh/nhap/", views.upload, name="upload"),
    path("bang-tinh/nhap/<str:job_id>/", views.job, name="job"),
    path("bang-tinh/nhap/<str:job_id>/tien-do/", views.job_progress, name="job_progress"),
    path("bang-tinh/nhap/<str:job_id>/xac-nhan/", views.confirm, name="confirm"),
]
