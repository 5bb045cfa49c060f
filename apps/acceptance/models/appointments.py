"""Appointments, the blacklist and the hall check-in QR code (ACC-1.x, 3.x, 5.9, 5.10, R9 – R22)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.halls import Hall, new_token
from apps.acceptance.models.slots import BookableMatter, Slot
from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_id_number, mask_mobile
from apps.core.scope import ScopedQuerySet


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CONFIRMED = "confirmed", _("预约确认")
    CHECKED_IN = "checked_in", _("已取号")
    FULFILLED = "fulfilled", _("已履约")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("失约")


ACTIVE_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN)


class Channel(models.TextChoices):
    PC = "pc", _("电脑端")
    APP = "app", _("APP")
    MINI_PROGRAM = "mini_program", _("小程序")
    SELF_SERVICE_TERMINAL = "self_service_terminal", _("自助终端")


class Appointment(SensitiveFieldsMixin, models.Model):
    """预约 (order record): one booking of one slot by one applicant.

    Scope: the hall's organisation subtree (a sub-hall sees its own, the hall sees all, R22);
    a citizen sees the appointments of his account.
    """

    appointment_number = models.CharField(_("预约编号"), max_length=24, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预约账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="appointments")
    booker_name = models.CharField(_("预约人姓名"), max_length=64)
    mobile_number = EncryptedTextField(_("联系方式"), digest_field="mobile_number_digest")
    mobile_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField(_("身份证号码"), digest_field="id_number_digest")
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    slot = models.ForeignKey(Slot, verbose_name=_("号源"), on_delete=models.PROTECT, related_name="appointments")
    bookable_matter = models.ForeignKey(BookableMatter, verbose_name=_("预约事项"), on_delete=models.PROTECT,
                                        related_name="appointments")
    hall = models.ForeignKey(Hall, verbose_name=_("预约大厅"), on_delete=models.PROTECT, related_name="appointments")
    date = models.DateField(_("预约日期"))
    period_start = models.TimeField(_("开始时间"))
    period_end = models.TimeField(_("结束时间"))
    channel = models.CharField(_("预约渠道"), max_length=24, choices=Channel.choices, default=Channel.PC)
    status = models.CharField(_("状态"), max_length=16, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED)
    is_extended_service = models.BooleanField(_("延时服务（无需取号）"), default=False)
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    check_in_method = models.CharField(_("签到方式"), max_length=32, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("预约记录")
        verbose_name_plural = _("预约记录")
        ordering = ["-created_at"]
        permissions = [("manage_appointments", _("管理预约（号源、黑名单、签到）"))]
        constraints = [
            # One live booking per applicant per slot.
            models.UniqueConstraint(fields=["slot", "id_number_digest"], condition=Q(status__in=ACTIVE_STATUSES),
                                    name="acc_appointment_one_per_slot"),
        ]
        indexes = [
            models.Index(fields=["hall", "date", "status"], name="acc_appt_hall_date_idx"),
            models.Index(fields=["user", "-created_at"], name="acc_appt_user_idx"),
            models.Index(fields=["status", "date"], name="acc_appt_status_date_idx"),
            models.Index(fields=["id_number_digest", "cancelled_at"], name="acc_appt_cancel_idx"),
        ]

    def __str__(self) -> str:
        return self.appointment_number

    def get_absolute_url(self) -> str:
        return reverse("acceptance-public:appointment-detail", args=[self.appointment_number])

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%H:%M}-{self.period_end:%H:%M}"

    @property
    def masked_mobile_number(self) -> str:
        return mask_mobile(self.mobile_number)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class NoShowPeriod(models.TextChoices):
    CALENDAR_MONTH = "calendar_month", _("自然月")
    ROLLING_DAYS = "rolling_days", _("最近若干天")


class BlacklistRule(models.Model):
    """黑名单规则: `no_show_count` no-shows within the period put the applicant on the blacklist
    for `restriction_days` (R16, R17). The default rule (literal tender reading): 4 no-shows in
    one calendar month ("超过三次"), 30 days' restriction."""

    name = models.CharField(_("规则名称"), max_length=64)
    no_show_period = models.CharField(_("失约周期"), max_length=20, choices=NoShowPeriod.choices,
                                      default=NoShowPeriod.CALENDAR_MONTH)
    no_show_period_days = models.PositiveIntegerField(_("失约周期天数"), default=30,
                                                      help_text=_("失约周期为“最近若干天”时使用"))
    no_show_count = models.PositiveIntegerField(_("失约次数"), default=4)
    no_show_behaviour = models.CharField(_("失约行为"), max_length=128, default="预约后未签到取号")
    restriction_days = models.PositiveIntegerField(_("限制周期（天）"), default=30)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("黑名单规则")
        verbose_name_plural = _("黑名单规则")

    def __str__(self) -> str:
        return self.name


class BlacklistStatus(models.TextChoices):
    ACTIVE = "active", _("限制中")
    RELEASED = "released", _("已自动解除")
    REVOKED = "revoked", _("已撤销")


class BlacklistEntry(models.Model):
    """黑名单: an applicant (by ID number digest) barred from booking until `ends_at`."""

    id_number_digest = models.CharField(max_length=64, db_index=True, editable=False)
    booker_name = models.CharField(_("姓名"), max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    rule = models.ForeignKey(BlacklistRule, verbose_name=_("触发规则"), on_delete=models.PROTECT)
    no_show_count = models.PositiveIntegerField(_("失约次数"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(_("状态"), max_length=16, choices=BlacklistStatus.choices,
                              default=BlacklistStatus.ACTIVE)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("黑名单")
        verbose_name_plural = _("黑名单")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["id_number_digest", "status", "ends_at"], name="acc_blacklist_idx")]

    def __str__(self) -> str:
        return f"{self.booker_name} {self.starts_at:%Y-%m-%d}"


class QrValidity(models.TextChoices):
    PERMANENT = "permanent", _("永久有效")
    WEEK = "week", _("一周")
    MONTH = "month", _("一个月")
    CUSTOM = "custom", _("自定义截止日期")


class HallCheckInQr(models.Model):
    """预约核验二维码: a hall's own QR code for halls without a queue system (ACC-3.x, R20)."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="check_in_qrs")
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    validity = models.CharField(_("有效期"), max_length=16, choices=QrValidity.choices, default=QrValidity.PERMANENT)
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    request_count = models.PositiveIntegerField(_("请求次数"), default=0)
    verification_count = models.PositiveIntegerField(_("核验次数"), default=0)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("预约核验二维码")
        verbose_name_plural = _("预约核验二维码")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hall} {self.get_validity_display()}"
