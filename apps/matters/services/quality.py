"""Quality scan (MAT-5.1): every enabled rule runs as a few set-based queries over the whole library
(catalogue and implementation items not cancelled) and writes the defects in bulk.

Default rules (created on first scan, editable in the admin): required elements empty; a licensing
or approval item filed as public service; consultation phone = supervision phone; catch-all
materials (其他材料 / 有关材料 / 相关材料); service target not matching the item (企业 items without
法人, personal items without 自然人)."""
from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.matters.models import (
    ApplicationMaterial, CatalogueItem, ImplementationItem, MatterElements, MatterStatus, MatterType, QualityIssue,
    QualityRule, QualityRuleKind, QualityScan,
)

DEFAULT_RULES = [
    ("required-elements", "必填要素为空", QualityRuleKind.REQUIRED_EMPTY,
     {"fields": ["legal_basis", "handling_location", "handling_hours", "consultation_phone", "supervision_phone",
                 "acceptance_conditions", "result_name", "service_targets"]}),
    ("licensing-as-public-service", "许可审批类事项误填为公共服务", QualityRuleKind.TYPE_CONSTRAINT,
     {"keywords": ["许可", "审批", "核准", "核发"], "forbidden_types": [MatterType.PUBLIC_SERVICE.value]}),
    ("same-phones", "咨询电话与监督电话相同", QualityRuleKind.SAME_PHONE, {}),
    ("catch-all-materials", "存在兜底性材料", QualityRuleKind.VAGUE_MATERIAL,
     {"names": ["其他材料", "有关材料", "相关材料", "其它材料"]}),
    ("counterpart-nature", "行政相对人性质与实际不符", QualityRuleKind.COUNTERPART,
     {"keywords": {"企业": "法人", "公司": "法人", "个体工商户": "法人", "户口": "自然人", "居民身份证": "自然人",
                   "出生": "自然人"}}),
]
ITEM_MODELS = {"catalogue": CatalogueItem, "implementation": ImplementationItem}
OWNER = {"catalogue": "department_id", "implementation": "implementing_body_id"}
CODE = {"catalogue": "basic_code", "implementation": "implementation_code"}


def ensure_default_rules() -> None:
    for code, name, kind, params in DEFAULT_RULES:
        QualityRule.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "params": params})


def _label(field: str) -> str:
    return str(MatterElements._meta.get_field(field).verbose_name)


def _findings(rule: QualityRule, kind: str, base):
    """(item values, field, message) for every defect `rule` finds among `base` items of `kind`."""
    values = ("pk", "name", CODE[kind], "region_id", "level", OWNER[kind])
    params = rule.params or {}
    if rule.kind == QualityRuleKind.REQUIRED_EMPTY:
        for field in params.get("fields", []):
            empty = Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
            for row in base.filter(empty).values_list(*values):
                yield row, field, _("必填要素“%(f)s”为空") % {"f": _label(field)}
    elif rule.kind == QualityRuleKind.TYPE_CONSTRAINT:
        named = Q(pk__in=[])
        for word in params.get("keywords", []):
            named |= Q(name__contains=word)
        for row in base.filter(named, matter_type__in=params.get("forbidden_types", [])).values_list(*values):
            yield row, "matter_type", _("名称含许可/审批类字样，事项类型却为公共服务")
    elif rule.kind == QualityRuleKind.SAME_PHONE:
        for row in base.exclude(consultation_phone="").filter(consultation_phone=F("supervision_phone")).values_list(*values):
            yield row, "supervision_phone", _("咨询电话与监督电话相同")
    elif rule.kind == QualityRuleKind.VAGUE_MATERIAL:
        names = Q(pk__in=[])
        for word in params.get("names", []):
            names |= Q(name__contains=word)
        owner = f"{kind}_item_id"
        hits = ApplicationMaterial.objects.filter(names, **{f"{owner}__in": base.values("pk")})
        found = dict(hits.values_list(owner, "name"))
        for row in base.filter(pk__in=list(found)).values_list(*values):
            yield row, "materials", _("申请材料含兜底性表述“%(n)s”") % {"n": found[row[0]]}
    elif rule.kind == QualityRuleKind.COUNTERPART:
        for word, target in params.get("keywords", {}).items():
            for row in base.filter(name__contains=word).exclude(service_targets__contains=target).values_list(*values):
                yield row, "service_targets", _("事项涉及“%(w)s”，服务对象应包含“%(t)s”") % {"w": word, "t": target}


def quality_scan_run(*, actor=None) -> QualityScan:
    """Run every enabled rule over the library; returns the finished scan with its issues."""
    ensure_default_rules()
    scan = QualityScan.objects.create(triggered_by=actor)
    try:
        issues, scanned = [], 0
        rules = list(QualityRule.objects.filter(is_enabled=True))
        for kind, model in ITEM_MODELS.items():
            base = model.objects.exclude(status=MatterStatus.CANCELLED)
            scanned += base.count()
            for rule in rules:
                for (pk, name, code, region_id, level, owner_id), field, message in _findings(rule, kind, base):
                    issues.append(QualityIssue(scan=scan, rule=rule, item_kind=kind, item_id=pk, item_name=name[:200],
                                               item_code=code, region_id=region_id, level=level,
                                               department_id=owner_id, field=field, message=message[:255]))
        with transaction.atomic():
            QualityIssue.objects.bulk_create(issues, batch_size=5000)
            scan.status, scan.finished_at = QualityScan.Status.DONE, timezone.now()
            scan.items_scanned, scan.issues_found = scanned, len(issues)
            scan.save()
    except Exception:
        scan.status, scan.finished_at = QualityScan.Status.FAILED, timezone.now()
        scan.save(update_fields=["status", "finished_at"])
        raise
    return scan
