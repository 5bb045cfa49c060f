"""The interface gateway (调用网关接口使用, APP-3.5, APP-3.7): an app, authenticated by its identifier and
key, calls a mounted resource; admitted only with a binding and an approved subscription of its unit, within
the resource's rate limit; proxied to the upstream over HTTP and counted (per day in the database for
statistics, per minute in interface monitoring)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from apps.core.ratelimit import admit
from apps.mobile import transport
from apps.mobile.adapters.upstream import get_upstream_client
from apps.mobile.models import (
    AppInterfaceBinding, InterfaceResource, InterfaceSubscription, MobileApp, RequestStatus,
)
from apps.mobile.services.apps import app_key_matches
from apps.mobile.standards import GATEWAY_ERRORS


@dataclass
class GatewayAnswer:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    encrypted: str = ""


def _error(code: str, message: str = "") -> GatewayAnswer:
    """A refusal from the catalogue the access specification publishes (apps.mobile.standards.GATEWAY_ERRORS)."""
    import json

    status, meaning = GATEWAY_ERRORS[code]
    return GatewayAnswer(status, json.dumps({"code": code, "message": message or meaning}, ensure_ascii=False).encode())


def authenticate_app(identifier: str, key: str) -> MobileApp | None:
    app = MobileApp.objects.filter(identifier=identifier or "").first()
    return app if app is not None and app_key_matches(app, key) else None


def _decrypt_request(app: MobileApp, *, secure: bool, scheme: str, query: str, encrypted_query: str,
                     body: bytes) -> tuple[str, bytes] | GatewayAnswer:
    """Mandatory encryption (APP-5.3): plaintext is refused; returns the decrypted (query, body)."""
    if app.encryption_method == "tls":
        return (query, body) if secure else _error("encryption_required", "该应用要求通过 HTTPS 加密传输。")
    expected = transport.SCHEMES[app.encryption_method]
    if scheme != expected or query:
        return _error("encryption_required",
                      f"该应用强制报文加密：请求头 {transport.HEADER}: {expected}，查询参数放入 {transport.QUERY_HEADER}。")
    try:
        plain_query = transport.open_sealed(app.encryption_method, app.transport_key, encrypted_query,
                                            identifier=app.identifier).decode() if encrypted_query else ""
        plain_body = transport.open_sealed(app.encryption_method, app.transport_key, body,
                                           identifier=app.identifier) if body else b""
    except (transport.PayloadError, UnicodeDecodeError):
        return _error("decryption_failed")
    return plain_query, plain_body


def gateway_call(*, identifier: str, key: str, code: str, method: str, path: str, query: str, body: bytes,
                 content_type: str, secure: bool = False, scheme: str = "", encrypted_query: str = "") -> GatewayAnswer:
    app = authenticate_app(identifier, key)
    if app is None:
        return _error("app_unauthenticated")
    decrypted = _decrypt_request(app, secure=secure, scheme=scheme, query=query, encrypted_query=encrypted_query,
                                 body=body)
    if isinstance(decrypted, GatewayAnswer):
        return decrypted
    query, body = decrypted
    if app.encryption_method in transport.SCHEMES and body:
        content_type = "application/json"          # the decrypted payload (docs/mobile.md)
    resource = InterfaceResource.objects.filter(code=code).first()
    if resource is None:
        return _error("resource_not_found")
    if not resource.is_callable:
        return _error("resource_unavailable")
    if method not in {resource.method, "HEAD"}:
        return _error("method_not_allowed", f"该接口只接受 {resource.method} 请求。")
    if not AppInterfaceBinding.objects.filter(app=app, resource=resource).exists():
        return _error("not_bound")
    if not InterfaceSubscription.objects.filter(organisation_id=app.organisation_id, resource=resource,
                                                status=RequestStatus.APPROVED).exists():
        return _error("subscription_not_approved")
    if not admit(f"mobile:gw:{resource.pk}", limit=resource.rate_limit_count, window=resource.rate_limit_seconds):
        return _error("rate_limited",
                      f"超出限流规则（{resource.rate_limit_count} 次/{resource.rate_limit_seconds} 秒），请稍后再试。")
    result = get_upstream_client().call(base_url=resource.upstream_url, code=resource.code, method=method,
                                        path=path, query=query, body=body, content_type=content_type)
    count_call(resource_id=resource.pk, app_id=app.pk, failed=not result.ok)
    if not result.ok:
        return _error("upstream_error", f"上游接口调用失败：{result.error[:200]}")
    if app.encryption_method in transport.SCHEMES:
        sealed = transport.seal(app.encryption_method, app.transport_key, result.content, identifier=app.identifier)
        return GatewayAnswer(result.status_code or 200, sealed.encode(), "text/plain; charset=utf-8",
                             encrypted=transport.SCHEMES[app.encryption_method])
    return GatewayAnswer(result.status_code or 200, result.content, result.content_type)


_COUNT_SQL = """
INSERT INTO mobile_interfacecallday (resource_id, day, calls, failures) VALUES (%(resource)s, %(day)s, 1, %(failed)s)
ON CONFLICT (resource_id, day) DO UPDATE SET calls = mobile_interfacecallday.calls + 1,
    failures = mobile_interfacecallday.failures + EXCLUDED.failures;
INSERT INTO mobile_appvisitday (app_id, day, opens, gateway_calls, duration_seconds)
VALUES (%(app)s, %(day)s, 0, 1, 0)
ON CONFLICT (app_id, day) DO UPDATE SET gateway_calls = mobile_appvisitday.gateway_calls + 1;
"""


def count_call(*, resource_id: int, app_id: int, failed: bool) -> None:
    """Two upserts in one round trip: race-free per-day counters (no read-modify-write in Python)."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, {"resource": resource_id, "app": app_id, "day": timezone.localdate(),
                                    "failed": 1 if failed else 0})


_OPEN_SQL = """
INSERT INTO mobile_appvisitday (app_id, day, opens, gateway_calls, duration_seconds)
VALUES (%(app)s, %(day)s, 1, 0, 0)
ON CONFLICT (app_id, day) DO UPDATE SET opens = mobile_appvisitday.opens + 1
"""


def count_open(*, app_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_OPEN_SQL, {"app": app_id, "day": timezone.localdate()})


_DURATION_SQL = """
INSERT INTO mobile_appvisitday (app_id, day, opens, gateway_calls, duration_seconds)
VALUES (%(app)s, %(day)s, 0, 0, %(seconds)s)
ON CONFLICT (app_id, day) DO UPDATE SET duration_seconds = mobile_appvisitday.duration_seconds + EXCLUDED.duration_seconds
"""
MAX_SESSION_SECONDS = 4 * 3600


def count_duration(*, app_id: int, seconds: int) -> None:
    """Usage duration reported by the client when the app is closed (APP-6.1); capped per session."""
    with connection.cursor() as cursor:
        cursor.execute(_DURATION_SQL, {"app": app_id, "day": timezone.localdate(),
                                       "seconds": max(0, min(int(seconds), MAX_SESSION_SECONDS))})
