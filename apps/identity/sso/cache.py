"""Per-process memo of client systems by OIDC client_id, for the hot SSO paths (token issuance and
user info read one on every call to know the claims a client may receive).

Entries live `TTL_SECONDS`; saving or deleting a ClientSystem clears this process's memo at once
(other gunicorn workers see the change within TTL_SECONDS). A client system's claims and switches
change rarely and by an administrator, so 30 s of staleness in other workers is acceptable
(docs/decisions/0207-identity-sso-hot-path.md)."""
from __future__ import annotations

import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.identity.models import ClientSystem

TTL_SECONDS = 30
_MISSING = object()
_memo: dict[str, tuple[float, ClientSystem | None]] = {}


def client_system_for(client_id: str | None) -> ClientSystem | None:
    """The client system linked to OIDC `client_id` (None when there is none)."""
    if not client_id:
        return None
    now = time.monotonic()
    hit = _memo.get(client_id, _MISSING)
    if hit is not _MISSING and hit[0] > now:
        return hit[1]
    found = ClientSystem.objects.filter(client_id=client_id).first()
    _memo[client_id] = (now + TTL_SECONDS, found)
    return found


def clear() -> None:
    _memo.clear()


@receiver(post_save, sender=ClientSystem, dispatch_uid="identity-sso-client-memo-save")
@receiver(post_delete, sender=ClientSystem, dispatch_uid="identity-sso-client-memo-delete")
def _forget(**kwargs) -> None:
    clear()
