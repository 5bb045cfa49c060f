"""Portal pages of licence management: basic-info filings (LIC-1.1), categories (LIC-1.3),
templates with face parameters, AIP file, blank view and valid state (LIC-1.4, 1.26), mappings (LIC-1.5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.core.workflow import timeline_for

from ..filters import FilingFilterSet, TemplateFilterSet
from ..models import (
    FaceParameter, FaceParameterKind, FilingStatus, HolderKind, LicenceCategory, LicenceFiling, LicenceTemplate,
    SealingMethod, SealSource, TemplateMapping,
)
from ..ofd.render import render_pdf
from ..services import management as svc


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def run_action(request, action, success: str = ""):
    """Call a service; show its refusal as a message. Returns True on success."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
        return False
    messages.success(request, success or _("操作成功。"))
    return True


# --- filings ----------------------------------------------------------------------------------------

class FilingListView(ScopedListView):
    model = LicenceFiling
    filterset_class = FilingFilterSet
    permission_required = "licences.view_licencefiling"
    title = _("证照基础信息填报")
    template_name = "licences/filing_list.html"
    columns = [ExportColumn("证照名称", "name"), ExportColumn("证照类型", "licence_type"),
               ExportColumn("证照管理部门", "department.name"), ExportColumn("事项名称", "item_name"),
               ExportColumn("盖章方式", "get_sealing_method_display"),
               ExportColumn("印章来源", "get_seal_source_display"), ExportColumn("状态", "get_status_display")]

    def get_queryset(self):
        return super().get_queryset().select_related("department")


class FilingFormView(StaffPermissionMixin, View):
    permission_required = "licences.add_licencefiling"

    def _filing(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(restrict(LicenceFiling.objects.all(), request.user), pk=pk)

    def _render(self, request, filing, data, status=200):
        return render(request, "licences/filing_form.html", {
            "filing": filing, "data": data, "methods": SealingMethod.choices, "sources": SealSource.choices},
            status=status)

    def get(self, request, pk=None):
        filing = self._filing(request, pk)
        data = {f: getattr(filing, f) for f in svc.FILING_FIELDS} if filing else {}
        return self._render(request, filing, data)

    def post(self, request, pk=None):
        filing = self._filing(request, pk)
        upload = request.FILES.get("base_image")
        try:
            filing = svc.filing_save(actor=request.user, data=request.POST, filing=filing,
                                     base_image=upload.read() if upload else None,
                                     base_image_name=upload.name if upload else "")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
            return self._render(request, filing, request.POST, status=400)
        messages.success(request, _("已保存。"))
        return redirect(filing.get_absolute_url())


class FilingDetailView(StaffPermissionMixin, View):
    permission_required = "licences.view_licencefiling"

    def _filing(self, request, pk):
        return get_object_or_404(restrict(LicenceFiling.objects.select_related("department"), request.user), pk=pk)

    def get(self, request, pk):
        filing = self._filing(request, pk)
        if request.GET.get("download") == "base_image":
            if not filing.base_image:
                raise Http404
            response = HttpResponse(bytes(filing.base_image), content_type="application/octet-stream")
            response["Content-Disposition"] = f'attachment; filename="filing-{filing.pk}-base-image"'
            return response
        return render(request, "licences/filing_detail.html", {
            "filing": filing, "transitions": timeline_for(filing),
            "editable": filing.status in svc.EDITABLE_FILING, "submitted": filing.status == FilingStatus.SUBMITTED})

    def post(self, request, pk):
        filing = self._filing(request, pk)
        action, user = request.POST.get("action"), request.user
        actions = {
            "submit": lambda: svc.filing_submit(actor=user, filing=filing),
            "approve": lambda: svc.filing_review(actor=user, filing=filing, approve=True),
            "reject": lambda: svc.filing_review(actor=user, filing=filing, approve=False,
                                                comment=request.POST.get("comment", "")),
            "delete": lambda: svc.filing_delete(actor=user, filing=filing),
        }
        if action not in actions:
            raise Http404
        if run_action(request, actions[action]) and action == "delete":
            return redirect("licences:filing-list")
        return redirect(filing.get_absolute_url())


# --- categories -------------------------------------------------------------------------------------

class CategoryView(StaffPermissionMixin, View):
    permission_required = "licences.view_licencecategory"

    def get(self, request):
        query = request.GET.get("name", "").strip()
        categories = LicenceCategory.objects.all()
        if query:
            categories = categories.filter(name__icontains=query)
        return render(request, "licences/categories.html", {"categories": categories, "query": query})

    def post(self, request):
        user, pk = request.user, request.POST.get("pk")
        category = get_object_or_404(LicenceCategory, pk=pk) if pk else None
        if request.POST.get("action") == "delete" and category:
            run_action(request, lambda: svc.category_delete(actor=user, category=category))
        else:
            run_action(request, lambda: svc.category_save(actor=user, category=category,
                                                          name=request.POST.get("name", ""),
                                                          category_type=request.POST.get("category_type", "")))
        return redirect("licences:category-list")


# --- templates --------------------------------------------------------------------------------------

class TemplateListView(ScopedListView):
    """Template list and standard template download (LIC-1.26): the export has the listed columns."""

    model = LicenceTemplate
    filterset_class = TemplateFilterSet
    permission_required = "licences.view_licencetemplate"
    title = _("证照模板")
    template_name = "licences/template_list.html"
    columns = [ExportColumn("模板名称", "name"), ExportColumn("证照类型", "licence_type"),
               ExportColumn("证照分类", "template_category"), ExportColumn("定义机构", "defining_organisation.name"),
               ExportColumn("持证主体类型", "get_holder_kind_display"), ExportColumn("主体", "subject"),
               ExportColumn("有效期", lambda t: f"{t.validity_years}年" if t.validity_years else "长期")]

    def get_queryset(self):
        return super().get_queryset().select_related("defining_organisation")


class TemplateFormView(StaffPermissionMixin, View):
    permission_required = "licences.add_licencetemplate"

    def _template(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(restrict(LicenceTemplate.objects.all(), request.user), pk=pk)

    def _render(self, request, template, data, status=200):
        return render(request, "licences/template_form.html", {
            "template_obj": template, "data": data, "categories": LicenceCategory.objects.all(),
            "holder_kinds": HolderKind.choices}, status=status)

    def get(self, request, pk=None):
        template = self._template(request, pk)
        data = ({f: getattr(template, f) for f in svc.TEMPLATE_FIELDS}
                | {"category": template.category_id, "validity_years": template.validity_years}) if template else {}
        return self._render(request, template, data)

    def post(self, request, pk=None):
        template = self._template(request, pk)
        upload = request.FILES.get("aip_file")
        try:
            template = svc.template_save(actor=request.user, data=request.POST, template=template,
                                         aip=upload.read() if upload else None, aip_name=upload.name if upload else "")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
            return self._render(request, template, request.POST, status=400)
        messages.success(request, _("已保存。"))
        return redirect("licences:template-detail", pk=template.pk)


class TemplateDetailView(StaffPermissionMixin, View):
    permission_required = "licences.view_licencetemplate"

    def _template(self, request, pk):
        return get_object_or_404(restrict(LicenceTemplate.objects.select_related("category", "defining_organisation"),
                                          request.user), pk=pk)

    def get(self, request, pk):
        template = self._template(request, pk)
        blank = request.GET.get("blank")
        if blank in ("ofd", "pdf"):
            data = svc.template_blank_ofd(template)
            body = data if blank == "ofd" else render_pdf(data)
            response = HttpResponse(body, content_type="application/ofd" if blank == "ofd" else "application/pdf")
            response["Content-Disposition"] = f'inline; filename="template-{template.pk}-blank.{blank}"'
            return response
        if request.GET.get("download") == "aip":
            if not template.aip_file:
                raise Http404
            response = HttpResponse(bytes(template.aip_file), content_type="application/octet-stream")
            response["Content-Disposition"] = f'attachment; filename="template-{template.pk}.aip"'
            return response
        return render(request, "licences/template_detail.html", {
            "template_obj": template, "parameters": template.parameters.all(), "kinds": FaceParameterKind.choices,
            "mappings": template.mappings.select_related("issuer"),
            "issuers": restrict(Organisation.objects.all(), request.user).order_by("name")[:500]})

    def post(self, request, pk):
        template, user, post = self._template(request, pk), request.user, request.POST
        action = post.get("action")
        if action == "set_valid":
            run_action(request, lambda: svc.template_set_valid(actor=user, template=template,
                                                               valid=post.get("valid") == "1"))
        elif action == "add_parameter":
            run_action(request, lambda: svc.face_parameter_save(actor=user, template=template, data=post))
        elif action == "delete_parameter":
            parameter = get_object_or_404(FaceParameter, pk=post.get("parameter"), template=template)
            run_action(request, lambda: svc.face_parameter_delete(actor=user, parameter=parameter))
        elif action == "add_mapping":
            issuer = get_object_or_404(restrict(Organisation.objects.all(), user), pk=post.get("issuer") or 0)
            run_action(request, lambda: svc.mapping_create(actor=user, template=template, issuer=issuer,
                                                           item_code=post.get("item_code", ""),
                                                           item_name=post.get("item_name", "")))
        elif action == "delete_mapping":
            mapping = get_object_or_404(TemplateMapping, pk=post.get("mapping"), template=template)
            run_action(request, lambda: svc.mapping_delete(actor=user, mapping=mapping))
        else:
            raise Http404
        return redirect(reverse("licences:template-detail", args=[template.pk]))
