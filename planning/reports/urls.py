from django.urls import path

from . import rules, views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.dashboard, name="dashboard"),
    path("bao-cao/pdf/", views.report_pdf, name="pdf"),
    path("bao-cao/excel/", views.report_xlsx, name="xlsx"),
    path("bao-cao/csv/", views.report_csv, name="csv"),
    path("bao-cao/tep/<str:token>.<str:fmt>", views.report_file, name="file"),
    path("cach-cham-diem/", rules.scoring_rules, name="scoring_rules"),
    path("ngay-nghi-lam-bu/", rules.declared_days, name="declared_days"),
    path("ngay-nghi-lam-bu/<int:pk>/bo/", rules.declared_day_remove, name="declared_day_remove"),
]
