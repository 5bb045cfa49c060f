"""Open-interface authentication of integrator applications (REV-3.1, 3.3, 7.1).

Every call carries
    X-Client-Key: <authorisation code>      X-Timestamp: <unix seconds>
    X-Signature: hex(HMAC-SHA256(secret, METHOD + "\\n" + PATH + "\\n" + TIMESTAMP + "\\n" + sha256hex(body)))
and must come from an address on the application's whitelist, to an enabled interface, by an
enabled application, within 300 s of the timestamp. Accepted and refused calls are logged.

The application and its interface switch are remembered per process (decision 0609) under a
generation number in the shared cache that `clients_changed()` bumps on every change (services and
admin); an entry lives at most `REMEMBER_SECONDS`. While Redis is down the generation reads as
missing and every call looks the application up in PostgreSQL.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services.audit import audit_record
from apps.reviews.models import (
    ClientAccessDaily,
    ClientAccessLog,
    OpenInterface,
    ReviewClient,
)

MAX_SKEW_SECONDS = 300
GENERATION_KEY = "reviews:clients:generation"
REMEMBER_SECONDS = 60
#: (client key, interface category) → (generation, expires at, application, interface enabled)
_remembered: dict[tuple[str, str], tuple] = {}


class ClientRefused(PermissionDenied):
    def __init__(self, message: str, client=None):
        super().__init__(message)
        self.message, self.client = message, client


def sign(*, secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    text = "\n".join([method.upper(), path, timestamp, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def signed_headers(*, client_key: str, secret: str, method: str, path: str, body: bytes) -> dict:
    """Headers an integrator sends (used by tests, the bench and the integration guide)."""
    timestamp = str(int(time.time()))
    return {"X-Client-Key": client_key, "X-Timestamp": timestamp,
            "X-Signature": sign(secret=secret, method=method, path=path, timestamp=timestamp, body=body)}


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def authenticate_client(request, *, category: str) -> ReviewClient:
    """The calling application, or ClientRefused with a Chinese message (the refusal is logged)."""
    key = request.META.get("HTTP_X_CLIENT_KEY", "")
    client, interface_enabled = client_lookup(key, category)
    try:
        if not interface_enabled:
            raise ClientRefused(_("该接口已停用。"), client)
        if client is None:
            raise ClientRefused(_("授权码无效。"))
        if not client.is_enabled:
            raise ClientRefused(_("接入应用已停用。"), client)
        if not client.allows_ip(client_ip(request)):
            raise ClientRefused(_("来源地址 %(ip)s 不在白名单内。") % {"ip": client_ip(request)}, client)
        timestamp = request.META.get("HTTP_X_TIMESTAMP", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
            raise ClientRefused(_("请求时间戳无效或已过期。"), client)
        expected = sign(secret=client.secret, method=request.method, path=request.path, timestamp=timestamp,
                        body=request.body)
        if not hmac.compare_digest(expected, request.META.get("HTTP_X_SIGNATURE", "")):
            raise ClientRefused(_("签名校验失败。"), client)
    except ClientRefused as refusal:
        access_log(client=refusal.client, category=category, request=request, accepted=False, message=refusal.message)
        raise
    return client


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None and cache.add(GENERATION_KEY, 1, None):
        generation = 1
    return generation


def clients_changed() -> None:
    """Every process forgets its remembered applications (call after changing an application or an
    interface). A bump lost while Redis is down is bounded by REMEMBER_SECONDS."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # never set, or Redis down
        cache.add(GENERATION_KEY, 1, None)
    _remembered.clear()


def _changed() -> None:
    """Forget now (this process) and again once the change is committed (other processes may have
    remembered the old row in between)."""
    clients_changed()
    transaction.on_commit(clients_changed)


def client_lookup(key: str, category: str) -> tuple[ReviewClient | None, bool]:
    """The application with this key (with organisation and region) and whether the interface is
    enabled — from this process's memory when the generation still matches, else two queries."""
    if not key:
        return None, True
    generation = _generation()
    now = time.monotonic()
    hit = _remembered.get((key, category))
    if generation is not None and hit and hit[0] == generation and hit[1] > now:
        return hit[2], hit[3]
    client = ReviewClient.objects.select_related("organisation__region").filter(client_key=key).first()
    interface = OpenInterface.objects.filter(category=category).first()
    enabled = interface is None or interface.is_enabled
    if generation is not None and client is not None:
        _remembered[(key, category)] = (generation, now + REMEMBER_SECONDS, client, enabled)
    return client, enabled


def access_log(*, client, category: str, request, accepted: bool, message: str = "", records: int = 0) -> None:
    """One call-log row and the day's rollup (REV-7.1): two statements, whatever the batch size."""
    ClientAccessLog.objects.create(client=client, category=category, ip=client_ip(request) or None,
                                   accepted=accepted, message=message[:255], records=records)
    table = ClientAccessDaily._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, client_id, category, calls, refused, records) VALUES (%s, %s, %s, 1, %s, %s) "
            f"ON CONFLICT (day, client_id, category) DO UPDATE SET calls = {table}.calls + 1, "
            f"refused = {table}.refused + EXCLUDED.refused, records = {table}.records + EXCLUDED.records",
            [timezone.localdate(), client.pk if client else 0, category, 0 if accepted else 1, records])


def client_register(*, name: str, organisation, channel: str, ip_whitelist: str, actor, address: str = "",
                    service_info: str = "") -> tuple[ReviewClient, str]:
    """REV-3.2/3.3: register an application; returns it and its secret (shown once)."""
    secret = secrets.token_urlsafe(32)
    client = ReviewClient.objects.create(name=name, organisation=organisation, channel=channel, secret=secret,
                                         ip_whitelist=ip_whitelist, address=address, service_info=service_info)
    audit_record(actor=actor, action="create", obj=client, detail=name)
    _changed()
    return client, secret


def client_rotate_secret(*, client: ReviewClient, actor) -> str:
    secret = secrets.token_urlsafe(32)
    client.secret = secret
    client.save(update_fields=["secret"])
    audit_record(actor=actor, action="update", obj=client, detail="重新生成秘钥")
    _changed()
    return secret
