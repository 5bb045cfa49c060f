"""Policy and regulation centre (MAT-3.3.2.1–3.3.2.3): policy collection and maintenance, publishing,
interpretations and news, tags, subscriptions, statistics, the centre's home page; law sources, law
tags and the links from laws to the items whose legal basis they are."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.matters.models import (
    CatalogueItem, KnowledgeEntry, KnowledgeKind, LawItemLink, LawSource, Policy, PolicyKind, PolicyStatus,
    PolicySubscription, PolicyTag,
)
from apps.matters.services.kernel import AuditAction, audit_record, record_transition, require_permission
from apps.matters.services.knowledge import _LETTERS, pinyin_initials

HOME_SIZE = 6


def _tags(names) -> list[PolicyTag]:
    clean = sorted({str(n).strip()[:32] for n in names if str(n).strip()})
    existing = {t.name: t for t in PolicyTag.objects.filter(name__in=clean)}
    for name in clean:
        if name not in existing:
            existing[name], _created = PolicyTag.objects.get_or_create(name=name)
    return [existing[n] for n in clean]


def _validate(kind: str, title: str, content: str, interprets: Policy | None) -> dict:
    errors = {}
    if kind not in PolicyKind.values:
        errors["kind"] = _("请选择类型（政策文件、政策解读、政策资讯）。")
    if not title.strip():
        errors["title"] = _("请填写标题。")
    if not content.strip():
        errors["content"] = _("请填写正文。")
    if kind == PolicyKind.INTERPRETATION and interprets is None:
        errors["interprets"] = _("政策解读须选择所解读的政策文件。")
    if interprets is not None and interprets.kind != PolicyKind.DOCUMENT:
        errors["interprets"] = _("只能解读政策文件。")
    return errors


def policy_save(*, actor, kind: str, title: str, content: str, doc_number: str = "", tags=(),
                for_legal_person: bool = False, interprets: Policy | None = None, source_url: str = "",
                catalogue_items=(), policy: Policy | None = None) -> Policy:
    """Create or edit a policy document, interpretation or news item (a draft until published)."""
    require_permission(actor, "matters.add_policy" if policy is None else "matters.change_policy")
    if policy is not None and policy.issuer_id != getattr(actor, "organisation_id", None):
        raise PermissionDenied(_("只能修改本部门发布的政策。"))
    errors = _validate(kind, title, content, interprets)
    if errors:
        raise ValidationError(errors)
    organisation = actor.organisation
    created = policy is None
    with transaction.atomic():
        policy = policy or Policy(issuer=organisation, region_id=organisation.region_id, created_by=actor)
        policy.kind, policy.title, policy.content = kind, title.strip(), content
        policy.doc_number, policy.for_legal_person, policy.interprets = doc_number.strip(), for_legal_person, interprets
        policy.source_url, policy.pinyin_initials = source_url.strip(), pinyin_initials(title)[:200]
        policy.save()
        policy.tags.set(_tags(tags))
        policy.catalogue_items.set(catalogue_items)
        audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=policy)
    return policy


def policy_collect(*, actor, rows: list[dict]) -> list[Policy]:
    """政策数据采集: take a batch of collected policies (title, content, doc_number, kind, tags,
    source_url) as drafts — all or nothing; each bad row is named in the error."""
    require_permission(actor, "matters.add_policy")
    errors = []
    for number, row in enumerate(rows, start=1):
        problems = _validate(row.get("kind", PolicyKind.DOCUMENT), row.get("title", ""), row.get("content", ""), None)
        errors += [_("第%(n)d条：%(e)s") % {"n": number, "e": text} for text in problems.values()]
    if not rows:
        errors.append(_("没有可采集的政策。"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return [policy_save(actor=actor, kind=row.get("kind", PolicyKind.DOCUMENT), title=row["title"],
                            content=row["content"], doc_number=row.get("doc_number", ""), tags=row.get("tags", ()),
                            source_url=row.get("source_url", ""),
                            for_legal_person=bool(row.get("for_legal_person"))) for row in rows]


def policy_publish(*, actor, policy: Policy) -> int:
    """Publish a draft; returns how many subscribers follow one of its tags (they see it in their feed)."""
    require_permission(actor, "matters.publish_policy")
    if policy.issuer_id != getattr(actor, "organisation_id", None) and not actor.is_system_admin:
        raise PermissionDenied(_("只能发布本部门的政策。"))
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        if locked.status == PolicyStatus.PUBLISHED:
            raise ValidationError(_("该政策已发布。"))
        if locked.interprets_id and locked.interprets.status != PolicyStatus.PUBLISHED:
            raise ValidationError(_("所解读的政策文件尚未发布。"))
        from_state = locked.status
        locked.status, locked.published_at = PolicyStatus.PUBLISHED, timezone.now()
        locked.save(update_fields=["status", "published_at"])
        record_transition(obj=locked, from_state=from_state, to_state=PolicyStatus.PUBLISHED, actor=actor,
                          action="publish")
    policy.refresh_from_db()
    return PolicySubscription.objects.filter(tag__policies=policy).values("user").distinct().count()


def policy_withdraw(*, actor, policy: Policy, reason: str) -> None:
    require_permission(actor, "matters.publish_policy")
    if not reason.strip():
        raise ValidationError({"reason": _("撤回时请说明理由。")})
    if policy.status != PolicyStatus.PUBLISHED:
        raise ValidationError(_("只能撤回已发布的政策。"))
    with transaction.atomic():
        Policy.objects.filter(pk=policy.pk).update(status=PolicyStatus.WITHDRAWN)
        record_transition(obj=policy, from_state=PolicyStatus.PUBLISHED, to_state=PolicyStatus.WITHDRAWN,
                          actor=actor, action="withdraw", comment=reason)
    policy.refresh_from_db()


def published_policies():
    return Policy.objects.filter(status=PolicyStatus.PUBLISHED).select_related("issuer")


def policy_search(*, query: str = "", kind: str = "", tag: str = "", for_legal_person: bool = False,
                  issuer_id: int | None = None):
    """政策查询: published policies; every term must occur in the title, number or body; Latin letters
    also match the title's pinyin initials. `for_legal_person` is the 涉企政策 query."""
    policies = published_policies()
    if kind:
        policies = policies.filter(kind=kind)
    if tag:
        policies = policies.filter(tags__name=tag)
    if for_legal_person:
        policies = policies.filter(for_legal_person=True)
    if issuer_id:
        policies = policies.filter(issuer_id=issuer_id)
    for term in query.split():
        condition = Q(title__icontains=term) | Q(doc_number__icontains=term) | Q(content__icontains=term)
        if _LETTERS.match(term):
            condition |= Q(pinyin_initials__contains=term.lower())
        policies = policies.filter(condition)
    return policies.distinct().order_by("-published_at", "-pk")


def policy_view(policy: Policy) -> None:
    """Count one reading (popular policies); an UPDATE with F(), so concurrent readers never lose one."""
    Policy.objects.filter(pk=policy.pk).update(views=F("views") + 1)


def policy_subscribe(*, user, tag: PolicyTag) -> PolicySubscription:
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("请登录后订阅。"))
    subscription, _created = PolicySubscription.objects.get_or_create(user=user, tag=tag)
    return subscription


def policy_unsubscribe(*, user, tag: PolicyTag) -> None:
    PolicySubscription.objects.filter(user=user, tag=tag).delete()


def subscription_feed(*, user):
    """Published policies carrying a tag the user follows, newest first."""
    return published_policies().filter(tags__subscriptions__user=user).distinct().order_by("-published_at", "-pk")


def policy_statistics() -> dict:
    """政策统计: published policies by kind, by issuing department and by month, readings, subscribers."""
    published = Policy.objects.filter(status=PolicyStatus.PUBLISHED)
    by_kind = {row["kind"]: row["n"] for row in published.order_by().values("kind").annotate(n=Count("pk"))}
    return {
        "total": sum(by_kind.values()),
        "by_kind": [{"kind": str(label), "n": by_kind.get(value, 0)} for value, label in PolicyKind.choices],
        "by_issuer": list(published.order_by().values("issuer__name").annotate(n=Count("pk")).order_by("-n")[:10]),
        "by_month": [{"month": row["month"].strftime("%Y-%m"), "n": row["n"]} for row in
                     published.annotate(month=TruncMonth("published_at")).order_by().values("month")
                     .annotate(n=Count("pk")).order_by("-month")[:12]],
        "views": published.aggregate(n=Sum("views"))["n"] or 0,
        "laws": KnowledgeEntry.objects.filter(kind=KnowledgeKind.LAW).count(),
        "subscribers": PolicySubscription.objects.values("user").distinct().count(),
    }


def hot_tags(limit: int = 12) -> list[PolicyTag]:
    """Tags ordered by how often their published policies were read, then by how many they carry."""
    return list(PolicyTag.objects.annotate(
        reads=Sum("policies__views", filter=Q(policies__status=PolicyStatus.PUBLISHED)),
        n=Count("policies", filter=Q(policies__status=PolicyStatus.PUBLISHED)))
        .filter(n__gt=0).order_by(F("reads").desc(nulls_last=True), "-n", "name")[:limit])


def policy_centre_home() -> dict:
    """The centre's home page data (MAT-3.3.2.1): statistics, latest and popular policies, latest
    interpretations and laws, hot tags. A fixed number of queries."""
    base = published_policies()
    return {
        "statistics": policy_statistics(),
        "latest": list(base.filter(kind=PolicyKind.DOCUMENT).order_by("-published_at", "-pk")[:HOME_SIZE]),
        "popular": list(base.filter(kind=PolicyKind.DOCUMENT).order_by("-views", "-published_at")[:HOME_SIZE]),
        "interpretations": list(base.filter(kind=PolicyKind.INTERPRETATION).select_related("interprets")
                                .order_by("-published_at", "-pk")[:HOME_SIZE]),
        "news": list(base.filter(kind=PolicyKind.NEWS).order_by("-published_at", "-pk")[:HOME_SIZE]),
        "laws": list(KnowledgeEntry.objects.filter(kind=KnowledgeKind.LAW).order_by("-created_at", "-pk")[:HOME_SIZE]),
        "hot_tags": hot_tags(),
    }


# --- laws (MAT-3.3.2.3) ------------------------------------------------------------------------

def law_source_save(*, actor, name: str, url: str = "") -> LawSource:
    require_permission(actor, "matters.add_lawsource")
    if not name.strip():
        raise ValidationError({"name": _("请填写来源名称。")})
    source, _created = LawSource.objects.update_or_create(name=name.strip(), defaults={"url": url.strip()})
    return source


def law_tags_set(*, actor, law: KnowledgeEntry, tags, source: LawSource | None = None) -> None:
    require_permission(actor, "matters.change_knowledgeentry")
    if law.kind != KnowledgeKind.LAW:
        raise ValidationError(_("该条目不是法律法规。"))
    with transaction.atomic():
        law.tags.set(_tags(tags))
        if source is not None and law.law_source_id != source.pk:
            law.law_source = source
            law.save(update_fields=["law_source", "updated_at"])


def law_link_items(*, actor, law: KnowledgeEntry, items: list[CatalogueItem], article: str = "") -> int:
    """Cite a law as the legal basis of catalogue items; the item's 设定依据 text gains the citation
    when it does not name the law yet. Returns how many links were added."""
    require_permission(actor, "matters.change_knowledgeentry")
    if law.kind != KnowledgeKind.LAW:
        raise ValidationError(_("该条目不是法律法规。"))
    if not items:
        raise ValidationError({"items": _("请选择以该法规为设定依据的事项。")})
    added = 0
    with transaction.atomic():
        for item in items:
            _link, created = LawItemLink.objects.get_or_create(law=law, catalogue_item=item,
                                                               defaults={"article": article.strip(),
                                                                         "created_by": actor})
            added += created
    return added

