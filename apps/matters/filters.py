"""FilterSets shared by the portal lists, their Excel exports and the API."""
from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import RegionLevel
from apps.core.models.regions import prefix_of_code
from apps.matters.models import (
    CatalogueItem, ChangeRequest, ChangeRequestStatus, ImplementationItem, MatterStatus, MatterType,
)


class MatterFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或编码"), method="filter_q")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=MatterStatus.choices)
    matter_type = django_filters.ChoiceFilter(label=_("事项类型"), choices=MatterType.choices)
    level = django_filters.ChoiceFilter(label=_("层级"), choices=RegionLevel.choices)
    handling_department_id = django_filters.NumberFilter(label=_("办理部门ID"), field_name="handling_department_id")
    theme = django_filters.CharFilter(label=_("主题"), lookup_expr="exact")

    code_fields: tuple[str, ...] = ("basic_code",)

    def filter_q(self, queryset, name, value):
        condition = Q(name__icontains=value)
        for field in self.code_fields:
            condition |= Q(**{f"{field}__startswith": value.strip().upper()})
        return queryset.filter(condition)

    def filter_region(self, queryset, name, value):
        try:
            prefix = prefix_of_code(value.strip())
        except Exception:  # noqa: BLE001 — an invalid code matches nothing
            return queryset.none()
        return queryset.filter(region__code__startswith=prefix)


class CatalogueItemFilterSet(MatterFilterSet):
    department_id = django_filters.NumberFilter(label=_("主管部门ID"), field_name="department_id")

    class Meta:
        model = CatalogueItem
        fields = ["q", "status", "matter_type", "level", "region", "department_id", "theme"]


class ImplementationItemFilterSet(MatterFilterSet):
    implementing_body_id = django_filters.NumberFilter(label=_("实施主体ID"), field_name="implementing_body_id")
    code_fields = ("basic_code", "implementation_code")

    class Meta:
        model = ImplementationItem
        fields = ["q", "status", "matter_type", "level", "region", "implementing_body_id",
                  "handling_department_id", "theme"]


class ChangeRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ChangeRequestStatus.choices)

    class Meta:
        model = ChangeRequest
        fields = ["status", "route"]


class PublicGuideFilterSet(django_filters.FilterSet):
    """Public search of published matters: name or code, department, region, theme, type."""

    q = django_filters.CharFilter(label=_("事项名称或编码"), method="filter_q")
    department = django_filters.NumberFilter(label=_("部门ID"), method="filter_department")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    theme = django_filters.CharFilter(label=_("主题"), field_name="theme")
    matter_type = django_filters.ChoiceFilter(label=_("事项类型"), choices=MatterType.choices)

    filter_region = MatterFilterSet.filter_region
    code_fields = ImplementationItemFilterSet.code_fields

    class Meta:
        model = ImplementationItem
        fields = ["q", "department", "region", "theme", "matter_type"]

    def filter_q(self, queryset, name, value):
        """Name contains, or a code starts with, the value. Matter codes are ASCII (digits and the
        credit-code letters), so a value with any other character (a Chinese name) can only match
        by name: the filter is then the name condition alone, which the trigram index serves."""
        if value.isascii():
            return ImplementationItemFilterSet.filter_q(self, queryset, name, value)
        return queryset.filter(name__icontains=value)

    def filter_department(self, queryset, name, value):
        return queryset.filter(Q(handling_department_id=value) | Q(implementing_body_id=value))
