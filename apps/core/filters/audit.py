"""Audit log filters, shared by the portal list, its Excel export and the API."""
from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Func
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation
from apps.core.models.audit import AuditAction, AuditLog
from apps.core.scope import restrict

_AUDITED_APPS = ("core", "identity", "auth", "matters", "licences", "supervision", "reviews", "acceptance",
                 "servicemap", "stores", "analytics", "mobile", "ops", "portal")


def _organisations(request):
    user = getattr(request, "user", None)
    return restrict(Organisation.objects.select_related("region").order_by("region_id", "name"), user)


def _content_types(request):
    return ContentType.objects.filter(app_label__in=_AUDITED_APPS).order_by("app_label", "model")


class ContentTypeChoiceFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", _content_types)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.label_from_instance = lambda ct: f"{ct.app_label} · {ct.name}"
        return field


class AuditLogFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_username", lookup_expr="icontains", label=_("操作人"))
    organisation = django_filters.ModelChoiceFilter(field_name="actor_organisation", queryset=_organisations,
                                                    label=_("操作人机构"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("操作类型"))
    content_type = ContentTypeChoiceFilter(label=_("对象类型"))
    object_id = django_filters.CharFilter(label=_("对象ID"))
    at_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("开始日期"))
    at_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("结束日期"))
    ip = django_filters.CharFilter(field_name="ip", method="filter_ip", label=_("IP地址"))
    request_id = django_filters.CharFilter(label=_("请求标识"))

    class Meta:
        model = AuditLog
        fields = ["actor", "organisation", "action", "content_type", "object_id", "at_from", "at_to", "ip", "request_id"]

    def filter_ip(self, queryset, name, value):
        # inet column: an exact address, or a prefix of its text form ("10.1.")
        if not value:
            return queryset
        host = Func(F("ip"), function="host", output_field=CharField())
        return queryset.annotate(ip_text=host).filter(ip_text__startswith=value.strip())

    def is_valid(self):
        valid = super().is_valid()
        start, end = (self.form.cleaned_data.get("at_from"), self.form.cleaned_data.get("at_to")) if valid else (
            None, None)
        if start and end and end < start:
            self.form.add_error("at_to", _("结束日期不能早于开始日期。"))
            return False
        return valid
