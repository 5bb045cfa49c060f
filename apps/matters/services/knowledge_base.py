"""Knowledge base, part two (MAT-3.3.2–3.3.4, 3.3.7): laws with type/level/industry and full-text
search, business scopes linked to items, stage-aware guidance for a case, and entry evaluation that
sends wrong entries back and feeds assessment."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case as When_, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from apps.matters.models import (
    BusinessScope, GuidanceStage, ImplementationItem, KnowledgeEntry, KnowledgeEvaluation, KnowledgeKind, LawLevel,
    LawType, MatterStatus, NotificationKind,
)
from apps.matters.services.kernel import require_permission
from apps.matters.services.knowledge import _LETTERS, pinyin_initials
from apps.matters.services.notifications import notify

GUIDANCE_KINDS = (KnowledgeKind.FAQ, KnowledgeKind.GUIDE, KnowledgeKind.POLICY)

# Case status (apps.acceptance CaseStatus values) → the applicant's stage (MAT-3.3.4).
CASE_STAGE = {
    "pending_pre_review": GuidanceStage.PRE_REVIEW, "pre_review_rejected": GuidanceStage.PRE_REVIEW,
    "pre_review_timed_out": GuidanceStage.PRE_REVIEW, "pre_review_passed": GuidanceStage.ACCEPTANCE,
    "pending_acceptance": GuidanceStage.ACCEPTANCE, "not_accepted": GuidanceStage.ACCEPTANCE,
    "supplement_required": GuidanceStage.SUPPLEMENT, "accepted": GuidanceStage.EXAMINATION,
    "under_examination": GuidanceStage.EXAMINATION, "under_approval": GuidanceStage.EXAMINATION,
    "concluded": GuidanceStage.RESULT,
}


def law_save(*, actor, title: str, content: str, law_type: str, law_level: str, industry: str = "",
             entry: KnowledgeEntry | None = None) -> KnowledgeEntry:
    """Collect (or correct) a law or regulation, classified by type, level and industry (MAT-3.3.2)."""
    require_permission(actor, "matters.add_knowledgeentry")
    errors = {}
    if not title.strip() or not content.strip():
        errors["title"] = _("标题和正文不能为空。")
    if law_type not in LawType.values:
        errors["law_type"] = _("请选择法规类型。")
    if law_level not in LawLevel.values:
        errors["law_level"] = _("请选择法规层级。")
    if errors:
        raise ValidationError(errors)
    entry = entry or KnowledgeEntry(kind=KnowledgeKind.LAW, department=actor.organisation, created_by=actor)
    if entry.kind != KnowledgeKind.LAW:
        raise ValidationError(_("该条目不是法律法规。"))
    entry.title, entry.content, entry.law_type, entry.law_level = title.strip(), content, law_type, law_level
    entry.industry, entry.pinyin_initials = industry.strip(), pinyin_initials(title)[:200]
    entry.save()
    return entry


def law_search(*, query: str = "", law_type: str = "", law_level: str = "", industry: str = ""):
    """Full-text search over laws: every whitespace-separated term must occur in the title or the
    body (Chinese has no word breaks, so a term is a substring); Latin letters also match the title's
    pinyin initials. Title hits rank first. Filters: type, level, industry."""
    laws = KnowledgeEntry.objects.filter(kind=KnowledgeKind.LAW)
    if law_type:
        laws = laws.filter(law_type=law_type)
    if law_level:
        laws = laws.filter(law_level=law_level)
    if industry:
        laws = laws.filter(industry=industry)
    terms = query.split()
    for term in terms:
        condition = Q(title__icontains=term) | Q(content__icontains=term)
        if _LETTERS.match(term):
            condition |= Q(pinyin_initials__contains=term.lower())
        laws = laws.filter(condition)
    if terms:
        laws = laws.annotate(rank=When_(When(title__icontains=terms[0], then=Value(0)), default=Value(1),
                                        output_field=IntegerField())).order_by("rank", "title")
    return laws


def business_scope_save(*, actor, code: str, name: str, catalogue_items: list) -> BusinessScope:
    """Link a standard business scope to the catalogue items it needs (MAT-3.3.3)."""
    require_permission(actor, "matters.add_businessscope")
    if not code.strip() or not name.strip():
        raise ValidationError(_("请填写经营范围编码和名称。"))
    if not catalogue_items:
        raise ValidationError({"catalogue_items": _("请选择该经营范围涉及的事项。")})
    with transaction.atomic():
        scope, _created = BusinessScope.objects.update_or_create(code=code.strip(), defaults={
            "name": name.strip(), "pinyin_initials": pinyin_initials(name)[:200]})
        scope.catalogue_items.set(catalogue_items)
    return scope


def business_scope_search(*, query: str):
    query = query.strip()
    if not query:
        return BusinessScope.objects.none()
    condition = Q(name__icontains=query) | Q(code__startswith=query)
    if _LETTERS.match(query):
        condition |= Q(pinyin_initials__contains=query.lower())
    return BusinessScope.objects.filter(condition)


def guides_for_scopes(*, scopes, region_prefix: str = ""):
    """Published implementation items (with their materials) an applicant with these business scopes
    needs, optionally within one region — to read the guides and prepare materials in advance."""
    items = ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED,
                                              catalogue_item__business_scopes__in=scopes)
    if region_prefix:
        items = items.filter(region__code__startswith=region_prefix)
    return (items.distinct().select_related("handling_department", "region").prefetch_related("materials")
            .order_by("name", "implementation_code"))


def guidance_for(*, item: ImplementationItem, stage: str) -> dict:
    """FAQs, guides and policy interpretations for the item at one stage (MAT-3.3.4): entries of the
    implementation item or its catalogue item for that stage, then stage-free ones of the item."""
    entries = (KnowledgeEntry.objects.filter(kind__in=GUIDANCE_KINDS)
               .filter(Q(implementation_item=item) | Q(catalogue_item_id=item.catalogue_item_id))
               .filter(Q(stage=stage) | Q(stage=""))
               .annotate(rank=When_(When(stage=stage, then=Value(0)), default=Value(1), output_field=IntegerField()))
               .order_by("rank", "kind", "title"))
    grouped = defaultdict(list)
    for entry in entries:
        grouped[entry.kind].append(entry)
    return {"stage": stage, "stage_label": str(GuidanceStage(stage).label),
            "faqs": grouped[KnowledgeKind.FAQ], "guides": grouped[KnowledgeKind.GUIDE],
            "policies": grouped[KnowledgeKind.POLICY]}


def guidance_for_case(case) -> dict:
    """Work out the applicant's stage from the case status and give that stage's help."""
    return guidance_for(item=case.item, stage=CASE_STAGE.get(case.status, GuidanceStage.PREPARE))


def knowledge_evaluate(*, actor, entry: KnowledgeEntry, accurate: bool, comment: str = "") -> KnowledgeEvaluation:
    """Rate an entry; an inaccurate verdict needs a reason and sends the entry back to its department
    for update (MAT-3.3.7)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_staff_user", True):
        raise PermissionDenied(_("请登录后评价。"))
    if not accurate and not comment.strip():
        raise ValidationError({"comment": _("评价为不准确时请说明与实际不符之处。")})
    with transaction.atomic():
        evaluation = KnowledgeEvaluation.objects.create(entry=entry, accurate=accurate, comment=comment,
                                                        evaluator=actor,
                                                        evaluator_organisation=getattr(actor, "organisation", None))
        if not accurate and not entry.needs_update:
            KnowledgeEntry.objects.filter(pk=entry.pk).update(needs_update=True)
            entry.needs_update = True
            notify(recipients=[entry.department], kind=NotificationKind.KNOWLEDGE,
                   title=_("知识条目“%(t)s”被评价为与实际不符，请更新") % {"t": entry.title}, body=comment)
    return evaluation


def knowledge_entry_update(*, actor, entry: KnowledgeEntry, content: str) -> None:
    """The responsible department updates a returned entry; that clears the return."""
    if getattr(actor, "organisation_id", None) != entry.department_id:
        raise PermissionDenied(_("由该条目的维护部门更新。"))
    if not content.strip():
        raise ValidationError({"content": _("内容不能为空。")})
    entry.content, entry.needs_update = content, False
    entry.save(update_fields=["content", "needs_update", "updated_at"])


def knowledge_assessment(*, start: date | None = None, end: date | None = None) -> dict:
    """Evaluation results as assessment inputs (MAT-3.3.7): per responsible department — evaluations,
    accurate share, entries returned and still not updated; per window (evaluator's unit) — how many
    evaluations it made. Two grouped queries; apps.supervision reads this for its indicators."""
    evaluations = KnowledgeEvaluation.objects.all()
    if start:
        evaluations = evaluations.filter(created_at__date__gte=start)
    if end:
        evaluations = evaluations.filter(created_at__date__lte=end)
    departments = []
    for row in (evaluations.order_by().values("entry__department_id", "entry__department__name")
                .annotate(n=Count("pk"), n_accurate=Count("pk", filter=Q(accurate=True)),
                          returned=Count("entry", filter=Q(accurate=False), distinct=True),
                          pending=Count("entry", filter=Q(entry__needs_update=True), distinct=True))
                .order_by("entry__department__name")):
        departments.append({"department": row["entry__department__name"], "evaluations": row["n"],
                            "accurate_rate": round(100.0 * row["n_accurate"] / row["n"], 1),
                            "returned": row["returned"], "pending_update": row["pending"]})
    windows = [{"unit": row["evaluator_organisation__name"], "evaluations": row["n"]}
               for row in evaluations.exclude(evaluator_organisation=None).order_by()
               .values("evaluator_organisation__name").annotate(n=Count("pk")).order_by("-n")]
    return {"departments": departments, "windows": windows}
