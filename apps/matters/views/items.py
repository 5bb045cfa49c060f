"""Item detail, declaration, claim, submit, review, code correction and version comparison pages."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin
from apps.matters import selectors
from apps.matters.forms import (
    CodeCorrectionForm, DeclarationForm, MaterialFormSet, ReviewForm, StepFormSet, formset_rows,
)
from apps.matters.models import CORRECTION_TABS
from apps.matters.services.coding import matter_code_correct
from apps.matters.services.optimisation import item_tags
from apps.matters.services.declaration import (
    catalogue_item_claim, catalogue_item_declare, matter_review, matter_submit,
)
from apps.matters.services.versions import ELEMENT_FIELDS, matter_snapshot, version_diff


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors where the field exists, else non-field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class MatterDetailView(StaffPermissionMixin, View):
    """All elements, child rows, versions, change requests and the flow history of one matter."""

    kind = "catalogue"

    def get_permission_required(self):
        return [f"matters.view_{self.kind}item"]

    def get(self, request, pk):
        item = selectors.access_matter(request.user, self.kind, pk)
        snapshot = matter_snapshot(item)
        context = {
            "item": item, "kind": self.kind, "title": item.name,
            "elements": [row for row in version_diff(snapshot, snapshot) if row.field in ELEMENT_FIELDS],
            "versions": selectors.versions_of(item), "transitions": selectors.matter_timeline(item),
            "change_requests": item.change_requests.all()[:20],
            "suspensions": item.suspension_requests.all()[:10],
            "corrections": item.corrections.select_related("reported_by")[:20],
            "tags": item_tags(user=request.user, item=item), "correction_tabs": CORRECTION_TABS,
            "review_form": ReviewForm(), "code_form": CodeCorrectionForm(initial={"code": item.code}),
            "can_edit": selectors.can_edit(request.user, item),
        }
        if self.kind == "implementation":
            from apps.matters.services.staged_review import custom_rule_for, original_platform_link

            from apps.matters.models import ExerciseLevel

            level = item.exercise_level
            context.update(exercise_level=ExerciseLevel(level).label if level in ExerciseLevel.values else "—")
            context.update(custom_rule=custom_rule_for(item), original_link=original_platform_link(item),
                           staged=item.staged_reviews.all()[:10])
        return render(request, "matters/item_detail.html", context)


class CatalogueDeclareView(StaffPermissionMixin, View):
    """申报: the element form plus process steps and materials; ?template=<pk> pre-fills it."""

    permission_required = "matters.add_catalogueitem"

    def _template(self, request):
        pk = request.GET.get("template") or request.POST.get("template")
        return selectors.access_catalogue_item(request.user, pk) if pk else None

    def get(self, request):
        template = self._template(request)
        initial, steps, materials = {}, [], []
        if template:
            snapshot = matter_snapshot(template)
            initial = {name: getattr(template, name) for name in ELEMENT_FIELDS}
            steps, materials = snapshot["steps"], snapshot["materials"]
        initial.setdefault("department", request.user.organisation)
        form = DeclarationForm(initial=initial, user=request.user)
        return self._render(request, form, StepFormSet(prefix="steps", initial=steps),
                            MaterialFormSet(prefix="materials", initial=materials), template)

    def post(self, request):
        template = self._template(request)
        form = DeclarationForm(request.POST, user=request.user)
        step_set = StepFormSet(request.POST, prefix="steps")
        material_set = MaterialFormSet(request.POST, prefix="materials")
        if form.is_valid() and step_set.is_valid() and material_set.is_valid():
            data = form.element_data()
            try:
                item = catalogue_item_declare(
                    actor=request.user, department=form.cleaned_data["department"], data=data,
                    parent=form.cleaned_data.get("parent"), submit="submit" in request.POST,
                    children={"steps": formset_rows(step_set), "materials": formset_rows(material_set)})
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("事项已保存，基本编码 %(code)s。") % {"code": item.basic_code})
                return redirect(item.get_absolute_url())
        return self._render(request, form, step_set, material_set, template, status=400)

    def _render(self, request, form, step_set, material_set, template, status=200):
        return render(request, "matters/declare.html", {
            "form": form, "step_set": step_set, "material_set": material_set, "template_item": template,
            "title": _("事项申报")}, status=status)


class MatterActionView(StaffPermissionMixin, View):
    """Base of the small POST-only actions on one matter; redirects back to the detail page."""

    kind = "catalogue"
    permission = "view"

    def get_permission_required(self):
        return [f"matters.{self.permission}_{self.kind}item" if "_" not in self.permission
                else f"matters.{self.permission}"]

    def post(self, request, pk):
        item = selectors.access_matter(request.user, self.kind, pk)
        try:
            target = self.act(request, item) or item
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            target = item
        return redirect(target.get_absolute_url())

    def act(self, request, item):  # pragma: no cover - overridden
        raise NotImplementedError


class MatterSubmitView(MatterActionView):
    permission = "change"

    def act(self, request, item):
        from apps.matters.services.staged_review import custom_rule_for, staged_submit

        if custom_rule_for(item) is not None:
            upload = request.FILES.get("attachment")
            staged_submit(actor=request.user, item=item, action=request.POST.get("action", "declare"),
                          attachment_name=upload.name if upload else "", attachment=upload.read() if upload else b"",
                          reason=request.POST.get("reason", ""))
            messages.success(request, _("已提交，等待区县营商局初审。"))
            return
        matter_submit(actor=request.user, item=item)
        messages.success(request, _("已提交审核。"))


class MatterReviewView(MatterActionView):
    permission = "review_catalogueitem"

    def act(self, request, item):
        form = ReviewForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择审核结果。"))
        matter_review(actor=request.user, item=item, approve=form.cleaned_data["decision"] == "approve",
                      comment=form.cleaned_data["comment"])
        messages.success(request, _("审核完成。"))


class MatterCodeCorrectView(MatterActionView):
    permission = "correct_matter_code"

    def act(self, request, item):
        form = CodeCorrectionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请填写正确编码和修正原因。"))
        matter_code_correct(item=item, new_code=form.cleaned_data["code"], actor=request.user,
                            reason=form.cleaned_data["reason"])
        messages.success(request, _("编码已修正。"))


class CatalogueClaimView(MatterActionView):
    permission = "add_implementationitem"

    def act(self, request, item):
        created = catalogue_item_claim(actor=request.user, catalogue_item=item,
                                       implementing_body=request.user.organisation)
        messages.success(request, _("已认领，实施编码 %(code)s。") % {"code": created.implementation_code})
        return created


class VersionCompareView(StaffPermissionMixin, View):
    """Any two versions side by side, changed elements highlighted (MAT-2.1.3, 2.2.5, 5.5.2)."""

    kind = "catalogue"

    def get_permission_required(self):
        return [f"matters.view_{self.kind}item"]

    def get(self, request, pk):
        item = selectors.access_matter(request.user, self.kind, pk)
        versions = list(selectors.versions_of(item))
        numbers = [v.number for v in versions]
        try:
            a = int(request.GET.get("a") or (numbers[1] if len(numbers) > 1 else numbers[0]))
            b = int(request.GET.get("b") or numbers[0])
        except (IndexError, ValueError):
            raise Http404(_("没有可比对的版本。"))
        by_number = {v.number: v for v in versions}
        if a not in by_number or b not in by_number:
            raise Http404(_("版本不存在。"))
        rows = version_diff(by_number[a].snapshot, by_number[b].snapshot)
        only_changed = request.GET.get("only") == "changed"
        return render(request, "matters/compare.html", {
            "item": item, "kind": self.kind, "versions": versions, "a": by_number[a], "b": by_number[b],
            "rows": [row for row in rows if row.changed] if only_changed else rows, "only_changed": only_changed,
            "changed_count": sum(row.changed for row in rows), "title": _("版本比对")})
