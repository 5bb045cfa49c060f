"""Statistics of the provincial-direct units' implementation items (省直单位事项): PORTAL-7.4 (the items of a
day, by the kind of date) and PORTAL-7.5 (the items of each unit up to a day).

A provincial-direct unit (省直单位) is a department of the province: an organisation of kind `department` in the
province's region. Its code is its data-source code (PORTAL-7.9, apps.core.models.DataSourceCode). An item is
the unit's when the unit is its implementing body. Applicant type reads the item's service targets (服务对象:
"自然人", "法人" or both); running status is the item's status now — the platform keeps no status history, so
"up to a day" counts the items created by the end of that day that have the chosen status today."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from apps.core.daterange import bounds
from apps.core.models import DataSourceCode, Organisation, OrganisationKind, Region, RegionLevel
from apps.core.scope import restrict
from apps.matters.models import ImplementationItem

DATE_TYPES = {"published": ("published_at", _("发布日期")), "created": ("created_at", _("创建日期")),
              "updated": ("updated_at", _("更新日期"))}
APPLICANT_TYPES = {"natural_person": _("自然人"), "legal_person": _("法人")}


@dataclass(frozen=True)
class UnitItemCount:
    code: str
    department: str
    of_the_day: int         # PORTAL-7.4: items whose chosen date falls on the day
    up_to_the_day: int      # PORTAL-7.5: items created by the end of the day


def provincial_units(*, user, name: str = "", code: str = ""):
    """The provincial-direct units whose items the user may see, with their data-source code (`source_code`):
    all of them for a province-wide bureau or a system administrator, none for a city's, and a
    department's own unit (and those below it) for the department's staff — as the items' scope has it."""
    province = Region.objects.filter(level=RegionLevel.PROVINCE).values("code")[:1]
    units = restrict(Organisation.objects.all(), user).filter(kind=OrganisationKind.DEPARTMENT, region__in=province)
    own = getattr(user, "organisation", None)
    if own is not None and not own.is_region_wide and not (user.is_superuser or getattr(user, "is_system_admin", False)):
        units = units.filter(tree_path__startswith=own.tree_path)
    if name:
        units = units.filter(name__contains=name)
    codes = DataSourceCode.objects.filter(organisation=OuterRef("pk")).values("code")[:1]
    units = units.annotate(source_code=Subquery(codes))
    if code:
        units = units.filter(source_code__startswith=code)
    return units.order_by("source_code", "name")


def provincial_item_counts(*, user, day: date, date_type: str = "published", name: str = "", code: str = "",
                           applicant_type: str = "", status: str = "") -> list[UnitItemCount]:
    """One row per provincial-direct unit in the user's scope (units without items too): its items of the
    day and up to the day, with the chosen applicant type and running status. Two queries."""
    units = list(provincial_units(user=user, name=name, code=code).values("pk", "name", "source_code"))
    field = DATE_TYPES[date_type][0]
    start, end = bounds(day, day)
    items = restrict(ImplementationItem.objects.all(), user).filter(implementing_body__in=[u["pk"] for u in units])
    if applicant_type:
        items = items.filter(service_targets__contains=APPLICANT_TYPES[applicant_type])
    if status:
        items = items.filter(status=status)
    counts = {row["implementing_body_id"]: row for row in items.values("implementing_body_id").annotate(
        of_the_day=Count("id", filter=Q(**{f"{field}__gte": start, f"{field}__lt": end})),
        up_to_the_day=Count("id", filter=Q(created_at__lt=end)))}
    return [UnitItemCount(code=unit["source_code"] or "", department=unit["name"],
                          of_the_day=counts.get(unit["pk"], {}).get("of_the_day", 0),
                          up_to_the_day=counts.get(unit["pk"], {}).get("up_to_the_day", 0)) for unit in units]
