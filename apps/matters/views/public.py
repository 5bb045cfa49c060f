"""Public matter guide pages (/matters/): search, the guide of one published matter with situation
navigation and related "one thing" bundles (MAT-3), and the "one thing" search and bundle pages."""
from django.shortcuts import get_object_or_404, render

from apps.matters import selectors
from apps.matters.filters import PublicGuideFilterSet
from apps.matters.models import LawType, OneThing
from apps.matters.selectors_public import guide_search_page
from apps.matters.services.knowledge import one_thing_search


def guide_list(request):
    """Guide search: the same rows and bounded count as the search API (decision 0105) — the total is
    shown as "共 N 条" when exact and "约 N 条" when it is PostgreSQL's estimate."""
    filterset = PublicGuideFilterSet(request.GET, queryset=selectors.public_guides())
    rows = filterset.qs if filterset.is_valid() else selectors.public_guides().none()
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    page = guide_search_page(rows, page=number, page_size=PAGE_SIZE)
    if page is None:                                        # past the end: the first page
        number, page = 1, guide_search_page(rows, page=1, page_size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "matters/public/guide_list.html",
                  {"filter": filterset, "page": page, "object_list": page.rows,
                   "number": number, "total_display": f"{page.count:,}", "querystring": query.urlencode()})


PAGE_SIZE = 20


def guide_detail(request, pk: int):
    """The guide; `?situation=<pk>` narrows the materials to the general ones plus that situation's
    (multi-situation navigation, MAT-3.1), and the bundles the item belongs to are recommended."""
    item = selectors.public_guide(pk)
    situations = list(item.situations.all())
    chosen = next((s for s in situations if str(s.pk) == request.GET.get("situation", "")), None)
    materials = [m for m in item.materials.all() if chosen is None or m.situation_id in (None, chosen.pk)]
    return render(request, "matters/public/guide_detail.html", {
        "item": item, "situations": situations, "chosen_situation": chosen, "materials": materials,
        "bundles": item.bundle_list or [], "laws": [{**law, "law_type_display": LawType(law["law_type"]).label}
                                                    for law in item.law_list or []]})


def one_thing_list(request):
    """一件事 search by name or pinyin initials ("wykcg" → 我要开餐馆)."""
    query = request.GET.get("q", "").strip()
    bundles = one_thing_search(query=query)[:50] if query else OneThing.objects.order_by("name")[:50]
    return render(request, "matters/public/one_things.html", {"query": query, "bundles": bundles})


def one_thing_detail(request, pk: int):
    """One bundle: the published guides of every item it involves, with their materials (套餐式服务)."""
    bundle = get_object_or_404(OneThing, pk=pk)
    return render(request, "matters/public/one_thing.html", {
        "bundle": bundle, "items": selectors.bundle_guides(bundle)})
