from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Kế hoạch và nhiệm vụ")

    def ready(self):
        from . import signals

        signals.connect()  # cached figures follow every change (planning/signals.py)
