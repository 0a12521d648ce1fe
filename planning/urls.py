from django.urls import path

from . import agency_views, search_views, views

app_name = "planning"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("nhiem-vu/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("co-quan/", agency_views.agency_list, name="agency_list"),
    path("co-quan/<slug:code>/", agency_views.agency_detail, name="agency_detail"),
    path("tim-kiem/", search_views.search_page, name="search"),
]
