"""FilterSets shared by the portal lists and the API (PORTAL-2.1, REV-4.1, 11.5.1)."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.reviews.models import (
    AbnormalStatus, AppealStatus, DisposalStatus, EvaluationChannel, EvaluationLevel, ObjectKind, PublicationStatus,
)


class EvaluationFilterSet(django_filters.FilterSet):
    evaluation_number = django_filters.CharFilter(label=_("评价编号"), lookup_expr="icontains")
    title = django_filters.CharFilter(label=_("标题（事项/内容）"), method="filter_title")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    evaluator_name = django_filters.CharFilter(label=_("姓名"), lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=_("评价等级"), choices=EvaluationLevel.choices)
    channel = django_filters.ChoiceFilter(label=_("评价渠道"), choices=EvaluationChannel.choices)
    object_kind = django_filters.ChoiceFilter(label=_("评价对象"), choices=ObjectKind.choices)
    evaluated_from = django_filters.DateFilter(label=_("评价时间（起）"), field_name="evaluated_at__date",
                                               lookup_expr="gte")
    evaluated_to = django_filters.DateFilter(label=_("评价时间（止）"), field_name="evaluated_at__date",
                                             lookup_expr="lte")
    acceptance = django_filters.ChoiceFilter(label=_("受理状态"), choices=DisposalStatus.choices,
                                             field_name="disposal__status")
    is_valid = django_filters.BooleanFilter(label=_("有效"))
    is_abnormal = django_filters.BooleanFilter(label=_("异常"))

    def filter_title(self, queryset, name, value):
        return queryset.filter(Q(matter__name__icontains=value) | Q(comment__icontains=value))

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__code__startswith=value.rstrip("0") or value)


class DisposalFilterSet(django_filters.FilterSet):
    evaluation_number = django_filters.CharFilter(label=_("评价编号"), field_name="evaluation__evaluation_number",
                                                  lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DisposalStatus.choices)
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    overdue = django_filters.BooleanFilter(label=_("已超期"), field_name="overdue_notified")

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__code__startswith=value.rstrip("0") or value)


class AppealFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AppealStatus.choices)


class AbnormalFilterSet(django_filters.FilterSet):
    evaluation_number = django_filters.CharFilter(label=_("评价编号"), field_name="evaluation__evaluation_number",
                                                  lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=_("评价等级"), choices=EvaluationLevel.choices,
                                        field_name="evaluation__level")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AbnormalStatus.choices)


class PublicationFilterSet(django_filters.FilterSet):
    publication_status = django_filters.ChoiceFilter(label=_("公开状态"), choices=PublicationStatus.choices)
