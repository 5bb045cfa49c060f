from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "apps.stores"
    label = "stores"
    verbose_name = "政务服务旗舰店"

    def ready(self):
        from apps.stores import menus  # noqa: F401  (menu entries)
