"""WorkOrders (工单, OPS-4.4, 4.5): alerts and findings handed to an owner, handled, verified and closed,
every step in the workflow history (apps.core.workflow)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkOrderSubject(models.TextChoices):
    ALERT = "alert", _("告警事件")
    VULNERABILITY = "vulnerability", _("漏洞")
    WEAK_PASSWORD = "weak_password", _("弱口令")
    CONFIGURATION = "configuration", _("配置核查问题")


class WorkOrderPriority(models.TextChoices):
    LOW = "low", _("低")
    NORMAL = "normal", _("中")
    HIGH = "high", _("高")
    URGENT = "urgent", _("紧急")


class WorkOrderStatus(models.TextChoices):
    NEW = "new", _("新建")
    IN_PROGRESS = "in_progress", _("处理中")
    HANDLED = "handled", _("已处理")
    CLOSED = "closed", _("已关闭")


OPEN_STATUSES = [WorkOrderStatus.NEW, WorkOrderStatus.IN_PROGRESS]


class WorkOrder(models.Model):
    """工单. The owner handles it; the creator (or a work_order manager) verifies the handling and closes
    it, or sends it back. `due_at` is the custom overdue-reminder time."""

    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    subject = models.CharField(_("工单类型"), max_length=16, choices=WorkOrderSubject.choices)
    alert = models.ForeignKey("ops.Alert", verbose_name=_("告警"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="work_orders")
    finding = models.ForeignKey("ops.Finding", verbose_name=_("安全问题"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="work_orders")
    description = models.TextField(_("描述"), blank=True)
    priority = models.CharField(_("优先级"), max_length=8, choices=WorkOrderPriority.choices,
                                default=WorkOrderPriority.NORMAL)
    status = models.CharField(_("状态"), max_length=16, choices=WorkOrderStatus.choices, default=WorkOrderStatus.NEW)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                related_name="ops_work_orders_created")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("负责人"), on_delete=models.PROTECT,
                              related_name="ops_work_orders_owned")
    related_users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("相关人员"), blank=True,
                                           related_name="ops_work_orders_related")
    notify_sms = models.BooleanField(_("短信通知"), default=True)
    notify_email = models.BooleanField(_("邮件通知"), default=True)
    due_at = models.DateTimeField(_("超期提醒时间"))
    reminded_at = models.DateTimeField(_("已提醒时间"), null=True, blank=True)
    resolution = models.TextField(_("处理结果"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(_("处理完成时间"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]
        permissions = [("manage_work_orders", _("派发与验收工单"))]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ops:work-order-detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_STATUSES and self.due_at <= timezone.now()

    @property
    def cycle_hours(self) -> float | None:
        if not self.handled_at:
            return None
        return (self.handled_at - self.created_at).total_seconds() / 3600
