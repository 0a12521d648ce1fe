from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Cơ quan, đơn vị")

    def ready(self):
        from django.contrib.auth import get_user_model

        from config.caching.signals import track_changes, track_user_changes

        from . import audit
        from .models import Agency, Membership

        # Agency names and codes are in the cached figures; users and their
        # memberships sign the history, and the user a request runs as is cached
        # with its membership and agency (agencies/backends.py).
        track_changes(Agency, Membership)
        track_user_changes(get_user_model())

        # The audit trail (agencies/audit.py): every create, change and delete.
        # A login's `last_login` is no change; a password shows as changed, masked.
        audit.register(Agency)
        audit.register(Membership)
        audit.register(get_user_model(), exclude_fields=["last_login"], mask_fields=["password"])
