"""Matter codes (MAT-2.1.1, MAT-2.2.2): generated from the active coding rule, serials race-free.

The rule is data (CodingRule + CodingRuleSegment). The default rules follow the structure the
national platform exchanges under GB/T 39554.1 (docs/decisions/0005-matter-codes.md):

    basic code (12)          = catalogue owner (2) + matter type (2) + main serial (5) + sub serial (3)
    implementation code (31) = implementing body USCC (18) + exercise level (1) + basic code (12)
"""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.matters.models import (
    CatalogueItem, CodeCounter, CodeTarget, CodingRule, CodingRuleSegment, ImplementationItem, SegmentKind,
)

DEFAULT_RULES = {
    CodeTarget.CATALOGUE: (
        "GB/T 39554.1 基本编码（12位）",
        [(SegmentKind.CATALOGUE_OWNER, 2, "目录归属"), (SegmentKind.MATTER_TYPE, 2, "事项类型"),
         (SegmentKind.MAIN_SERIAL, 5, "主项顺序号"), (SegmentKind.SUB_SERIAL, 3, "子项顺序号")],
    ),
    CodeTarget.IMPLEMENTATION: (
        "GB/T 39554.1 实施编码（31位）",
        [(SegmentKind.BODY_CREDIT_CODE, 18, "实施主体统一社会信用代码"), (SegmentKind.EXERCISE_LEVEL, 1, "行使层级"),
         (SegmentKind.BASIC_CODE, 12, "基本编码")],
    ),
}
COUNTED_KINDS = {SegmentKind.MAIN_SERIAL, SegmentKind.SUB_SERIAL, SegmentKind.DISCRIMINATOR}
MAX_COLLISION_RETRIES = 50
_CHARSET = {
    SegmentKind.BODY_CREDIT_CODE: "[0-9A-HJ-NPQRTUWXY]",
    SegmentKind.BASIC_CODE: "[0-9A-Z]",
    SegmentKind.LITERAL: None,
}


def active_rule(target: str) -> CodingRule:
    """The active rule for `target` with its segments; the default rule is created on first use."""
    rule = CodingRule.objects.filter(target=target, is_active=True).prefetch_related("segments").first()
    if rule is not None:
        return rule
    name, segments = DEFAULT_RULES[target]
    try:
        with transaction.atomic():
            rule = CodingRule.objects.create(target=target, name=name, description=_("默认规则，可在后台调整。"))
            CodingRuleSegment.objects.bulk_create(
                CodingRuleSegment(rule=rule, position=i, kind=kind, length=length, label=label)
                for i, (kind, length, label) in enumerate(segments, start=1))
    except IntegrityError:  # another process created it first
        pass
    return CodingRule.objects.filter(target=target, is_active=True).prefetch_related("segments").get()


def next_serial(*, rule: CodingRule, scope_key: str) -> int:
    """The next serial for (rule, scope_key): the row is locked, so concurrent callers queue up."""
    with transaction.atomic():
        CodeCounter.objects.bulk_create([CodeCounter(rule=rule, scope_key=scope_key)], ignore_conflicts=True)
        counter = CodeCounter.objects.select_for_update().get(rule=rule, scope_key=scope_key)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        return counter.last_value


def code_pattern(rule: CodingRule) -> re.Pattern:
    parts = []
    for segment in rule.segments.all():
        if segment.kind == SegmentKind.LITERAL:
            parts.append(re.escape(segment.value))
        else:
            parts.append(f"({_CHARSET.get(segment.kind) or '[0-9]'}{{{segment.length}}})")
    return re.compile("^" + "".join(parts) + "$")


def _split(rule: CodingRule, code: str) -> dict[str, str]:
    """Segment values of `code` by kind (first occurrence), read by position."""
    values, offset = {}, 0
    for segment in rule.segments.all():
        values.setdefault(segment.kind, code[offset:offset + segment.length])
        offset += segment.length
    return values


def _fixed_value(segment: CodingRuleSegment, item) -> str:
    kind = segment.kind
    if kind == SegmentKind.LITERAL:
        return segment.value
    if kind == SegmentKind.CATALOGUE_OWNER:
        return "00" if getattr(item, "is_national", False) else item.region_id[:2]
    if kind == SegmentKind.MATTER_TYPE:
        return item.matter_type
    if kind == SegmentKind.BODY_CREDIT_CODE:
        return item.implementing_body.credit_code
    if kind == SegmentKind.EXERCISE_LEVEL:
        return item.exercise_level
    if kind == SegmentKind.BASIC_CODE:
        return item.basic_code
    raise ValueError(kind)


def _serial_text(rule, segment, scope_key: str) -> str:
    value = next_serial(rule=rule, scope_key=f"{segment.kind}:{scope_key}")
    text = str(value).zfill(segment.length)
    if len(text) > segment.length:
        raise ValidationError(_("编码段“%(label)s”的序号已用尽（%(length)s位），请调整编码规则。")
                              % {"label": segment.label or segment.get_kind_display(), "length": segment.length})
    return text


def _render(rule: CodingRule, item, parent_code: str | None) -> str:
    parent_values = _split(rule, parent_code) if parent_code else {}
    rendered: list[str] = []
    for segment in rule.segments.all():
        kind = segment.kind
        if kind == SegmentKind.MAIN_SERIAL and parent_code:
            text = parent_values[kind]
        elif kind == SegmentKind.SUB_SERIAL:
            text = _serial_text(rule, segment, parent_code) if parent_code else "0" * segment.length
        elif kind in COUNTED_KINDS:
            text = _serial_text(rule, segment, "".join(rendered))
        else:
            text = _fixed_value(segment, item)
            if len(text) != segment.length:
                raise ValidationError(_("“%(label)s”应为%(length)s位，实际为“%(value)s”。") % {
                    "label": segment.label or segment.get_kind_display(), "length": segment.length, "value": text})
        rendered.append(text)
    return "".join(rendered)


def catalogue_code_generate(*, item: CatalogueItem) -> str:
    """A fresh basic code for `item` (not saved); skips values taken by a manual correction."""
    rule = active_rule(CodeTarget.CATALOGUE)
    parent_code = item.parent.basic_code if item.parent_id else None
    for _attempt in range(MAX_COLLISION_RETRIES):
        code = _render(rule, item, parent_code)
        if not CatalogueItem.objects.filter(basic_code=code).exists():
            return code
    raise ValidationError(_("无法生成不重复的基本编码，请联系管理员检查编码规则。"))


def implementation_code_generate(*, item: ImplementationItem) -> str:
    """The implementation code of `item`: the basic code extended to one implementer (not saved)."""
    rule = active_rule(CodeTarget.IMPLEMENTATION)
    has_counter = any(segment.kind in COUNTED_KINDS for segment in rule.segments.all())
    for _attempt in range(MAX_COLLISION_RETRIES if has_counter else 1):
        code = _render(rule, item, None)
        if not ImplementationItem.objects.filter(implementation_code=code).exists():
            return code
    raise ValidationError({"implementing_body": _("实施编码 %(code)s 已存在：该实施主体已实施此事项。") % {"code": code}})


def validate_code(*, item, code: str) -> None:
    """Refuse a hand-typed code that does not fit the active rule, collides, or drops the basic code."""
    rule = active_rule(CodeTarget.CATALOGUE if item.kind == "catalogue" else CodeTarget.IMPLEMENTATION)
    if not code_pattern(rule).match(code):
        raise ValidationError({"code": _("编码“%(code)s”不符合编码规则“%(rule)s”（共%(length)s位）。")
                                       % {"code": code, "rule": rule.name, "length": rule.length}})
    if item.kind == "catalogue":
        clash = CatalogueItem.objects.filter(basic_code=code).exclude(pk=item.pk).first()
    else:
        if _split(rule, code).get(SegmentKind.BASIC_CODE, item.basic_code) != item.basic_code:
            raise ValidationError({"code": _("实施编码必须包含本事项的基本编码 %(basic)s。") % {"basic": item.basic_code}})
        clash = ImplementationItem.objects.filter(implementation_code=code).exclude(pk=item.pk).first()
    if clash is not None:
        raise ValidationError({"code": _("编码 %(code)s 已被事项“%(name)s”使用。") % {"code": code, "name": clash.name}})


def matter_code_correct(*, item, new_code: str, actor, reason: str):
    """Hand-correct a wrong code (MAT-2.1.1 (5)); audited, and shown in the item's flow history.

    A corrected basic code is carried into the basic code and implementation code of every
    implementation item of that catalogue item (the implementation code extends it)."""
    from apps.matters.services.kernel import (
        AuditAction, audit_record, record_transition, require_in_scope, require_permission,
    )

    require_permission(actor, "matters.correct_matter_code")
    require_in_scope(actor, item)
    new_code = (new_code or "").strip().upper()
    if not reason.strip():
        raise ValidationError({"reason": _("请填写修正原因。")})
    with transaction.atomic():
        item = type(item).objects.select_for_update().get(pk=item.pk)
        old_code = item.code
        if new_code == old_code:
            raise ValidationError({"code": _("新编码与原编码相同。")})
        validate_code(item=item, code=new_code)
        field = "basic_code" if item.kind == "catalogue" else "implementation_code"
        setattr(item, field, new_code)
        item.save(update_fields=[field, "updated_at"])
        if item.kind == "catalogue":
            _carry_basic_code(item, old_code, new_code)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={field: [old_code, new_code]})
        record_transition(obj=item, from_state=item.status, to_state=item.status, actor=actor, action="correct_code",
                          comment=_("编码由 %(old)s 修正为 %(new)s。原因：%(reason)s")
                          % {"old": old_code, "new": new_code, "reason": reason})
    return item


def _carry_basic_code(item: CatalogueItem, old_code: str, new_code: str) -> None:
    for implementation in ImplementationItem.objects.select_for_update().filter(catalogue_item=item):
        implementation.basic_code = new_code
        implementation.implementation_code = implementation.implementation_code.replace(old_code, new_code, 1)
        implementation.save(update_fields=["basic_code", "implementation_code", "updated_at"])
