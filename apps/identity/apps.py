from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "apps.identity"
    label = "identity"
    verbose_name = "统一身份认证"

    def ready(self):
        from apps.identity import menus  # noqa: F401  (menu entries, inbox providers)
