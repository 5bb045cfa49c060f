"""OIDC back-channel logout: ending the provincial session ends it in every connected client
system. A signed logout token (OpenID Connect Back-Channel Logout 1.0) is POSTed to each client's
注销通知地址 (`ClientSystem.logout_url`) through the outbox, so a client that is down receives it
when it is back; the user's tokens at those clients are revoked at once (refresh refused)."""
from __future__ import annotations

import json
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from jwcrypto import jwk, jwt
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from apps.core.adapters.http import request as http_request
from apps.core.audit import audit_record
from apps.core.models import OutboxMessage
from apps.core.outbox import PeerPermanentError, enqueue, register_peer
from apps.identity.models import ClientSystem, SsoTicket, User

PEER = "identity.backchannel_logout"
EVENT = "http://schemas.openid.net/event/backchannel-logout"


def connected_clients(*, user: User, session_key: str) -> list[ClientSystem]:
    """Client systems holding something of this login: a ticket issued in the session, or a live
    OIDC token of the user; only those with a logout address can be told."""
    now = timezone.now()
    client_ids = set(get_access_token_model().objects.filter(user=user, expires__gt=now)
                     .values_list("application__client_id", flat=True))
    client_ids |= set(get_refresh_token_model().objects.filter(user=user, revoked__isnull=True)
                      .values_list("application__client_id", flat=True))
    ticket_clients = SsoTicket.objects.filter(user=user, session_key=session_key).values("client_id") \
        if session_key else SsoTicket.objects.none().values("client_id")
    return list(ClientSystem.objects.filter(Q(pk__in=ticket_clients) | Q(client_id__in=client_ids))
                .exclude(logout_url="").order_by("code"))


def sso_logout_propagate(*, user: User, session_key: str) -> list[OutboxMessage]:
    """Revoke the user's tokens at the connected clients and queue one logout notice per client."""
    if user is None or not user.is_authenticated:
        return []
    with transaction.atomic():
        clients = connected_clients(user=user, session_key=session_key or "")
        client_ids = [c.client_id for c in clients if c.client_id]
        for refresh in get_refresh_token_model().objects.filter(user=user, revoked__isnull=True,
                                                                application__client_id__in=client_ids):
            refresh.revoke()
        get_access_token_model().objects.filter(user=user, application__client_id__in=client_ids).delete()
        if session_key:
            SsoTicket.objects.filter(user=user, session_key=session_key, used_at__isnull=True).update(
                used_at=timezone.now())
        logout_id = uuid.uuid4().hex
        messages = [enqueue(peer=PEER, kind="backchannel_logout", idempotency_key=f"bcl:{logout_id}:{c.pk}",
                            payload={"client": c.pk, "user": user.pk, "sid": _sid(session_key)})
                    for c in clients]
        if clients:
            audit_record(actor=user, action="logout", obj=user,
                         detail="统一注销：" + "、".join(c.name for c in clients)[:400])
    return messages


def _sid(session_key: str) -> str:
    from apps.core.crypto import keyed_digest

    return keyed_digest(f"sid:{session_key}")[:32] if session_key else ""


def _signing_key() -> jwk.JWK:
    key = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    return key


def logout_token(*, client: ClientSystem, user: User, sid: str = "") -> str:
    """The signed logout token: iss, aud, iat, exp, jti, sub, sid, events; never a nonce."""
    now = int(time.time())
    claims = {"iss": settings.OAUTH2_PROVIDER.get("OIDC_ISS_ENDPOINT", ""), "aud": client.client_id or client.code,
              "iat": now, "exp": now + 120, "jti": uuid.uuid4().hex, "sub": str(user.pk), "events": {EVENT: {}}}
    if sid:
        claims["sid"] = sid
    key = _signing_key()
    token = jwt.JWT(header={"alg": "RS256", "typ": "logout+jwt", "kid": key.thumbprint()}, claims=json.dumps(claims))
    token.make_signed_token(key)
    return token.serialize()


def deliver_backchannel_logout(message: OutboxMessage) -> None:
    """Outbox sender: POST logout_token (form-encoded) to the client's logout address. The token is
    minted at delivery, so a client that was down gets a fresh one; a 4xx is given up."""
    client = ClientSystem.objects.filter(pk=message.payload.get("client")).first()
    user = User.objects.filter(pk=message.payload.get("user")).first()
    if client is None or user is None or not client.logout_url:
        raise PeerPermanentError("client system or user no longer exists, or no logout address")
    http_request("POST", client.logout_url, idempotency_key=message.idempotency_key,
                 data={"logout_token": logout_token(client=client, user=user, sid=message.payload.get("sid", ""))})


register_peer(PEER, deliver_backchannel_logout)
