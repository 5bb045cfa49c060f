"""Public matter guide pages (/matters/): search and the guide of one published matter."""
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.matters import selectors
from apps.matters.filters import PublicGuideFilterSet


def guide_list(request):
    filterset = PublicGuideFilterSet(request.GET, queryset=selectors.public_guides())
    rows = filterset.qs if filterset.is_valid() else selectors.public_guides().none()
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "matters/public/guide_list.html",
                  {"filter": filterset, "page_obj": page, "object_list": page.object_list, "paginator": page.paginator,
                   "is_paginated": page.has_other_pages(),
                   "querystring": query.urlencode()})


def guide_detail(request, pk: int):
    item = selectors.public_guide(pk)
    return render(request, "matters/public/guide_detail.html", {"item": item})
