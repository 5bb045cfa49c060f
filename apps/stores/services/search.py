"""Writes of the smart search (STORE-2.f): portal administrators set associated words for keywords."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.stores.models import KeywordAssociation
from apps.stores.services.kernel import require_staff_permission

PERMISSION = "stores.manage_keywordassociation"
MAX_WORDS = 20
_SPLIT = re.compile(r"[\s,，、;；]+")


def _words(raw) -> list[str]:
    items = raw if isinstance(raw, (list, tuple)) else _SPLIT.split(str(raw or ""))
    out: list[str] = []
    for item in items:
        word = str(item).strip()
        if word and word not in out:
            out.append(word)
    return out


def keyword_association_save(*, actor, keyword: str, associated_words, is_enabled: bool = True,
                             association: KeywordAssociation | None = None, request=None) -> KeywordAssociation:
    """Create or change a keyword's associated words (separated by spaces, commas or 、)."""
    require_staff_permission(actor, PERMISSION, _("您没有维护搜索关键字关联的权限。"))
    keyword = (keyword or "").strip()
    words = _words(associated_words)
    errors: dict[str, list[str]] = {}
    if not keyword:
        errors["keyword"] = [_("请填写关键字。")]
    elif len(keyword) > 40:
        errors["keyword"] = [_("关键字最多 40 个字。")]
    elif KeywordAssociation.objects.filter(keyword=keyword).exclude(pk=getattr(association, "pk", None)).exists():
        errors["keyword"] = [_("关键字“%(k)s”已设置过关联词，请直接修改。") % {"k": keyword}]
    if not words:
        errors["associated_words"] = [_("请至少填写一个关联词。")]
    elif len(words) > MAX_WORDS:
        errors["associated_words"] = [_("关联词最多 %(n)s 个。") % {"n": MAX_WORDS}]
    elif keyword in words:
        errors["associated_words"] = [_("关联词不能与关键字相同。")]
    elif any(len(w) > 40 for w in words):
        errors["associated_words"] = [_("每个关联词最多 40 个字。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if association is None:
            association = KeywordAssociation.objects.create(keyword=keyword, associated_words=words,
                                                            is_enabled=is_enabled, updated_by=actor)
            action, before = AuditAction.CREATE, None
        else:
            association = KeywordAssociation.objects.select_for_update().get(pk=association.pk)
            before = {"keyword": association.keyword, "associated_words": association.associated_words,
                      "is_enabled": association.is_enabled}
            association.keyword, association.associated_words = keyword, words
            association.is_enabled, association.updated_by = is_enabled, actor
            association.save()
            action = AuditAction.UPDATE
        audit_record(actor=actor, action=action, obj=association, request=request,
                     changes={"associated_words": [before and before["associated_words"], words]},
                     detail=_("设置搜索关键字“%(k)s”的关联词") % {"k": keyword})
    return association


def keyword_association_delete(*, actor, association: KeywordAssociation, request=None) -> None:
    require_staff_permission(actor, PERMISSION, _("您没有维护搜索关键字关联的权限。"))
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, obj=association, request=request,
                     detail=_("删除搜索关键字“%(k)s”") % {"k": association.keyword})
        association.delete()
