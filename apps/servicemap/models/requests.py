"""Bookings and consultations made from a window page (MAP-1.7.1, 1.7.2, 6.4 – 6.6)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_mobile
from apps.core.scope import ScopedQuerySet


class RequestTarget(models.TextChoices):
    HALL_SYSTEM = "hall_system", _("大厅自有系统")
    PLATFORM = "platform", _("平台业务办理系统")


class PushStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    PUSHED = "pushed", _("已推送")
    PUSH_FAILED = "push_failed", _("推送失败")


class WindowRequest(SensitiveFieldsMixin, models.Model):
    """What a window booking and a window consultation share: where it was pushed and how that went, and whose
    it is (the hall's region and organisation, the applicant)."""

    target = models.CharField(_("推送目标"), max_length=16, choices=RequestTarget.choices)
    status = models.CharField(_("推送状态"), max_length=16, choices=PushStatus.choices, default=PushStatus.SUBMITTED,
                              db_index=True)
    external_reference = models.CharField(_("对方系统编号"), max_length=64, blank=True)
    push_error = models.CharField(_("推送错误"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"
    scope_owner_field = "applicant"

    class Meta:
        abstract = True

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile_number)


class WindowBooking(WindowRequest):
    """窗口预约: one booking made from a window page. For a hall with its own booking system the
    booking is pushed there (outbox); otherwise it is an appointment of the platform's engine
    (`appointment`) and counts as pushed at once."""

    number = models.CharField(_("预约单号"), max_length=32, unique=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人账号"), on_delete=models.PROTECT,
                                  related_name="map_bookings")
    booker_name = models.CharField(_("预约人"), max_length=64)
    mobile_number = EncryptedTextField(_("手机号码"), digest_field="mobile_number_digest")
    mobile_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    hall = models.ForeignKey("acceptance.Hall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey("acceptance.Window", verbose_name=_("窗口"), on_delete=models.PROTECT,
                               related_name="map_bookings")
    matter = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                               related_name="+")
    date = models.DateField(_("预约日期"))
    period_start = models.TimeField(_("开始时间"))
    period_end = models.TimeField(_("结束时间"))
    handling_location = models.CharField(_("办理地点"), max_length=255)
    appointment = models.OneToOneField("acceptance.Appointment", verbose_name=_("平台预约记录"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="map_booking")

    class Meta:
        verbose_name = _("窗口预约")
        verbose_name_plural = _("窗口预约")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["hall", "created_at"], name="smap_booking_hall_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%H:%M}-{self.period_end:%H:%M}"


class WindowConsultation(WindowRequest):
    """窗口咨询: a question about a matter at a window, pushed to the hall's consultation system or
    registered in the platform's consultation registry (`consultation`)."""

    number = models.CharField(_("咨询单号"), max_length=32, unique=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人账号"), on_delete=models.PROTECT,
                                  related_name="map_consultations")
    consultant_name = models.CharField(_("咨询人"), max_length=64)
    mobile_number = EncryptedTextField(_("手机号码"), digest_field="mobile_number_digest")
    mobile_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    hall = models.ForeignKey("acceptance.Hall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey("acceptance.Window", verbose_name=_("窗口"), on_delete=models.PROTECT,
                               related_name="map_consultations")
    matter = models.ForeignKey("matters.ImplementationItem", verbose_name=_("咨询事项"), on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("咨询标题"), max_length=100)
    question = models.TextField(_("详细问题"), max_length=2000)
    consultation = models.OneToOneField("acceptance.Consultation", verbose_name=_("平台咨询登记"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="map_consultation")

    class Meta:
        verbose_name = _("窗口咨询")
        verbose_name_plural = _("窗口咨询")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["hall", "created_at"], name="smap_consult_hall_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class VerificationCode(models.Model):
    """短信验证码 for booking, consultation and evaluation on the map (MAP-6.6). Only a keyed digest
    of the code is kept; one successful use, a few wrong tries, a short life."""

    class Purpose(models.TextChoices):
        BOOKING = "booking", _("窗口预约")
        CONSULTATION = "consultation", _("窗口咨询")
        EVALUATION = "evaluation", _("在线评价")

    mobile_number_digest = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    code_digest = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("地图短信验证码")
        verbose_name_plural = _("地图短信验证码")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["mobile_number_digest", "purpose", "-created_at"], name="smap_code_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
