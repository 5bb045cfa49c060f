"""Licence catalogue requests (MAT-4.1.3), proof annotations (4.1.4), business systems and their links
(4.2.1, 4.2.2) and the e-licence summary analysis (4.3)."""
from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.scope import restrict
from apps.matters.licence_catalogue import get_licence_catalogue
from apps.matters.models import (
    ApplicationMaterial, BusinessSystem, DataDemand, ImplementationItem, LicenceCatalogueRequest, LicenceLink,
    LicenceRequestStatus, LinkTarget, NotificationKind, ProofAnnotation, SubjectType, SystemLink,
)
from apps.matters.services.kernel import record_transition, require_in_scope, require_permission
from apps.matters.services.notifications import notify

TEMPLATE_TYPES = (".pdf", ".ofd", ".png", ".jpg", ".jpeg", ".docx")
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def licence_catalogue_request_submit(*, actor, item: ImplementationItem, name: str, subject_type: str,
                                     template_name: str, template: bytes, description: str = ""
                                     ) -> LicenceCatalogueRequest:
    """Ask the e-licence system for a new catalogue entry through the registered interface (MAT-4.1.3).
    Nothing is stored when the interface is missing or refuses the request."""
    require_permission(actor, "matters.add_licencecataloguerequest")
    require_in_scope(actor, item)
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写证照名称。")
    if subject_type not in SubjectType.values:
        errors["subject_type"] = _("请选择持证主体类型（个人、法人或项目）。")
    if not template or not template_name.lower().endswith(TEMPLATE_TYPES) or len(template) > MAX_TEMPLATE_BYTES:
        errors["template"] = _("请上传证照模板（PDF、OFD、图片或 Word，5MB 以内）。")
    if errors:
        raise ValidationError(errors)
    catalogue = get_licence_catalogue()
    if catalogue is None:
        raise ValidationError(_("电子证照目录接口尚未接入，暂不能提交申请。"))
    with transaction.atomic():
        request = LicenceCatalogueRequest(implementation_item=item, name=name.strip(), subject_type=subject_type,
                                          description=description, department=item.implementing_body,
                                          region_id=item.region_id, requested_by=actor)
        request.template.save(template_name, ContentFile(template), save=False)
        request.save()
        request.external_id = catalogue.request_entry(
            name=request.name, subject_type=subject_type, template_name=template_name, template=template,
            requested_by=item.implementing_body.name, idempotency_key=f"matters:licence-request:{request.pk}")
        request.save(update_fields=["external_id"])
        record_transition(obj=request, from_state="", to_state=LicenceRequestStatus.SUBMITTED, actor=actor,
                          action="submit")
    return request


def licence_entry_confirmed(*, external_id: str, catalogue_code: str = "", refused_reason: str = "",
                            actor=None) -> LicenceCatalogueRequest:
    """Called by the licences app when its administrator confirms (with the new entry's code) or refuses
    a request; the item manager's department is notified and may then link the entry (MAT-4.1.3)."""
    with transaction.atomic():
        request = (LicenceCatalogueRequest.objects.select_for_update()
                   .select_related("implementation_item", "department").filter(external_id=external_id).first())
        if request is None:
            raise ValidationError(_("没有证照系统申请号为 %(id)s 的证照目录申请。") % {"id": external_id})
        if request.status != LicenceRequestStatus.SUBMITTED:
            return request                                      # answered already: idempotent
        if not catalogue_code and not refused_reason:
            raise ValidationError(_("确认时须提供证照目录编码，拒绝时须说明理由。"))
        request.status = LicenceRequestStatus.CONFIRMED if catalogue_code else LicenceRequestStatus.REFUSED
        request.catalogue_code, request.answer, request.answered_at = catalogue_code, refused_reason, timezone.now()
        request.save(update_fields=["status", "catalogue_code", "answer", "answered_at"])
        record_transition(obj=request, from_state=LicenceRequestStatus.SUBMITTED, to_state=request.status,
                          actor=actor, action="answer", comment=refused_reason)
        title = (_("证照目录“%(n)s”已创建（%(c)s），可进行关联") if catalogue_code
                 else _("证照目录“%(n)s”申请未通过")) % {"n": request.name, "c": catalogue_code}
        notify(recipients=[request.department], kind=NotificationKind.LICENCE, title=title, body=refused_reason,
               url=request.implementation_item.get_absolute_url(),
               catalogue_item=request.implementation_item.catalogue_item)
    return request


def proof_annotate(*, actor, material: ApplicationMaterial, issuing_department, apply_address: str,
                   apply_conditions: str = "", use: str = ProofAnnotation.Use.KEEP) -> ProofAnnotation:
    """Mark a material as a proof with its issuer, where to apply and conditions (MAT-4.1.4)."""
    item = material.implementation_item or material.catalogue_item
    require_permission(actor, f"matters.change_{type(item).__name__.lower()}")
    require_in_scope(actor, item)
    if issuing_department is None or not apply_address.strip():
        raise ValidationError(_("请填写证明的开具部门和申请地址。"))
    if use not in ProofAnnotation.Use.values:
        raise ValidationError({"use": _("请选择使用方式。")})
    with transaction.atomic():
        if not material.is_proof:
            material.is_proof = True
            material.save(update_fields=["is_proof"])
        proof, _created = ProofAnnotation.objects.update_or_create(material=material, defaults={
            "issuing_department": issuing_department, "apply_address": apply_address.strip(),
            "apply_conditions": apply_conditions, "use": use, "updated_by": actor})
    return proof


def proof_statistics(*, user) -> dict:
    """E-proofs classified by source (issuing department) and by use, over the user's items (MAT-4.1.4)."""
    proofs = ProofAnnotation.objects.filter(
        Q(material__implementation_item__in=restrict(ImplementationItem.objects.all(), user)))
    by_source = list(proofs.order_by().values("issuing_department__name").annotate(n=Count("pk")).order_by("-n"))
    uses = dict(ProofAnnotation.Use.choices)
    by_use = [{"use": str(uses[row["use"]]), "n": row["n"]}
              for row in proofs.order_by().values("use").annotate(n=Count("pk")).order_by("-n")]
    return {"by_source": by_source, "by_use": by_use}


def business_system_register(*, actor, name: str, department, build_level: str, network: str,
                             integration_method: str) -> BusinessSystem:
    """Back-office register of business-handling systems (MAT-4.2.1)."""
    require_permission(actor, "matters.add_businesssystem")
    from apps.core.scope import can_see

    if department is None or not can_see(actor, department):
        raise ValidationError({"department": _("只能登记本部门（或下属部门）的业务系统。")})
    system = BusinessSystem(name=name.strip(), department=department, region_id=department.region_id,
                            build_level=build_level, network=network, integration_method=integration_method)
    system.full_clean()                       # choices, required name, unique (department, name)
    system.save()
    return system


def system_link_create(*, actor, item: ImplementationItem, system: BusinessSystem, exchange_content: str,
                       interface_method: str, direction: str, auto_integrated: bool = False) -> SystemLink:
    """Link an item to a registered system with the exchange, interface and direction (MAT-4.2.2)."""
    require_permission(actor, "matters.change_implementationitem")
    require_in_scope(actor, item)
    link = SystemLink(implementation_item=item, system=system, exchange_content=exchange_content.strip(),
                      interface_method=interface_method.strip(), direction=direction, auto_integrated=auto_integrated)
    link.full_clean()
    with transaction.atomic():
        link.save()
        if not item.business_system:
            ImplementationItem.objects.filter(pk=item.pk).update(business_system=system.name[:128])
    return link


def licence_summary(*, user) -> dict:
    """The seven summary statistics of MAT-4.3, per department over the user's implementation items:
    result distribution, result linking, results linked more than once, material linking, proof-type
    materials, system integration, and data-provision responsibilities. A fixed number of queries."""
    items = restrict(ImplementationItem.objects.exclude(status="cancelled"), user)
    rows: dict = defaultdict(lambda: defaultdict(int))
    names = {}

    def add(key, column, n):
        rows[key][column] += n

    for r in items.order_by().values("implementing_body_id", "implementing_body__name").annotate(
            n=Count("pk"), results=Count("pk", filter=~Q(result_name=""))):
        names[r["implementing_body_id"]] = r["implementing_body__name"]
        add(r["implementing_body_id"], "items", r["n"])
        add(r["implementing_body_id"], "results", r["results"])
    links = LicenceLink.objects.filter(implementation_item__in=items)
    for r in (links.filter(target=LinkTarget.RESULT).order_by().values("implementation_item__implementing_body_id")
              .annotate(n=Count("implementation_item", distinct=True))):
        add(r["implementation_item__implementing_body_id"], "results_linked", r["n"])
    materials = ApplicationMaterial.objects.filter(implementation_item__in=items)
    for r in materials.order_by().values("implementation_item__implementing_body_id").annotate(
            n=Count("pk"), linked=Count("pk", filter=Q(licence_links__isnull=False), distinct=True),
            proofs=Count("pk", filter=Q(is_proof=True), distinct=True)):
        body = r["implementation_item__implementing_body_id"]
        add(body, "materials", r["n"])
        add(body, "materials_linked", r["linked"])
        add(body, "proofs", r["proofs"])
    for r in (SystemLink.objects.filter(implementation_item__in=items).order_by()
              .values("implementation_item__implementing_body_id")
              .annotate(linked=Count("implementation_item", distinct=True),
                        auto=Count("implementation_item", filter=Q(auto_integrated=True), distinct=True))):
        add(r["implementation_item__implementing_body_id"], "system_items", r["linked"])
        add(r["implementation_item__implementing_body_id"], "auto_items", r["auto"])
    multi = list(links.filter(target=LinkTarget.RESULT).order_by().values("catalogue_code", "catalogue_name")
                 .annotate(n=Count("implementation_item", distinct=True)).filter(n__gt=1).order_by("-n"))
    demands = list(DataDemand.objects.filter(implementation_item__in=items).order_by()
                   .values("source__name", "status").annotate(n=Count("pk")).order_by("source__name", "status"))
    columns = ("items", "results", "results_linked", "materials", "materials_linked", "proofs", "system_items",
               "auto_items")
    departments = [{"department": names.get(key, ""), **{c: values[c] for c in columns}}
                   for key, values in rows.items() if key in names]
    departments.sort(key=lambda r: r["department"])
    return {"departments": departments, "results_linked_repeatedly": multi, "data_responsibilities": demands,
            "totals": {c: sum(r[c] for r in departments) for c in columns}}
