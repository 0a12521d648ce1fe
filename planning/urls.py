from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("nhiem-vu/<int:pk>/", views.assignment_detail, name="assignment_detail"),
]
