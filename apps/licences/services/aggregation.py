"""Catalogue aggregation from the cities' and departments' front-end databases with the six quality checks
(LIC-2.1, 4.2), reporting to the national platform through the outbox, the province-wide proxy that
forwards licence operations to a city platform without storing its files (LIC-5.1), and the statistics
of shared licences (LIC-2.7)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from apps.core.outbox import PeerPermanentError, PeerTemporaryError, enqueue
from apps.core.scope import restrict
from apps.core.validators import validate_credit_code, validate_id_number

from .. import identifiers
from ..models import CatalogueRecord, CatalogueSyncEvent, LicenceRoute, SyncAction
from ..peers.city import OPERATIONS, platform_for
from ..peers.national import PEER
from .kernel import require_in_scope, require_permission

REQUIRED = ("row_id", "licence_code", "name", "type_code", "issuer_code", "issuer_name", "holder_name",
            "holder_kind", "holder_code", "issued_on", "access_url")
TYPE_CODE = re.compile(r"^[0-9A-Z]{18}\d{3}$")
PROJECT_CODE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")
HOLDER_KINDS = ("natural_person", "legal_person", "project")


def _validator_ok(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def quality_check(row: dict) -> list[str]:
    """The six checks of LIC-4.2; a list of Chinese reasons, empty when the row passes."""
    missing = [f for f in REQUIRED if not str(row.get(f) or "").strip()]
    if missing:
        return [_("必填项为空：%(f)s") % {"f": "、".join(missing)}]                      # 1 non-empty
    errors = []
    try:
        dt.date.fromisoformat(str(row["issued_on"]))
        format_ok = TYPE_CODE.match(row["type_code"]) and len(row["name"]) <= 128 and \
            row["holder_kind"] in HOLDER_KINDS
    except ValueError:
        format_ok = False
    if not format_ok:
        errors.append(_("数据格式不正确（颁证日期、证照类型代码、名称长度或持证主体类型）。"))    # 2 format
    if not identifiers.is_valid(row["licence_code"]):
        errors.append(_("证照标识不合法。"))                                                  # 3 identifier
    if not _validator_ok(validate_credit_code, row["issuer_code"]):
        errors.append(_("颁发机构代码不是有效的统一社会信用代码。"))                          # 4 issuer code
    holder_ok = {"natural_person": lambda v: _validator_ok(validate_id_number, v),
                 "legal_person": lambda v: _validator_ok(validate_credit_code, v),
                 "project": lambda v: bool(PROJECT_CODE.match(v))}.get(row["holder_kind"], lambda v: False)
    if not holder_ok(row["holder_code"]):
        errors.append(_("持证主体身份信息不正确。"))                                          # 5 holder identity
    if not _validator_ok(URLValidator(schemes=["http", "https"]), row["access_url"]):
        errors.append(_("证照目录访问地址（URL）不正确。"))                                   # 6 access URL
    return errors


def _apply(route, row) -> tuple[str, CatalogueRecord | None]:
    existing = CatalogueRecord.objects.filter(route=route, licence_code=row["licence_code"]).first()
    if row.get("operation") == "delete":
        if existing is not None:
            existing.delete()
        return SyncAction.DELETE, None
    obj = existing or CatalogueRecord(route=route, licence_code=row["licence_code"])
    for f in ("name", "type_code", "issuer_code", "issuer_name", "holder_name", "holder_code", "access_url"):
        setattr(obj, f, str(row[f]).strip())
    obj.issued_on, obj.reported_at = dt.date.fromisoformat(str(row["issued_on"])), None
    obj.save()
    return (SyncAction.UPDATE if existing else SyncAction.INSERT), obj


def catalogue_aggregate(*, actor, route: LicenceRoute) -> dict:
    """Extract the route's pending rows, check them, store the good ones and queue them for the national
    platform, then write anomalies (and the accepted ids) back to the front-end database. A run repeated
    after a failure re-reads only rows not yet written back; storing is idempotent per licence code."""
    require_permission(actor, "licences.change_cataloguerecord")
    require_in_scope(actor, route)
    platform = platform_for(route)
    try:
        rows = platform.fetch_catalogue()
    except (PeerTemporaryError, PeerPermanentError) as exc:
        raise ValidationError(_("前置库暂不可用：%(e)s") % {"e": str(exc)[:200]}) from exc
    counts = {a: 0 for a in SyncAction.values}
    anomalies, accepted, report = [], [], []
    with transaction.atomic():
        for row in rows:
            reasons = [] if row.get("operation") == "delete" and row.get("licence_code") else quality_check(row)
            if reasons:
                anomalies.append({"row_id": str(row.get("row_id", "")), "errors": reasons})
                action, obj = SyncAction.REJECT, None
            else:
                action, obj = _apply(route, row)
                accepted.append(str(row["row_id"]))
                report.append({"id": obj.pk if obj else None, "licence_code": row["licence_code"],
                               "operation": action, **({} if obj is None else {
                                   "name": obj.name, "type_code": obj.type_code, "issuer_code": obj.issuer_code,
                                   "holder_name": obj.holder_name, "issued_on": obj.issued_on.isoformat(),
                                   "access_url": obj.access_url})})
            counts[action] += 1
            CatalogueSyncEvent.objects.create(department=route.data_source, route=route,
                                              type_code=str(row.get("type_code") or "")[:21],
                                              licence_code=str(row.get("licence_code") or "")[:80], action=action,
                                              detail="；".join(reasons)[:255])
        key = f"licences:aggregate:{route.pk}:{','.join(accepted + [a['row_id'] for a in anomalies])}"[:200]
        if report:
            enqueue(peer=PEER, kind="catalogue", payload={"source": route.code, "rows": report},
                    idempotency_key=key, region=route.data_source.region)
    if rows:
        try:
            platform.write_back(anomalies=anomalies, accepted=accepted, idempotency_key=key)
        except (PeerTemporaryError, PeerPermanentError) as exc:
            raise ValidationError(_("目录已汇聚，但回写前置库失败，请重试：%(e)s") % {"e": str(exc)[:200]}) from exc
    return counts


def proxy_call(*, route_code: str, operation: str, licence_code: str, body: dict | None = None):
    """Forward one operation to the city platform (LIC-5.1); the answer is passed through, nothing stored."""
    if operation not in OPERATIONS:
        raise ValidationError(_("不支持的代理操作。"))
    route = LicenceRoute.objects.filter(code=route_code, is_enabled=True).first()
    if route is None:
        raise ValidationError(_("没有启用的接口路由“%(r)s”。") % {"r": route_code})
    return platform_for(route).call(operation=operation, licence_code=licence_code, body=body)


def shared_statistics(user, *, region_prefix: str = "", type_code: str = "", date_from=None, date_to=None):
    """Per department and licence type: inserted, deleted and updated rows (LIC-2.7), one query."""
    qs = restrict(CatalogueSyncEvent.objects.all(), user)
    if region_prefix:
        qs = qs.filter(department__region__code__startswith=region_prefix)
    if type_code:
        qs = qs.filter(type_code=type_code)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return list(qs.order_by().values("department__name", "type_code").annotate(
        inserted=Count("pk", filter=Q(action=SyncAction.INSERT)),
        deleted=Count("pk", filter=Q(action=SyncAction.DELETE)),
        updated=Count("pk", filter=Q(action=SyncAction.UPDATE)),
        rejected=Count("pk", filter=Q(action=SyncAction.REJECT))).order_by("department__name", "type_code"))
