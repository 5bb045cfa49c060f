from django.apps import AppConfig


class ServicemapConfig(AppConfig):
    name = "apps.servicemap"
    label = "servicemap"
    verbose_name = "政务服务地图"

    def ready(self) -> None:
        from apps.servicemap import menus  # noqa: F401 (menu entries, outbox peers)
