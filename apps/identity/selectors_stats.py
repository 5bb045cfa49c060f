"""Statistics of identity (IDN-5.1 reports, IDN-13.8 staff per department, PORTAL-7.8 daily user counts):
a few aggregate queries each, whatever the number of users or days."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import daterange
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


def visible_region(user) -> Region | None:
    """The region whose users a staff member may count: their organisation's (a department of a city
    counts that city's users); None for system administrators (the whole platform)."""
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return None
    if user.organisation is None:
        raise PermissionDenied(_("您的账号未关联单位，无法统计用户。"))
    return user.organisation.region


@dataclass(frozen=True)
class DailyUserCount:
    """One row of 按日统计用户数 (PORTAL-7.8): totals at the end of the day and that day's registrations."""

    day: date
    total: int
    total_legal: int
    total_natural: int
    new: int
    new_legal: int
    new_natural: int


def _per_kind(queryset) -> dict[str, int]:
    return dict(queryset.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))


def _per_day_and_kind(queryset, field: str) -> dict[tuple[date, str], int]:
    rows = queryset.annotate(day=TruncDate(field)).values("day", "kind").annotate(n=Count("id"))
    return {(row["day"], row["kind"]): row["n"] for row in rows}


def daily_user_counts(*, start: date, end: date, region_prefix: str = "") -> list[DailyUserCount]:
    """PORTAL-7.8: for each day from `start` to `end` (platform time zone), the public accounts (natural
    and legal persons) registered by the end of that day and not deleted by then, and those registered on
    the day. `region_prefix` limits both to a home region and the regions below it. Four aggregate
    queries, whatever the range: registrations and deletions before `start`, then registrations and
    deletions per day and kind inside it (indexes: identity_user_kind_joined_idx, the deleted_at one)."""
    users = User.objects.filter(kind__in=PUBLIC_KINDS)
    if region_prefix:
        users = users.filter(home_region__code__startswith=region_prefix)
    first, after = daterange.bounds(start, end)
    registered = _per_kind(users.filter(date_joined__lt=first))
    deleted = _per_kind(users.filter(deleted_at__lt=first))
    running = {kind: registered.get(kind, 0) - deleted.get(kind, 0) for kind in PUBLIC_KINDS}
    joined = _per_day_and_kind(users.filter(date_joined__gte=first, date_joined__lt=after), "date_joined")
    gone = _per_day_and_kind(users.filter(deleted_at__gte=first, deleted_at__lt=after), "deleted_at")
    rows = []
    for day in daterange.days(start, end):
        new = {kind: joined.get((day, kind), 0) for kind in PUBLIC_KINDS}
        for kind in PUBLIC_KINDS:
            running[kind] += new[kind] - gone.get((day, kind), 0)
        rows.append(DailyUserCount(
            day=day, total=sum(running.values()), total_legal=running[UserKind.LEGAL_PERSON],
            total_natural=running[UserKind.NATURAL_PERSON], new=sum(new.values()),
            new_legal=new[UserKind.LEGAL_PERSON], new_natural=new[UserKind.NATURAL_PERSON]))
    return rows
