"""Map operation control (地图运行管控, MAP-5.1 – 5.8): counts by five-level region, always scoped to
the staff member's region, in a fixed number of queries whatever the number of regions (each
figure is ONE grouped query keyed by the child region's code prefix)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from apps.acceptance.models import Appointment, Hall, HallStaff, HallType, Window, WindowMatter
from apps.core.models import Region
from apps.core.models.regions import PREFIX_LENGTH, RegionLevel
from apps.matters.models.enums import MatterType
from apps.servicemap.models import RequestTarget, WindowBooking, WindowConsultation

METRICS = [("halls", "大厅"), ("windows", "窗口"), ("matters", "入驻事项"), ("staff", "入驻人员"),
           ("bookings", "预约"), ("consultations", "咨询"), ("evaluations", "评价")]
AGE_BANDS = [("30岁以下", 0, 29), ("30-39岁", 30, 39), ("40-49岁", 40, 49), ("50岁及以上", 50, 200)]


@dataclass
class RegionRow:
    region: Region | None
    label: str
    counts: dict = field(default_factory=dict)


def user_region(user) -> Region | None:
    """The region a staff member may look at (None = no access); the whole province for administrators."""
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").first()
    organisation = getattr(user, "organisation", None)
    return organisation.region if organisation is not None else None


def dashboard_region(user, code: str | None) -> Region:
    """The region asked for, if it is inside the user's region; the user's own region otherwise."""
    home = user_region(user)
    if home is None:
        raise PermissionDenied("您的账号未关联机构，无法查看地图运行管控。")
    if code and code != home.code:
        if not code.startswith(home.prefix):
            raise PermissionDenied("只能查看本辖区的统计。")
        found = Region.objects.filter(code=code).first()
        if found is not None:
            return found
    return home


def _grouped(queryset, region_field: str, length: int, counted: str = "pk", distinct: bool = False) -> dict:
    rows = (queryset.annotate(key=Substr(region_field, 1, length)).values("key")
            .annotate(n=Count(counted, distinct=distinct)).order_by())
    return {row["key"].ljust(12, "0"): row["n"] for row in rows}


def dashboard(region: Region, *, today: date | None = None) -> dict:
    """Per-child-region counts, hall types, matter categories, staff ages and genders."""
    today = today or timezone.localdate()
    level = RegionLevel(region.level)
    length = PREFIX_LENGTH[RegionLevel(min(level + 1, RegionLevel.VILLAGE))]
    prefix = region.prefix
    within = {"region__code__startswith": prefix}
    halls = Hall.objects.filter(is_active=True, region__code__startswith=prefix)
    windows = Window.objects.filter(is_active=True, hall__is_active=True, hall__region__code__startswith=prefix)
    stationed = WindowMatter.objects.filter(window__is_active=True, window__hall__region__code__startswith=prefix)
    staff = HallStaff.objects.filter(is_active=True, hall__region__code__startswith=prefix)
    from apps.reviews.models import Evaluation

    evaluations = Evaluation.objects.filter(is_valid=True, **within).filter(
        Q(hall__isnull=False) | Q(window__isnull=False) | Q(staff__isnull=False))
    figures = {
        "halls": _grouped(halls, "region_id", length),
        "windows": _grouped(windows, "hall__region_id", length),
        "matters": _grouped(stationed, "window__hall__region_id", length, "matter_id", distinct=True),
        "staff": _grouped(staff, "hall__region_id", length),
        "bookings": Counter(_grouped(Appointment.objects.filter(hall__region__code__startswith=prefix),
                                     "hall__region_id", length))
        + Counter(_grouped(WindowBooking.objects.filter(target=RequestTarget.HALL_SYSTEM,
                                                        hall__region__code__startswith=prefix),
                           "hall__region_id", length)),
        "consultations": _grouped(WindowConsultation.objects.filter(hall__region__code__startswith=prefix),
                                  "hall__region_id", length),
        "evaluations": _grouped(evaluations, "region_id", length),
    }
    children = list(Region.objects.filter(parent=region).order_by("code"))
    rows = [RegionRow(region, f"{region.name}（本级）", {k: figures[k].get(region.code, 0) for k, _l in METRICS})]
    rows += [RegionRow(child, child.name, {k: figures[k].get(child.code, 0) for k, _l in METRICS})
             for child in children]
    totals = {k: sum(r.counts[k] for r in rows) for k, _l in METRICS}
    hall_types = dict(halls.values_list("hall_type").annotate(n=Count("pk")).order_by())
    categories = dict(stationed.values_list("matter__matter_type").annotate(n=Count("matter_id", distinct=True))
                      .order_by())
    ages, genders = _staff_profile(staff.values_list("id_number", flat=True), today)
    points = list(halls.filter(longitude__isnull=False, latitude__isnull=False)
                  .values_list("name", "longitude", "latitude", "region__name"))
    return {
        "region": region, "rows": rows, "totals": totals, "metrics": METRICS,
        "hall_types": [(label, hall_types.get(value, 0)) for value, label in HallType.choices],
        "categories": [(MatterType(k).label if k in MatterType.values else k, n)
                       for k, n in sorted(categories.items(), key=lambda kv: -kv[1])],
        "ages": ages, "genders": genders, "points": points,
    }


def _staff_profile(id_numbers, today: date) -> tuple[list, list]:
    """MAP-5.5: age band and gender from the 18-digit ID number (birth date digits 7–14, gender digit 17)."""
    ages, genders = Counter(), Counter()
    for number in id_numbers:
        number = (number or "").strip()
        if len(number) != 18 or not number[6:14].isdigit() or not number[16].isdigit():
            ages["未知"] += 1
            genders["未知"] += 1
            continue
        try:
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            ages["未知"] += 1
            genders["未知"] += 1
            continue
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        ages[next(label for label, low, high in AGE_BANDS if low <= age <= high)] += 1
        genders["男" if int(number[16]) % 2 else "女"] += 1
    age_rows = [(label, ages.get(label, 0)) for label, _l, _h in AGE_BANDS]
    if ages.get("未知"):
        age_rows.append(("未知", ages["未知"]))
    gender_rows = [(g, genders.get(g, 0)) for g in ("男", "女")] + ([("未知", genders["未知"])] if genders.get("未知") else [])
    return age_rows, gender_rows
