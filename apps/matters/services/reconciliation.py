"""Reconciliation with the national platform (对账, MAT-7.5): what the peer holds vs what we sent.

For every item in use (在用) the latest published version is expected at the peer. Each item
falls in exactly one class:

* ``in_sync``       delivered and the peer holds that version                 (已推送)
* ``not_pushed``    the report of the latest version is still queued           (未推送)
* ``push_failed``   the outbox gave up on it (dead)                            (推送失败)
* ``peer_missing``  delivered, yet the peer does not hold the code             (对端缺失)
* ``peer_version``  the peer holds another version than our latest             (版本不一致)

Codes the peer holds that we never reported are listed as ``peer_extra``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from apps.core.models import OutboxMessage, OutboxStatus
from apps.matters.models import CatalogueItem, ImplementationItem, MatterStatus

NATIONAL_PEER = "national_platform"
CLASSES = {
    "in_sync": _("已推送"), "not_pushed": _("未推送"), "push_failed": _("推送失败"),
    "peer_missing": _("对端缺失"), "peer_version": _("版本不一致"), "peer_extra": _("对端多余"),
}
DIFFERENCES = ("not_pushed", "push_failed", "peer_missing", "peer_version", "peer_extra")


@dataclass
class ReconciliationRow:
    code: str
    name: str
    kind: str
    local_version: int | None
    peer_version: int | None
    state: str
    department: str = ""
    region: str = ""
    error: str = ""

    @property
    def state_label(self) -> str:
        return str(CLASSES[self.state])


@dataclass
class Reconciliation:
    rows: list[ReconciliationRow] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(row.state for row in self.rows)

    @property
    def differences(self) -> list[ReconciliationRow]:
        return [row for row in self.rows if row.state in DIFFERENCES]

    @property
    def in_use(self) -> int:
        return sum(1 for row in self.rows if row.state != "peer_extra")


def _expected(catalogue_items, implementation_items) -> list[tuple[str, object]]:
    items = [("catalogue", item) for item in catalogue_items.filter(status=MatterStatus.PUBLISHED)
             .select_related("department", "region")]
    items += [("implementation", item) for item in implementation_items.filter(status=MatterStatus.PUBLISHED)
              .select_related("implementing_body", "region")]
    return items


def _state(message, held) -> str:
    if message is None or message.status in (OutboxStatus.PENDING, OutboxStatus.DELIVERING):
        return "not_pushed"
    if message.status == OutboxStatus.DEAD:
        return "push_failed"
    if held is None:
        return "peer_missing"
    return "in_sync" if held == message.payload.get("version") else "peer_version"


def reconcile(*, holdings: dict[str, dict], catalogue_items=None, implementation_items=None,
              include_extra: bool = True) -> Reconciliation:
    """Compare the items in use (default: all; pass scoped querysets to narrow) with `holdings`."""
    catalogue_items = CatalogueItem.objects.all() if catalogue_items is None else catalogue_items
    implementation_items = ImplementationItem.objects.all() if implementation_items is None else implementation_items
    expected = _expected(catalogue_items, implementation_items)
    keys = {f"matters:{kind}:{item.pk}:v{item.version}": (kind, item) for kind, item in expected}
    messages = {m.idempotency_key: m for m in OutboxMessage.objects.filter(peer=NATIONAL_PEER,
                                                                            idempotency_key__in=list(keys))}
    result = Reconciliation()
    seen = set()
    for key, (kind, item) in keys.items():
        held = holdings.get(item.code, {}).get("version")
        message = messages.get(key)
        owner = item.department if kind == "catalogue" else item.implementing_body
        seen.add(item.code)
        result.rows.append(ReconciliationRow(
            code=item.code, name=item.name, kind=kind, local_version=item.version, peer_version=held,
            state=_state(message, held), department=owner.name, region=item.region.name,
            error=message.last_error if message is not None else ""))
    if include_extra:
        for code, row in sorted(holdings.items()):
            if code not in seen:
                result.rows.append(ReconciliationRow(code=code, name=row.get("name", ""), kind=row.get("kind", ""),
                                                     local_version=None, peer_version=row.get("version"),
                                                     state="peer_extra"))
    return result
