"""Change form with highlighted differences before submission, and the change review page (MAT-2.1.6)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin
from apps.core.workflow import timeline_for
from apps.matters import selectors
from apps.matters.forms import (
    CatalogueElementsForm, ImplementationElementsForm, MaterialFormSet, ReviewForm, StepFormSet, formset_rows,
)
from apps.matters.models import IMMEDIATE_CHANGE_FIELDS
from apps.matters.services.changes import matter_change_preview, matter_change_review, matter_change_submit
from apps.matters.services.versions import ELEMENT_FIELDS, matter_snapshot, version_diff
from apps.matters.views.items import add_errors

FORMS = {"catalogue": CatalogueElementsForm, "implementation": ImplementationElementsForm}


class MatterChangeView(StaffPermissionMixin, View):
    """GET: the form pre-filled with the current version. POST: preview (diff highlighted);
    POST with `confirm`: submit through the service."""

    kind = "catalogue"

    def get_permission_required(self):
        return [f"matters.change_{self.kind}item"]

    def _item(self, request, pk):
        item = selectors.access_matter(request.user, self.kind, pk)
        if not selectors.can_edit(request.user, item):
            raise PermissionDenied(_("只能变更本部门（或下属部门）的事项。"))
        return item

    def get(self, request, pk):
        item = self._item(request, pk)
        snapshot = matter_snapshot(item)
        form = FORMS[self.kind](instance=item, user=request.user)
        return self._render(request, item, form, StepFormSet(prefix="steps", initial=snapshot["steps"]),
                            MaterialFormSet(prefix="materials", initial=snapshot["materials"]))

    def post(self, request, pk):
        item = self._item(request, pk)
        form = FORMS[self.kind](request.POST, instance=type(item).objects.get(pk=item.pk), user=request.user)
        step_set = StepFormSet(request.POST, prefix="steps")
        material_set = MaterialFormSet(request.POST, prefix="materials")
        if not (form.is_valid() and step_set.is_valid() and material_set.is_valid()):
            return self._render(request, item, form, step_set, material_set, status=400)
        proposed = {**form.element_data(), "steps": formset_rows(step_set), "materials": formset_rows(material_set)}
        try:
            changed = matter_change_preview(item=item, proposed=proposed)
            if "confirm" in request.POST and changed:
                change = matter_change_submit(actor=request.user, item=item, proposed=proposed,
                                              reason=request.POST.get("reason", ""))
                messages.success(request, _("变更已生效，已生成新版本。") if change.status == "approved"
                                 else _("变更已提交，等待法制办逐级审核。"))
                return redirect(change.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
            return self._render(request, item, form, step_set, material_set, status=400)
        if not changed:
            form.add_error(None, _("没有任何修改，无需提交变更。"))
        diff = [row for row in version_diff(matter_snapshot(item), _preview_snapshot(item, proposed)) if row.changed]
        return self._render(request, item, form, step_set, material_set, diff=diff, changed=changed)

    def _render(self, request, item, form, step_set, material_set, *, diff=None, changed=(), status=200):
        immediate = bool(changed) and set(changed) <= set(IMMEDIATE_CHANGE_FIELDS)
        return render(request, "matters/change_form.html", {
            "item": item, "kind": self.kind, "form": form, "step_set": step_set, "material_set": material_set,
            "diff": diff, "changed": set(changed), "immediate": immediate, "title": _("事项变更"),
            "immediate_fields": IMMEDIATE_CHANGE_FIELDS}, status=status)


def _preview_snapshot(item, proposed: dict) -> dict:
    snapshot = matter_snapshot(item)
    for name, value in proposed.items():
        if name in ELEMENT_FIELDS and hasattr(value, "pk"):
            snapshot[name] = {"id": value.pk, "label": str(value)}
        else:
            snapshot[name] = value
    return snapshot


class ChangeRequestDetailView(StaffPermissionMixin, View):
    """The proposed changes, the review chain, every reviewer's opinion, and the review form."""

    permission_required = "matters.view_changerequest"

    def get(self, request, pk, form=None, status=200):
        change = selectors.access_change_request(request.user, pk)
        item = change.matter
        base = selectors.versions_of(item).filter(number=change.base_version).first()
        before = base.snapshot if base else matter_snapshot(item)
        diff = [row for row in version_diff(before, {**before, **change.proposed})
                if row.field in change.changed_fields]
        can_review = (request.user.has_perm("matters.review_changerequest")
                      and selectors.review_queue(user=request.user).filter(pk=change.pk).exists())
        return render(request, "matters/change_detail.html", {
            "change": change, "item": item, "diff": diff, "transitions": timeline_for(change),
            "can_review": can_review, "review_form": form or ReviewForm(), "title": _("事项变更申请")}, status=status)

    def post(self, request, pk):
        change = selectors.access_change_request(request.user, pk)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                matter_change_review(actor=request.user, change=change, comment=form.cleaned_data["comment"],
                                     approve=form.cleaned_data["decision"] == "approve")
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("审核完成。"))
                return redirect(change.get_absolute_url())
        return self.get(request, pk, form=form, status=400)
