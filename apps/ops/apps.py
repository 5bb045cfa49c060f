from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "apps.ops"
    label = "ops"
    verbose_name = "安全与运维管理"

    def ready(self):
        from apps.ops import menus  # noqa: F401  (menu entries, outbox peers)
