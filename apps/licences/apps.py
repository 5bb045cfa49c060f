from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "apps.licences"
    label = "licences"
    verbose_name = "电子证照与电子印章"

    def ready(self):
        from apps.licences import menus  # noqa: F401  (menu entries, inbox providers, outbox peers)
        from apps.licences.services.catalogue import register_catalogue_provider

        register_catalogue_provider()         # matters' LicenceCatalogue interface (MAT-4.1)
