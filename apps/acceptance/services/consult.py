"""办理咨询 (ACC-8.x): knowledge-base query (full text, pinyin initials, hot words, popularity, publish
time), the consultation robot, consultation registration and answering into the knowledge base."""
from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import Consultation, ConsultChannel, ConsultStatus, HotWord, KnowledgeHeat
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.validators import validate_mobile_number
from apps.matters.models import KnowledgeEntry, KnowledgeKind

CONSULT_KINDS = (KnowledgeKind.FAQ, KnowledgeKind.GUIDE, KnowledgeKind.POLICY)
_LETTERS = re.compile(r"^[A-Za-z]+$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
ROBOT_LIMIT = 3


def knowledge_entries():
    """The entries consultation uses: FAQ, guides and policies not sent back for updating."""
    return KnowledgeEntry.objects.filter(kind__in=CONSULT_KINDS, needs_update=False)


def _count_hot_word(term: str) -> None:
    term = term.strip()[:50]
    if not term:
        return
    HotWord.objects.bulk_create([HotWord(term=term)], ignore_conflicts=True)
    HotWord.objects.filter(term=term).update(count=F("count") + 1, last_searched_at=timezone.now())


def knowledge_query(*, query: str = "", published_from: date | None = None, published_to: date | None = None,
                    order: str = "relevance", count: bool = True):
    """Full-text search over title and content; a query of Latin letters also matches pinyin initials
    ("spjy" → 食品经营…); publish-time range; order by popularity ("hot") or publish time ("recent").
    Every non-empty query counts towards the hot words."""
    query = query.strip()
    entries = knowledge_entries().select_related("department", "acceptance_heat")
    if query:
        condition = Q(title__icontains=query) | Q(content__icontains=query)
        if _LETTERS.match(query):
            condition |= Q(pinyin_initials__contains=query.lower())
        entries = entries.filter(condition)
        if count:
            _count_hot_word(query)
    if published_from:
        entries = entries.filter(updated_at__date__gte=published_from)
    if published_to:
        entries = entries.filter(updated_at__date__lte=published_to)
    if order == "hot":
        return entries.order_by(F("acceptance_heat__views").desc(nulls_last=True), "-updated_at")
    return entries.order_by("-updated_at", "-pk")


def hot_words(limit: int = 10) -> list[HotWord]:
    return list(HotWord.objects.order_by("-count", "term")[:limit])


def popular_entries(limit: int = 10):
    """Entries opened at least once, most viewed first."""
    return knowledge_query(order="hot", count=False).filter(acceptance_heat__views__gt=0)[:limit]


def knowledge_open(entry: KnowledgeEntry) -> KnowledgeEntry:
    """One view of an entry (popularity)."""
    KnowledgeHeat.objects.bulk_create([KnowledgeHeat(entry=entry)], ignore_conflicts=True)
    KnowledgeHeat.objects.filter(entry=entry).update(views=F("views") + 1)
    return entry


def _bigrams(text: str) -> set[str]:
    return {run[i:i + 2] for run in _HAN.findall(text) for i in range(max(1, len(run) - 1))}


def robot_answer(*, question: str) -> list[KnowledgeEntry]:
    """The robot (8.1): entries whose title shares the most two-character terms with the question."""
    terms = sorted(_bigrams(question))[:40]
    if not terms:
        return []
    condition = Q()
    for term in terms:
        condition |= Q(title__icontains=term)
    candidates = knowledge_entries().filter(condition)[:200]
    scored = [(sum(term in entry.title for term in terms), entry) for entry in candidates]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [entry for score, entry in scored[:ROBOT_LIMIT] if score >= 2 or len(terms) == 1]


@transaction.atomic
def robot_ask(*, question: str, organisation, consultant_name: str = "", consultant_mobile: str = "", actor=None):
    """Ask the robot; an unanswered question is registered as a pending consultation for staff, whose
    answer then goes into the knowledge base (8.1)."""
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("请输入您要咨询的问题。")})
    answers = robot_answer(question=question)
    for entry in answers:
        knowledge_open(entry)
    if answers:
        return answers, None
    if consultant_mobile:
        validate_mobile_number(consultant_mobile.strip())
    pending = Consultation.objects.create(
        consultant_name=(consultant_name or (actor.get_full_name() if actor and actor.is_authenticated else "")
                         or _("网上咨询用户"))[:64],
        consultant_mobile=consultant_mobile.strip(), channel=ConsultChannel.ROBOT, business=question[:200],
        question=question, status=ConsultStatus.PENDING, organisation=organisation)
    return [], pending


def _require(actor, permission: str, organisation=None) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if organisation is not None and not can_see(actor, organisation):
        raise PermissionDenied(_("只能登记本单位（或下属单位）的咨询。"))


@transaction.atomic
def consultation_register(*, actor, consultant_name: str, business: str, question: str, result: str = "",
                          consultant_mobile: str = "", channel: str = ConsultChannel.WINDOW, item=None):
    """咨询登记 (8.3) by consultation staff, for their own unit."""
    _require(actor, "acceptance.add_consultation", actor.organisation if actor else None)
    errors = {}
    if not consultant_name.strip():
        errors["consultant_name"] = _("请填写咨询人。")
    if not business.strip():
        errors["business"] = _("请填写咨询业务。")
    if not question.strip():
        errors["question"] = _("请填写咨询问题。")
    if channel not in ConsultChannel.values:
        errors["channel"] = _("未知的咨询渠道。")
    if consultant_mobile.strip():
        try:
            validate_mobile_number(consultant_mobile.strip())
        except ValidationError as exc:
            errors["consultant_mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(
        consultant_name=consultant_name.strip(), consultant_mobile=consultant_mobile.strip(), channel=channel,
        item=item, business=business.strip(), question=question.strip(), result=result.strip(),
        status=ConsultStatus.ANSWERED if result.strip() else ConsultStatus.PENDING,
        answered_at=timezone.now() if result.strip() else None, organisation=actor.organisation,
        registered_by=actor)
    audit_record(actor=actor, action="create", obj=consultation)
    return consultation


@transaction.atomic
def consultation_answer(*, actor, consultation: Consultation, result: str, add_to_knowledge: bool = False):
    """Answer a pending consultation; optionally publish question and answer as an FAQ (8.1, 8.5)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require(actor, "acceptance.change_consultation")
    if not can_see(actor, consultation):
        raise PermissionDenied(_("该咨询不在您的管理范围内。"))
    if not result.strip():
        raise ValidationError({"result": _("请填写处理结果。")})
    consultation.result, consultation.status = result.strip(), ConsultStatus.ANSWERED
    consultation.answered_at = timezone.now()
    if add_to_knowledge:
        from apps.matters.services.knowledge import knowledge_entry_create

        consultation.knowledge_entry = knowledge_entry_create(
            actor=actor, kind=KnowledgeKind.FAQ, title=consultation.question[:200], content=consultation.result,
            item=consultation.item)
    consultation.save(update_fields=["result", "status", "answered_at", "knowledge_entry"])
    audit_record(actor=actor, action="update", obj=consultation, detail="答复咨询")
    return consultation


@transaction.atomic
def consultation_submit_online(*, actor, organisation, business: str, question: str, item=None,
                               consultant_name: str = "", consultant_mobile: str = "") -> Consultation:
    """网上咨询 from a public channel (service map window, MAP-6.5.2): a signed-in applicant's question is
    registered as a pending consultation of the window's organisation, answered later by its staff."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录后再咨询。"))
    errors = {}
    if not business.strip():
        errors["business"] = _("请填写咨询标题。")
    if not question.strip():
        errors["question"] = _("请填写咨询问题。")
    if consultant_mobile.strip():
        try:
            validate_mobile_number(consultant_mobile.strip())
        except ValidationError as exc:
            errors["consultant_mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(
        consultant_name=(consultant_name.strip() or actor.get_full_name() or actor.get_username())[:64],
        consultant_mobile=consultant_mobile.strip(), channel=ConsultChannel.ONLINE, item=item,
        business=business.strip()[:200], question=question.strip(), status=ConsultStatus.PENDING,
        organisation=organisation)
    audit_record(actor=actor, action="create", obj=consultation, detail="网上咨询")
    return consultation
