"""Knowledge base pages: law search and evaluation for staff (MAT-3.3.2, 3.3.7), business-scope
guides and stage guidance for applicants (MAT-3.3.3, 3.3.4)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.views.mixins import StaffRequiredMixin
from apps.matters import selectors
from apps.matters.models import BusinessScope, GuidanceStage, KnowledgeEntry, LawLevel, LawType
from apps.matters.services.knowledge_base import (
    business_scope_search, guidance_for, guides_for_scopes, knowledge_assessment, knowledge_entry_update,
    knowledge_evaluate, law_search,
)


class KnowledgeView(StaffRequiredMixin, View):
    """法律法规 search with type/level/industry filters, evaluation, and the department's returned entries."""

    def get(self, request):
        params = {key: request.GET.get(key, "").strip() for key in ("q", "law_type", "law_level", "industry")}
        laws = law_search(query=params["q"], law_type=params["law_type"], law_level=params["law_level"],
                          industry=params["industry"]).select_related("department")[:100]
        returned = KnowledgeEntry.objects.filter(department_id=getattr(request.user, "organisation_id", None),
                                                 needs_update=True).prefetch_related("evaluations")
        return render(request, "matters/knowledge.html", {
            "title": _("知识库"), "params": params, "laws": laws, "returned": returned,
            "law_types": LawType.choices, "law_levels": LawLevel.choices,
            "assessment": knowledge_assessment() if request.user.has_perm("matters.view_knowledgeevaluation")
            else None})

    def post(self, request):
        entry = get_object_or_404(KnowledgeEntry, pk=request.POST.get("entry", "0") if
                                  request.POST.get("entry", "").isdigit() else 0)
        try:
            if request.POST.get("action") == "update":
                knowledge_entry_update(actor=request.user, entry=entry, content=request.POST.get("content", ""))
            else:
                knowledge_evaluate(actor=request.user, entry=entry, accurate=request.POST.get("accurate") == "1",
                                   comment=request.POST.get("comment", ""))
            messages.success(request, _("已保存。"))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect("matters:knowledge")


def scope_guides(request):
    """Public: pick standard business scopes, read the guides and the materials to prepare (MAT-3.3.3)."""
    query = request.GET.get("q", "")
    chosen = [int(v) for v in request.GET.getlist("scope") if v.isdigit()]
    scopes = BusinessScope.objects.filter(pk__in=chosen)
    return render(request, "matters/public/scope_guides.html", {
        "query": query, "candidates": business_scope_search(query=query)[:30], "scopes": scopes,
        "items": guides_for_scopes(scopes=scopes)[:100] if chosen else []})


def guide_guidance(request, pk: int):
    """Public: help for the stage the applicant is at (MAT-3.3.4)."""
    item = selectors.public_guide(pk)
    stage = request.GET.get("stage", GuidanceStage.PREPARE)
    if stage not in GuidanceStage.values:
        stage = GuidanceStage.PREPARE
    return render(request, "matters/public/guidance.html", {
        "item": item, "guidance": guidance_for(item=item, stage=stage), "stages": GuidanceStage.choices})
