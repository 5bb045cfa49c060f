"""Writes of operations monitoring: alert maintainers (PORTAL-7.12), front-end processors (7.10)
and incidents with their once-per-incident SMS (7.10, 7.11, 7.13). Checks: services/monitoring_checks.py."""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_deletion, audit_record, diff_instance, snapshot
from apps.core.models import (InterfaceMaintainer, DataSourceCode, FrontEndProcessor, MonitoredInterface,
                              MonitoringIncident)
from apps.core.validators import validate_mobile_number

logger = logging.getLogger(__name__)

MANAGE_PERMISSION = "core.manage_monitoring"
MAINTAINER_FIELDS = ["name", "mobile_number", "email", "organisation_name", "is_active", "remarks"]
PROCESSOR_FIELDS = ["name", "data_source", "host", "port", "database", "username", "password",
                    "connect_timeout_seconds", "is_enabled", "remarks"]


def _require_manage(actor) -> None:
    if actor is not None and not actor.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied(_("您没有维护运行监控配置的权限。"))


# --- interface-alert maintainers (PORTAL-7.12) -----------------------------------------------


def _clean_maintainer(data: dict, instance: InterfaceMaintainer | None = None) -> dict:
    """The maintainer's fields, checked; on edit a blank mobile number keeps the stored one."""
    errors: dict[str, list[str]] = {}
    mobile = (data.get("mobile_number") or "").strip() or (instance.mobile_number if instance else "")
    values = {"name": (data.get("name") or "").strip(), "mobile_number": mobile,
              "email": (data.get("email") or "").strip(),
              "organisation_name": (data.get("organisation_name") or "").strip(),
              "is_active": bool(data.get("is_active", True)), "remarks": (data.get("remarks") or "").strip()}
    if not values["name"]:
        errors["name"] = [_("请填写姓名。")]
    elif len(values["name"]) > 50:
        errors["name"] = [_("姓名不能超过 50 个字。")]
    try:
        validate_mobile_number(values["mobile_number"])
    except ValidationError as exc:
        errors["mobile_number"] = exc.messages
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = [_("电子邮箱格式不正确：%(v)s") % {"v": values["email"]}]
    if len(values["organisation_name"]) > 100:
        errors["organisation_name"] = [_("所属单位不能超过 100 个字。")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def interface_maintainer_create(*, data: dict, interfaces=(), processors=(), actor) -> InterfaceMaintainer:
    """Register a person who maintains interfaces / front-end processors and receives their alerts."""
    _require_manage(actor)
    values = _clean_maintainer(data)
    maintainer = InterfaceMaintainer.objects.create(**values)
    maintainer.interfaces.set(interfaces)
    maintainer.processors.set(processors)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=maintainer,
                 changes={**diff_instance(None, maintainer, MAINTAINER_FIELDS),
                          "interfaces": [None, sorted(i.code for i in interfaces)]})
    return maintainer


@transaction.atomic
def interface_maintainer_update(*, maintainer: InterfaceMaintainer, data: dict, interfaces=(), processors=(),
                            actor) -> InterfaceMaintainer:
    _require_manage(actor)
    values = _clean_maintainer(data, maintainer)
    maintainer = InterfaceMaintainer.objects.select_for_update().get(pk=maintainer.pk)
    before = snapshot(maintainer, MAINTAINER_FIELDS)
    before_interfaces = sorted(maintainer.interfaces.values_list("code", flat=True))
    for field, value in values.items():
        setattr(maintainer, field, value)
    maintainer.save()
    maintainer.interfaces.set(interfaces)
    maintainer.processors.set(processors)
    changes = diff_instance(before, maintainer, MAINTAINER_FIELDS)
    after_interfaces = sorted(i.code for i in interfaces)
    if after_interfaces != before_interfaces:
        changes["interfaces"] = [before_interfaces, after_interfaces]
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=maintainer, changes=changes)
    return maintainer


@transaction.atomic
def interface_maintainer_delete(*, maintainer: InterfaceMaintainer, actor) -> None:
    _require_manage(actor)
    audit_deletion(actor=actor, obj=maintainer)
    maintainer.delete()


# --- front-end processors (PORTAL-7.10) ------------------------------------------------------


def _clean_processor(data: dict, instance: FrontEndProcessor | None) -> dict:
    errors: dict[str, list[str]] = {}
    values = {key: (data.get(key) or "").strip() if isinstance(data.get(key, ""), str) else data.get(key)
              for key in ["name", "host", "database", "username", "password", "remarks"]}
    for key, label in [("name", _("前置机名称")), ("host", _("主机地址")), ("database", _("数据库名")),
                       ("username", _("用户名"))]:
        if not values[key]:
            errors[key] = [_("请填写%(label)s。") % {"label": label}]
    if values["name"]:
        taken = FrontEndProcessor.objects.filter(name=values["name"])
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["name"] = [_("前置机“%(name)s”已存在。") % {"name": values["name"]}]
    code = (data.get("data_source_code") or "").strip().upper()
    values["data_source"] = DataSourceCode.objects.filter(code=code).first() if code else None
    if values["data_source"] is None:
        errors["data_source_code"] = ([_("未知的数据来源代码：%(code)s（请先在数据来源配置中登记）") % {"code": code}]
                                      if code else [_("请填写数据来源代码。")])
    for key, low, high, label in [("port", 1, 65535, _("端口")), ("connect_timeout_seconds", 1, 60, _("连接超时"))]:
        try:
            values[key] = int(data.get(key) if data.get(key) not in (None, "") else (5432 if key == "port" else 3))
            if not low <= values[key] <= high:
                raise ValueError
        except (TypeError, ValueError):
            errors[key] = [_("%(label)s须为 %(low)s–%(high)s 的整数。") % {"label": label, "low": low, "high": high}]
    values["is_enabled"] = bool(data.get("is_enabled", True))
    if not values["password"]:
        if instance is None:
            errors["password"] = [_("请填写密码。")]
        else:
            values.pop("password")          # blank on edit: keep the stored password
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def frontend_processor_create(*, data: dict, actor) -> FrontEndProcessor:
    """Register a front-end processor database to be checked (its password is stored SM4-encrypted)."""
    _require_manage(actor)
    processor = FrontEndProcessor.objects.create(**_clean_processor(data, None))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=processor,
                 changes=diff_instance(None, processor, PROCESSOR_FIELDS))
    return processor


@transaction.atomic
def frontend_processor_update(*, processor: FrontEndProcessor, data: dict, actor) -> FrontEndProcessor:
    _require_manage(actor)
    processor = FrontEndProcessor.objects.select_for_update().get(pk=processor.pk)
    values = _clean_processor(data, processor)
    before = snapshot(processor, PROCESSOR_FIELDS)
    for field, value in values.items():
        setattr(processor, field, value)
    processor.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=processor,
                 changes=diff_instance(before, processor, PROCESSOR_FIELDS))
    return processor


@transaction.atomic
def frontend_processor_delete(*, processor: FrontEndProcessor, actor) -> None:
    _require_manage(actor)
    audit_deletion(actor=actor, obj=processor)
    incident_resolve(target_key=processor_target_key(processor))
    processor.delete()


def processor_target_key(processor: FrontEndProcessor) -> str:
    return f"processor:{processor.pk}"


def interface_target_key(interface: MonitoredInterface) -> str:
    return f"interface:{interface.code}"


# --- incidents: once-per-incident alerts -------------------------------------------------------

ALERT_TEMPLATE = "【政务服务平台运行监控】{label}：{summary}（{time:%m-%d %H:%M}）。请及时处理。"


def incident_raise(*, kind: str, target_key: str, target_label: str, summary: str, recipients=()) -> tuple[
        MonitoringIncident, bool]:
    """Open an incident for a failing target, or confirm the open one. Only a newly opened incident
    sends the alert SMS to `recipients` (active maintainers), so a failure seen by every check run is
    reported once; after `incident_resolve` the next failure is a new incident and is reported again.
    Returns (incident, opened)."""
    from apps.core.sms import sms_send

    now = timezone.now()
    with transaction.atomic():
        incident = MonitoringIncident.objects.select_for_update().filter(target_key=target_key,
                                                                         closed_at__isnull=True).first()
        if incident is not None:
            incident.last_seen_at, incident.summary = now, summary[:500]
            incident.save(update_fields=["last_seen_at", "summary"])
            return incident, False
        try:
            with transaction.atomic():
                incident = MonitoringIncident.objects.create(kind=kind, target_key=target_key,
                                                             target_label=target_label[:250], summary=summary[:500],
                                                             opened_at=now, last_seen_at=now)
        except IntegrityError:                 # a concurrent check opened it first: that one notifies
            return MonitoringIncident.objects.get(target_key=target_key, closed_at__isnull=True), False
        text = ALERT_TEMPLATE.format(label=target_label, summary=summary, time=timezone.localtime(now))[:480]
        notified = 0
        for maintainer in recipients:
            if not maintainer.is_active or not maintainer.mobile_number:
                continue
            sms_send(mobile_number=maintainer.mobile_number, content=text, purpose="monitoring_alert",
                     idempotency_key=f"monitoring:incident:{incident.pk}:maintainer:{maintainer.pk}")
            notified += 1
        if notified:
            incident.notified_count = notified
            incident.save(update_fields=["notified_count"])
    logger.warning("Monitoring incident opened: %s — %s (%s notified)", target_label, summary, notified)
    return incident, True


def incident_resolve(*, target_key: str) -> bool:
    """Close the open incident of a target that is healthy again; True if one was open."""
    return bool(MonitoringIncident.objects.filter(target_key=target_key, closed_at__isnull=True)
                .update(closed_at=timezone.now()))
