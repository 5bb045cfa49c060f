from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "apps.reviews"
    label = "reviews"
    verbose_name = "好差评"

    def ready(self):
        from apps.reviews import menus  # noqa: F401  (menu entries, inbox providers, outbox peers)
