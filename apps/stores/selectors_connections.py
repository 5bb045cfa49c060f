"""STORE-4.1 connection check of a store's services, in the five ways the tender lists: unified identity,
matters, convenience services, online handling and case-data aggregation (decision 0811). Three queries
whatever the number of services."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

AGGREGATION_DAYS = 90
OK, MISSING, NOT_APPLICABLE = "ok", "missing", "n/a"


@dataclass(frozen=True)
class Connection:
    service: object
    identity: str
    matter: str
    convenience: str
    online: str
    cases: str
    case_count: int

    @property
    def complete(self) -> bool:
        return MISSING not in (self.identity, self.matter, self.convenience, self.online, self.cases)


def store_connections(store) -> list[Connection]:
    from apps.acceptance.models import Case, CaseChannel
    from apps.identity.models import ClientSystem
    from apps.stores.models import ServiceKind

    services = list(store.services.select_related("implementation_item").order_by("order", "id"))
    codes = {s.client_system_code for s in services if s.client_system_code}
    enabled = set(ClientSystem.objects.filter(code__in=codes, is_enabled=True).values_list("code", flat=True))
    items = {s.implementation_item_id for s in services if s.implementation_item_id}
    since = timezone.now() - timedelta(days=AGGREGATION_DAYS)
    counts = dict(Case.objects.filter(item_id__in=items, channel=CaseChannel.DEPARTMENT_SYSTEM,
                                submitted_at__gte=since)
                  .values("item_id").annotate(n=Count("id")).values_list("item_id", "n")) if items else {}
    rows = []
    for s in services:
        is_matter = s.kind == ServiceKind.MATTER
        linked = s.implementation_item is not None and s.implementation_item.status == "published"
        count = counts.get(s.implementation_item_id, 0)
        rows.append(Connection(
            service=s, identity=OK if s.client_system_code in enabled else MISSING,
            matter=(OK if linked else MISSING) if is_matter else NOT_APPLICABLE,
            convenience=NOT_APPLICABLE if is_matter else (OK if s.handling_url else MISSING),
            online=OK if s.handling_url else MISSING,
            cases=(OK if count else MISSING) if is_matter else NOT_APPLICABLE, case_count=count))
    return rows
