"""The authentication backend: the user, their membership and agency in one read.

Every logged-in request loads its user; the access rules (agencies/access.py)
then need the membership and its agency on almost every page. Django's
`ModelBackend.get_user()` loads the user alone, so each request paid a second
round trip for the membership. Here the user comes with
`select_related("membership__agency")` (a LEFT JOIN: users without a
membership, e.g. a fresh superuser, still load), and `access.membership_of()`
reads the relation already on the object. Passwords, permissions and
`is_active` checks are ModelBackend's, unchanged.

The loaded user is kept in the shared cache under the data generation
(config/caching/generation.py), so a warm page runs no query at all. Any save or delete
of a user, a membership or an agency moves the generation (config/caching/signals.py),
and so do bulk writes of memberships and agencies (`ChangeTrackingQuerySet`):
a deactivated user, a changed password or a moved membership is seen by the
next request. Django's `User` queryset is not ours, so a bulk
`User.objects.update(...)` (which nothing in this project does: the admin,
the forms and the commands all save) is seen within USER_CACHE_SECONDS.
`is_active` and the session's password hash are checked on every request
against the cached row, as Django checks them against a fresh one.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from config.caching.generation import figures_key

USER_CACHE_SECONDS = 60


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        # No scope: only a change of unknown scope (users, memberships and
        # agencies are such changes) makes it stale, not a progress note.
        key = figures_key("user", user_id, scopes=[])
        user = cache.get(key)
        if user is None:
            UserModel = get_user_model()
            try:
                user = UserModel._default_manager.select_related("membership__agency").get(
                    pk=user_id
                )
            except UserModel.DoesNotExist:
                return None
            cache.set(key, user, USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None
