"""Booking requests decided by the persister of the booking queue (docs/decisions/0405)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.appointments import Appointment
from apps.acceptance.models.slots import Slot
from apps.core.scope import ScopedQuerySet


class BookingRequestState(models.TextChoices):
    QUEUED = "queued", _("排队确认中")
    CONFIRMED = "confirmed", _("预约成功")
    REFUSED = "refused", _("预约失败")


class BookingRequest(models.Model):
    """预约请求: the outcome of one booking request admitted by the Redis gate and written by the
    persister. `request_id` is unique, so a request re-delivered after a crash is decided once.
    While queued a request lives only in Redis; this row exists once it is decided."""

    request_id = models.CharField(_("请求编号"), max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预约账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    slot = models.ForeignKey(Slot, verbose_name=_("号源"), on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("状态"), max_length=16, choices=BookingRequestState.choices)
    code = models.CharField(_("结果代码"), max_length=32, blank=True)
    reason = models.CharField(_("失败原因"), max_length=255, blank=True)
    appointment = models.OneToOneField(Appointment, verbose_name=_("预约记录"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="booking_request")
    admitted_at = models.DateTimeField(_("受理时间"))
    decided_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "slot__hall__region"
    scope_organisation_field = "slot__hall__organisation"
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("预约请求")
        verbose_name_plural = _("预约请求")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return self.request_id
