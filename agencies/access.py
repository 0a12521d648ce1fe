"""Who may see and change what, in one place.

Every view asks these helpers; menus only mirror them. Superusers count as
coordinators so that the first account made with `createsuperuser` can work.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from .models import Agency, Membership

Role = Membership.Role
# The user -> membership side of the one-to-one: says whether a user object
# already holds its membership (or the join's "none").
_MEMBERSHIP_OF_USER = Membership._meta.get_field("user").remote_field


def membership_of(user: User | AnonymousUser) -> Membership | None:
    """The user's membership, fetched at most once per user object.

    1. a request's user comes from `agencies.backends.MembershipBackend` with
       the membership and its agency joined in (or the join's "none"): read it,
       no query;
    2. any other user object (tests, commands, `force_login` sessions of
       another backend): one query, with the agency;
    3. either way the answer is kept on the object, so later calls are free.
    """
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_cached_membership"):
        if _MEMBERSHIP_OF_USER.is_cached(user):
            try:
                membership = user.membership
            except Membership.DoesNotExist:  # the join found no membership
                membership = None
        else:
            membership = Membership.objects.select_related("agency").filter(user=user).first()
        user._cached_membership = membership
    return user._cached_membership


def role_of(user: User | AnonymousUser) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    membership = membership_of(user)
    return membership.role if membership else None


def agency_of(user: User | AnonymousUser) -> Agency | None:
    membership = membership_of(user)
    return membership.agency if membership else None


def is_coordinator(user) -> bool:
    return role_of(user) == Role.COORDINATOR


def sees_everything(user) -> bool:
    """Coordinators and viewers read every plan, agency and assignment."""
    return role_of(user) in {Role.COORDINATOR, Role.VIEWER}


def can_view_agency(user, agency: Agency) -> bool:
    if sees_everything(user):
        return True
    own = agency_of(user)
    return own is not None and own.pk == agency.pk


def visibility_scope(user) -> str:
    """Who figures are for, as far as they differ: coordinators share one scope,
    viewers another (they see every agency but not draft plans), an officer's
    are the agency's."""
    if user is None or is_coordinator(user):
        return "all"
    if sees_everything(user):
        return "all-published"
    agency = agency_of(user)
    return f"agency-{agency.pk}" if agency is not None else "none"
