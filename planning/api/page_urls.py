from django.urls import path

from . import pages

app_name = "api_tokens"

urlpatterns = [
    path("ma-truy-cap-api/", pages.token_list, name="list"),
    path("ma-truy-cap-api/<int:pk>/thu-hoi/", pages.token_revoke, name="revoke"),
]
