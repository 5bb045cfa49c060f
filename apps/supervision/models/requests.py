"""Extension and withdrawal requests with their replies, and inbound gov.cn notices on a complaint."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("不同意")


class _ComplaintRequest(models.Model):
    complaint = models.ForeignKey("supervision.Complaint", verbose_name=_("投诉"), on_delete=models.CASCADE,
                                  related_name="+")
    reason = models.TextField(_("申请理由"))
    status = models.CharField(_("答复状态"), max_length=12, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, db_index=True)
    reply = models.TextField(_("答复意见"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]


class ExtensionRequest(_ComplaintRequest):
    """延期申请: asks the upper platform to move a complaint's deadline; the reply may set a new one."""

    requested_days = models.PositiveSmallIntegerField(_("申请延期工作日数"))
    new_deadline = models.DateTimeField(_("新办理期限"), null=True, blank=True)

    class Meta(_ComplaintRequest.Meta):
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [models.UniqueConstraint(fields=["complaint"], condition=models.Q(status="pending"),
                                               name="supervision_one_pending_extension")]


class WithdrawalRequest(_ComplaintRequest):
    """申请撤回: asks the upper platform to withdraw a complaint case; approval withdraws it."""

    class Meta(_ComplaintRequest.Meta):
        verbose_name = _("撤回申请")
        verbose_name_plural = _("撤回申请")
        constraints = [models.UniqueConstraint(fields=["complaint"], condition=models.Q(status="pending"),
                                               name="supervision_one_pending_withdrawal")]


class _Notice(models.Model):
    complaint = models.ForeignKey("supervision.Complaint", verbose_name=_("投诉"), on_delete=models.CASCADE,
                                  related_name="+")
    content = models.TextField(_("内容"), blank=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    message = models.OneToOneField("supervision.ExchangeMessage", verbose_name=_("交换消息"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True
        ordering = ["-received_at", "-pk"]


class OverdueReminder(_Notice):
    """超期提醒: the gov.cn platform reminds us that a complaint is overdue."""

    class Meta(_Notice.Meta):
        verbose_name = _("超期提醒")
        verbose_name_plural = _("超期提醒")


class NetizenEvaluation(_Notice):
    """网民评价: a netizen's rating of how a gov.cn complaint was handled (not a 好差评)."""

    satisfaction = models.CharField(_("满意度"), max_length=32, blank=True)

    class Meta(_Notice.Meta):
        verbose_name = _("网民评价")
        verbose_name_plural = _("网民评价")


class PublicationNotice(_Notice):
    """公开发布通知: gov.cn tells us it published a complaint case."""

    published_url = models.URLField(_("发布地址"), blank=True)

    class Meta(_Notice.Meta):
        verbose_name = _("公开发布通知")
        verbose_name_plural = _("公开发布通知")
