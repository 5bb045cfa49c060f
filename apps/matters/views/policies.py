"""Policy and regulation centre pages (MAT-3.3.2.1–3.3.2.3): the public centre (home, search, one
policy, subscriptions for signed-in users), the staff policy management page and law maintenance."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.models import (
    CatalogueItem, KnowledgeEntry, KnowledgeKind, LawLevel, LawSource, LawType, Policy, PolicyKind, PolicyStatus,
    PolicyTag,
)
from apps.matters.services.knowledge_base import law_save
from apps.matters.services.policies import (
    law_link_items, law_source_save, law_tags_set, policy_centre_home, policy_collect, policy_publish, policy_save,
    policy_search, policy_statistics, policy_subscribe, policy_unsubscribe, policy_view, policy_withdraw,
    published_policies, subscription_feed,
)


def _errors(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def _tag_names(text: str) -> list[str]:
    return [t for t in text.replace("，", ",").replace("、", ",").split(",") if t.strip()]


QUICK_ENTRIES = (("matters-public:guide-list", _("办事指南")), ("matters-public:one-things", _("一件事")),
                 ("matters-public:scope-guides", _("按经营范围查")))


def public_policy_centre(request):
    """政策法规中心首页 with search (full text, kind, tag, 涉企政策) and the signed-in user's feed."""
    params = {key: request.GET.get(key, "").strip() for key in ("q", "kind", "tag")}
    legal = request.GET.get("legal") == "1"
    searching = any(params.values()) or legal
    results = None
    if searching:
        rows = policy_search(query=params["q"], kind=params["kind"], tag=params["tag"], for_legal_person=legal)
        results = Paginator(rows, 20).get_page(request.GET.get("page"))
    user = request.user if request.user.is_authenticated else None
    return render(request, "matters/public/policy_centre.html", {
        "home": policy_centre_home(), "params": params, "legal": legal, "results": results,
        "kinds": PolicyKind.choices, "quick_entries": QUICK_ENTRIES,
        "feed": list(subscription_feed(user=user)[:10]) if user else None,
        "subscribed": set(user.policy_subscriptions.values_list("tag__name", flat=True)) if user else set()})


def public_policy_detail(request, pk: int):
    policy = get_object_or_404(published_policies().prefetch_related("tags"), pk=pk)
    policy_view(policy)
    interpretations = published_policies().filter(interprets=policy)
    return render(request, "matters/public/policy_detail.html", {
        "policy": policy, "interpretations": interpretations,
        "items": policy.catalogue_items.filter(status="published").order_by("name")[:20]})


@require_POST
def public_policy_subscribe(request):
    """Follow or unfollow a tag (signed-in users; anonymous visitors are sent to log in)."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse(settings.LOGIN_URL)}?next={reverse('matters-public:policy-centre')}")
    tag = get_object_or_404(PolicyTag, name=request.POST.get("tag", ""))
    if request.POST.get("action") == "unsubscribe":
        policy_unsubscribe(user=request.user, tag=tag)
        messages.success(request, _("已取消订阅“%(t)s”。") % {"t": tag.name})
    else:
        policy_subscribe(user=request.user, tag=tag)
        messages.success(request, _("已订阅“%(t)s”，相关新政策将出现在“我的订阅”中。") % {"t": tag.name})
    return redirect("matters-public:policy-centre")


class PolicyManageView(StaffPermissionMixin, View):
    """政策管理: the department's policies (documents, interpretations, news) with create, collect,
    publish and withdraw; statistics; the same search as the public side."""

    permission_required = "matters.add_policy"

    def get(self, request):
        status = request.GET.get("status", "")
        policies = restrict(Policy.objects.all(), request.user).select_related("issuer", "interprets")
        if status in PolicyStatus.values:
            policies = policies.filter(status=status)
        page = Paginator(policies.order_by("status", "-published_at", "-pk").prefetch_related("tags"), 30)
        return render(request, "matters/policy_manage.html", {
            "title": _("政策管理"), "page_obj": page.get_page(request.GET.get("page")), "status": status,
            "statuses": PolicyStatus.choices, "kinds": PolicyKind.choices,
            "documents": published_policies().filter(kind=PolicyKind.DOCUMENT).order_by("-published_at")[:100],
            "statistics": policy_statistics(), "tags": PolicyTag.objects.all()[:200]})

    def post(self, request):
        action = request.POST.get("action", "create")
        try:
            if action == "create":
                interprets = Policy.objects.filter(pk=(_ids([request.POST.get("interprets", "")]) or [0])[0]).first()
                items = CatalogueItem.objects.filter(basic_code__in=request.POST.get("item_codes", "").split())
                policy_save(actor=request.user, kind=request.POST.get("kind", ""), title=request.POST.get("title", ""),
                            content=request.POST.get("content", ""), doc_number=request.POST.get("doc_number", ""),
                            tags=_tag_names(request.POST.get("tags", "")), interprets=interprets,
                            for_legal_person=request.POST.get("for_legal_person") == "1",
                            catalogue_items=list(items))
                messages.success(request, _("已保存为草稿。"))
            elif action == "collect":
                rows = [{"title": line.split("|")[0], "content": (line.split("|") + [""])[1],
                         "doc_number": (line.split("|") + ["", ""])[2]}
                        for line in request.POST.get("rows", "").splitlines() if line.strip()]
                messages.success(request, _("已采集 %(n)d 条政策。") % {"n": len(policy_collect(actor=request.user,
                                                                                        rows=rows))})
            elif action in ("publish", "withdraw"):
                policy = get_object_or_404(restrict(Policy.objects.all(), request.user),
                                           pk=(_ids([request.POST.get("policy", "")]) or [0])[0])
                if action == "publish":
                    subscribers = policy_publish(actor=request.user, policy=policy)
                    messages.success(request, _("已发布，%(n)d 位订阅者将收到。") % {"n": subscribers})
                else:
                    policy_withdraw(actor=request.user, policy=policy, reason=request.POST.get("reason", ""))
                    messages.success(request, _("已撤回。"))
            else:
                raise ValidationError(_("未知操作。"))
        except ValidationError as error:
            _errors(request, error)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("您没有执行此操作的权限。"))
        return redirect("matters:policies")


class LawMaintainView(StaffPermissionMixin, View):
    """法律法规维护: sources, laws (type, level, industry, source, tags) and links to items' legal basis."""

    permission_required = "matters.add_knowledgeentry"

    def get(self, request):
        laws = (KnowledgeEntry.objects.filter(kind=KnowledgeKind.LAW).select_related("law_source")
                .prefetch_related("tags", "item_links__catalogue_item").order_by("-created_at", "-pk"))
        page = Paginator(laws, 30).get_page(request.GET.get("page"))
        return render(request, "matters/law_maintain.html", {
            "title": _("法律法规维护"), "page_obj": page, "sources": LawSource.objects.all(),
            "law_types": LawType.choices, "law_levels": LawLevel.choices})

    def post(self, request):
        action = request.POST.get("action", "")
        try:
            if action == "source":
                law_source_save(actor=request.user, name=request.POST.get("name", ""), url=request.POST.get("url", ""))
            elif action == "law":
                law = law_save(actor=request.user, title=request.POST.get("title", ""),
                               content=request.POST.get("content", ""), law_type=request.POST.get("law_type", ""),
                               law_level=request.POST.get("law_level", ""), industry=request.POST.get("industry", ""))
                source = LawSource.objects.filter(pk=(_ids([request.POST.get("source", "")]) or [0])[0]).first()
                law_tags_set(actor=request.user, law=law, tags=_tag_names(request.POST.get("tags", "")), source=source)
            elif action == "link":
                law = get_object_or_404(KnowledgeEntry, kind=KnowledgeKind.LAW,
                                        pk=(_ids([request.POST.get("law", "")]) or [0])[0])
                items = list(CatalogueItem.objects.filter(basic_code__in=request.POST.get("item_codes", "").split()))
                law_link_items(actor=request.user, law=law, items=items, article=request.POST.get("article", ""))
            else:
                raise ValidationError(_("未知操作。"))
            messages.success(request, _("已保存。"))
        except ValidationError as error:
            _errors(request, error)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("您没有执行此操作的权限。"))
        return redirect("matters:laws")
