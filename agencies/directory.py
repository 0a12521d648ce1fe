"""Sign-in with the province's directory: a directory group gives the role and agency.

`DirectoryBackend` is django-auth-ldap's backend (search the user, bind as the
user with the password typed) with our step after a successful bind:

1. the user's groups are read from the directory, and `DIRECTORY_GROUPS`
   (config/directory.py) maps each known group to an agency code and a role;
   a user in several mapped groups takes the strongest role (coordinator, then
   officer, then viewer), then the first group by DN, so the choice is stable;
2. no mapped group, or a mapped agency code the registry does not know: the
   sign-in is refused and logged (the directory account is not for this app,
   or the mapping is wrong), never half-done;
3. the membership is created on the first sign-in and updated on every one,
   so a move between agencies or roles in the directory takes effect at the
   next sign-in; name and e-mail are copied from the directory each time.

Local accounts keep working: `MembershipBackend` stays in the list. Directory
users get no usable local password, so only the directory can sign them in.
Loading a signed-in user per request is `MembershipBackend`'s (cached).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django_auth_ldap.backend import LDAPBackend

from .backends import MembershipBackend
from .models import Agency, Membership

logger = logging.getLogger(__name__)

ROLE_ORDER = {
    Membership.Role.COORDINATOR: 0,
    Membership.Role.OFFICER: 1,
    Membership.Role.VIEWER: 2,
}


def mapped_membership(group_dns, groups: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(agency code, role) for a user in `group_dns`, by the rule of step 1."""
    found = [groups[dn.lower()] + (dn.lower(),) for dn in group_dns if dn.lower() in groups]
    if not found:
        return None
    code, role, _dn = min(found, key=lambda item: (ROLE_ORDER[item[1]], item[2]))
    return code, role


@transaction.atomic
def apply_membership(user, *, agency: Agency, role: str) -> Membership:
    """The user's one membership, set to `agency` and `role` (a save: cached
    users and pages follow it)."""
    membership, created = Membership.objects.get_or_create(
        user=user, defaults={"agency": agency, "role": role}
    )
    if not created and (membership.agency_id, membership.role) != (agency.pk, role):
        membership.agency, membership.role = agency, role
        membership.save(update_fields=["agency", "role"])
    return membership


class DirectoryBackend(LDAPBackend):
    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        groups = getattr(settings, "DIRECTORY_GROUPS", {})
        mapping = mapped_membership(ldap_user.group_dns, groups)
        if mapping is None:
            logger.warning("directory user %s is in no mapped group", user.get_username())
            return None
        code, role = mapping
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            logger.error("LDAP_GROUPS names agency %r, which the registry does not have", code)
            return None
        apply_membership(user, agency=agency, role=role)
        return user

    def get_user(self, user_id):
        return MembershipBackend().get_user(user_id)
