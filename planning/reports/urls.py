from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.dashboard, name="dashboard"),
    path("bao-cao/pdf/", views.report_pdf, name="pdf"),
    path("bao-cao/excel/", views.report_xlsx, name="xlsx"),
    path("bao-cao/csv/", views.report_csv, name="csv"),
    path("bao-cao/tep/<str:token>.<str:fmt>", views.report_file, name="file"),
]
