"""Linked notifications (联动告知, MAT-2.5): notices to the organisations a matter event concerns."""
from __future__ import annotations

from django.utils import timezone

from apps.matters.models import ImplementationItem, MatterNotification


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", catalogue_item=None) -> int:
    """One notice per distinct recipient organisation; returns how many were written."""
    unique = {organisation.pk: organisation for organisation in recipients if organisation is not None}
    MatterNotification.objects.bulk_create(
        MatterNotification(recipient=organisation, kind=kind, title=title[:200], body=body, url=url,
                           catalogue_item=catalogue_item) for organisation in unique.values())
    return len(unique)


def implementing_bodies(catalogue_item, *, region_prefixes: list[str] | None = None) -> list:
    """Every body at every level holding an implementation item of `catalogue_item` (not cancelled)."""
    items = ImplementationItem.objects.filter(catalogue_item=catalogue_item).exclude(status="cancelled")
    bodies = [item.implementing_body for item in items.select_related("implementing_body")]
    if region_prefixes is not None:
        bodies = [b for b in bodies if any(b.region_id.startswith(p) for p in region_prefixes)]
    return bodies


def notify_implementers(*, catalogue_item, kind: str, title: str, body: str = "") -> int:
    return notify(recipients=implementing_bodies(catalogue_item), kind=kind, title=title, body=body,
                  url=catalogue_item.get_absolute_url(), catalogue_item=catalogue_item)


def notification_mark_read(*, actor, notification: MatterNotification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def sync_catalogue_elements(*, catalogue_item, actor) -> int:
    """Carry the catalogue's basic (synchronised) elements — name, type, legal basis — into every
    implementation item of it (MAT-2.2 (3)). A published item gets the next version, reported upward
    (never overwritten). 受理条件 is not synchronised any more (MAT-7.4). Returns items updated."""
    from apps.matters.models import MatterStatus
    from apps.matters.services.declaration import publish_version

    fields = [name for name in ImplementationItem.synced_elements if name != "basic_code"]
    updated = 0
    items = (ImplementationItem.objects.select_for_update().filter(catalogue_item=catalogue_item)
             .exclude(status=MatterStatus.CANCELLED).select_related("implementing_body"))
    for item in items:
        changed = [name for name in fields if getattr(item, name) != getattr(catalogue_item, name)]
        if not changed:
            continue
        for name in changed:
            setattr(item, name, getattr(catalogue_item, name))
        published = item.status == MatterStatus.PUBLISHED
        if published:
            item.version += 1
        item.save()
        if published:
            publish_version(item=item, actor=actor, summary="同步目录清单基本要素：" + "、".join(changed))
        updated += 1
    return updated
