"""Puts the user's role in every template, so menus can mirror the access rules."""

from django.contrib.auth.models import AnonymousUser

from . import access, menu


def membership(request):
    # No user when the request failed before AuthenticationMiddleware (a bad Host: the 400 page).
    user = getattr(request, "user", None) or AnonymousUser()
    role = access.role_of(user)
    agency = access.agency_of(user)
    path = getattr(request, "path", "/")
    return {
        "user_role": role,
        "user_agency": agency,
        # A callable: built only by pages that draw the menu.
        "menu": lambda: menu.links_for(role, agency.code if agency else None, path),
        "user_is_coordinator": role == access.Role.COORDINATOR,
        "user_sees_everything": role in {access.Role.COORDINATOR, access.Role.VIEWER},
    }
