"""Item resources pages (MAT-4): the summary analysis with proofs and business systems, and the
resources tab of one implementation item (system links, licence catalogue requests, proofs)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters import selectors
from apps.matters.models import (
    ApplicationMaterial, BusinessSystem, LicenceCatalogueRequest, ProofAnnotation, SubjectType, SystemLink,
)
from apps.matters.services.systems import (
    business_system_register, licence_catalogue_request_submit, licence_summary, proof_annotate, proof_statistics,
    system_link_create,
)


def _errors(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _digits(value) -> int:
    return int(value) if str(value).isdigit() else 0


class ResourceSummaryView(StaffPermissionMixin, View):
    """汇总分析 (MAT-4.3), proof statistics (4.1.4) and the business-system register (4.2.1)."""

    permission_required = "matters.view_implementationitem"

    def get(self, request):
        return render(request, "matters/resources.html", {
            "title": _("事项资源汇总分析"), "summary": licence_summary(user=request.user),
            "proofs": proof_statistics(user=request.user),
            "systems": restrict(BusinessSystem.objects.all(), request.user).select_related("department")[:300],
            "levels": BusinessSystem.BuildLevel.choices, "networks": BusinessSystem.Network.choices,
            "methods": BusinessSystem.Method.choices})

    def post(self, request):
        if not request.user.has_perm("matters.add_businesssystem"):
            return self.handle_no_permission()
        department = Organisation.objects.filter(pk=_digits(request.POST.get("department"))).first()
        try:
            business_system_register(actor=request.user, name=request.POST.get("name", ""), department=department,
                                     build_level=request.POST.get("build_level", ""),
                                     network=request.POST.get("network", ""),
                                     integration_method=request.POST.get("integration_method", ""))
            messages.success(request, _("业务办理系统已登记。"))
        except ValidationError as error:
            _errors(request, error)
        return redirect("matters:resources")


class ItemResourcesView(StaffPermissionMixin, View):
    """The resources tab of an implementation item: linked systems, licence requests, proofs."""

    permission_required = "matters.view_implementationitem"

    def get(self, request, pk):
        item = selectors.access_implementation_item(request.user, pk)
        return render(request, "matters/item_resources.html", {
            "title": _("关联系统及证照"), "item": item,
            "links": SystemLink.objects.filter(implementation_item=item).select_related("system__department"),
            "systems": BusinessSystem.objects.order_by("name")[:500],
            "requests": LicenceCatalogueRequest.objects.filter(implementation_item=item),
            "materials": ApplicationMaterial.objects.filter(implementation_item=item)
            .select_related("proof__issuing_department"),
            "subject_types": SubjectType.choices, "directions": SystemLink.Direction.choices,
            "uses": ProofAnnotation.Use.choices,
            "demands": item.data_demands.select_related("source").order_by("-created_at")[:50],
            "source_departments": Organisation.objects.filter(is_enabled=True).exclude(pk=item.implementing_body_id)
            .only("pk", "name").order_by("region_id", "name")[:500]})

    def post(self, request, pk):
        item = selectors.access_implementation_item(request.user, pk)
        action = request.POST.get("action")
        try:
            if action == "link":
                system = get_object_or_404(BusinessSystem, pk=_digits(request.POST.get("system")))
                system_link_create(actor=request.user, item=item, system=system,
                                   exchange_content=request.POST.get("exchange_content", ""),
                                   interface_method=request.POST.get("interface_method", ""),
                                   direction=request.POST.get("direction", ""),
                                   auto_integrated=request.POST.get("auto_integrated") == "1")
            elif action == "licence-request":
                upload = request.FILES.get("template")
                licence_catalogue_request_submit(
                    actor=request.user, item=item, name=request.POST.get("name", ""),
                    subject_type=request.POST.get("subject_type", ""), description=request.POST.get("description", ""),
                    template_name=upload.name if upload else "", template=upload.read() if upload else b"")
            elif action == "proof":
                material = get_object_or_404(ApplicationMaterial, pk=_digits(request.POST.get("material")),
                                             implementation_item=item)
                issuer = Organisation.objects.filter(pk=_digits(request.POST.get("issuing_department"))).first()
                proof_annotate(actor=request.user, material=material, issuing_department=issuer,
                               apply_address=request.POST.get("apply_address", ""),
                               apply_conditions=request.POST.get("apply_conditions", ""),
                               use=request.POST.get("use", ProofAnnotation.Use.KEEP))
            else:
                raise ValidationError(_("未知操作。"))
            messages.success(request, _("已保存。"))
        except ValidationError as error:
            _errors(request, error)
        return redirect("matters:item-resources", pk=item.pk)
