"""办件码投诉 pages (ACC-17.9): the public complaint form and the supervisors' list with its actions."""
from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.acceptance.models import CaseCodeComplaint, ComplaintKind, ComplaintStatus
from apps.acceptance.services.complaints import complaint_step, complaint_submit
from apps.core.exports import ExportColumn
from apps.core.models import Region
from apps.core.views.generic import ScopedListView

FIELDS = ("kind", "code", "case_number", "region_code", "content", "complainant_name", "complainant_mobile")


class ComplaintPublicView(TemplateView):
    template_name = "acceptance/public/code_complaint.html"

    def get_context_data(self, **kwargs):
        initial = {"kind": self.request.GET.get("kind", ""), "code": self.request.GET.get("code", "")}
        return super().get_context_data(kinds=ComplaintKind.choices, values=kwargs.pop("values", initial),
                                        regions=Region.objects.filter(level__lte=2).order_by("code"), **kwargs)

    def post(self, request):
        values = {name: request.POST.get(name, "") for name in FIELDS}
        try:
            complaint = complaint_submit(actor=request.user, **values)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(values=values, errors=exc.message_dict))
        return self.render_to_response(self.get_context_data(values={}, submitted=complaint))


class ComplaintFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=gettext_lazy("投诉类型"), choices=ComplaintKind.choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=ComplaintStatus.choices)
    number = django_filters.CharFilter(label=gettext_lazy("投诉编号"))

    class Meta:
        model = CaseCodeComplaint
        fields = ["kind", "status", "number"]


class ComplaintListView(ScopedListView):
    model = CaseCodeComplaint
    filterset_class = ComplaintFilterSet
    permission_required = "acceptance.view_casecodecomplaint"
    title = gettext_lazy("办件码投诉")
    template_name = "acceptance/code_complaints.html"
    columns = [ExportColumn(gettext_lazy("投诉编号"), "number"), ExportColumn(gettext_lazy("投诉类型"), "get_kind_display"),
               ExportColumn(gettext_lazy("办件码"), "code"),
               ExportColumn(gettext_lazy("核验结果"), lambda c: {True: "真", False: "假", None: "—"}[c.code_valid]),
               ExportColumn(gettext_lazy("办件编号"), "case_number"), ExportColumn(gettext_lazy("区划"), "region.name"),
               ExportColumn(gettext_lazy("投诉内容"), "content", 40), ExportColumn(gettext_lazy("投诉人"), "complainant_name"),
               ExportColumn(gettext_lazy("状态"), "get_status_display"),
               ExportColumn(gettext_lazy("处理意见"), "handling_note", 30), ExportColumn(gettext_lazy("投诉时间"), "created_at")]

    def get_base_queryset(self):
        return CaseCodeComplaint.objects.select_related("region")

    def post(self, request):
        complaint = get_object_or_404(CaseCodeComplaint.objects.restrict(request.user), pk=request.POST.get("complaint"))
        try:
            complaint_step(complaint=complaint, action=request.POST.get("action", ""), actor=request.user,
                           note=request.POST.get("note", ""))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已处理。"))
        return redirect("acceptance:code-complaint-list")
