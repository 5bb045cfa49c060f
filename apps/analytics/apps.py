from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "apps.analytics"
    label = "analytics"
    verbose_name = "政务服务数据分析"

    def ready(self):
        from apps.analytics import menus  # noqa: F401  (menu entries)
