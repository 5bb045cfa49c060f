from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "apps.acceptance"
    label = "acceptance"
    verbose_name = "综合受理平台"

    def ready(self):
        from apps.acceptance import menus  # noqa: F401  (menu entries, inbox providers, outbox peers)
        from apps.acceptance import signals

        signals.connect()
