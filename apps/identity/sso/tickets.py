"""Tickets for CAS and the "ticket → token → user info" mode (IDN-6.1, 14.5, reference 3.5).

* `ticket_issue` after login: a one-time ticket for one client system, valid for seconds;
* `cas_service_validate`: CAS 2.0/3.0 serviceValidate (the service must be the one the ticket was
  issued for);
* `ticket_exchange`: the client system (code + secret) trades an app ticket for an access token
  (an oauth2_provider AccessToken of its OIDC application), then reads user info with it;
  `ticket_token` does both steps, first on this process's copy of the client system (decision 0213);
* `ticket_multi_issue`: a new ticket from the app identifier plus an encrypted string — AES-256-GCM
  of {"access_token", "ts"} under SHA-256(ticket secret) — for pages that need several tickets.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from datetime import timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import get_access_token_model, get_application_model
from oauth2_provider.settings import oauth2_settings

from apps.identity.models import ClientSystem, SsoTicket, SsoTicketKind, User, UserKind
from apps.identity.sso import application_cache, exchange_statement

TICKET_SECONDS = 60
MULTI_TICKET_SKEW_SECONDS = 300


class TicketError(ValidationError):
    """A ticket refused: unknown, used, expired, or for another service or system."""

    def __init__(self, message, code="INVALID_TICKET"):
        super().__init__(message, code=code)


def _seconds(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def client_for_service(service: str) -> ClientSystem | None:
    """The enabled client system whose service URL prefix is the longest match for `service`."""
    candidates = [c for c in ClientSystem.objects.filter(is_enabled=True).exclude(service_url="")
                  if c.accepts_service(service)]
    return max(candidates, key=lambda c: len(c.service_url), default=None)


def client_may_serve(client: ClientSystem, user: User) -> str | None:
    """Why `user` may not enter `client` (None if they may)."""
    if client.for_staff and user.kind != UserKind.STAFF:
        return _("该系统仅供政务工作人员使用。")
    if not client.for_staff and user.kind == UserKind.STAFF:
        return _("政务工作人员请从工作门户进入该系统。")
    return None


def needs_level_upgrade(client: ClientSystem, user: User) -> bool:
    return user.real_name_level < client.min_real_name_level


def ticket_issue(*, client: ClientSystem, user: User, kind: str, service: str = "", session_key: str = "",
                 acting_for: User | None = None) -> SsoTicket:
    if not client.is_enabled:
        raise PermissionDenied(_("该应用已停用。"))
    prefix = "ST" if kind == SsoTicketKind.CAS else "TK"
    return SsoTicket.objects.create(
        ticket=f"{prefix}-{secrets.token_urlsafe(32)}", kind=kind, client=client, user=user, service=service,
        session_key=session_key or "", acting_for=acting_for,
        expires_at=timezone.now() + timedelta(seconds=_seconds("IDENTITY_TICKET_SECONDS", TICKET_SECONDS)))


def _use(*, ticket: str, kind: str, client: ClientSystem | None = None) -> SsoTicket:
    """Lock, check and spend a ticket (CAS validation; for a token exchange only after its one
    statement spent nothing, to say why)."""
    with transaction.atomic(savepoint=False):   # inside a token transaction: no savepoint round trips
        rows = SsoTicket.objects.select_for_update(of=("self",)).select_related("user", "client", "acting_for")
        found = rows.filter(ticket=ticket or "", kind=kind).first()
        if found is None:
            raise TicketError(_("票据无效。"))
        if found.used_at is not None:
            raise TicketError(_("票据已使用。"))
        if found.is_expired:
            raise TicketError(_("票据已过期。"))
        if client is not None and found.client_id != client.pk:
            raise TicketError(_("票据不属于该应用。"))
        found.used_at = timezone.now()
        found.save(update_fields=["used_at"])
    return found


def cas_service_validate(*, service: str, ticket: str) -> SsoTicket:
    found = _use(ticket=ticket, kind=SsoTicketKind.CAS)
    if found.service != service:
        raise TicketError(_("票据与服务地址不匹配。"), code="INVALID_SERVICE")
    return found


def client_authenticate(*, code: str, secret: str) -> ClientSystem:
    """The enabled client system `code` whose ticket secret is `secret` (PermissionDenied otherwise).
    `application_pk` is annotated: the pk of its OIDC application (None without one). The row comes
    from the shared cache while no client system or application has changed (decision 0209)."""
    def load():
        application = get_application_model().objects.filter(client_id=OuterRef("client_id")).values("pk")[:1]
        return (ClientSystem.objects.annotate(application_pk=Subquery(application))
                .filter(code=code, is_enabled=True).first())

    client = application_cache.client_system_by_code(code, load) if code else None
    if client is None or not client.ticket_secret_digest or not secrets.compare_digest(
            client.ticket_secret_digest, application_cache.digest(secret or "")):
        raise PermissionDenied(_("应用标识或应用密钥错误。"))
    return client


# decision 0213: client systems as this process last read them, by code (see `ticket_token`)
_systems: dict[str, ClientSystem] = {}


def _system_copy(code: str) -> ClientSystem | None:
    """The enabled client system `code` with `application_pk`, its ticket secret as a digest and as
    stored (`stored_ticket_secret`, encrypted), memoised per process; None when it cannot issue."""
    client = _systems.get(code)
    if client is None:
        application = get_application_model().objects.filter(client_id=OuterRef("client_id")).values("pk")[:1]
        client = (ClientSystem.objects.annotate(application_pk=Subquery(application),
                                                stored_ticket_secret=Cast("ticket_secret", TextField()))
                  .filter(code=code, is_enabled=True).first())
        if client is None or client.application_pk is None or not client.client_id or not client.ticket_secret:
            return None
        client.ticket_secret_digest = application_cache.digest(client.ticket_secret)
        client.ticket_secret = ""
        if len(_systems) >= 1000:
            _systems.clear()
        _systems[code] = client
    return client


@receiver(post_save, sender=ClientSystem, dispatch_uid="identity-ticket-token-system-save")
@receiver(post_delete, sender=ClientSystem, dispatch_uid="identity-ticket-token-system-delete")
@receiver(post_save, sender=oauth2_settings.APPLICATION_MODEL, dispatch_uid="identity-ticket-token-app-save")
@receiver(post_delete, sender=oauth2_settings.APPLICATION_MODEL, dispatch_uid="identity-ticket-token-app-delete")
def _forget_systems(**_kwargs) -> None:
    """This process's copies are dropped on a change it makes (others' are caught by the statement)."""
    _systems.clear()


def ticket_token(*, code: str, secret: str, ticket: str):
    """`client_authenticate` then `ticket_exchange`, with the same answers (decision 0213): first on
    this process's copy of the client system, its ticket spent only if the committed client system
    and application rows still hold what the secret was checked against (in the same statement);
    when that spends nothing, nothing was written and the two steps run as before — their refusal
    (PermissionDenied, TicketError) or their token."""
    client = _system_copy(code) if code and ticket else None
    if client is not None:
        if secrets.compare_digest(client.ticket_secret_digest, application_cache.digest(secret or "")):
            issued = exchange_statement.spend_and_issue(
                ticket=ticket, kind=SsoTicketKind.APP, client=client, application_pk=client.application_pk,
                seconds=settings.OAUTH2_PROVIDER.get("ACCESS_TOKEN_EXPIRE_SECONDS", 3600),
                detail=f"票据登录 {client.code}", client_check=(client.stored_ticket_secret, client.client_id))
            if issued is not None:
                return issued
        _systems.pop(code, None)                 # perhaps stale: read again next time
    client = client_authenticate(code=code, secret=secret)
    return ticket_exchange(client=client, ticket=ticket)


def _application_pk(client: ClientSystem):
    application_pk = getattr(client, "application_pk", None)
    if application_pk is None:
        application = client.application
        application_pk = application.pk if application is not None else None
    if application_pk is None:
        raise PermissionDenied(_("该应用未配置客户端，无法发放令牌。"))
    return application_pk


def ticket_exchange(*, client: ClientSystem, ticket: str):
    """App ticket → access token (the ticket is used up). One statement (decision 0210), its own
    transaction committed asynchronously in the same round trip (decisions 0208, 0212): the ticket spent,
    the token written and the login audited together or not at all; a refused ticket is then read again
    only to say why."""
    application_pk = _application_pk(client)
    issued = exchange_statement.spend_and_issue(
        ticket=ticket or "", kind=SsoTicketKind.APP, client=client, application_pk=application_pk,
        seconds=settings.OAUTH2_PROVIDER.get("ACCESS_TOKEN_EXPIRE_SECONDS", 3600),
        detail=f"票据登录 {client.code}")
    if issued is None:
        with transaction.atomic():                                          # rolled back by the raise
            _use(ticket=ticket, kind=SsoTicketKind.APP, client=client)      # raises the reason
            raise TicketError(_("票据无效。"))                                 # (not reached)
    return issued


# Decrypted only when a claim needs them (phone_number, id_number), not on every token read.
DEFERRED_USER_FIELDS = ("user__mobile_number", "user__id_number", "user__password", "user__remarks")


def bearer_access_token(bearer: str):
    """The access token behind `bearer` with its application and user (sensitive columns deferred; the
    organisation joined for its name claim),
    by the indexed checksum (the token text itself is not indexed: a scan per call); None if unknown."""
    checksum = hashlib.sha256((bearer or "").encode("utf-8")).hexdigest()
    return (get_access_token_model().objects.select_related("user", "user__organisation", "application")
            .defer(*DEFERRED_USER_FIELDS).filter(token_checksum=checksum).first())


def token_user(*, bearer: str):
    """The valid access token behind a Bearer value, or None."""
    token = bearer_access_token(bearer)
    if token is None or token.is_expired() or not token.user.is_active:
        return None
    return token


def encrypt_for_multi_ticket(*, secret: str, access_token: str, ts: int | None = None) -> str:
    """What a client system sends (helper for clients and tests)."""
    key = hashlib.sha256(secret.encode()).digest()
    nonce = secrets.token_bytes(12)
    plaintext = json.dumps({"access_token": access_token, "ts": ts or int(time.time())}).encode()
    return base64.urlsafe_b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, None)).decode()


def ticket_multi_issue(*, app_id: str, encrypted: str) -> SsoTicket:
    """IDN-14.5: a new ticket for the same user, from the app identifier plus the encrypted string."""
    client = ClientSystem.objects.filter(code=app_id or "", is_enabled=True).first()
    if client is None or not client.ticket_secret:
        raise PermissionDenied(_("未知的应用标识。"))
    try:
        raw = base64.urlsafe_b64decode((encrypted or "").encode())
        key = hashlib.sha256(client.ticket_secret.encode()).digest()
        data = json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], None))
    except (ValueError, InvalidTag, TypeError):
        raise TicketError(_("加密串无效。")) from None
    if abs(time.time() - int(data.get("ts", 0))) > MULTI_TICKET_SKEW_SECONDS:
        raise TicketError(_("加密串已过期。"))
    token = token_user(bearer=str(data.get("access_token", "")))
    if token is None or client.application is None or token.application_id != client.application.pk:
        raise TicketError(_("访问令牌无效或不属于该应用。"))
    return ticket_issue(client=client, user=token.user, kind=SsoTicketKind.APP)
