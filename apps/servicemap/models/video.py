"""Live video channels of windows (实时视频, MAP-1.7.5, 6.9)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class DeviceType(models.TextChoices):
    IPC = "ipc", _("网络摄像机（IPC）")
    DVR = "dvr", _("硬盘录像机（DVR）")
    NVR = "nvr", _("网络录像机（NVR）")


class VideoChannel(models.Model):
    """视频通道: one camera channel of a hall's recorder, shown on a window's page. `stream_url` is the
    channel's browser-playable live stream (MJPEG over HTTP) as the access gateway / recorder exposes it."""

    hall = models.ForeignKey("acceptance.Hall", verbose_name=_("大厅"), on_delete=models.CASCADE,
                             related_name="video_channels")
    window = models.ForeignKey("acceptance.Window", verbose_name=_("窗口"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="video_channels",
                               help_text=_("留空表示大厅公共区域（如等候区）"))
    name = models.CharField(_("通道名称"), max_length=64)
    device_type = models.CharField(_("设备类型"), max_length=8, choices=DeviceType.choices, default=DeviceType.NVR)
    brand = models.CharField(_("设备品牌"), max_length=32, blank=True)
    channel_number = models.PositiveIntegerField(_("通道号"), default=1)
    stream_url = models.URLField(_("实时视频接口"), max_length=300)
    is_enabled = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("视频通道")
        verbose_name_plural = _("视频通道")
        ordering = ["hall", "window", "channel_number"]

    def __str__(self) -> str:
        return f"{self.hall} · {self.name}"
