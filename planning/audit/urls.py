from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("nhat-ky-thay-doi/", views.trail, name="trail"),
    path("nhat-ky-thay-doi/tai-ve.csv", views.trail_csv, name="trail_csv"),
]
