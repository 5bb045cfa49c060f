"""Pages for error correction (MAT-5.3) and inspection tags (MAT-5.4)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin, StaffRequiredMixin
from apps.matters import selectors
from apps.matters.models import CorrectionRequest, TaggedItem
from apps.matters.services.optimisation import (
    correction_recheck, correction_register, correction_report, tag_completion, tag_create, tag_delete, tag_grant,
    tag_mark, visible_tags,
)
from apps.matters.views.items import MatterActionView


def _errors(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


class CorrectionRegisterView(MatterActionView):
    """Inspectors (add_correctionrequest) and tag handlers (MAT-5.4.4) register problems; the service decides."""

    permission = "view"

    def act(self, request, item):
        correction_register(actor=request.user, item=item, tab=request.POST.get("tab", ""),
                            field=request.POST.get("field", ""), description=request.POST.get("description", ""))
        messages.success(request, _("问题已登记，已通知责任部门处理。"))


class CorrectionActionView(StaffRequiredMixin, View):
    """The department reports the fix (action=report) or the inspector re-checks (action=recheck)."""

    def post(self, request, pk):
        correction = get_object_or_404(CorrectionRequest.objects.select_related("catalogue_item", "implementation_item"),
                                       pk=pk)
        item = selectors.access_matter(request.user, "catalogue" if correction.catalogue_item_id else "implementation",
                                       correction.matter.pk)
        try:
            if request.POST.get("action") == "report":
                correction_report(actor=request.user, correction=correction, result=request.POST.get("result", ""))
            else:
                correction_recheck(actor=request.user, correction=correction,
                                   passed=request.POST.get("passed") == "1", comment=request.POST.get("comment", ""))
            messages.success(request, _("已保存。"))
        except ValidationError as error:
            _errors(request, error)
        return redirect(item.get_absolute_url())


class TagMarkView(StaffRequiredMixin, View):
    def post(self, request, pk):
        tagged = get_object_or_404(TaggedItem.objects.select_related("tag", "catalogue_item", "implementation_item"),
                                   pk=pk, tag__in=visible_tags(user=request.user))
        tag_mark(actor=request.user, tagged=tagged, done=request.POST.get("done") == "1")
        return redirect(tagged.matter.get_absolute_url())


class TagListView(StaffPermissionMixin, View):
    """标签维护: visible tags (own and granted), create, delete, grant."""

    permission_required = "matters.add_mattertag"

    def get(self, request, status=200):
        tags = visible_tags(user=request.user).select_related("created_by").prefetch_related("grants__user")
        return render(request, "matters/tags.html", {"title": _("事项标签"), "tags": tags}, status=status)

    def post(self, request):
        action = request.POST.get("action")
        try:
            if action == "create":
                tag_create(actor=request.user, name=request.POST.get("name", ""),
                           description=request.POST.get("description", ""),
                           reserved=request.POST.get("reserved") == "1")
            else:
                tag = get_object_or_404(visible_tags(user=request.user), pk=request.POST.get("tag"))
                if action == "delete":
                    tag_delete(actor=request.user, tag=tag)
                elif action == "grant":
                    grantee = get_object_or_404(get_user_model(), username=request.POST.get("username", ""))
                    tag_grant(actor=request.user, tag=tag, user=grantee,
                              can_maintain=request.POST.get("can_maintain") == "1")
        except ValidationError as error:
            _errors(request, error)
            return self.get(request, status=400)
        messages.success(request, _("已保存。"))
        return redirect("matters:tag-list")


class TagLeaderView(StaffPermissionMixin, View):
    """领导视图: one tag's completion per department, in percent (MAT-5.4.5)."""

    permission_required = "matters.add_mattertag"

    def get(self, request, pk):
        tag = get_object_or_404(visible_tags(user=request.user), pk=pk)
        return render(request, "matters/tag_leader.html", {"title": tag.name, "tag": tag,
                                                           "rows": tag_completion(tag=tag)})
