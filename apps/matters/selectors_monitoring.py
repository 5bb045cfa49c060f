"""Change monitoring and version comparison (MAT-5.5): what each department added, modified and
deleted (cancelled) in a period, with item names and links to the version comparison, and the
thematic comparison (少填/少报/少跑, shorter limits) between the first and last version of a period."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.core.models import StateTransition
from apps.matters.models import CatalogueItem, HandlingForm, ImplementationItem, MatterStatus, MatterVersion
from apps.matters.selectors import catalogue_item_list, implementation_list

ONLINE = (HandlingForm.ONLINE, HandlingForm.WINDOW_AND_ONLINE)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def _owner(item):
    return item.department if isinstance(item, CatalogueItem) else item.implementing_body


def change_monitoring(*, user, start: date, end: date) -> dict:
    """Overall totals and per-department rows of added (first version published), modified (later
    versions) and deleted (cancelled) items in [start, end], each with its items (MAT-5.5.1).
    Scoped to the items the user may see; a fixed number of queries."""
    low, high = _bounds(start, end)
    catalogue, implementation = catalogue_item_list(user=user), implementation_list(user=user)
    versions = (MatterVersion.objects.filter(created_at__gte=low, created_at__lt=high)
                .filter(Q(catalogue_item__in=catalogue) | Q(implementation_item__in=implementation))
                .select_related("catalogue_item__department", "implementation_item__implementing_body")
                .order_by("created_at", "pk"))
    events = []
    for version in versions:
        item = version.catalogue_item or version.implementation_item
        events.append(("added" if version.number == 1 else "modified", item, version.number))
    for model, visible in ((CatalogueItem, catalogue), (ImplementationItem, implementation)):
        ids = (StateTransition.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                              to_state=MatterStatus.CANCELLED, at__gte=low, at__lt=high)
               .values_list("object_id", flat=True))
        related = "department" if model is CatalogueItem else "implementing_body"
        for item in visible.filter(pk__in=[int(i) for i in ids]).select_related(related):
            events.append(("deleted", item, item.version))
    overall = {"added": 0, "modified": 0, "deleted": 0}
    departments: dict = defaultdict(lambda: {"added": 0, "modified": 0, "deleted": 0, "items": []})
    for change, item, number in events:
        overall[change] += 1
        owner = _owner(item)
        row = departments[(owner.pk, owner.name)]
        row[change] += 1
        compare = (reverse(f"matters:{item.kind}-compare", args=[item.pk]) + f"?a={number - 1}&b={number}"
                   if change == "modified" else "")
        row["items"].append({"change": change, "name": item.name, "code": item.code, "version": number,
                             "url": item.get_absolute_url(), "compare_url": compare})
    return {"overall": overall, "departments": [{"department": name, **row} for (_pk, name), row
                                                in sorted(departments.items(), key=lambda kv: kv[0][1])]}


def thematic_comparison(*, user, start: date, end: date) -> dict:
    """专题比对 (MAT-5.5.2): for every item changed in the period, its first version in the period's
    predecessor against its last version in the period — materials removed (少报), forms made optional
    or dropped (少填: situations and materials marked not required), moved online (少跑) and committed
    days cut — with totals for the period."""
    low, high = _bounds(start, end)
    visible = (Q(catalogue_item__in=catalogue_item_list(user=user))
               | Q(implementation_item__in=implementation_list(user=user)))
    changed = (MatterVersion.objects.filter(visible, created_at__gte=low, created_at__lt=high, number__gt=1)
               .values("catalogue_item_id", "implementation_item_id").distinct())
    keys = {(r["catalogue_item_id"], r["implementation_item_id"]) for r in changed}
    if not keys:
        return {"rows": [], "totals": {"fewer_submissions": 0, "fewer_forms": 0, "fewer_trips": 0, "days_cut": 0}}
    rows_q = Q()
    for cat_id, imp_id in keys:
        rows_q |= Q(catalogue_item_id=cat_id, implementation_item_id=imp_id)
    all_versions = MatterVersion.objects.filter(rows_q, created_at__lt=high).order_by("number")
    history: dict = defaultdict(list)
    for version in all_versions:
        history[(version.catalogue_item_id, version.implementation_item_id)].append(version)
    rows, totals = [], {"fewer_submissions": 0, "fewer_forms": 0, "fewer_trips": 0, "days_cut": 0}
    for key, versions in history.items():
        before = [v for v in versions if v.created_at < low] or versions[:1]
        old, new = before[-1].snapshot, versions[-1].snapshot
        row = _theme_row(old, new)
        row.update(name=new.get("name", ""), first=before[-1].number, last=versions[-1].number,
                   kind="catalogue" if key[0] else "implementation", pk=key[0] or key[1])
        rows.append(row)
        for name in totals:
            totals[name] += row[name]
    rows.sort(key=lambda r: r["name"])
    return {"rows": rows, "totals": totals}


def _theme_row(old: dict, new: dict) -> dict:
    def required(snapshot):
        return sum(1 for m in snapshot.get("materials", []) if m.get("is_required", True))

    fewer_submissions = max(len(old.get("materials", [])) - len(new.get("materials", [])), 0)
    fewer_forms = max(required(old) - required(new) - fewer_submissions, 0)
    went_online = old.get("handling_form") not in ONLINE and new.get("handling_form") in ONLINE
    days_cut = max((old.get("committed_limit_working_days") or 0) - (new.get("committed_limit_working_days") or 0), 0)
    return {"fewer_submissions": fewer_submissions, "fewer_forms": fewer_forms,
            "fewer_trips": 1 if went_online else 0, "days_cut": days_cut}
