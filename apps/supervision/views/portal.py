"""Portal pages: complaint lists per channel (to-do / done), detail with workflow steps, export,
done-case lookup, gov.cn exchange log."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.exports import ExportColumn
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.supervision.filters import ComplaintFilterSet
from apps.supervision.forms import (
    ComplaintStepForm,
    DoneLookupForm,
    ExtensionForm,
    WithdrawalForm,
)
from apps.supervision.models import Complaint, ComplaintSource, ExchangeMessage
from apps.supervision.selectors import access_complaint, complaint_related, done_lookup
from apps.supervision.services import exchange
from apps.supervision.services.workflow import available_steps, complaint_step

VIEW = "supervision.view_complaint"

def _when(field):
    def read(obj):
        value = getattr(obj, field)
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
    return read


LIST_COLUMNS = [
    ExportColumn(_("办件编号"), "case_number", 18),
    ExportColumn(_("标题"), "title", 30),
    ExportColumn(_("投诉来源"), "get_source_display", 14),
    ExportColumn(_("投诉或建议"), "get_kind_display", 10),
    ExportColumn(_("受理状态"), "get_status_display", 12),
    ExportColumn(_("办件部门"), "department.name", 22),
    ExportColumn(_("区划"), "region.name", 12),
    ExportColumn(_("提交时间"), _when("submitted_at"), 18),
    ExportColumn(_("办理期限"), _when("deadline"), 18),
]
COLUMNS = [
    ExportColumn(_("办件编号"), "case_number", 18),
    ExportColumn(_("标题"), "title", 30),
    ExportColumn(_("投诉来源"), "get_source_display", 14),
    ExportColumn(_("投诉或建议"), "get_kind_display", 10),
    ExportColumn(_("受理状态"), "get_status_display", 12),
    ExportColumn(_("办件部门"), "department.name", 22),
    ExportColumn(_("区划"), "region.name", 12),
    ExportColumn(_("姓名"), "complainant_name", 10),
    ExportColumn(_("手机号码"), "masked_mobile", 14),
    ExportColumn(_("E_MAIL"), "email", 20),
    ExportColumn(_("提交时间"), _when("submitted_at"), 18),
    ExportColumn(_("办理期限"), _when("deadline"), 18),
    ExportColumn(_("事项编码"), "item_code", 20),
    ExportColumn(_("事项名称"), "item_name", 20),
    ExportColumn(_("受理结果"), "result", 40),
    ExportColumn(_("回复时间"), _when("replied_at"), 18),
]


class ComplaintListView(ScopedListView):
    """PORTAL-7.2: every complaint, consultation and suggestion in scope, filtered and exported."""

    model = Complaint
    filterset_class = ComplaintFilterSet
    permission_required = VIEW
    template_name = "supervision/complaint_list.html"
    title = _("投诉咨询建议")
    columns = LIST_COLUMNS
    source: str | None = None
    export_key = "supervision.complaints"

    def get_export_columns(self):
        return COLUMNS

    def get_base_queryset(self):
        queryset = Complaint.objects.select_related("region", "department")
        return queryset.filter(source=self.source) if self.source else queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["done"] = self.request.GET.get("done", "")
        context["show_tabs"] = self.source is not None
        return context


class NationalListView(ComplaintListView):
    source, title, export_key = ComplaintSource.NATIONAL_PLATFORM, _("国家政务平台投诉"), "supervision.national"


class GovcnListView(ComplaintListView):
    source, title, export_key = ComplaintSource.GOVCN, _("中国政府网投诉"), "supervision.govcn"


class ProvincialListView(ComplaintListView):
    source, title, export_key = ComplaintSource.PROVINCIAL, _("省级投诉"), "supervision.provincial"


class InvestmentListView(ComplaintListView):
    source, title, export_key = ComplaintSource.INVESTMENT_EXPRESS, _("招商引资直通车"), "supervision.investment"


def _departments_for(user):
    organisation = user.organisation
    queryset = Organisation.objects.order_by("region_id", "name")
    if user.is_superuser or organisation is None:
        return queryset
    return queryset.filter(region__code__startswith=organisation.region.prefix)


class ComplaintDetailView(StaffPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "supervision/complaint_detail.html"

    def get_context_data(self, **kwargs):
        complaint = access_complaint(self.request.user, kwargs["pk"])
        steps = available_steps(complaint, self.request.user)
        needs_department = any(s.needs_department for s in steps)
        context = super().get_context_data(**kwargs)
        context.update(complaint=complaint, steps=steps, title=complaint.title,
                       step_form=ComplaintStepForm(departments=_departments_for(self.request.user)
                                                   if needs_department else Organisation.objects.none()),
                       needs_department=needs_department, extension_form=ExtensionForm(),
                       withdrawal_form=WithdrawalForm(), **complaint_related(complaint))
        context["can_request"] = (complaint.source == ComplaintSource.GOVCN and not complaint.is_done
                                  and self.request.user.has_perm("supervision.handle_complaint"))
        return context


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class ComplaintStepView(StaffPermissionMixin, View):
    """POST one workflow step (the service checks permission, scope and state again)."""

    permission_required = VIEW

    def post(self, request, pk, action):
        complaint = access_complaint(request.user, pk)
        form = ComplaintStepForm(request.POST, departments=_departments_for(request.user))
        if not form.is_valid():
            messages.error(request, _("提交的内容有误，请检查。"))
            return redirect(complaint.get_absolute_url())
        try:
            complaint_step(complaint=complaint, action=action, actor=request.user,
                           comment=form.cleaned_data["comment"], department=form.cleaned_data["department"])
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("办理成功。"))
        return redirect(complaint.get_absolute_url())


class ComplaintRequestView(StaffPermissionMixin, View):
    """POST an extension or a withdrawal request (gov.cn complaints)."""

    permission_required = "supervision.handle_complaint"
    kind = "extension"

    def post(self, request, pk):
        complaint = access_complaint(request.user, pk)
        form = (ExtensionForm if self.kind == "extension" else WithdrawalForm)(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
            return redirect(complaint.get_absolute_url())
        try:
            if self.kind == "extension":
                exchange.complaint_request_extension(complaint=complaint, days=form.cleaned_data["days"],
                                                     reason=form.cleaned_data["reason"], actor=request.user)
            else:
                exchange.complaint_request_withdrawal(complaint=complaint, reason=form.cleaned_data["reason"],
                                                      actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("申请已提交至督查平台。"))
        return redirect(complaint.get_absolute_url())


class DoneLookupView(StaffPermissionMixin, TemplateView):
    """PORTAL-1.3: find done cases by case number and query code."""

    permission_required = VIEW
    template_name = "supervision/done_lookup.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DoneLookupForm(self.request.GET or None)
        results = None
        if form.is_valid():
            results = list(done_lookup(user=self.request.user, case_number=form.cleaned_data["case_number"],
                                       query_code=form.cleaned_data["query_code"]).select_related("region",
                                                                                                  "department"))
        context.update(form=form, results=results, title=_("已办投诉查询"))
        return context


class ExchangeMessageListView(ScopedListView):
    """The gov.cn exchange log: every downstream and upstream message with its type and state."""

    model = ExchangeMessage
    filterset_class = None
    filterset_fields = ["direction", "message_type", "business_key"]
    permission_required = "supervision.view_exchangemessage"
    title = _("督查平台交换日志")
    export_key = "supervision.exchange"
    columns = [
        ExportColumn(_("时间"), "created_at", 18), ExportColumn(_("方向"), "get_direction_display", 6),
        ExportColumn(_("业务标识"), "message_type", 20), ExportColumn(_("业务主键"), "business_key", 16),
        ExportColumn(_("平台消息编号"), "message_id", 14), ExportColumn(_("投诉"), "complaint.case_number", 18),
        ExportColumn(_("确认已读"), "read_confirmed_at", 18), ExportColumn(_("处理错误"), "error", 30),
    ]

    def get_queryset(self):
        queryset = ExchangeMessage.objects.select_related("complaint")
        user = self.request.user
        if user.is_superuser or user.is_system_admin:
            return queryset
        visible = restrict(Complaint.objects.all(), user).values("pk")
        return queryset.filter(Q(complaint__in=visible))
