"""Puts the user's role in every template, so menus can mirror the access rules."""

from django.contrib.auth.models import AnonymousUser

from . import access


def membership(request):
    # No user when the request failed before AuthenticationMiddleware (a bad Host: the 400 page).
    user = getattr(request, "user", None) or AnonymousUser()
    role = access.role_of(user)
    return {
        "user_role": role,
        "user_agency": access.agency_of(user),
        "user_is_coordinator": role == access.Role.COORDINATOR,
        "user_sees_everything": role in {access.Role.COORDINATOR, access.Role.VIEWER},
    }
