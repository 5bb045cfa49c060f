"""Working-day calendar filters (API list of a year's special days)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.models import CalendarDay


class CalendarDayFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年份"), field_name="date", lookup_expr="year")
    is_holiday = django_filters.BooleanFilter(label=_("节假日"))
    is_makeup_day = django_filters.BooleanFilter(label=_("调休上班"))

    class Meta:
        model = CalendarDay
        fields = ["year", "is_holiday", "is_makeup_day", "source"]
