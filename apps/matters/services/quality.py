"""Quality scan (MAT-5.1): every enabled rule runs as a few set-based statements over the whole library
(catalogue and implementation items not cancelled); each writes its defects with INSERT … SELECT.

Default rules (created on first scan, editable in the admin): required elements empty; a licensing
or approval item filed as public service; consultation phone = supervision phone; catch-all
materials (其他材料 / 有关材料 / 相关材料); service target not matching the item (企业 items without
法人, personal items without 自然人)."""
from __future__ import annotations

from django.db import connection, transaction
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, Left
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


COLUMNS = ("scan_id", "rule_id", "item_kind", "item_id", "item_name", "item_code", "region_id", "level",
           "department_id", "field", "message")


def _text(value: str) -> Value:
    return Value(str(value), output_field=CharField())


def _findings(rule: QualityRule, kind: str, base):
    """(queryset of defective items, field, message expression) for every check `rule` makes among
    `base` items of `kind` — each a single set-based query, never a loop over items."""
    params = rule.params or {}
    if rule.kind == QualityRuleKind.REQUIRED_EMPTY:
        for field in params.get("fields", []):
            empty = Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
            yield base.filter(empty), field, _text(_("必填要素“%(f)s”为空") % {"f": _label(field)})
    elif rule.kind == QualityRuleKind.TYPE_CONSTRAINT:
        named = Q(pk__in=[])
        for word in params.get("keywords", []):
            named |= Q(name__contains=word)
        yield (base.filter(named, matter_type__in=params.get("forbidden_types", [])), "matter_type",
               _text(_("名称含许可/审批类字样，事项类型却为公共服务")))
    elif rule.kind == QualityRuleKind.SAME_PHONE:
        yield (base.exclude(consultation_phone="").filter(consultation_phone=F("supervision_phone")),
               "supervision_phone", _text(_("咨询电话与监督电话相同")))
    elif rule.kind == QualityRuleKind.VAGUE_MATERIAL:
        names = Q(pk__in=[])
        for word in params.get("names", []):
            names |= Q(name__contains=word)
        vague = ApplicationMaterial.objects.filter(names, **{f"{kind}_item": OuterRef("pk")}).order_by("order", "pk")
        before, _sep, after = (_("申请材料含兜底性表述“%(n)s”") % {"n": "\x00"}).partition("\x00")
        yield (base.filter(Exists(vague)), "materials",
               Concat(_text(before), Subquery(vague.values("name")[:1]), _text(after), output_field=CharField()))
    elif rule.kind == QualityRuleKind.COUNTERPART:
        for word, target in params.get("keywords", {}).items():
            yield (base.filter(name__contains=word).exclude(service_targets__contains=target), "service_targets",
                   _text(_("事项涉及“%(w)s”，服务对象应包含“%(t)s”") % {"w": word, "t": target}))


def _insert_issues(cursor, found, scan: QualityScan, rule: QualityRule, kind: str, field: str, message) -> int:
    """INSERT INTO quality issues SELECT … FROM the defective items: one statement per check."""
    rows = found.order_by().annotate(
        c0=Value(scan.pk, output_field=IntegerField()), c1=Value(rule.pk, output_field=IntegerField()),
        c2=_text(kind), c3=F("pk"), c4=Left("name", 200), c5=F(CODE[kind]), c6=F("region_id"), c7=F("level"),
        c8=F(OWNER[kind]), c9=_text(field), c10=Left(message, 255),
    ).values_list(*(f"c{i}" for i in range(11)))
    sql, params = rows.query.sql_with_params()
    cursor.execute(f"INSERT INTO {QualityIssue._meta.db_table} ({', '.join(COLUMNS)}) {sql}", params)
    return cursor.rowcount


def quality_scan_run(*, actor=None) -> QualityScan:
    """Run every enabled rule over the library; returns the finished scan with its issues. The
    issues are written by INSERT … SELECT statements (one per check), so the work is set-based in
    the database whatever the number of items or defects."""
    ensure_default_rules()
    scan = QualityScan.objects.create(triggered_by=actor)
    try:
        found_total, scanned = 0, 0
        rules = list(QualityRule.objects.filter(is_enabled=True))
        with transaction.atomic(), connection.cursor() as cursor:
            for kind, model in ITEM_MODELS.items():
                base = model.objects.exclude(status=MatterStatus.CANCELLED)
                scanned += base.count()
                for rule in rules:
                    for found, field, message in _findings(rule, kind, base):
                        found_total += _insert_issues(cursor, found, scan, rule, kind, field, message)
            scan.status, scan.finished_at = QualityScan.Status.DONE, timezone.now()
            scan.items_scanned, scan.issues_found = scanned, found_total
            scan.save()
    except Exception:
        scan.status, scan.finished_at = QualityScan.Status.FAILED, timezone.now()
        scan.save(update_fields=["status", "finished_at"])
        raise
    return scan
