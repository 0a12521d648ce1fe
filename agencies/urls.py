from django.urls import path

from . import two_factor, views

app_name = "agencies"

urlpatterns = [
    path("tai-khoan/", views.account, name="account"),
    path("xac-thuc/", two_factor.verify, name="two_factor_verify"),
    path("xac-thuc/thiet-lap/", two_factor.setup, name="two_factor_setup"),
    path("tai-khoan/mat-khau/", views.PasswordChange.as_view(), name="password_change"),
]
