"""Knowledge base (MAT-3.3) and "one thing" bundles (MAT-3.2): maintenance, pinyin-initial search,
per-material review-point reminders (MAT-3.3.1, 3.3.6) and situation-driven materials (MAT-3.1)."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from apps.matters.models import ApplicationMaterial, KnowledgeEntry, KnowledgeKind, OneThing
from apps.matters.services.kernel import require_in_scope, require_permission

_LETTERS = re.compile(r"^[A-Za-z]+$")


def pinyin_initials(text: str) -> str:
    """"企业设立登记" → "qysldj"; letters and digits in the text are kept as they are (lower case)."""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")   # Han → initial, other runs kept
    return "".join(ch for ch in "".join(parts) if ch.isascii() and ch.isalnum()).lower()


def knowledge_entry_create(*, actor, kind: str, title: str, content: str, item=None, material=None) -> KnowledgeEntry:
    require_permission(actor, "matters.add_knowledgeentry")
    if kind not in KnowledgeKind.values:
        raise ValidationError({"kind": _("请选择知识类型。")})
    if not title.strip() or not content.strip():
        raise ValidationError(_("标题和内容不能为空。"))
    if item is not None:
        require_in_scope(actor, item)
    if material is not None and (item is None or getattr(material, f"{item.kind}_item_id") != item.pk):
        raise ValidationError({"material": _("该材料不属于所选事项。")})
    owner = {f"{item.kind}_item": item} if item is not None else {}
    return KnowledgeEntry.objects.create(kind=kind, title=title.strip(), content=content,
                                         pinyin_initials=pinyin_initials(title)[:200], material=material,
                                         department=actor.organisation, created_by=actor, **owner)


def knowledge_search(*, query: str, kind: str | None = None):
    """Title/content search; a query of Latin letters also matches pinyin initials ("qysl" → 企业设立…)."""
    query = query.strip()
    entries = KnowledgeEntry.objects.all()
    if kind:
        entries = entries.filter(kind=kind)
    if not query:
        return entries.none()
    condition = Q(title__icontains=query) | Q(content__icontains=query)
    if _LETTERS.match(query):
        condition |= Q(pinyin_initials__contains=query.lower())
    return entries.filter(condition)


def one_thing_save(*, actor, name: str, catalogue_items: list, description: str = "") -> OneThing:
    require_permission(actor, "matters.add_onething")
    if not name.strip() or not catalogue_items:
        raise ValidationError(_("请填写主题名称并选择涉及的事项。"))
    bundle, _created = OneThing.objects.update_or_create(name=name.strip(), defaults={
        "description": description, "pinyin_initials": pinyin_initials(name)[:100]})
    bundle.catalogue_items.set(catalogue_items)
    return bundle


def one_thing_search(*, query: str):
    query = query.strip()
    condition = Q(name__icontains=query)
    if _LETTERS.match(query):
        condition |= Q(pinyin_initials__contains=query.lower())
    return OneThing.objects.filter(condition).prefetch_related("catalogue_items") if query else OneThing.objects.none()


def materials_with_review_points(*, item, situation_ids: list[int] | None = None) -> list[tuple]:
    """The materials to collect — all general ones plus those of the chosen situations — each with
    its formal and substantive review points, for the window's reminder (MAT-3.1, 3.3.1, 3.3.6)."""
    materials = ApplicationMaterial.objects.filter(**{f"{item.kind}_item": item})
    if situation_ids is not None:
        materials = materials.filter(Q(situation__isnull=True) | Q(situation_id__in=situation_ids))
    materials = materials.prefetch_related("review_points")
    return [(material, [p for p in material.review_points.all()
                        if p.kind in (KnowledgeKind.FORMAL_POINT, KnowledgeKind.SUBSTANTIVE_POINT)])
            for material in materials]
