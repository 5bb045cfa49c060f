"""FilterSets shared by the back-office lists and their Excel exports."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.stores.models import FlagshipStore, ProofListEntry, ProofStatus, StoreLevel, Zone, ZoneMatter


class _Keyword(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="filter_q")
    search_fields: tuple = ()

    def filter_q(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition) if value.strip() else queryset


class FlagshipStoreFilterSet(_Keyword):
    level = django_filters.ChoiceFilter(label=_("层级"), choices=StoreLevel.choices)
    is_published = django_filters.BooleanFilter(label=_("已发布"))
    search_fields = ("name", "slug", "organisation__name")

    class Meta:
        model = FlagshipStore
        fields = ["level", "is_published"]


class ZoneMatterFilterSet(_Keyword):
    zone = django_filters.ChoiceFilter(label=_("专区"), choices=Zone.choices)
    is_identity_connected = django_filters.BooleanFilter(label=_("已接入统一身份认证"))
    search_fields = ("name", "classification", "matter_code")

    class Meta:
        model = ZoneMatter
        fields = ["zone", "is_identity_connected"]


class ProofListEntryFilterSet(_Keyword):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProofStatus.choices)
    search_fields = ("name", "department__name")

    class Meta:
        model = ProofListEntry
        fields = ["status"]
