"""系统配置管理 (ACC-16.x): list (tender query fields, pagination, Excel), add/edit and delete for every
configuration kind of config_registry, scoped to the user's units and regions."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.acceptance.config_registry import KINDS
from apps.acceptance.services.config import config_delete, config_save
from apps.core.crypto import keyed_digest
from apps.core.exports import build_workbook, xlsx_response
from apps.core.models import Organisation, Region
from apps.core.scope import restrict
from apps.core.services.audit import audit_record
from apps.core.validators import validate_id_number, validate_mobile_number
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.models import ApplicationMaterial, ImplementationItem


def _kind(key: str):
    if key not in KINDS:
        raise Http404
    return KINDS[key]


def _regions(user):
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return Region.objects.all()
    organisation = user.organisation
    if organisation is None:
        return Region.objects.none()
    if organisation.is_region_wide:
        return Region.objects.filter(code__startswith=organisation.region.prefix)
    return Region.objects.filter(pk=organisation.region_id)


class _ConfigForm(forms.ModelForm):
    """Choices cut to the user's scope; ID and mobile numbers validated like everywhere else."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.acceptance.models import Hall

        scoped = {"organisation": restrict(Organisation.objects.all(), user),
                  "matter": restrict(ImplementationItem.objects.filter(status="published"), user),
                  "region": _regions(user), "child_region": Region.objects.all(),
                  "item": restrict(ImplementationItem.objects.all(), user),
                  "items": restrict(ImplementationItem.objects.all(), user),
                  "hall": restrict(Hall.objects.all(), user),
                  "related": ImplementationItem.objects.filter(status="published"),
                  "material": ApplicationMaterial.objects.filter(
                      implementation_item__in=restrict(ImplementationItem.objects.all(), user))
                  .select_related("implementation_item"),
                  "account": get_user_model().objects.filter(
                      kind="staff", is_active=True, organisation__in=restrict(Organisation.objects.all(), user))}
        for name, queryset in scoped.items():
            if name in self.fields:
                self.fields[name].queryset = queryset
        if "material" in self.fields:
            self.fields["material"].label_from_instance = (
                lambda m: f"{m.implementation_item.name if m.implementation_item_id else ''} · {m.name}")
        for name in ("applicant_id_number", "applicant_mobile"):
            if name in self.fields:
                self.fields[name].widget = forms.TextInput()

    def _clean_upload(self, name):
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "size") and not getattr(upload, "_committed", False):
            from apps.acceptance.services.onewindow import validate_upload

            validate_upload(upload, label=str(self.fields[name].label))
        return upload

    def clean_example_file(self):
        return self._clean_upload("example_file")

    def clean_sample_form(self):
        return self._clean_upload("sample_form")

    def clean_applicant_id_number(self):
        value = self.cleaned_data["applicant_id_number"].strip().upper()
        validate_id_number(value)
        return value

    def clean_applicant_mobile(self):
        value = self.cleaned_data["applicant_mobile"].strip()
        validate_mobile_number(value)
        return value


def config_form(kind, *args, user, **kwargs):
    form_class = forms.modelform_factory(kind.model, form=_ConfigForm, fields=kind.fields)
    return form_class(*args, user=user, **kwargs)


class _KindMixin(StaffPermissionMixin):
    action = "view"

    def dispatch(self, request, *args, **kwargs):
        self.kind = _kind(kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self):
        return [f"acceptance.{self.action}_{self.kind.model._meta.model_name}"]

    def has_permission(self):
        # The permission depends on the kind in the URL, so there is no static `permission_required`.
        return self.request.user.has_perms(self.get_permission_required())

    def scoped(self):
        queryset = self.kind.model._default_manager.select_related(*self.kind.related)
        if self.kind.prefetch:
            queryset = queryset.prefetch_related(*self.kind.prefetch)
        return restrict(queryset, self.request.user)


class ConfigIndexView(StaffPermissionMixin, TemplateView):
    """The configuration lists the user may see."""

    template_name = "acceptance/config_index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kinds = [k for k in KINDS.values() if user.has_perm(f"acceptance.view_{k.model._meta.model_name}")]
        if not kinds:
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        return super().get_context_data(kinds=kinds, **kwargs)


class ConfigListView(_KindMixin, TemplateView):
    template_name = "acceptance/config_list.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            rows = self.filtered()
            content = build_workbook(rows, self.kind.columns, title=str(self.kind.title))
            audit_record(actor=request.user, action="export", request=request, detail=f"导出“{self.kind.title}”")
            return xlsx_response(content, str(self.kind.title))
        return super().get(request, *args, **kwargs)

    def filtered(self):
        queryset = self.scoped()
        if not queryset.ordered:
            queryset = queryset.order_by("pk")
        for query in self.kind.queries:
            value = self.request.GET.get(query.param, "").strip()
            if not value:
                continue
            if query.lookup.startswith("digest:"):
                queryset = queryset.filter(**{query.lookup[7:]: keyed_digest(value.upper())})
            else:
                queryset = queryset.filter(**{query.lookup: value})
        return queryset

    def get_context_data(self, **kwargs):
        kwargs.pop("kind", None)                              # the URL's key; the context gets the ConfigKind
        page = Paginator(self.filtered(), 20).get_page(self.request.GET.get("page"))
        columns = self.kind.columns
        rows = [(obj, [column.read(obj) for column in columns]) for obj in page.object_list]
        user = self.request.user
        name = self.kind.model._meta.model_name
        queries = [(q, self.request.GET.get(q.param, "")) for q in self.kind.queries]
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(kind=self.kind, columns=columns, rows=rows, page_obj=page, queries=queries,
                                        paginator=page.paginator, is_paginated=page.has_other_pages(),
                                        querystring=params.urlencode(),
                                        can_add=user.has_perm(f"acceptance.add_{name}"),
                                        can_change=user.has_perm(f"acceptance.change_{name}"),
                                        can_delete=user.has_perm(f"acceptance.delete_{name}"), **kwargs)


class ConfigImportView(_KindMixin, TemplateView):
    """GET: the Excel template; POST: import a filled template (all rows or none)."""

    action = "add"

    def get(self, request, kind):
        if not self.kind.importer:
            raise Http404
        from apps.acceptance.services.imports import IMPORTERS, import_template

        return xlsx_response(import_template(self.kind.importer), f"{IMPORTERS[self.kind.importer].title}导入模板")

    def post(self, request, kind):
        if not self.kind.importer:
            raise Http404
        from apps.acceptance.services.imports import excel_import

        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("请选择要导入的 Excel 文件。"))
            count = excel_import(key=self.kind.importer, content=upload.read(5 * 1024 * 1024 + 1), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages[:20]:
                messages.error(request, message)
        else:
            messages.success(request, _("已导入 %(n)s 行。") % {"n": count})
        return redirect("acceptance:config-list", self.kind.key)


class ConfigEditView(_KindMixin, TemplateView):
    template_name = "acceptance/form.html"

    def get_permission_required(self):
        self.action = "change" if self.kwargs.get("pk") else "add"
        return super().get_permission_required()

    def _instance(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(self.scoped(), pk=pk) if pk else None

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or config_form(self.kind, instance=self._instance(), user=self.request.user)
        return super().get_context_data(form=form, title=self.kind.title,
                                        cancel_url=reverse("acceptance:config-list", args=[self.kind.key]), **kwargs)

    def post(self, request, *args, **kwargs):
        form = config_form(self.kind, request.POST, request.FILES, instance=self._instance(), user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            config_save(form=form, actor=request.user)
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("已保存。"))
        return redirect("acceptance:config-list", self.kind.key)


class ConfigDeleteView(_KindMixin, TemplateView):
    action = "delete"

    def post(self, request, kind, pk):
        try:
            config_delete(obj=get_object_or_404(self.scoped(), pk=pk), actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已删除。"))
        return redirect("acceptance:config-list", self.kind.key)
