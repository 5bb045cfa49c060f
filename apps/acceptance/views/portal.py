"""Portal pages: halls with their windows, staff, matters and QR codes (ACC-5.1, 5.x)."""
from __future__ import annotations

import io

import qrcode
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from apps.acceptance import forms, selectors
from apps.acceptance.filters import AppointmentFilterSet, HallFilterSet
from apps.acceptance.models import Appointment, Hall, HallStaff, Window
from apps.acceptance.services.halls import reference_save
from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin


def qr_png(url: str) -> HttpResponse:
    buffer = io.BytesIO()
    qrcode.make(url, box_size=8, border=2).save(buffer, format="PNG")
    return HttpResponse(buffer.getvalue(), content_type="image/png")


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class HallListView(ScopedListView):
    model = Hall
    filterset_class = HallFilterSet
    permission_required = "acceptance.view_hall"
    title = _("大厅管理")
    template_name = "acceptance/hall_list.html"
    columns = [ExportColumn(_("大厅名称"), "name"), ExportColumn(_("大厅编号"), "hall_number"),
               ExportColumn(_("大厅类型"), "get_hall_type_display"), ExportColumn(_("所属区划"), "region.name"),
               ExportColumn(_("管理机构"), "organisation.name"), ExportColumn(_("开启预约"), "booking_enabled")]

    def get_base_queryset(self):
        return Hall.objects.select_related("region", "organisation")


class HallDetailView(StaffPermissionMixin, TemplateView):
    permission_required = "acceptance.view_hall"
    template_name = "acceptance/hall_detail.html"

    def get_context_data(self, **kwargs):
        hall = selectors.access_hall(self.request.user, self.kwargs["pk"])
        public_url = self.request.build_absolute_uri(reverse("acceptance-public:hall", args=[hall.pk]))
        return super().get_context_data(hall=hall, public_url=public_url, **selectors.hall_children(hall),
                                        **kwargs)


class _SaveView(StaffPermissionMixin, FormView):
    """Create or edit one reference record through `reference_save`."""

    template_name = "acceptance/form.html"
    title = ""

    def get_hall(self):
        return selectors.access_hall(self.request.user, self.kwargs["hall"]) if "hall" in self.kwargs else None

    def get_instance(self):
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_instance()
        if issubclass(self.form_class, forms._HallChildForm):
            kwargs.update(hall=self.get_hall(), user=self.request.user)
        if self.form_class in (forms.HallForm, forms.WindowForm, forms.HallStaffForm):
            kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        instance = form.save(commit=False)
        hall = self.get_hall()
        if hall is not None and hasattr(instance, "hall_id"):
            instance.hall = hall
        try:
            reference_save(instance=instance, actor=self.request.user, permission=self.permission_required)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        target = hall or getattr(getattr(instance, "window", None), "hall", None) or instance
        return redirect(target.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, hall=self.get_hall(), **kwargs)


class HallCreateView(_SaveView):
    form_class = forms.HallForm
    permission_required = "acceptance.add_hall"
    title = _("新增大厅")


class HallEditView(_SaveView):
    form_class = forms.HallForm
    permission_required = "acceptance.change_hall"
    title = _("编辑大厅")

    def get_instance(self):
        return selectors.access_hall(self.request.user, self.kwargs["pk"])


class WindowCreateView(_SaveView):
    form_class = forms.WindowForm
    permission_required = "acceptance.add_window"
    title = _("新增窗口")


class HallStaffCreateView(_SaveView):
    form_class = forms.HallStaffForm
    permission_required = "acceptance.add_hallstaff"
    title = _("新增窗口人员")


class WindowEditView(_SaveView):
    form_class = forms.WindowForm
    permission_required = "acceptance.change_window"
    title = _("编辑窗口")

    def get_instance(self):
        from apps.core.scope import restrict

        return get_object_or_404(restrict(Window.objects.filter(hall=self.get_hall()), self.request.user),
                                 pk=self.kwargs["pk"])


class HallStaffEditView(_SaveView):
    form_class = forms.HallStaffForm
    permission_required = "acceptance.change_hallstaff"
    title = _("编辑窗口人员")

    def get_instance(self):
        from apps.core.scope import restrict

        return get_object_or_404(restrict(HallStaff.objects.filter(hall=self.get_hall()), self.request.user),
                                 pk=self.kwargs["pk"])


class HallPictureCreateView(_SaveView):
    form_class = forms.HallPictureForm
    permission_required = "acceptance.change_hall"
    title = _("上传大厅宣传图片")


class WindowStaffCreateView(_SaveView):
    form_class = forms.WindowStaffForm
    permission_required = "acceptance.add_windowstaff"
    title = _("人员入驻窗口")


class WindowMatterCreateView(_SaveView):
    form_class = forms.WindowMatterForm
    permission_required = "acceptance.add_windowmatter"
    title = _("事项入驻窗口")


class BookableMatterCreateView(_SaveView):
    form_class = forms.BookableMatterForm
    permission_required = "acceptance.add_bookablematter"
    title = _("新增预约事项")


class HallQrView(StaffPermissionMixin, TemplateView):
    """The hall's QR code (ACC-5.x): opens the hall's public page (booking, reviews, map)."""

    permission_required = "acceptance.view_hall"

    def get(self, request, *args, **kwargs):
        hall = selectors.access_hall(request.user, kwargs["pk"])
        return qr_png(request.build_absolute_uri(reverse("acceptance-public:hall-scan", args=[hall.qr_token])))


class StaffQrView(StaffPermissionMixin, TemplateView):
    """A window staff member's QR code: opens the staff card page (evaluation entry for reviews)."""

    permission_required = "acceptance.view_hallstaff"

    def get(self, request, *args, **kwargs):
        from apps.core.scope import restrict

        staff = get_object_or_404(restrict(HallStaff.objects.all(), request.user), pk=kwargs["pk"])
        return qr_png(request.build_absolute_uri(reverse("acceptance-public:staff-card", args=[staff.qr_token])))


class AppointmentListView(ScopedListView):
    """ACC-5.9 order management: scoped (R22) — a sub-hall sees its own bookings, the hall sees all."""

    model = Appointment
    filterset_class = AppointmentFilterSet
    permission_required = "acceptance.view_appointment"
    title = _("预约订单")
    columns = [ExportColumn(_("预约编号"), "appointment_number"), ExportColumn(_("预约人"), "booker_name"),
               ExportColumn(_("联系方式"), "masked_mobile_number"), ExportColumn(_("大厅"), "hall.name"),
               ExportColumn(_("业务名称"), "bookable_matter.matter.name"),
               ExportColumn(_("所属部门"), "bookable_matter.department_name"), ExportColumn(_("预约日期"), "date"),
               ExportColumn(_("预约时间段"), "period_label"), ExportColumn(_("状态"), "get_status_display"),
               ExportColumn(_("预约时间"), "created_at")]

    def get_base_queryset(self):
        return Appointment.objects.select_related("hall", "bookable_matter__matter")
