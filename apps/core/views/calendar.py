"""Portal page: working-day calendar (工作日配置, PORTAL-7.7)."""
from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.core.selectors.calendar import calendar_days_for_year, calendar_month
from apps.core.services.calendar import calendar_day_set, calendar_range_set_holiday
from apps.core.views.mixins import StaffPermissionMixin

KIND_CHOICES = [("holiday", _("节假日")), ("makeup", _("调休上班")), ("working", _("工作日")), ("rest", _("休息日"))]


class DayForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("设置为"), choices=KIND_CHOICES)
    label = forms.CharField(label=_("说明"), max_length=64, required=False)


class RangeForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    label = forms.CharField(label=_("节日名称"), max_length=64)


def _month_arg(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


class CalendarView(StaffPermissionMixin, TemplateView):
    template_name = "core/calendar/month.html"
    permission_required = "core.view_calendarday"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month = _month_arg(self.request)
        previous = (year, month - 1) if month > 1 else (year - 1, 12)
        following = (year, month + 1) if month < 12 else (year + 1, 1)
        user = self.request.user
        context.update(
            year=year, month=month, previous=previous, following=following,
            weeks=calendar_month(user=user, year=year, month=month),
            year_days=calendar_days_for_year(user=user, year=year),
            can_edit=user.has_perm("core.change_calendarday"),
            day_form=kwargs.get("day_form") or DayForm(initial={"day": self.request.GET.get("day")}),
            range_form=kwargs.get("range_form") or RangeForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("core.change_calendarday"):
            return self.handle_no_permission()
        is_range = "range" in request.POST
        form = (RangeForm if is_range else DayForm)(request.POST)
        if form.is_valid():
            try:
                self._save(form, is_range)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("工作日配置已保存。"))
                day = form.cleaned_data["start" if is_range else "day"]
                return redirect(f"{reverse('core:calendar')}?year={day.year}&month={day.month}")
        key = "range_form" if is_range else "day_form"
        return self.render_to_response(self.get_context_data(**{key: form}), status=400)

    def _save(self, form, is_range: bool) -> None:
        data, user = form.cleaned_data, self.request.user
        if is_range:
            calendar_range_set_holiday(start=data["start"], end=data["end"], label=data["label"], by=user)
        else:
            calendar_day_set(day=data["day"], kind=data["kind"], label=data["label"], by=user)


urlpatterns = [path("calendar/", CalendarView.as_view(), name="calendar")]
