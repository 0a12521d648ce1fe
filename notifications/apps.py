from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Nhắc việc qua thư điện tử")

    def ready(self):
        from planning.signals import events_recorded

        from .notices import on_events_recorded

        events_recorded.connect(on_events_recorded, dispatch_uid="notifications.notices")
