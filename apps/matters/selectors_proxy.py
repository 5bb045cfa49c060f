"""What an agent sees of authorised proxy handling (MAT-2.1.6 (7)): the proxy items, the principals they
may act for (elderly grants held here, legal persons through identity's agent authorisations) and
their proxy history; what a principal sees of the grants they gave."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from apps.matters.models import ImplementationItem, ProxyAuthorisation, ProxyBasis, ProxyHandling, ProxyStatus

APPLY_SCOPES = ("all", "apply")


@dataclass(frozen=True)
class Principal:
    pk: int
    name: str
    basis: str
    basis_label: str
    valid_until: object


def proxy_items(*, q: str = "", region: str = ""):
    """Published implementation items open to proxy handling, searchable by name or code."""
    items = (ImplementationItem.objects.published().filter(proxy_handling=True)
             .select_related("region", "handling_department").order_by("implementation_code"))
    q = (q or "").strip()
    if q:
        items = items.filter(Q(name__icontains=q) | Q(implementation_code__startswith=q.upper()))
    if region.strip().isdigit():
        items = items.filter(region_id=region.strip())
    return items


def proxy_principals(*, agent) -> list[Principal]:
    """Everyone the agent may start proxy items for right now."""
    from apps.identity.selectors import agent_active_for

    now = timezone.now()
    rows = [Principal(g.principal_id, g.principal.full_name, ProxyBasis.ELDERLY, str(ProxyBasis.ELDERLY.label),
                      g.valid_until)
            for g in ProxyAuthorisation.objects.filter(agent=agent, status=ProxyStatus.ACTIVE, valid_until__gt=now)
            .select_related("principal")]
    rows += [Principal(a.legal_person_id, a.legal_person.full_name, ProxyBasis.LEGAL_PERSON,
                       str(ProxyBasis.LEGAL_PERSON.label), a.valid_until)
             for a in agent_active_for(agent=agent) if set(a.scopes) & set(APPLY_SCOPES)]
    return rows


def proxy_grants_held(*, agent):
    return ProxyAuthorisation.objects.filter(agent=agent).exclude(status=ProxyStatus.REVOKED) \
        .select_related("principal")


def proxy_grants_given(*, principal):
    return ProxyAuthorisation.objects.filter(principal=principal).select_related("agent")


def proxy_handlings(*, user, limit: int = 50):
    """Proxy applications the user started as agent or that were started for them."""
    return (ProxyHandling.objects.filter(Q(agent=user) | Q(principal=user))
            .select_related("item", "principal", "agent")[:limit])
