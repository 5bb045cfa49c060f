from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig

# Modules that register menu entries, inbox providers, outbox peers and beat jobs.
_REGISTRATION_MODULES = ("menus_flow", "menus_ops", "menus_org")


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "共享内核"

    def ready(self):
        for module in _REGISTRATION_MODULES:
            dotted = f"{self.name}.{module}"
            if find_spec(dotted):
                import_module(dotted)
