"""表单和基本信息映射 (ACC-16.4) pages: list (query by mapping name), create, edit, delete."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.acceptance.models.forms import FormMapping, MappingTarget
from apps.acceptance.services.form_apply import (
    MAPPING_ATTRIBUTES,
    form_mapping_delete,
    form_mapping_save,
    mappable_version,
)
from apps.acceptance.services.forms import schema_fields
from apps.acceptance.views.forms import scoped_forms
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin

PAIR_ROWS = 8


def scoped_mappings(user):
    return restrict(FormMapping.objects.select_related("form"), user)


class FormMappingListView(StaffPermissionMixin, TemplateView):
    permission_required = "acceptance.view_formmapping"
    template_name = "acceptance/forms/mappings.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        name = self.request.GET.get("name", "").strip()
        queryset = scoped_mappings(user)
        if name:
            queryset = queryset.filter(name__icontains=name)
        page = Paginator(queryset, 20).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            mappings=page.object_list, page_obj=page, paginator=page.paginator, is_paginated=page.has_other_pages(),
            querystring=params.urlencode(), name=name, can_add=user.has_perm("acceptance.add_formmapping"),
            can_change=user.has_perm("acceptance.change_formmapping"),
            can_delete=user.has_perm("acceptance.delete_formmapping"), **kwargs)


class FormMappingEditView(StaffPermissionMixin, TemplateView):
    template_name = "acceptance/forms/mapping_edit.html"
    permission_required = "acceptance.add_formmapping"          # refined per request below

    def get_permission_required(self):
        return ["acceptance.change_formmapping" if self.kwargs.get("pk") else "acceptance.add_formmapping"]

    def _mapping(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(scoped_mappings(self.request.user), pk=pk) if pk else None

    def get_context_data(self, **kwargs):
        mapping = self._mapping()
        forms = list(scoped_forms(self.request.user).order_by("name").prefetch_related("versions"))
        values = kwargs.pop("values", None) or {
            "name": mapping.name if mapping else "", "form": mapping.form_id if mapping else "",
            "target": mapping.target if mapping else MappingTarget.NATURAL_PERSON,
            "pairs": list(mapping.pairs) if mapping else []}
        pairs = values["pairs"] + [{"field": "", "attribute": ""}] * max(0, PAIR_ROWS - len(values["pairs"]))
        form_fields = {}
        for form in forms:       # one query for every form's versions (the prefetch)
            version = mappable_version(form)
            form_fields[form.pk] = [(f["key"], f["label"]) for f in schema_fields(version.schema)] if version else []
        return super().get_context_data(
            mapping=mapping, forms=forms, values=values, pairs=pairs, targets=MappingTarget.choices,
            attributes=[(k, a.label, " ".join(a.targets)) for k, a in MAPPING_ATTRIBUTES.items()],
            form_fields=form_fields, errors=kwargs.pop("errors", {}), **kwargs)

    def post(self, request, pk=None):
        mapping = self._mapping()
        post = request.POST
        pairs = [{"field": f, "attribute": a} for f, a in zip(post.getlist("pair_field"), post.getlist("pair_attribute"))]
        values = {"name": post.get("name", ""), "form": int(post.get("form") or 0), "target": post.get("target", ""),
                  "pairs": [p for p in pairs if p["field"] or p["attribute"]]}
        form = scoped_forms(request.user).filter(pk=values["form"]).first()
        try:
            if form is None:
                raise ValidationError({"form": [_("请选择来源表单。")]})
            form_mapping_save(name=values["name"], form=form, target=values["target"], pairs=values["pairs"],
                              mapping=mapping, actor=request.user)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            return self.render_to_response(self.get_context_data(values=values, errors=errors))
        except PermissionDenied as exc:
            return self.render_to_response(self.get_context_data(values=values, errors={"__all__": [str(exc)]}))
        messages.success(request, _("已保存。"))
        return redirect("acceptance:form-mapping-list")


class FormMappingDeleteView(StaffPermissionMixin, View):
    permission_required = "acceptance.delete_formmapping"

    def post(self, request, pk):
        form_mapping_delete(mapping=get_object_or_404(scoped_mappings(request.user), pk=pk), actor=request.user)
        messages.success(request, _("已删除。"))
        return redirect("acceptance:form-mapping-list")
