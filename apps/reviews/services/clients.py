"""Open-interface authentication of integrator applications (REV-3.1, 3.3, 7.1).

Every call carries
    X-Client-Key: <authorisation code>      X-Timestamp: <unix seconds>
    X-Signature: hex(HMAC-SHA256(secret, METHOD + "\\n" + PATH + "\\n" + TIMESTAMP + "\\n" + sha256hex(body)))
and must come from an address on the application's whitelist, to an enabled interface, by an
enabled application, within 300 s of the timestamp. Accepted and refused calls are logged.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services.audit import audit_record
from apps.reviews.models import ClientAccessDaily, ClientAccessLog, OpenInterface, ReviewClient

MAX_SKEW_SECONDS = 300


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
    client = ReviewClient.objects.select_related("organisation__region").filter(client_key=key).first() if key else None
    try:
        interface = OpenInterface.objects.filter(category=category).first()
        if interface is not None and not interface.is_enabled:
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
    return client, secret


def client_rotate_secret(*, client: ReviewClient, actor) -> str:
    secret = secrets.token_urlsafe(32)
    client.secret = secret
    client.save(update_fields=["secret"])
    audit_record(actor=actor, action="update", obj=client, detail="重新生成秘钥")
    return secret
