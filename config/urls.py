from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from planning import views as planning_views

from . import views

admin.site.site_header = "Theo dõi nhiệm vụ CCHC – Quản trị"
admin.site.site_title = "Theo dõi nhiệm vụ CCHC"
admin.site.index_title = "Quản trị hệ thống"


def ping(request):
    """The load test's floor: a Django view with no query, no session read, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", planning_views.home, name="home"),
    # Throttled by django-axes (agencies/throttle.py), as is the admin's sign-in.
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("", include("config.password_reset")),  # "Quên mật khẩu?" by e-mail
    path("huong-dan/", views.help_page, name="help"),
    path("", include("planning.urls")),
    path("", include("agencies.urls")),
    # Feature areas, each in its own URL module.
    path("", include("planning.parsing.review.urls")),  # plan documents in: parse, review, confirm
    path("", include("planning.workflow.urls")),  # progress, completion, review, extensions
    path("", include("notifications.urls")),  # reminder log
    path("", include("planning.audit.urls")),  # the audit trail ("Nhật ký thay đổi")
    path("", include("planning.reports.urls")),  # dashboards, PDF/Excel reports
    path("", include("planning.spreadsheets.urls")),  # spreadsheet import/export
    path("api/v1/", include("planning.api.urls")),  # JSON API for other systems (docs/API.md)
    path("", include("planning.api.page_urls")),  # the coordinators' API tokens page
    path("", include("planning.indicators.urls")),  # a plan's PAR INDEX / SIPAS targets
    path("", include("config.health")),  # /healthz and the coordinators' /he-thong/
    path("ping", ping, name="ping"),  # bench/load floor
    path("favicon.ico", views.favicon, name="favicon"),
    # The admin's own password form is not throttled: it sends users to ours.
    path(
        "quan-tri/password_change/",
        RedirectView.as_view(pattern_name="agencies:password_change"),
    ),
    path("quan-tri/", admin.site.urls),
]
