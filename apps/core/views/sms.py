"""Portal pages: SMS log (masked numbers) and scheduled batch pushes (PORTAL-10.1)."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from apps.core.exports import ExportColumn
from apps.core.filters.sms import SmsMessageFilterSet, SmsScheduleFilterSet
from apps.core.models import SmsMessage, SmsSchedule
from apps.core.scope import restrict
from apps.core.selectors.sms import access_sms_schedule
from apps.core.services import sms as sms_services
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin


class SmsListView(ScopedListView):
    model = SmsMessage
    filterset_class = SmsMessageFilterSet
    permission_required = "core.view_smsmessage"
    title = _("短信发送记录")
    columns = [
        ExportColumn(_("手机号码"), "masked_mobile_number", 14),
        ExportColumn(_("接收人"), "recipient", 12),
        ExportColumn(_("用途"), "purpose", 16),
        ExportColumn(_("短信内容"), "content", 50),
        ExportColumn(_("状态"), "get_status_display", 10),
        ExportColumn(_("创建时间"), "created_at", 20),
    ]

    def get_base_queryset(self):
        return SmsMessage.objects.select_related("recipient", "outbox_message")


class SmsScheduleListView(ScopedListView):
    model = SmsSchedule
    filterset_class = SmsScheduleFilterSet
    permission_required = "core.view_smsschedule"
    title = _("短信定时推送")
    template_name = "core/sms/schedule_list.html"
    columns = [
        ExportColumn(_("名称"), "name", 20),
        ExportColumn(_("推送时间"), "times_display", 20),
        ExportColumn(_("推送内容"), "digest_kind", 20),
        ExportColumn(_("启用"), lambda s: "是" if s.enabled else "否", 8),
        ExportColumn(_("所属机构"), "organisation", 24),
    ]

    def get_base_queryset(self):
        return SmsSchedule.objects.select_related("organisation").prefetch_related("times")


class SmsScheduleForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    times = forms.CharField(label=_("推送时间"), help_text=_("每天推送的时间，多个用逗号分隔，如 08:30, 17:00"))
    digest_kind = forms.ChoiceField(label=_("推送内容"))
    recipients = forms.ModelMultipleChoiceField(label=_("接收人员"), queryset=get_user_model().objects.none(),
                                                widget=forms.SelectMultiple(attrs={"size": 8}))
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.core.sms import sms_digests
        from apps.identity.models import UserKind

        self.fields["digest_kind"].choices = [(d.kind, d.label) for d in sms_digests()]
        self.fields["recipients"].queryset = restrict(
            get_user_model().objects.filter(kind=UserKind.STAFF, is_active=True).order_by("full_name"), user)

    def clean_times(self):
        return sms_services.parse_times(self.cleaned_data["times"])


class SmsScheduleFormView(StaffPermissionMixin, FormView):
    form_class = SmsScheduleForm
    template_name = "core/sms/schedule_form.html"
    schedule = None

    def get_permission_required(self):
        return ["core.change_smsschedule" if "pk" in self.kwargs else "core.add_smsschedule"]

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs and request.user.is_authenticated:
            self.schedule = access_sms_schedule(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        s = self.schedule
        if s is None:
            return {"enabled": True}
        return {"name": s.name, "times": ", ".join(f"{t.time_of_day:%H:%M}" for t in s.times.all()),
                "digest_kind": s.digest_kind, "recipients": list(s.recipients.all()), "enabled": s.enabled}

    def form_valid(self, form):
        data = {**form.cleaned_data, "by": self.request.user}
        try:
            if self.schedule:
                sms_services.sms_schedule_update(schedule=self.schedule, **data)
            else:
                sms_services.sms_schedule_create(**data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("短信定时推送已保存。"))
        return redirect("core:sms-schedule-list")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "schedule": self.schedule}


class SmsScheduleDeleteView(StaffPermissionMixin, View):
    permission_required = "core.delete_smsschedule"

    def post(self, request, pk):
        schedule = access_sms_schedule(request.user, pk)
        sms_services.sms_schedule_delete(schedule=schedule, by=request.user)
        messages.success(request, _("短信定时推送已删除。"))
        return redirect("core:sms-schedule-list")


urlpatterns = [
    path("sms/", SmsListView.as_view(), name="sms-list"),
    path("sms/schedules/", SmsScheduleListView.as_view(), name="sms-schedule-list"),
    path("sms/schedules/new/", SmsScheduleFormView.as_view(), name="sms-schedule-create"),
    path("sms/schedules/<int:pk>/", SmsScheduleFormView.as_view(), name="sms-schedule-edit"),
    path("sms/schedules/<int:pk>/delete/", SmsScheduleDeleteView.as_view(), name="sms-schedule-delete"),
]
