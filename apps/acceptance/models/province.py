"""预约接口对接 (ACC-0.7): what has been reported to the provincial platform for each booking."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class ProvinceBookingReport(models.Model):
    """省平台预约上报: the last status of one booking handed to the outbox for the provincial platform.

    The delivery itself (retries, dead letters) is the kernel outbox's; this row only says which state
    was queued, so the sweep reports each state change once."""

    appointment = models.OneToOneField("acceptance.Appointment", verbose_name=_("预约"), on_delete=models.CASCADE,
                                       related_name="province_report")
    reported_status = models.CharField(_("已上报状态"), max_length=16)
    queued_at = models.DateTimeField(_("上报排队时间"), auto_now=True)
    platform_id = models.CharField(_("省平台预约标识"), max_length=64, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "appointment__hall__region"
    scope_organisation_field = "appointment__hall__organisation"

    class Meta:
        verbose_name = _("省平台预约上报")
        verbose_name_plural = _("省平台预约上报")

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.reported_status}"
