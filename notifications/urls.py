"""The reminder log (coordinators only)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("nhat-ky-nhac-viec/", views.notification_log, name="log"),
]
