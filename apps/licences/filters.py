"""FilterSets shared by the portal pages (and API lists later)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Licence, LicenceStatus, Seal, SealStatus


class SealFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("印章名称"), lookup_expr="icontains")
    es_id = django_filters.CharFilter(label=_("印章编码"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SealStatus.choices)
    organisation = django_filters.CharFilter(label=_("用章单位"), field_name="organisation__name",
                                             lookup_expr="icontains")

    class Meta:
        model = Seal
        fields = ["name", "es_id", "status", "organisation"]


class LicenceFilterSet(django_filters.FilterSet):
    """Licence search (LIC-1.10): name, number, issuing authority, holder; status defaults to all."""

    name = django_filters.CharFilter(label=_("证照名称"), lookup_expr="icontains")
    licence_number = django_filters.CharFilter(label=_("证照编号"))
    issuer = django_filters.CharFilter(label=_("颁发机构"), field_name="issuer__name", lookup_expr="icontains")
    holder_name = django_filters.CharFilter(label=_("持证主体"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LicenceStatus.choices)

    class Meta:
        model = Licence
        fields = ["name", "licence_number", "issuer", "holder_name", "status"]
