from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/mat-khau/", views.PasswordChange.as_view(), name="password_change"),
]
