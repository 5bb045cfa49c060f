"""SMS (短信): messages sent through the gateway, and scheduled batch pushes (PORTAL-10.1)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, mask_mobile
from apps.core.scope import ScopedQuerySet

SECRET_PLACEHOLDER = "{secret}"


class SmsMessage(models.Model):
    """One SMS to one mobile number. The number is stored SM4-encrypted (looked up by its
    keyed digest) and shown masked; delivery goes through `outbox_message`."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    mobile_number = EncryptedTextField(_("手机号码"), digest_field="mobile_number_digest")
    mobile_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    content = models.TextField(_("短信内容"))
    # A one-time secret (login code, password link) never sits in `content`: content holds
    # SECRET_PLACEHOLDER, the secret is stored SM4-encrypted here and wiped once the gateway has it.
    secret = EncryptedTextField(_("短信密文部分"), editable=False)
    purpose = models.CharField(_("用途"), max_length=64)
    idempotency_key = models.CharField(_("幂等键"), max_length=200, unique=True)
    outbox_message = models.OneToOneField("core.OutboxMessage", verbose_name=_("外发消息"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="sms_message")
    gateway_message_id = models.CharField(_("网关消息编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)

    objects = ScopedQuerySet.as_manager()

    scope_organisation_field = "recipient__organisation"

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.masked_mobile_number} {self.content[:20]}"

    @property
    def text_to_send(self) -> str:
        """The text the gateway gets: the content with the secret put back in."""
        return self.content.replace(SECRET_PLACEHOLDER, self.secret) if self.secret else self.content

    @property
    def masked_mobile_number(self) -> str:
        return mask_mobile(self.mobile_number)

    @property
    def status(self) -> str:
        return self.outbox_message.status if self.outbox_message_id else ""

    def get_status_display(self) -> str:
        return self.outbox_message.get_status_display() if self.outbox_message_id else ""


class SmsSchedule(models.Model):
    """A batch push sent several times a day to designated staff (定时批量推送短信, PORTAL-10.1).

    Each `SmsScheduleTime` owns one django-celery-beat PeriodicTask; the services in
    apps.core.services.sms keep them in step with the schedule.
    """

    name = models.CharField(_("名称"), max_length=100)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属机构"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    digest_kind = models.CharField(_("推送内容"), max_length=64)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("接收人员"), related_name="+")
    enabled = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("短信定时推送")
        verbose_name_plural = _("短信定时推送")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:sms-schedule-edit", args=[self.pk])

    @property
    def times_display(self) -> str:
        return "、".join(f"{t.time_of_day:%H:%M}" for t in self.times.all())


class SmsScheduleTime(models.Model):
    """One time of day of a schedule, mirrored by one beat PeriodicTask."""

    schedule = models.ForeignKey(SmsSchedule, verbose_name=_("推送计划"), on_delete=models.CASCADE,
                                 related_name="times")
    time_of_day = models.TimeField(_("推送时间"))
    periodic_task = models.OneToOneField("django_celery_beat.PeriodicTask", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("推送时间")
        verbose_name_plural = _("推送时间")
        ordering = ["time_of_day"]
        constraints = [models.UniqueConstraint(fields=["schedule", "time_of_day"], name="core_sms_schedule_time_uniq")]

    def __str__(self) -> str:
        return f"{self.time_of_day:%H:%M}"
