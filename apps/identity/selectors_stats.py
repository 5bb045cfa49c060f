"""Statistics of identity (IDN-5.1 reports, IDN-13.8 staff per department): one aggregate query each."""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from apps.core.models import AuditLog, Organisation, Region
from apps.core.scope import restrict
from apps.identity.models import RealNameLevel, User, UserKind

PUBLIC_KINDS = (UserKind.NATURAL_PERSON, UserKind.LEGAL_PERSON)


def registered_by_region() -> list[dict]:
    """Public users per city of their home region (counties roll up to their city)."""
    rows = (User.objects.filter(kind__in=PUBLIC_KINDS, home_region__isnull=False)
            .annotate(city=Substr("home_region_id", 1, 4)).values("city", "kind").annotate(n=Count("id")))
    names = {r.code[:4]: r.name for r in Region.objects.filter(code__startswith="23", level=2)}
    table: dict[str, dict] = {}
    for row in rows:
        entry = table.setdefault(row["city"], {"city": names.get(row["city"], row["city"]), "code": row["city"],
                                               "natural_person": 0, "legal_person": 0})
        entry[row["kind"]] += row["n"]
    return [{**e, "total": e["natural_person"] + e["legal_person"]} for _k, e in sorted(table.items())]


def real_name_levels() -> list[dict]:
    counts = dict(User.objects.filter(kind__in=PUBLIC_KINDS).values_list("real_name_level")
                  .annotate(n=Count("id")).values_list("real_name_level", "n"))
    return [{"level": level, "label": label, "count": counts.get(level, 0)} for level, label in RealNameLevel.choices]


def login_volume(*, days: int = 30) -> list[dict]:
    since = timezone.now() - timedelta(days=days)
    return list(AuditLog.objects.filter(action="login", at__gte=since).annotate(day=TruncDate("at"))
                .values("day").annotate(count=Count("id")).order_by("day"))


def staff_per_organisation(*, user) -> list[Organisation]:
    """IDN-13.8: organisations in the user's scope with their registered staff count."""
    return list(restrict(Organisation.objects.all(), user)
                .annotate(staff_count=Count("staff", filter=Q(staff__kind=UserKind.STAFF)))
                .filter(staff_count__gt=0).order_by("region_id", "name"))
