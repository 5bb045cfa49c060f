"""Writes of the special zones (STORE-2.a–2.c, 2.h) and of recommended matters (STORE-2.e)."""
from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.stores.models import (
    ProofListEntry, ProofStatus, RecommendedMatter, Zone, ZoneMatter,
)
from apps.stores.services.kernel import require_in_scope, require_staff_permission

ZONE_PERMISSION = "stores.manage_zonematter"
RECOMMEND_PERMISSION = "stores.manage_recommendedmatter"
PROOF_PERMISSION = "stores.manage_prooflistentry"
# The tender's 33-digit matter code is the business-handling-item code: the 31-character implementation
# code plus a 2-digit handling-item serial (docs/decisions/0005, shared reference-codes §4.5); the 31-character
# implementation code alone is accepted too. Decision 0807.
MATTER_CODE = re.compile(r"^[0-9A-Z]{31}(?:[0-9]{2})?$")


def published_matter_by_code(code: str):
    """The published implementation item a 31- or 33-character code names, or None."""
    from apps.matters.models import ImplementationItem

    code = (code or "").strip().upper()
    if not MATTER_CODE.match(code):
        return None
    return (ImplementationItem.objects.published().select_related("implementing_body", "region")
            .filter(implementation_code=code[:31]).first())


def zone_matter_save(*, actor, data: dict, matter: ZoneMatter | None = None, request=None) -> ZoneMatter:
    """A business department's zone list row; only its own department (or below) may supply it."""
    require_staff_permission(actor, ZONE_PERMISSION, _("您没有维护专区事项清单的权限。"))
    department = data.get("supplying_department")
    errors: dict[str, list[str]] = {}
    if data.get("zone") not in Zone.values:
        errors["zone"] = [_("请选择专区。")]
    if not (data.get("name") or "").strip():
        errors["name"] = [_("请填写事项名称。")]
    if not (data.get("classification") or "").strip():
        errors["classification"] = [_("请填写分类。")]
    if department is None:
        errors["supplying_department"] = [_("请选择提供部门。")]
    handling_url = (data.get("handling_url") or "").strip()
    if data.get("is_identity_connected") and not handling_url:
        errors["handling_url"] = [_("已接入统一身份认证的事项须填写办理页面。")]
    if handling_url and not handling_url.startswith(("https://", "http://")):
        errors["handling_url"] = [_("办理页面须以 http:// 或 https:// 开头。")]
    code = (data.get("matter_code") or "").strip().upper()
    item = None
    if code:
        item = published_matter_by_code(code)
        if item is None:
            errors["matter_code"] = [_("事项库中没有已发布的该编码事项。")]
    if errors:
        raise ValidationError(errors)
    require_in_scope(actor, department, _("只能维护本单位及下级单位提供的清单。"))
    values = {"zone": data["zone"], "name": data["name"].strip(), "classification": data["classification"].strip(),
              "matter_code": code, "implementation_item": item, "handling_url": handling_url,
              "attribute_flags": [str(f).strip() for f in data.get("attribute_flags") or [] if str(f).strip()],
              "icon": (data.get("icon") or "").strip()[:8], "partner_province": (data.get("partner_province") or "")[:20],
              "is_identity_connected": bool(data.get("is_identity_connected")), "supplying_department": department,
              "order": int(data.get("order") or 0), "is_enabled": data.get("is_enabled", True)}
    with transaction.atomic():
        if matter is None:
            matter = ZoneMatter.objects.create(**values)
            action = AuditAction.CREATE
        else:
            require_in_scope(actor, matter, _("只能维护本单位及下级单位提供的清单。"))
            for key, value in values.items():
                setattr(matter, key, value)
            matter.save()
            action = AuditAction.UPDATE
        audit_record(actor=actor, action=action, obj=matter, request=request,
                     detail=_("维护专区事项“%(n)s”") % {"n": matter.name})
    return matter


def elderly_proxy_start(*, actor, zone_matter: ZoneMatter, principal_id: int):
    """授权代办 from the elderly zone: the agent starts the zone matter for an elderly principal who granted
    them proxy handling — the grant, its checks and the proxy record are apps.matters' (decision 0805)."""
    from apps.matters.services.proxy import proxy_handling_start

    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if zone_matter.zone != Zone.ELDERLY or not zone_matter.is_enabled or zone_matter.implementation_item is None:
        raise ValidationError(_("该事项不在适老服务专区或未关联实施清单事项。"))
    return proxy_handling_start(item=zone_matter.implementation_item, principal_id=principal_id, actor=actor)


def recommended_matter_lookup(*, matter_code: str):
    """STORE-2.e: the published matter of a 33-digit code in the provincial standardised matter library
    (apps.matters), or ValidationError for a malformed or unknown code."""
    code = (matter_code or "").strip().upper()
    if not MATTER_CODE.match(code):
        raise ValidationError({"matter_code": _("事项编码须为 33 位（业务办理项编码）或 31 位（实施编码），由数字和大写字母组成。")})
    item = published_matter_by_code(code)
    if item is None:
        raise ValidationError({"matter_code": _("标准化事项库中没有已发布的编码为 %(c)s 的事项。") % {"c": code}})
    return item


def recommended_matter_save(*, actor, matter_code: str, order: int, valid_from: date | None, valid_to: date | None,
                            recommendation: RecommendedMatter | None = None, request=None) -> RecommendedMatter:
    require_staff_permission(actor, RECOMMEND_PERMISSION, _("您没有设置推荐事项的权限。"))
    errors: dict[str, list[str]] = {}
    item = None
    try:
        item = recommended_matter_lookup(matter_code=matter_code)
    except ValidationError as error:
        errors.update(error.message_dict)
    if valid_from is None:
        errors["valid_from"] = [_("请填写推荐开始日期。")]
    if valid_to is None:
        errors["valid_to"] = [_("请填写推荐结束日期。")]
    elif valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = [_("推荐结束日期不能早于开始日期。")]
    if order is None or int(order) < 0:
        errors["order"] = [_("推荐顺序须为非负整数。")]
    if errors:
        raise ValidationError(errors)
    values = {"matter_code": matter_code.strip().upper(), "implementation_item": item, "name": item.name,
              "department_name": item.implementing_body.name, "order": int(order), "valid_from": valid_from,
              "valid_to": valid_to}
    with transaction.atomic():
        if recommendation is None:
            recommendation = RecommendedMatter.objects.create(created_by=actor, **values)
            action = AuditAction.CREATE
        else:
            for key, value in values.items():
                setattr(recommendation, key, value)
            recommendation.save()
            action = AuditAction.UPDATE
        audit_record(actor=actor, action=action, obj=recommendation, request=request,
                     detail=_("设置推荐事项“%(n)s”") % {"n": item.name})
    return recommendation


def recommended_matter_delete(*, actor, recommendation: RecommendedMatter, request=None) -> None:
    require_staff_permission(actor, RECOMMEND_PERMISSION, _("您没有设置推荐事项的权限。"))
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, obj=recommendation, request=request,
                     detail=_("删除推荐事项“%(n)s”") % {"n": recommendation.name})
        recommendation.delete()


def proof_entry_save(*, actor, data: dict, entry: ProofListEntry | None = None, request=None) -> ProofListEntry:
    """STORE-2.h: a row of the retained or voided proofs list."""
    require_staff_permission(actor, PROOF_PERMISSION, _("您没有维护网上证明专栏的权限。"))
    errors: dict[str, list[str]] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = [_("请填写证明名称。")]
    if data.get("status") not in ProofStatus.values:
        errors["status"] = [_("请选择保留或已作废。")]
    if data.get("department") is None:
        errors["department"] = [_("请选择部门。")]
    if errors:
        raise ValidationError(errors)
    values = {"name": data["name"].strip(), "status": data["status"], "department": data["department"],
              "basis": (data.get("basis") or "").strip(), "notes": (data.get("notes") or "").strip()[:300],
              "decided_on": data.get("decided_on")}
    with transaction.atomic():
        if entry is None:
            entry = ProofListEntry.objects.create(**values)
        else:
            for key, value in values.items():
                setattr(entry, key, value)
            entry.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=entry, request=request,
                     detail=_("维护证明清单“%(n)s”") % {"n": entry.name})
    return entry


IMPORT_COLUMNS = ("事项名称", "事项编码", "分类", "事项库属性标识", "已接入统一身份认证", "办理页面", "通办省份")
IMPORT_MAX_ROWS = 2000


def zone_matters_from_workbook(content: bytes) -> list[dict]:
    """Rows of a department's list workbook (first sheet, header row = IMPORT_COLUMNS in any order)."""
    import io

    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 — any unreadable upload is the same user error
        raise ValidationError({"file": _("无法读取文件，请上传 .xlsx 格式的清单。")}) from None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise ValidationError({"file": _("文件是空的。")})
    header = [str(h or "").strip() for h in rows[0]]
    missing = [c for c in ("事项名称", "分类") if c not in header]
    if missing:
        raise ValidationError({"file": _("缺少列：%(c)s。") % {"c": "、".join(missing)}})
    if len(rows) - 1 > IMPORT_MAX_ROWS:
        raise ValidationError({"file": _("一次最多导入 %(n)s 行。") % {"n": IMPORT_MAX_ROWS}})
    out = []
    for values in rows[1:]:
        row = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, values) if h}
        if any(row.values()):
            out.append(row)
    return out


def zone_matters_import(*, actor, zone: str, department, rows: list[dict], request=None) -> list[ZoneMatter]:
    """Import a department's zone list: every row is checked as zone_matter_save checks it; one bad row
    and nothing is written (errors name their row numbers)."""
    require_staff_permission(actor, ZONE_PERMISSION, _("您没有维护专区事项清单的权限。"))
    if zone not in Zone.values:
        raise ValidationError({"zone": _("请选择专区。")})
    if department is None:
        raise ValidationError({"supplying_department": _("请选择提供部门。")})
    require_in_scope(actor, department, _("只能维护本单位及下级单位提供的清单。"))
    if not rows:
        raise ValidationError({"file": _("清单中没有事项。")})
    errors, saved = [], []
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            data = {"zone": zone, "supplying_department": department, "name": row.get("事项名称", ""),
                    "matter_code": row.get("事项编码", ""), "classification": row.get("分类", ""),
                    "attribute_flags": re.split(r"[、,，;；\s]+", row.get("事项库属性标识", "")),
                    "is_identity_connected": row.get("已接入统一身份认证", "") in ("是", "1", "Y", "y", "true"),
                    "handling_url": row.get("办理页面", ""), "partner_province": row.get("通办省份", ""),
                    "order": number}
            try:
                with transaction.atomic():
                    saved.append(zone_matter_save(actor=actor, data=data, request=request))
            except ValidationError as error:
                errors.append(_("第%(n)s行：%(e)s") % {"n": number, "e": "；".join(
                    m for ms in error.message_dict.values() for m in ms)})
        if errors:
            raise ValidationError({"file": errors})
    return saved
