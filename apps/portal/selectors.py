"""Scoped reads of the monthly case report (PORTAL-11.4–11.6): per unit, per month, the city
roll-up (市本级 / 区县 / 合计) and the units that have not filled a month yet."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from apps.core.models import Organisation, OrganisationKind, RegionLevel
from apps.core.models.organisations import REGION_WIDE_KINDS
from apps.core.scope import restrict
from apps.portal.models import VARIANT_FIGURES, MonthlyCaseReport, MonthlyReportLock, ReportVariant

STATISTICS_PERMISSION = "portal.view_monthlycasereport_statistics"


def figures_of(variant: str) -> list[str]:
    return VARIANT_FIGURES[ReportVariant(variant)]


def reports_for_user(*, user, variant: str | None = None) -> QuerySet[MonthlyCaseReport]:
    queryset = restrict(MonthlyCaseReport.objects.all(), user)
    return queryset.filter(variant=variant) if variant else queryset


def own_reports(*, user, limit: int = 12) -> list[MonthlyCaseReport]:
    """The filler's own unit's latest reports (its history under the form)."""
    if user.organisation_id is None:
        return []
    return list(MonthlyCaseReport.objects.filter(organisation_id=user.organisation_id)
                .select_related("filled_by").order_by("-month")[:limit])


def own_report(*, user, month: date | None = None, pk: str | None = None) -> MonthlyCaseReport | None:
    """The user's own unit's report of `month`, or the one with id `pk` if it is the unit's (another
    unit's report is None, as a missing one is)."""
    if user.organisation_id is None or (pk is not None and not str(pk).isdigit()):
        return None
    found = MonthlyCaseReport.objects.filter(organisation_id=user.organisation_id)
    return (found.filter(pk=pk) if pk is not None else found.filter(month=month)).first()


def locked_months(months: list[date]) -> set[date]:
    return set(MonthlyReportLock.objects.filter(month__in=months).values_list("month", flat=True))


def month_locks(months: list[date]) -> dict[date, MonthlyReportLock]:
    """The locks of `months` with who locked them, by month."""
    return {lock.month: lock for lock in
            MonthlyReportLock.objects.filter(month__in=months).select_related("locked_by")}


def _in_range(queryset, month_from: date, month_to: date):
    return queryset.filter(month__gte=month_from, month__lte=month_to)


def _sums(variant: str) -> dict:
    return {name: Sum(name) for name in figures_of(variant)}


def unit_rows(*, user, variant: str, month_from: date, month_to: date) -> QuerySet:
    """One row per unit: the sum of its figures over the months and how many months it filled."""
    queryset = _in_range(reports_for_user(user=user, variant=variant), month_from, month_to)
    return (queryset.values("organisation_id", "organisation__name", "region__name", "is_own_level")
            .annotate(months=Count("id"), **_sums(variant)).order_by("region_id", "organisation__name"))


def month_rows(*, user, variant: str, month_from: date, month_to: date) -> list[dict]:
    """One row per month: the totals of every figure and the number of units that filled it."""
    queryset = _in_range(reports_for_user(user=user, variant=variant), month_from, month_to)
    return list(queryset.values("month").annotate(units=Count("id"), **_sums(variant)).order_by("month"))


def totals(*, user, variant: str, month_from: date, month_to: date) -> dict:
    queryset = _in_range(reports_for_user(user=user, variant=variant), month_from, month_to)
    return queryset.aggregate(units=Count("organisation_id", distinct=True), reports=Count("id"), **_sums(variant))


@dataclass
class CityRollup:
    """PORTAL-11.5/11.6: one city's own-level (市本级) figures, its districts' and counties', and the total."""

    code: str
    name: str
    own_level: dict = field(default_factory=dict)
    counties: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)


def city_rollup(*, user, variant: str, month_from: date, month_to: date) -> tuple[list[CityRollup], dict]:
    """Per city: 市本级 / 区县 / 合计 sums over the months (one grouped query), and the grand total."""
    names = figures_of(variant)
    queryset = _in_range(reports_for_user(user=user, variant=variant), month_from, month_to).exclude(city=None)
    grouped = (queryset.values("city_id", "city__name", "is_own_level")
               .annotate(units=Count("organisation_id", distinct=True), **_sums(variant)).order_by("city_id"))
    cities: dict[str, CityRollup] = {}
    empty = {name: 0 for name in [*names, "units"]}
    for row in grouped:
        city = cities.setdefault(row["city_id"], CityRollup(row["city_id"], row["city__name"], dict(empty),
                                                            dict(empty), dict(empty)))
        part = city.own_level if row["is_own_level"] else city.counties
        for name in [*names, "units"]:
            part[name] += row[name] or 0
            city.total[name] += row[name] or 0
    grand = dict(empty)
    for city in cities.values():
        for name in grand:
            grand[name] += city.total[name]
    return list(cities.values()), grand


def variant_organisations(variant: str) -> Q:
    """The organisations that fill `variant` (mirrors services.report_variant_of)."""
    if variant == ReportVariant.CENTRAL_PROVINCIAL:
        return Q(region__level=RegionLevel.PROVINCE) & ~Q(kind__in=REGION_WIDE_KINDS)
    city_or_below = Q(region__level__gte=RegionLevel.CITY)
    if variant == ReportVariant.CITY_BUREAU:
        return city_or_below & Q(kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU)
    return city_or_below & ~Q(kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU)


def missing_units(*, user, variant: str, month: date) -> QuerySet[Organisation]:
    """The enabled units in the user's scope that should fill `variant` and have not filled `month`."""
    expected = restrict(Organisation.objects.filter(variant_organisations(variant), is_enabled=True), user)
    filled = MonthlyCaseReport.objects.filter(month=month, variant=variant).values("organisation_id")
    return expected.exclude(pk__in=filled).select_related("region").order_by("region_id", "name")
