"""Queue tickets at a hall: take, call, recall, skip, transfer (ACC-0.6, 1.4, R19)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.appointments import Appointment
from apps.acceptance.models.halls import Hall, Window
from apps.acceptance.models.slots import BookableMatter
from apps.core.scope import ScopedQuerySet


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    DONE = "done", _("已办结")
    SKIPPED = "skipped", _("已过号")


class QueueCounter(models.Model):
    """Last serial issued per hall, day and prefix (locked row: serials never collide)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    prefix = models.CharField(max_length=4)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hall", "date", "prefix"], name="acc_queue_counter_uniq")]


class QueueTicket(models.Model):
    """取号: a queue number at a hall, linked to an appointment or a walk-in; bookings go first."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="tickets")
    date = models.DateField(_("日期"))
    number = models.CharField(_("排队号"), max_length=12)
    appointment = models.OneToOneField(Appointment, verbose_name=_("关联预约"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="ticket")
    bookable_matter = models.ForeignKey(BookableMatter, verbose_name=_("事项"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    is_priority = models.BooleanField(_("预约优先"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    window = models.ForeignKey(Window, verbose_name=_("办理窗口"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="tickets")
    target_window = models.ForeignKey(Window, verbose_name=_("转移至窗口"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    call_count = models.PositiveSmallIntegerField(_("叫号次数"), default=0)
    taken_at = models.DateTimeField(_("取号时间"), auto_now_add=True)
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["-is_priority", "taken_at"]
        constraints = [models.UniqueConstraint(fields=["hall", "date", "number"], name="acc_ticket_number_uniq")]
        indexes = [models.Index(fields=["hall", "date", "status"], name="acc_ticket_queue_idx")]

    def __str__(self) -> str:
        return self.number
