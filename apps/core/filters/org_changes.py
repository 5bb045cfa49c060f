"""FilterSet of organisation change requests (PORTAL-8.3)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.models import ChangeKind, ChangeStatus, OrganisationChangeRequest


class OrganisationChangeRequestFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ChangeKind.choices, label=_("申请类型"))
    status = django_filters.ChoiceFilter(choices=ChangeStatus.choices, label=_("状态"))
    name = django_filters.CharFilter(field_name="proposed_data__name", lookup_expr="icontains", label=_("机构名称"))
    applicant_organisation = django_filters.NumberFilter(field_name="applicant_organisation_id",
                                                         label=_("申请单位ID"))

    class Meta:
        model = OrganisationChangeRequest
        fields = ["kind", "status", "name", "applicant_organisation"]
