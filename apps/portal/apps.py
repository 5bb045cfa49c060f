from django.apps import AppConfig

PROJECT_APPS = ("core", "identity", "matters", "licences", "acceptance", "supervision", "reviews", "stores", "servicemap", "mobile", "analytics", "ops",
                "portal")


class PortalConfig(AppConfig):
    name = "apps.portal"
    label = "portal"
    verbose_name = "政务服务工作门户"

    def ready(self):
        # Runs after every app's admin module was imported (admin autodiscovery comes first).
        from apps.core.admin.autoregister import register_remaining

        register_remaining(*PROJECT_APPS)
        from apps.portal import menus  # noqa: F401 - registers the 办件月报 menu entries
