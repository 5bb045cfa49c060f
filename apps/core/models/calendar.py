"""Working-day calendar (工作日配置, PORTAL-7.7): the exceptions to the Mon–Fri rule."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDaySource(models.TextChoices):
    PACKAGE = "package", _("国务院公告（chinesecalendar）")
    MANUAL = "manual", _("管理员设置")


class CalendarDay(models.Model):
    """One date whose status differs from, or is labelled beyond, the Mon–Fri default.

    A date with no row is a working day from Monday to Friday and a rest day at weekends.
    Rows seeded from the `chinesecalendar` package have source=package; any admin edit
    turns the row into source=manual, which `load_holidays` never overwrites.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"))
    is_holiday = models.BooleanField(_("节假日"), default=False)
    is_makeup_day = models.BooleanField(_("调休上班"), default=False)
    label = models.CharField(_("说明"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=CalendarDaySource.choices,
                              default=CalendarDaySource.MANUAL)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日配置")
        verbose_name_plural = _("工作日配置")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.label or self.get_kind_display()}"

    @property
    def kind(self) -> str:
        if self.is_holiday:
            return "holiday"
        if self.is_makeup_day:
            return "makeup"
        return "working" if self.is_working_day else "rest"

    def get_kind_display(self) -> str:
        return str(DAY_KIND_LABELS[self.kind])


DAY_KIND_LABELS = {"holiday": _("节假日"), "makeup": _("调休上班"), "working": _("工作日"), "rest": _("休息日")}
