"""Issuance pages (ACC-10.2, 10.6, 10.7), material-guide files (ACC-7.8) and material management (16.7)."""
from __future__ import annotations

import mimetypes
from pathlib import PurePath

import django_filters
from django.db.models import F, OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.generic import View

from apps.acceptance.models import (
    Case, CaseMaterial, DeliveryEvent, DeliveryEventKind, DeliveryMethod, IssuanceStatus, MaterialGuide,
)
from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin


class MaterialGuideFileView(StaffPermissionMixin, View):
    """The example file or electronic sample form of a material guide (reference data, not personal)."""

    permission_required = "acceptance.view_case"

    def get(self, request, pk, which):
        guide = get_object_or_404(MaterialGuide, pk=pk)
        field = {"example": guide.example_file, "sample": guide.sample_form}.get(which)
        if not field:
            raise Http404
        name = PurePath(field.name).name
        return FileResponse(field.open("rb"), as_attachment=True, filename=name,
                            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")


class IssuanceFilterSet(django_filters.FilterSet):
    case_number = django_filters.CharFilter(label=gettext_lazy("办件编号"), lookup_expr="icontains")
    applicant_name = django_filters.CharFilter(label=gettext_lazy("申请人"), lookup_expr="icontains")
    issuance_status = django_filters.ChoiceFilter(label=gettext_lazy("出件状态"), choices=IssuanceStatus.choices[1:])
    delivery_method = django_filters.ChoiceFilter(label=gettext_lazy("领取方式"), choices=DeliveryMethod.choices)
    waybill = django_filters.CharFilter(label=gettext_lazy("运单号"), field_name="delivery__waybill_number",
                                        lookup_expr="icontains")

    class Meta:
        model = Case
        fields = ["case_number", "applicant_name", "issuance_status", "delivery_method", "waybill"]


class IssuanceListView(ScopedListView):
    """出件事项管理 (ACC-10.7): every case awaiting or past issuance in scope, with the certificate's last
    movement; the case page signs for the result, issues it and records movements."""

    model = Case
    filterset_class = IssuanceFilterSet
    permission_required = "acceptance.view_case"
    title = gettext_lazy("出件事项管理")
    columns = [ExportColumn(gettext_lazy("办件编号"), "case_number"), ExportColumn(gettext_lazy("事项"), "item.name"),
               ExportColumn(gettext_lazy("申请人"), "applicant_name"),
               ExportColumn(gettext_lazy("领取方式"), "get_delivery_method_display"),
               ExportColumn(gettext_lazy("出件状态"), "get_issuance_status_display"),
               ExportColumn(gettext_lazy("运单号"), "waybill_number"),
               ExportColumn(gettext_lazy("最新流转"), lambda c: dict(DeliveryEvent._meta.get_field("kind").choices)
                            .get(c.last_event, "") if c.last_event else ""),
               ExportColumn(gettext_lazy("办结时间"), "concluded_at")]

    def get_base_queryset(self):
        last = (DeliveryEvent.objects.filter(delivery__case=OuterRef("pk")).exclude(kind=DeliveryEventKind.NOTE)
                .order_by("-occurred_at", "-pk"))
        return (Case.objects.exclude(issuance_status=IssuanceStatus.NONE).select_related("item")
                .annotate(last_event=Subquery(last.values("kind")[:1]),
                          waybill_number=F("delivery__waybill_number"))
                .order_by("-concluded_at", "-pk"))


class MaterialFileFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(label=gettext_lazy("材料编号"), method="filter_code")
    name = django_filters.CharFilter(label=gettext_lazy("材料名称"), lookup_expr="icontains")

    class Meta:
        model = CaseMaterial
        fields = ["code", "name"]

    def filter_code(self, queryset, name, value):
        """材料编号 = <case number>-<serial>: match the case number part, and the serial when given."""
        value = value.strip()
        case_number, _sep, serial = value.rpartition("-") if "-" in value else (value, "", "")
        queryset = queryset.filter(case__case_number__icontains=case_number)
        return queryset.filter(pk=int(serial)) if serial.isdigit() else queryset


class MaterialFileListView(ScopedListView):
    """材料管理 (ACC-16.7): every uploaded material file in scope — number, name, file name, upload time —
    with preview and download through the case's own scope."""

    model = CaseMaterial
    filterset_class = MaterialFileFilterSet
    permission_required = "acceptance.view_case"
    title = gettext_lazy("材料管理")
    template_name = "acceptance/material_file_list.html"
    columns = [ExportColumn(gettext_lazy("材料编号"), "material_number"), ExportColumn(gettext_lazy("材料名称"), "name"),
               ExportColumn(gettext_lazy("文件名称"), "file_name"),
               ExportColumn(gettext_lazy("来源"), "get_source_display"),
               ExportColumn(gettext_lazy("上传时间"), "created_at")]

    def get_base_queryset(self):
        return (CaseMaterial.objects.exclude(file="").select_related("case")
                .only("pk", "name", "file", "source", "created_at", "case__case_number", "case__id")
                .order_by("-created_at", "-pk"))
