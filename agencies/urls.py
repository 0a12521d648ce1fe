from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<slug:code>/", views.agency_detail, name="agency_detail"),
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/mat-khau/", views.PasswordChange.as_view(), name="password_change"),
]
