"""表单管理 (ACC-16.8) pages: the form list (query by name, Excel), create single/combined forms, import,
copy, export, publish, disable, bind to an item, and the drag-and-drop designer."""
from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.acceptance.models.forms import Form, FormKind, FormStatus, ItemForm
from apps.acceptance.services import form_admin as svc
from apps.acceptance.services.forms import FIELD_TYPES
from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.services.audit import audit_record
from apps.core.views.mixins import StaffPermissionMixin

COLUMNS = [ExportColumn(_("表单编码"), "code"), ExportColumn(_("表单名称"), "name", 30),
           ExportColumn(_("表单类型"), "get_kind_display"), ExportColumn(_("创建人"), lambda o: (o.creator.full_name or o.creator.username) if o.creator else ""),
           ExportColumn(_("创建时间"), "created_at"), ExportColumn(_("状态"), "get_status_display"),
           ExportColumn(_("最新版本"), "latest_number")]


def _chosen_organisation(request) -> Organisation | None:
    """The owning unit picked on the form list, only among the units the user's scope reaches."""
    return restrict(Organisation.objects.all(), request.user).filter(pk=request.POST.get("organisation") or 0).first()


def _errors(exc) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def scoped_forms(user):
    return restrict(Form.objects.select_related("creator", "organisation"), user).annotate(
        latest_number=Max("versions__number")).order_by("-created_at", "-pk")


class FormListView(StaffPermissionMixin, TemplateView):
    """The forms of the user's units; query by form name; create, import, copy, export, publish, disable."""

    permission_required = "acceptance.view_form"
    template_name = "acceptance/forms/list.html"

    def filtered(self):
        queryset = scoped_forms(self.request.user)
        name = self.request.GET.get("name", "").strip()
        return queryset.filter(name__icontains=name) if name else queryset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            rows = self.filtered()
            audit_record(actor=request.user, action="export", request=request, detail="导出“表单管理”")
            return xlsx_response(build_workbook(rows, COLUMNS, title="表单管理"), "表单管理")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        name = self.request.GET.get("name", "").strip()
        page = Paginator(self.filtered(), 20).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        organisations = restrict(Organisation.objects.order_by("tree_path"), user)[:200]
        parts = scoped_forms(user).filter(kind=FormKind.SINGLE, status=FormStatus.PUBLISHED).order_by("name")
        return super().get_context_data(
            page_obj=page, paginator=page.paginator, is_paginated=page.has_other_pages(), forms=page.object_list,
            querystring=params.urlencode(), name=name, organisations=organisations, parts=parts,
            kinds=FormKind.choices, can_add=user.has_perm("acceptance.add_form"),
            can_change=user.has_perm("acceptance.change_form"), **kwargs)


class FormCreateView(StaffPermissionMixin, View):
    """POST: 新建单表单 / 聚合表单 (the combined form merges the chosen published sub-forms)."""

    permission_required = "acceptance.add_form"

    def post(self, request):
        post = request.POST
        organisation = _chosen_organisation(request)
        parts = list(scoped_forms(request.user).filter(pk__in=[p for p in post.getlist("parts") if p.isdigit()]))
        try:
            if organisation is None:
                raise ValidationError(_("请选择所属单位。"))
            form = svc.form_create(code=post.get("code", ""), name=post.get("name", ""), organisation=organisation,
                                   kind=post.get("kind", FormKind.SINGLE), parts=parts, actor=request.user,
                                   description=post.get("description", ""))
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                messages.error(request, message)
            return redirect("acceptance:form-list")
        messages.success(request, _("已创建表单“%(n)s”。") % {"n": form.name})
        if form.kind == FormKind.COMBINED:
            return redirect("acceptance:form-list")
        return redirect("acceptance:form-designer", form.pk)


class FormImportView(StaffPermissionMixin, View):
    permission_required = "acceptance.add_form"

    def post(self, request):
        upload = request.FILES.get("file")
        organisation = _chosen_organisation(request)
        try:
            if upload is None or organisation is None:
                raise ValidationError(_("请选择所属单位和要导入的 JSON 模板文件。"))
            form = svc.form_import(content=upload.read(svc.MAX_IMPORT_BYTES + 1), organisation=organisation,
                                   actor=request.user, code=request.POST.get("code", ""))
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc)[:20]:
                messages.error(request, message)
            return redirect("acceptance:form-list")
        messages.success(request, _("已导入表单“%(n)s”（草稿）。") % {"n": form.name})
        return redirect("acceptance:form-designer", form.pk)


class _FormMixin(StaffPermissionMixin):
    permission_required = "acceptance.change_form"

    def get_form_obj(self) -> Form:
        return get_object_or_404(scoped_forms(self.request.user), pk=self.kwargs["pk"])


class FormActionView(_FormMixin, View):
    """POST publish / disable / copy."""

    def post(self, request, pk, action):
        form = self.get_form_obj()
        try:
            if action == "publish":
                version = svc.form_publish(form=form, actor=request.user)
                messages.success(request, _("已发布第 %(n)s 版。") % {"n": version.number})
            elif action == "disable":
                svc.form_disable(form=form, actor=request.user)
                messages.success(request, _("已停用。"))
            elif action == "copy":
                copy = svc.form_copy(form=form, code=request.POST.get("code", ""), name=request.POST.get("name", ""),
                                     actor=request.user)
                messages.success(request, _("已复制为“%(n)s”。") % {"n": copy.name})
                return redirect("acceptance:form-designer", copy.pk)
            else:
                raise ValidationError(_("未知操作。"))
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                messages.error(request, message)
        return redirect(request.POST.get("next") or reverse("acceptance:form-list"))


class FormExportView(_FormMixin, View):
    """GET: the JSON template of the form (模板导出)."""

    permission_required = "acceptance.view_form"

    def get(self, request, pk):
        data = svc.form_export(form=self.get_form_obj(), actor=request.user)
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="form-{data["code"]}-v{data["version"]}.json"'
        return response


class FormDesignerView(_FormMixin, TemplateView):
    """表单设计器: palette, steps, property panel and live preview (static/js/acceptance-forms.js).
    POST: the schema as JSON (fetch) or as the `schema` field of the plain form (no script)."""

    template_name = "acceptance/forms/designer.html"

    def get_permission_required(self):
        return ["acceptance.view_form"] if self.request.method == "GET" else ["acceptance.change_form"]

    def get_context_data(self, **kwargs):
        form = self.get_form_obj()
        versions = list(form.versions.order_by("-number")[:20])
        latest = versions[0] if versions else None
        from apps.matters.models import ImplementationItem

        items = restrict(ImplementationItem.objects.filter(status="published"), self.request.user).order_by("name")
        binding_items = ItemForm.objects.filter(form=form).select_related("item")
        return super().get_context_data(
            form_obj=form, versions=versions, latest=latest, parts=form.part_links.select_related("part"),
            schema=latest.schema if latest else {"steps": []},
            schema_json=json.dumps(latest.schema if latest else {"steps": []}, ensure_ascii=False, indent=1),
            field_types=list(FIELD_TYPES.items()), items=items[:300], bindings=binding_items,
            can_change=self.request.user.has_perm("acceptance.change_form"), **kwargs)

    def post(self, request, pk):
        form = self.get_form_obj()
        is_json = request.content_type == "application/json"
        try:
            schema = json.loads(request.body if is_json else request.POST.get("schema", ""))
            version = svc.form_version_save(form=form, schema=schema, actor=request.user)
        except ValueError:
            errors = [_("表单结构不是有效的 JSON。")]
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            if is_json:
                return JsonResponse({"ok": True, "version": version.number, "schema": version.schema})
            messages.success(request, _("已保存第 %(n)s 版草稿。") % {"n": version.number})
            return redirect("acceptance:form-designer", form.pk)
        if is_json:
            return JsonResponse({"ok": False, "errors": errors}, status=400)
        for message in errors:
            messages.error(request, message)
        return redirect("acceptance:form-designer", form.pk)


class FormBindView(_FormMixin, View):
    """POST: bind an item's online application to this form (or unbind with `unbind`)."""

    def post(self, request, pk):
        from apps.matters.models import ImplementationItem

        form = self.get_form_obj()
        item = get_object_or_404(restrict(ImplementationItem.objects.all(), request.user),
                                 pk=request.POST.get("item") or 0)
        try:
            svc.item_form_bind(item=item, form=None if request.POST.get("unbind") else form, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("已更新事项“%(n)s”的申报表单。") % {"n": item.name})
        return redirect("acceptance:form-designer", form.pk)
