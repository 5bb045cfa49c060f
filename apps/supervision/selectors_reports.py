"""PORTAL-4.7: "我要评价" statistics — by region overall, per region, by item overall, by item per region."""
from __future__ import annotations

from django.db.models import Avg, Count, Q

from apps.supervision.models import ComplaintKind, ComplaintSource
from apps.supervision.selectors import complaint_list

GOOD = Q(rating__gte=4)
BAD = Q(rating__lte=2)


def _figures():
    return {"count": Count("pk"), "average": Avg("rating"), "good": Count("pk", filter=GOOD),
            "bad": Count("pk", filter=BAD)}


def evaluation_report(*, user, filters: dict | None = None) -> dict:
    queryset = complaint_list(user=user, source=ComplaintSource.INVESTMENT_EXPRESS).filter(
        kind=ComplaintKind.INVESTMENT_EVALUATION, **(filters or {}))
    return {
        "overall": queryset.aggregate(**_figures()),
        "by_region": list(queryset.values("region__name").annotate(**_figures()).order_by("region__name")),
        "by_item": list(queryset.values("item_code", "item_name").annotate(**_figures()).order_by("item_code")),
        "by_item_region": list(queryset.values("item_code", "item_name", "region__name").annotate(**_figures())
                               .order_by("item_code", "region__name")),
    }
