"""Portal pages: region information (PORTAL-8.1) and data-source codes (PORTAL-7.9)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from apps.core.exports import ExportColumn
from apps.core.filters.regions import DataSourceCodeFilterSet, RegionFilterSet
from apps.core.models import DataSourceCode, Organisation, Region, RegionLevel
from apps.core.selectors.regions import data_source_code_list, region_tree
from apps.core.services.datasources import (
    data_source_code_create, data_source_code_delete, data_source_code_update,
)
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin


class ExportHeadersMixin:
    """Export headers are lazy translations; openpyxl needs plain str."""

    def get_export_columns(self):
        return [ExportColumn(str(c.header), c.value, c.width) for c in super().get_export_columns()]


class RegionTreeMixin:
    """Adds the left-hand region tree; `tree_param` is the query parameter a node click sets."""

    tree_param = "parent"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selected = self.request.GET.get(self.tree_param) or None
        context.update(tree=region_tree(user=self.request.user, selected=selected), tree_param=self.tree_param,
                       selected_region=Region.objects.filter(code=selected).first() if selected else None)
        return context


class RegionListView(ExportHeadersMixin, RegionTreeMixin, ScopedListView):
    """Clicking a node lists its child regions; query by status, code and name."""

    model = Region
    filterset_class = RegionFilterSet
    permission_required = "core.view_region"
    template_name = "core/regions/list.html"
    title = _("区划信息")
    paginate_by = 50
    columns = [
        ExportColumn(_("区划名称"), "name"), ExportColumn(_("区划代码"), "code"),
        ExportColumn(_("区划层级"), "get_level_display"), ExportColumn(_("区划类型"), "region_type"),
        ExportColumn(_("上级区划代码"), "parent_id"),
        ExportColumn(_("状态"), lambda r: str(_("启用")) if r.is_enabled else str(_("停用"))),
    ]

    def get_queryset(self):
        # Regions are public reference data, the same for every staff user (docs/regions.md).
        return Region.objects.all()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = (kwargs["data"] or QueryDict()).copy()
        if not any(data.get(k) for k in ("parent", "code", "name", "level", "region_type", "is_enabled")):
            data["parent"] = Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", flat=True).first() or ""
            kwargs["data"] = data
        return kwargs


# ------------------------------------------------------------------ data-source codes (PORTAL-7.9)

class DataSourceCodeForm(forms.Form):
    code = forms.CharField(label=_("数据来源代码"), max_length=32)
    name = forms.CharField(label=_("数据来源名称"), max_length=128)
    region = forms.ModelChoiceField(label=_("市（地）"), required=False,
                                    queryset=Region.objects.filter(level=RegionLevel.CITY))
    organisation = forms.ModelChoiceField(label=_("省直部门"), required=False,
                                          queryset=Organisation.objects.filter(region__level=RegionLevel.PROVINCE))
    remarks = forms.CharField(label=_("备注"), max_length=255, required=False)
    is_enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)


class DataSourceCodeListView(ExportHeadersMixin, ScopedListView):
    model = DataSourceCode
    filterset_class = DataSourceCodeFilterSet
    permission_required = "core.view_datasourcecode"
    template_name = "core/regions/datasource_list.html"
    title = _("数据来源配置")
    columns = [
        ExportColumn(_("数据来源代码"), "code"), ExportColumn(_("名称"), "name"),
        ExportColumn(_("归属类型"), "owner_kind"), ExportColumn(_("归属"), lambda d: str(d.owner)),
        ExportColumn(_("状态"), lambda d: str(_("启用")) if d.is_enabled else str(_("停用"))),
    ]

    def get_queryset(self):
        return data_source_code_list(user=self.request.user)


class DataSourceCodeFormView(StaffPermissionMixin, FormView):
    form_class = DataSourceCodeForm
    template_name = "core/regions/datasource_form.html"
    permission_required = "core.add_datasourcecode"
    instance = None

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.permission_required = "core.change_datasourcecode"
            self.instance = get_object_or_404(data_source_code_list(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.instance is None:
            return {"is_enabled": True}
        fields = ("code", "name", "region", "organisation", "remarks", "is_enabled")
        return {f: getattr(self.instance, f) for f in fields}

    def form_valid(self, form):
        try:
            if self.instance is None:
                data_source_code_create(actor=self.request.user, **form.cleaned_data)
            else:
                data_source_code_update(data_source=self.instance, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("数据来源代码已保存。"))
        return redirect("core:datasource-list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(instance=self.instance, title=_("编辑数据来源代码") if self.instance
                                        else _("新增数据来源代码"), **kwargs)


class DataSourceCodeDeleteView(StaffPermissionMixin, FormView):
    permission_required = "core.delete_datasourcecode"
    http_method_names = ["post"]

    def post(self, request, pk):
        instance = get_object_or_404(data_source_code_list(user=request.user), pk=pk)
        data_source_code_delete(data_source=instance, actor=request.user)
        messages.success(request, _("已删除数据来源代码 %(code)s。") % {"code": instance.code})
        return redirect(reverse("core:datasource-list"))


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


urlpatterns = [
    path("regions/", RegionListView.as_view(), name="region-list"),
    path("data-sources/", DataSourceCodeListView.as_view(), name="datasource-list"),
    path("data-sources/new/", DataSourceCodeFormView.as_view(), name="datasource-create"),
    path("data-sources/<int:pk>/edit/", DataSourceCodeFormView.as_view(), name="datasource-update"),
    path("data-sources/<int:pk>/delete/", DataSourceCodeDeleteView.as_view(), name="datasource-delete"),
]
