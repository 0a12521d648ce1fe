"""The reminder log (coordinators only) and each user's notices."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("nhat-ky-nhac-viec/", views.notification_log, name="log"),
    path("thong-bao/", views.notice_list, name="notices"),
    path("thong-bao/<int:pk>/da-doc/", views.notice_read, name="notice_read"),
    path("thong-bao/da-doc-tat-ca/", views.notice_read_all, name="notice_read_all"),
    path("nhiem-vu/<int:pk>/don-doc/", views.remind_assignment, name="remind_assignment"),
    path("co-quan/<int:pk>/don-doc/", views.remind_agency, name="remind_agency"),
]
