"""FilterSets of regions and data-source codes, shared by the portal lists and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.models import DataSourceCode, Region, RegionLevel
from apps.core.models.regions import RegionType

_STATUS = ((True, _("启用")), (False, _("停用")))


class RegionFilterSet(django_filters.FilterSet):
    """PORTAL-8.1: query by status, region code and region name; `parent` is the tree click."""

    parent = django_filters.CharFilter(field_name="parent_id", label=_("上级区划代码"))
    code = django_filters.CharFilter(field_name="code", lookup_expr="startswith", label=_("区划代码"))
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("区划名称"))
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("区划层级"))
    region_type = django_filters.ChoiceFilter(choices=RegionType.choices, label=_("区划类型"))
    is_enabled = django_filters.TypedChoiceFilter(choices=_STATUS, coerce=lambda v: v in (True, "True", "true", "1"),
                                                  label=_("状态"))

    class Meta:
        model = Region
        fields = ["parent", "code", "name", "level", "region_type", "is_enabled"]


class DataSourceCodeFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="icontains", label=_("数据来源代码"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("名称"))
    owner = django_filters.ChoiceFilter(choices=(("city", _("市（地）")), ("department", _("省直部门"))),
                                        method="filter_owner", label=_("归属类型"))
    is_enabled = django_filters.TypedChoiceFilter(choices=_STATUS, coerce=lambda v: v in (True, "True", "true", "1"),
                                                  label=_("状态"))

    class Meta:
        model = DataSourceCode
        fields = ["code", "name", "owner", "is_enabled"]

    def filter_owner(self, queryset, name, value):
        return queryset.filter(region__isnull=(value != "city"))
