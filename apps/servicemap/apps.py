from django.apps import AppConfig


class ServicemapConfig(AppConfig):
    name = "apps.servicemap"
    label = "servicemap"
    verbose_name = "政务服务地图"
