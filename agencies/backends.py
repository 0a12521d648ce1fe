"""The authentication backend: the user, their membership and agency in one query.

Every logged-in request loads its user; the access rules (agencies/access.py)
then need the membership and its agency on almost every page. Django's
`ModelBackend.get_user()` loads the user alone, so each request paid a second
round trip for the membership. Here the user comes with
`select_related("membership__agency")` (a LEFT JOIN: users without a
membership, e.g. a fresh superuser, still load), and `access.membership_of()`
reads the relation already on the object. Passwords, permissions and
`is_active` checks are ModelBackend's, unchanged.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        UserModel = get_user_model()
        try:
            user = UserModel._default_manager.select_related("membership__agency").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
