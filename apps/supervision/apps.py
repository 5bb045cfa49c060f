from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "apps.supervision"
    label = "supervision"
    verbose_name = "投诉受理与效能监督"

    def ready(self):
        from apps.supervision import menus  # noqa: F401  (menu entries, inbox providers, outbox peers)
