"""Custom monitoring big screens (OPS-12.1): each administrator arranges their own screens from the
module catalogue (apps.ops.screens) and projects them full-screen."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringScreen(models.Model):
    """One big screen of one administrator: title, logo and the ordered module layout."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("所属管理员"), on_delete=models.CASCADE,
                              related_name="ops_screens")
    title = models.CharField(_("大屏标题"), max_length=60)
    logo = models.ImageField(_("标识"), upload_to="ops/screens/", blank=True)
    layout = models.JSONField(_("模块布局"), default=list, blank=True)
    refresh_seconds = models.PositiveSmallIntegerField(_("刷新间隔（秒）"), default=60)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("监控大屏")
        verbose_name_plural = verbose_name
        ordering = ["owner", "title"]
        permissions = [("use_screens", _("使用监控大屏"))]

    def __str__(self) -> str:
        return self.title
