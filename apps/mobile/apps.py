from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "apps.mobile"
    label = "mobile"
    verbose_name = "全省事移动端管理平台"

    def ready(self):
        from apps.mobile import menus  # noqa: F401  (menu entries, outbox peers)
