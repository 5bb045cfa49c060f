"""Polling monitor (APP-7, APP-3.9 alerting, APP-6.2 re-detection): check every listed app's address and
the upstreams of the interfaces it uses; a fault opens an anomaly, delists an app in automatic mode and
notifies its developer by SMS through the outbox; recovery resolves the anomaly and relists it."""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.sms import sms_send
from apps.core.workflow import record_transition
from apps.mobile.adapters import probe
from apps.mobile.adapters.upstream import get_upstream_client
from apps.mobile.models import (
    AnomalyStatus, AppAnomaly, AppReviewStatus, HealthStatus, InterfaceResource, ListingMode, ListingStatus,
    LogModule, MobileApp, ResourceStatus, RiskCategory,
)
from apps.mobile.services.common import log, require, require_visible

logger = logging.getLogger(__name__)
POLL_TIMEOUT_SECONDS = 5.0


def interface_check(resource: InterfaceResource) -> bool:
    """Poll one resource's upstream; store its health (an alert row in the log when it turns faulty)."""
    result = get_upstream_client().call(base_url=resource.upstream_url, code=resource.code, method="GET",
                                        timeout=POLL_TIMEOUT_SECONDS)
    health = HealthStatus.HEALTHY if result.ok else HealthStatus.FAULTY
    detail = "" if result.ok else result.error[:500]
    with transaction.atomic():
        was = resource.health
        InterfaceResource.objects.filter(pk=resource.pk).update(health=health, health_detail=detail,
                                                                health_checked_at=timezone.now())
        resource.health, resource.health_detail = health, detail
        if was != health and health == HealthStatus.FAULTY:
            log(module=LogModule.MANAGEMENT, action="接口告警", actor=None, resource=resource, detail=detail)
    return result.ok


def app_check(app: MobileApp, *, resource_health: dict[int, bool] | None = None, actor=None) -> AppAnomaly | None:
    """Check one app: its address and the interfaces it is bound to. Returns the open anomaly, if any."""
    page = probe.fetch(app.url, identifier=app.identifier, timeout=POLL_TIMEOUT_SECONDS) if app.url else \
        {"ok": False, "status": None, "error": _("未配置应用地址")}
    faults: list[tuple[str, str]] = []
    if not page["ok"] or (page["status"] or 500) >= 400:
        faults.append((RiskCategory.UNREACHABLE, page.get("error") or f"HTTP {page['status']}"))
    health = resource_health if resource_health is not None else {}
    for binding in app.bindings.all():
        resource = binding.resource
        if resource.status != ResourceStatus.PUBLISHED:
            continue
        ok = health.get(resource.pk)
        if ok is None:
            ok = health[resource.pk] = interface_check(resource)
        if not ok:
            faults.append((RiskCategory.INTERFACE_FAULT, f"{resource.code}：{resource.health_detail}"))
    with transaction.atomic():
        app = MobileApp.objects.select_for_update().get(pk=app.pk)
        now = timezone.now()
        open_anomalies = list(app.anomalies.exclude(status=AnomalyStatus.RESOLVED))
        app.health, app.health_checked_at = ("faulty" if faults else "healthy"), now
        app.save(update_fields=["health", "health_checked_at"])
        if not faults:
            _recover(app, open_anomalies, now=now, actor=actor)
            return None
        return _fault(app, open_anomalies, faults, now=now, actor=actor)


def _fault(app: MobileApp, open_anomalies: list[AppAnomaly], faults, *, now, actor) -> AppAnomaly:
    category, _detail = faults[0]
    detail = "；".join(text for _c, text in faults)[:1000]
    anomaly = next((a for a in open_anomalies if a.risk_category == category), None)
    if anomaly is None:
        anomaly = AppAnomaly.objects.create(app=app, risk_category=category, detail=detail, detected_at=now)
        log(module=LogModule.MANAGEMENT, action="应用异常", actor=actor, app=app, detail=detail, obj=anomaly,
            audit_action="create")
        anomaly_notify(anomaly=anomaly)
    else:
        anomaly.status, anomaly.detail, anomaly.detected_at = AnomalyStatus.FAULTY, detail, now
        anomaly.save(update_fields=["status", "detail", "detected_at"])
    if app.listing_mode == ListingMode.AUTOMATIC and app.listing_status == ListingStatus.LISTED:
        app.listing_status, app.delist_reason = ListingStatus.DELISTED, _("自动维护：检测到异常（%(c)s）") % {
            "c": anomaly.get_risk_category_display()}
        app.save(update_fields=["listing_status", "delist_reason", "updated_at"])
        record_transition(obj=app, from_state=ListingStatus.LISTED, to_state=ListingStatus.DELISTED, actor=actor,
                          action="auto_delist", comment=detail[:300])
    return anomaly


def _recover(app: MobileApp, open_anomalies: list[AppAnomaly], *, now, actor) -> None:
    for anomaly in open_anomalies:
        anomaly.status, anomaly.resolved_at = AnomalyStatus.RESOLVED, now
        anomaly.save(update_fields=["status", "resolved_at"])
    auto_delisted = app.delist_reason.startswith(_("自动维护"))
    if (app.listing_mode == ListingMode.AUTOMATIC and app.listing_status == ListingStatus.DELISTED
            and auto_delisted and app.review_status == AppReviewStatus.APPROVED):
        app.listing_status, app.delist_reason = ListingStatus.LISTED, ""
        app.save(update_fields=["listing_status", "delist_reason", "updated_at"])
        record_transition(obj=app, from_state=ListingStatus.DELISTED, to_state=ListingStatus.LISTED, actor=actor,
                          action="auto_relist", comment=_("异常已恢复"))
        log(module=LogModule.MANAGEMENT, action="应用自动上架", actor=actor, app=app)


def anomaly_notify(*, anomaly: AppAnomaly, actor=None, manual: bool = False) -> bool:
    """SMS to the app's developer through the outbox (idempotent per anomaly and detection time)."""
    developer = anomaly.app.developer
    if developer is None or not developer.mobile_number:
        logger.info("App %s has no developer mobile number; anomaly %s not notified.", anomaly.app_id, anomaly.pk)
        return False
    text = _("【全省事】您的应用“%(app)s”检测到异常：%(cat)s，请尽快处理。") % {
        "app": anomaly.app.name, "cat": anomaly.get_risk_category_display()}
    sms_send(mobile_number=developer.mobile_number, recipient=developer, content=text, purpose="mobile_app_anomaly",
             idempotency_key=(f"mobile:anomaly:{anomaly.pk}:manual:{timezone.now():%Y%m%d%H%M%S%f}" if manual else
                              f"mobile:anomaly:{anomaly.pk}:{anomaly.detected_at:%Y%m%d%H%M%S}"))
    anomaly.notified_at = timezone.now()
    anomaly.save(update_fields=["notified_at"])
    return True


def poll_all() -> dict:
    """One polling cycle over every listed (and every auto-delisted) app; each upstream is polled once."""
    apps = (MobileApp.objects.filter(review_status=AppReviewStatus.APPROVED)
            .filter(listing_status__in=[ListingStatus.LISTED, ListingStatus.DELISTED])
            .exclude(listing_status=ListingStatus.DELISTED, listing_mode=ListingMode.MANUAL)
            .prefetch_related("bindings__resource"))
    health: dict[int, bool] = {}
    faulty = 0
    for app in apps:
        if app.listing_status == ListingStatus.DELISTED and not app.delist_reason.startswith(_("自动维护")):
            continue
        try:
            if app_check(app, resource_health=health) is not None:
                faulty += 1
        except Exception:  # noqa: BLE001 — one app's failure must not stop the cycle
            logger.exception("Polling app %s failed", app.pk)
    others = InterfaceResource.objects.filter(status=ResourceStatus.PUBLISHED, is_listed=True).exclude(
        pk__in=list(health))
    for resource in others:
        health[resource.pk] = interface_check(resource)
    return {"apps": len(apps), "faulty_apps": faulty, "interfaces": len(health),
            "faulty_interfaces": sum(1 for ok in health.values() if not ok)}


def anomaly_redetect(*, actor, anomaly: AppAnomaly) -> AppAnomaly | None:
    """Manual re-detection of an anomaly's app (APP-6.2)."""
    require(actor, "mobile.administer_apps")
    require_visible(actor, anomaly)
    with transaction.atomic():
        AppAnomaly.objects.filter(pk=anomaly.pk, status=AnomalyStatus.FAULTY).update(status=AnomalyStatus.PENDING)
    app = MobileApp.objects.prefetch_related("bindings__resource").get(pk=anomaly.app_id)
    result = app_check(app, actor=actor)
    log(module=LogModule.MANAGEMENT, action="手动重新检测", actor=actor, app=app,
        detail=_("仍异常") if result else _("已恢复"))
    return result


def anomaly_notify_manually(*, actor, anomaly: AppAnomaly) -> bool:
    require(actor, "mobile.administer_apps")
    require_visible(actor, anomaly)
    with transaction.atomic():
        sent = anomaly_notify(anomaly=anomaly, actor=actor, manual=True)
        log(module=LogModule.MANAGEMENT, action="发送异常通知", actor=actor, app=anomaly.app,
            detail=_("已发送") if sent else _("开发者无手机号"))
    return sent
