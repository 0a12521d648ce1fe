from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("ke-hoach/<int:pk>/chi-tieu/", views.plan_indicators, name="plan_indicators"),
    path(
        "ke-hoach/<int:pk>/chi-tieu/nhap-tu-tep/",
        views.import_results_page,
        name="import_results",
    ),
    path("ke-hoach/<int:pk>/chi-tieu/nhiem-vu/", views.task_links, name="task_links"),
    path("chi-tieu/<int:pk>/nhap-ket-qua/", views.enter_result, name="enter_result"),
    path("ket-qua-chi-tieu/<int:pk>/duyet/", views.review, name="review"),
    path(
        "ket-qua-chi-tieu/<int:pk>/tep-kiem-chung/",
        views.evidence_download,
        name="evidence_download",
    ),
]
