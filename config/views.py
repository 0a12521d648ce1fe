"""Site-wide pages that belong to no app: the logout page, the help page and the favicon."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from agencies.access import Role, role_of


class LogoutView(auth_views.LogoutView):
    """Logging out stays a POST (a link or an image must not log anyone out); a GET,
    from a bookmark or a typed address, gets a page with the button instead of a 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout.html")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_safe
@login_required
def help_page(request):
    """ "Hướng dẫn": what each role does here, the reader's own role first."""
    order = [Role.COORDINATOR, Role.OFFICER, Role.VIEWER]
    own = role_of(request.user)
    if own in order:
        order.remove(own)
        order.insert(0, own)
    return render(request, "help/index.html", {"roles": order, "own_role": own})
