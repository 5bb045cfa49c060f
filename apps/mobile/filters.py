"""FilterSets of mobile, shared by the portal lists, the exports and the API."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation
from apps.mobile.models import (
    AnomalyStatus, AppAnomaly, AppReviewStatus, AppType, InterfaceCategory, InterfaceLog, InterfaceResource,
    ListingStatus, LogModule, MobileApp, ResourceStatus, RiskCategory,
)

DATE = django_filters.widgets.forms.DateInput(attrs={"type": "date"})


class ResourceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("资源编码/名称"), method="search")
    status = django_filters.ChoiceFilter(label=_("资源状态"), choices=ResourceStatus.choices)
    category = django_filters.ModelChoiceFilter(label=_("接口分类"), queryset=InterfaceCategory.objects.all())

    class Meta:
        model = InterfaceResource
        fields = ["q", "status", "category"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class AppFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("应用名称"), lookup_expr="icontains")
    organisation = django_filters.ModelChoiceFilter(label=_("所属单位"), queryset=Organisation.objects.all())
    app_type = django_filters.ModelChoiceFilter(label=_("应用类型"), queryset=AppType.objects.all())
    review_status = django_filters.ChoiceFilter(label=_("审核状态"), choices=AppReviewStatus.choices)
    listing_status = django_filters.ChoiceFilter(label=_("上架状态"), choices=ListingStatus.choices)

    class Meta:
        model = MobileApp
        fields = ["name", "organisation", "app_type", "review_status", "listing_status"]


class AnomalyFilterSet(django_filters.FilterSet):
    """APP-6.2: exact query by app name, risk category and detection date."""

    app_name = django_filters.CharFilter(label=_("应用名称"), field_name="app__name", lookup_expr="exact")
    risk_category = django_filters.ChoiceFilter(label=_("风险类别"), choices=RiskCategory.choices)
    status = django_filters.ChoiceFilter(label=_("异常状态"), choices=AnomalyStatus.choices)
    detected_on = django_filters.DateFilter(label=_("检测日期"), field_name="detected_at", lookup_expr="date",
                                            widget=DATE)

    class Meta:
        model = AppAnomaly
        fields = ["app_name", "risk_category", "status", "detected_on"]


class InterfaceLogFilterSet(django_filters.FilterSet):
    """APP-3.9: filter the operation log by time, uploading organisation, owning application and theme."""

    start = django_filters.DateFilter(label=_("开始日期"), field_name="at", lookup_expr="date__gte", widget=DATE)
    end = django_filters.DateFilter(label=_("结束日期"), field_name="at", lookup_expr="date__lte", widget=DATE)
    module = django_filters.ChoiceFilter(label=_("模块"), choices=LogModule.choices)
    organisation = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Organisation.objects.all())
    app = django_filters.ModelChoiceFilter(label=_("应用"), queryset=MobileApp.objects.all())
    category = django_filters.ModelChoiceFilter(label=_("主题分类"), queryset=InterfaceCategory.objects.all())

    class Meta:
        model = InterfaceLog
        fields = ["start", "end", "module", "organisation", "app", "category"]


class TrendFilterForm(forms.Form):
    """APP-3.9 statistics filters: the 7 days ending on a date, uploading organisation, application, theme."""

    end = forms.DateField(label=_("截至日期"), required=False, widget=DATE)
    organisation = forms.ModelChoiceField(label=_("上传单位"), queryset=Organisation.objects.all(), required=False)
    app = forms.ModelChoiceField(label=_("所属应用"), queryset=MobileApp.objects.all(), required=False)
    category = forms.ModelChoiceField(label=_("主题分类"), queryset=InterfaceCategory.objects.all(), required=False)
