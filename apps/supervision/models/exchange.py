"""The gov.cn data-exchange log (下行/上行数据) and daily reconciliation records (数据对账)."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    DOWNSTREAM = "downstream", _("下行")
    UPSTREAM = "upstream", _("上行")


class ExchangeMessage(models.Model):
    """One message of the gov.cn exchange: a downstream message we fetched (kept with its
    platform message id, so a re-fetch never applies it twice) or an upstream one we sent."""

    direction = models.CharField(_("方向"), max_length=12, choices=Direction.choices, db_index=True)
    message_type = models.CharField(_("业务标识"), max_length=40, db_index=True)
    message_id = models.CharField(_("平台消息编号"), max_length=64, blank=True)
    business_key = models.CharField(_("业务主键"), max_length=64, blank=True, db_index=True)
    complaint = models.ForeignKey("supervision.Complaint", verbose_name=_("投诉"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="exchange_messages")
    payload = models.JSONField(_("数据内容"), default=dict)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_confirmed_at = models.DateTimeField(_("确认已读时间"), null=True, blank=True)
    error = models.TextField(_("处理错误"), blank=True)

    class Meta:
        verbose_name = _("督查平台交换消息")
        verbose_name_plural = _("督查平台交换消息")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["direction", "message_id"], condition=~models.Q(message_id=""),
                                               name="supervision_unique_exchange_message")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.message_type} {self.business_key}"


class ReconciliationRecord(models.Model):
    """数据对账: for one day, the business keys the platform holds against ours."""

    day = models.DateField(_("对账日期"), unique=True)
    requested_at = models.DateTimeField(_("请求时间"), default=timezone.now)
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    platform_count = models.PositiveIntegerField(_("平台件数"), null=True, blank=True)
    local_count = models.PositiveIntegerField(_("本地件数"), null=True, blank=True)
    missing_locally = models.JSONField(_("本地缺失业务主键"), default=list)
    missing_on_platform = models.JSONField(_("平台缺失业务主键"), default=list)

    class Meta:
        verbose_name = _("数据对账")
        verbose_name_plural = _("数据对账")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)

    @property
    def balanced(self) -> bool:
        return self.received_at is not None and not self.missing_locally and not self.missing_on_platform
