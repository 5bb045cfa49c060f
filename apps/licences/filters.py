"""FilterSets shared by the portal pages (and API lists later)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import (
    FilingStatus, GenerationChannel, Licence, LicenceFiling, LicenceOperation, LicenceStatus, LicenceTemplate,
    ProductionMode, Seal, SealStatus,
)


class SealFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("印章名称"), lookup_expr="icontains")
    es_id = django_filters.CharFilter(label=_("印章编码"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SealStatus.choices)
    organisation = django_filters.CharFilter(label=_("用章单位"), field_name="organisation__name",
                                             lookup_expr="icontains")
    maker = django_filters.CharFilter(label=_("制章单位"), field_name="maker__name", lookup_expr="icontains")
    production_mode = django_filters.ChoiceFilter(label=_("制作方式"), choices=ProductionMode.choices)
    produced_from = django_filters.DateFilter(label=_("制作日期起"), field_name="produced_at", lookup_expr="date__gte")
    produced_to = django_filters.DateFilter(label=_("制作日期止"), field_name="produced_at", lookup_expr="date__lte")

    class Meta:
        model = Seal
        fields = ["name", "es_id", "status", "organisation", "maker", "production_mode", "produced_from",
                  "produced_to"]


class LicenceFilterSet(django_filters.FilterSet):
    """Licence search (LIC-1.10): name, number, issuing authority, holder; status defaults to all."""

    name = django_filters.CharFilter(label=_("证照名称"), lookup_expr="icontains")
    licence_number = django_filters.CharFilter(label=_("证照编号"))
    issuer = django_filters.CharFilter(label=_("颁发机构"), field_name="issuer__name", lookup_expr="icontains")
    holder_name = django_filters.CharFilter(label=_("持证主体"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LicenceStatus.choices)
    channel = django_filters.CharFilter(label=_("生成接入应用"), field_name="generation_channel__application__name",
                                        lookup_expr="icontains")

    class Meta:
        model = Licence
        fields = ["name", "licence_number", "issuer", "holder_name", "status", "channel"]


class LicenceWorkFilterSet(django_filters.FilterSet):
    """Work list (证照办理) filters; the status comes from the tab, not from here."""

    name = django_filters.CharFilter(label=_("证照名称"), lookup_expr="icontains")
    licence_number = django_filters.CharFilter(label=_("证照编号"))
    holder_name = django_filters.CharFilter(label=_("持证主体"), lookup_expr="icontains")
    issuer = django_filters.CharFilter(label=_("颁发机构"), field_name="issuer__name", lookup_expr="icontains")

    class Meta:
        model = Licence
        fields = ["name", "licence_number", "holder_name", "issuer"]


class FilingFilterSet(django_filters.FilterSet):
    """Basic-info filings (LIC-1.1): query by name, type, item and status."""

    name = django_filters.CharFilter(label=_("证照名称"), lookup_expr="icontains")
    licence_type = django_filters.CharFilter(label=_("证照类型"), lookup_expr="icontains")
    item_name = django_filters.CharFilter(label=_("事项名称"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=FilingStatus.choices)

    class Meta:
        model = LicenceFiling
        fields = ["name", "licence_type", "item_name", "status"]


class TemplateFilterSet(django_filters.FilterSet):
    """Standard template download (LIC-1.26): name, defining organisation, valid or not, licence type."""

    name = django_filters.CharFilter(label=_("模板名称"), lookup_expr="icontains")
    defining_organisation = django_filters.CharFilter(label=_("定义机构"), field_name="defining_organisation__name",
                                                      lookup_expr="icontains")
    is_valid = django_filters.BooleanFilter(label=_("是否有效"))
    licence_type = django_filters.CharFilter(label=_("证照类型"), lookup_expr="icontains")

    class Meta:
        model = LicenceTemplate
        fields = ["name", "defining_organisation", "is_valid", "licence_type"]


class ArchiveFilterSet(django_filters.FilterSet):
    """National-standard archive (LIC-1.16): name, number, issuing authority, operation type."""

    name = django_filters.CharFilter(label=_("证照名称"), lookup_expr="icontains")
    licence_number = django_filters.CharFilter(label=_("证照编号"))
    issuer = django_filters.CharFilter(label=_("颁发机构"), field_name="issuer__name", lookup_expr="icontains")
    operation = django_filters.ChoiceFilter(label=_("操作类型"), choices=LicenceOperation.choices[1:])

    class Meta:
        model = Licence
        fields = ["name", "licence_number", "issuer", "operation"]


class ValidDownloadFilterSet(django_filters.FilterSet):
    """Valid licence download (LIC-1.28): organisation name, template name, licence name."""

    organisation = django_filters.CharFilter(label=_("机构名称"), field_name="issuer__name", lookup_expr="icontains")
    template = django_filters.CharFilter(label=_("模板名称"), field_name="template__name", lookup_expr="icontains")
    name = django_filters.CharFilter(label=_("证照名称"), lookup_expr="icontains")

    class Meta:
        model = Licence
        fields = ["organisation", "template", "name"]


class ExpiringFilterSet(django_filters.FilterSet):
    """Expiring licences (LIC-1.22): name, number, and the warning window in days."""

    name = django_filters.CharFilter(label=_("证照名称"), lookup_expr="icontains")
    licence_number = django_filters.CharFilter(label=_("证照编号"))
    warning_days = django_filters.NumberFilter(label=_("到期预警时间（天）"), method="filter_window", min_value=0,
                                               max_value=3650)

    class Meta:
        model = Licence
        fields = ["name", "licence_number", "warning_days"]

    def filter_window(self, queryset, name, value):
        import datetime as dt

        from django.utils import timezone

        today = timezone.localdate()
        return queryset.filter(valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=int(value)))


class PurgeFilterSet(django_filters.FilterSet):
    """Purge search (LIC-1.27): name, number, issuing authority, holder name."""

    name = django_filters.CharFilter(label=_("证照名称"), lookup_expr="icontains")
    licence_number = django_filters.CharFilter(label=_("证照编号"))
    issuer = django_filters.CharFilter(label=_("颁发机构"), field_name="issuer__name", lookup_expr="icontains")
    holder_name = django_filters.CharFilter(label=_("持证主体名称"), lookup_expr="icontains")

    class Meta:
        model = Licence
        fields = ["name", "licence_number", "issuer", "holder_name"]


# --- sharing platform (LIC-2.x) ----------------------------------------------------------------------

def _sharing_filterset(model_, fields: dict):
    """A FilterSet over ``model_`` with Chinese labels: {param: (lookup path, lookup expr, label)}."""
    import django_filters as df

    attrs = {}
    for param, (path, expr, label) in fields.items():
        if expr == "bool":
            attrs[param] = df.BooleanFilter(field_name=path, label=label)
        else:
            attrs[param] = df.CharFilter(field_name=path, lookup_expr=expr, label=label)
    attrs["Meta"] = type("Meta", (), {"model": model_, "fields": []})
    return type(f"{model_.__name__}SharingFilterSet", (df.FilterSet,), attrs)


def sharing_filtersets():
    from .models import CatalogueRecord, LicenceApiGrant, LicenceRoute, SharingApplication, SharingInterface, SharingLog

    return {
        "interface": _sharing_filterset(SharingInterface, {"name": ("name", "icontains", "接口名称"),
                                                           "is_enabled": ("is_enabled", "bool", "接口状态")}),
        "application": _sharing_filterset(SharingApplication, {"name": ("name", "icontains", "接入系统名称"),
                                                               "is_enabled": ("is_enabled", "bool", "接入状态")}),
        "right": _sharing_filterset(LicenceApiGrant, {"interface": ("interface__name", "icontains", "接口名称")}),
        "route": _sharing_filterset(LicenceRoute, {"name": ("name", "icontains", "接口名称"),
                                                   "is_enabled": ("is_enabled", "bool", "接口状态")}),
        "log": _sharing_filterset(SharingLog, {"interface_code": ("interface_code", "exact", "接口编码"),
                                               "outcome": ("outcome", "exact", "结果（ok/refused/failed）"),
                                               "application": ("application__name", "icontains", "访问应用")}),
        "catalogue": _sharing_filterset(CatalogueRecord, {"name": ("name", "icontains", "证照名称"),
                                                          "type_code": ("type_code", "exact", "证照类型代码"),
                                                          "route": ("route__code", "exact", "数据来源（路由编码）")}),
    }


class GenerationChannelFilterSet(django_filters.FilterSet):
    """Generation channels (LIC-4.1): by application name and enabled state."""

    application = django_filters.CharFilter(label=_("接入应用"), field_name="application__name",
                                            lookup_expr="icontains")
    issuer = django_filters.CharFilter(label=_("颁发机构"), field_name="issuer__name", lookup_expr="icontains")
    is_enabled = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = GenerationChannel
        fields = ["application", "issuer", "is_enabled"]
