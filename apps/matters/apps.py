from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "apps.matters"
    label = "matters"
    verbose_name = "事项管理"

    def ready(self):
        from apps.matters import menus  # noqa: F401  (menu entries, inbox providers, outbox peers)
