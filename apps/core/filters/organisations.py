"""FilterSet of organisations, shared by the portal list (PORTAL-8.2) and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, OrganisationKind

_STATUS = ((True, _("启用")), (False, _("停用")))


class OrganisationFilterSet(django_filters.FilterSet):
    """`region` is the tree click (organisations of exactly that region); `within` takes the whole
    subtree (one indexed prefix query)."""

    region = django_filters.CharFilter(field_name="region_id", label=_("区划代码"))
    within = django_filters.CharFilter(method="filter_within", label=_("区划（含下级）"))
    name = django_filters.CharFilter(method="filter_name", label=_("机构名称"))
    credit_code = django_filters.CharFilter(lookup_expr="iexact", label=_("统一社会信用代码"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("机构类型"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("上级机构ID"))
    is_enabled = django_filters.TypedChoiceFilter(choices=_STATUS, coerce=lambda v: v in (True, "True", "true", "1"),
                                                  label=_("状态"))

    class Meta:
        model = Organisation
        fields = ["region", "within", "name", "credit_code", "kind", "parent", "is_enabled"]

    def filter_within(self, queryset, name, value):
        from apps.core.models.regions import prefix_of_code

        try:
            prefix = prefix_of_code(value)
        except Exception:  # noqa: BLE001 — an invalid code matches nothing
            return queryset.none()
        return queryset.filter(region__code__startswith=prefix)

    def filter_name(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
