"""FilterSets shared by portal lists and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models import Appointment, AppointmentStatus, Hall, HallType


class HallFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("大厅名称"), lookup_expr="icontains")
    hall_type = django_filters.ChoiceFilter(label=_("大厅类型"), choices=HallType.choices)

    class Meta:
        model = Hall
        fields = ["name", "hall_type"]


class AppointmentFilterSet(django_filters.FilterSet):
    created_from = django_filters.DateFilter(label=_("预约时间起"), field_name="created_at", lookup_expr="date__gte")
    created_to = django_filters.DateFilter(label=_("预约时间止"), field_name="created_at", lookup_expr="date__lte")
    date = django_filters.DateFilter(label=_("预约日期"))
    matter = django_filters.CharFilter(label=_("业务名称"), field_name="bookable_matter__matter__name",
                                       lookup_expr="icontains")
    department = django_filters.CharFilter(label=_("所属部门"), field_name="bookable_matter__department_name",
                                           lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AppointmentStatus.choices)
    hall = django_filters.NumberFilter(label=_("大厅ID"), field_name="hall_id")

    class Meta:
        model = Appointment
        fields = ["created_from", "created_to", "date", "matter", "department", "status", "hall"]
