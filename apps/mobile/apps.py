from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "apps.mobile"
    label = "mobile"
    verbose_name = "全省事移动端管理平台"
