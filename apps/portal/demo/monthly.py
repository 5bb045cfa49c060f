"""Demo 办件月报 (PORTAL-11): the three months before this one, filled by most units with plausible
figures; the latest month is still missing for about a third of the units (the filling-progress
list has something to show) and the oldest of the three is locked."""
from __future__ import annotations

import random

from django.utils import timezone

from apps.core.models import Organisation, RegionLevel

# figure → (low, high) per variant; "already stationed" and "one window" are capped below.
RANGES = {
    "central_provincial": {"service_matter_count": (150, 900), "classified_matter_count": (0, 12),
                           "offline_case_count": (800, 20000), "private_network_case_count": (0, 6000),
                           "website_case_count": (500, 30000)},
    "city_bureau": {"stationed_matter_count": (300, 2000), "already_stationed_matter_count": (200, 2000),
                    "one_window_matter_count": (100, 2000), "offline_comprehensive_hall_case_count": (2000, 60000),
                    "offline_other_hall_case_count": (500, 20000), "private_network_case_count": (0, 5000),
                    "website_case_count": (1000, 40000)},
    "city_other": {"service_matter_count": (40, 600), "classified_matter_count": (0, 6),
                   "offline_case_count": (100, 8000), "private_network_case_count": (0, 2000)},
}


def _figures(rng: random.Random, variant: str) -> dict:
    values = {name: rng.randint(low, high) for name, (low, high) in RANGES[variant].items()}
    if variant == "city_bureau":
        values["already_stationed_matter_count"] = min(values["already_stationed_matter_count"],
                                                       values["stationed_matter_count"])
        values["one_window_matter_count"] = min(values["one_window_matter_count"],
                                                values["already_stationed_matter_count"])
    return values


def build_monthly_reports(log=print) -> int:
    from apps.portal.models import MonthlyCaseReport, MonthlyReportLock
    from apps.portal.selectors import variant_organisations
    from apps.portal.services import month_start, previous_month

    months = [previous_month(month_start(timezone.localdate()))]
    months += [previous_month(months[-1]), previous_month(previous_month(months[-1]))]
    reports = []
    for variant in RANGES:
        organisations = Organisation.objects.filter(variant_organisations(variant), is_enabled=True).select_related(
            "region").order_by("credit_code")
        for organisation in organisations:
            region = organisation.region
            for age, month in enumerate(months):
                rng = random.Random(f"{organisation.credit_code}-{month:%Y%m}")
                if rng.random() < (0.35 if age == 0 else 0.1):
                    continue                        # not filled (yet)
                reports.append(MonthlyCaseReport(
                    month=month, variant=variant, organisation=organisation, region=region,
                    city_id=None if region.level == RegionLevel.PROVINCE else region.code[:4].ljust(12, "0"),
                    is_own_level=region.level == RegionLevel.CITY, **_figures(rng, variant)))
    created = MonthlyCaseReport.objects.bulk_create(reports, batch_size=1000, ignore_conflicts=True)
    MonthlyReportLock.objects.get_or_create(month=months[-1])
    log(f"办件月报：{len(created)} 份（{months[-1]:%Y-%m} 至 {months[0]:%Y-%m}，{months[-1]:%Y-%m} 已锁定）")
    return len(created)
