"""Reads of the analytics app, each cut to the viewer's data scope (apps.core.scope).

A chart reads a fixed number of queries whatever the data size: the selected region's children (names),
the snapshot rows of the chart's datasets inside the region (already compact), and the datasets'
refresh times."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.analytics.charts import CHARTS, View
from apps.analytics.models import DataLog, EmbedClient, TopicDataset, TopicFact
from apps.core.models import Region
from apps.core.models.regions import PREFIX_LENGTH, RegionLevel
from apps.core.scope import restrict

CHART_PERMISSION = "analytics.view_charts"


def user_home_region(user) -> Region:
    """The widest region the user's analyses cover: the province for administrators, else their organisation's."""
    organisation = getattr(user, "organisation", None)
    if user.is_superuser or getattr(user, "is_system_admin", False) or organisation is None:
        region = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").first()
        if region is None or (organisation is None and not (user.is_superuser or user.is_system_admin)):
            raise PermissionDenied(_("您的账号没有归属机构，无法查看分析数据。"))
        return region
    return organisation.region


def region_in_home(home: Region, code: str | None) -> Region:
    """The region of `code` if it lies inside `home`; `home` when no code. Outside → 404 (never shows it exists)."""
    if not code or code == home.code:
        return home
    if not code.startswith(home.prefix):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


def _groups(region: Region) -> tuple[list[tuple[str, str]], int | None]:
    """(code, name) of the region itself (本级) and its children, and the prefix length of a child."""
    groups = [(region.code, _("%(name)s本级") % {"name": region.name})]
    if region.level >= RegionLevel.VILLAGE:
        return groups, None
    length = PREFIX_LENGTH[RegionLevel(region.level + 1)]
    groups += [(code, name) for code, name in
               Region.objects.filter(parent=region).order_by("code").values_list("code", "name")]
    return groups, length


def chart_data(*, code: str, region: Region, user=None) -> dict:
    """Chart `code` over `region` (panels, tables, refresh times). `user` None = an embed client's call,
    already limited to its registered region by the caller."""
    if code not in CHARTS:
        raise Http404
    return charts_data(codes=[code], region=region, user=user)[0]


def charts_data(*, codes: list[str], region: Region, user=None) -> list[dict]:
    """Several charts over `region` from ONE read of their snapshot rows (the dashboard shows all ten)."""
    charts = [CHARTS[c] for c in codes if c in CHARTS]
    needed = sorted({d for chart in charts for d in chart.datasets})
    groups, length = _groups(region)
    facts = TopicFact.objects.filter(dataset__code__in=needed, region__code__startswith=region.prefix,
                                     dataset__is_enabled=True)
    if user is not None:
        facts = restrict(facts, user)
    known = {c for c, _n in groups}
    rows = []
    for fact in facts.values("dataset__code", "region_id", "organisation_id", "dimension", "label", "value", "total"):
        group = region.code if length is None else fact["region_id"][:length].ljust(12, "0")
        if fact["region_id"] == region.code:
            group = region.code
        if group not in known:
            groups.append((group, group))
            known.add(group)
        rows.append({"dataset": fact["dataset__code"], "group": group, "organisation": fact["organisation_id"],
                     "dimension": fact["dimension"], "label": fact["label"], "value": fact["value"],
                     "total": fact["total"]})
    datasets = {d["code"]: d for d in TopicDataset.objects.filter(code__in=needed)
                .values("code", "name", "last_refreshed_at", "is_enabled")}
    out = []
    for chart in charts:
        own = [r for r in rows if r["dataset"] in chart.datasets]
        built = chart.build(View(own, groups))
        for item in built["panels"]:
            item["script_id"] = f"ch-{chart.code.replace('.', '-')}-{item['key']}"
        out.append({"code": chart.code, "title": str(chart.title), "description": str(chart.description),
                    "region": {"code": region.code, "name": region.name},
                    "datasets": [datasets[d] for d in chart.datasets if d in datasets],
                    **built})
    return out


def chart_codes_for(user) -> list[str]:
    return list(CHARTS) if user.has_perm(CHART_PERMISSION) else []


def dataset_list(*, user) -> QuerySet[TopicDataset]:
    if not user.has_perm("analytics.view_topicdataset"):
        raise PermissionDenied(_("您没有查看专题库的权限。"))
    return TopicDataset.objects.select_related("last_job").order_by("code")


def dataset_facts(*, user, dataset: TopicDataset, region: Region, filters: dict | None = None) -> QuerySet[TopicFact]:
    """The snapshot rows of one dataset inside `region` and the user's scope, filtered (dimension, day range)."""
    filters = filters or {}
    rows = restrict(TopicFact.objects.filter(dataset=dataset, region__code__startswith=region.prefix), user)
    if filters.get("dimension"):
        rows = rows.filter(dimension=filters["dimension"])
    if filters.get("start"):
        rows = rows.filter(day__gte=filters["start"])
    if filters.get("end"):
        rows = rows.filter(day__lte=filters["end"])
    return rows.select_related("region", "organisation").order_by("-day", "region_id", "dimension", "label")


def data_log_list(*, user) -> QuerySet[DataLog]:
    """Data logs are platform-wide processing records (no personal data); the permission decides."""
    if not user.has_perm("analytics.view_datalog"):
        raise PermissionDenied(_("您没有查看数据日志的权限。"))
    return DataLog.objects.select_related("dataset", "operator", "job")


def embed_client_list(*, user) -> QuerySet[EmbedClient]:
    return restrict(EmbedClient.objects.select_related("region"), user)

