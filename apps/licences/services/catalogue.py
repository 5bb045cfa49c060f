"""The licences side of matters' LicenceCatalogue interface (MAT-4.1.1–4.1.3): catalogue entries are the
valid licence templates (code = 证照类型代码), new-entry requests wait in a queue, and the administrator's
answer is called back into matters in the same transaction."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CatalogueEntryRequest, CatalogueEntryRequestStatus, HolderKind, LicenceTemplate
from .kernel import audit_record, record_transition, require_permission

SUBJECT_TO_HOLDER = {"person": HolderKind.NATURAL_PERSON, "natural_person": HolderKind.NATURAL_PERSON,
                     "legal_person": HolderKind.LEGAL_PERSON, "project": HolderKind.PROJECT}
HOLDER_TO_SUBJECT = {HolderKind.NATURAL_PERSON: "person", HolderKind.LEGAL_PERSON: "legal_person",
                     HolderKind.PROJECT: "project"}


def catalogue_entry(code: str) -> dict | None:
    """The catalogue entry with this type code: a valid template, or None."""
    template = (LicenceTemplate.objects.filter(type_code=(code or "").strip(), is_valid=True)
                .order_by("pk").first())
    if template is None:
        return None
    return {"code": template.type_code, "name": template.name,
            "subject_type": HOLDER_TO_SUBJECT.get(template.holder_kind, template.holder_kind)}


def catalogue_request_file(*, name: str, subject_type: str, template_name: str, template: bytes,
                           requested_by: str, idempotency_key: str) -> CatalogueEntryRequest:
    """Queue a new-entry request; the same idempotency key returns the same request."""
    if not name.strip() or subject_type not in SUBJECT_TO_HOLDER or not template or not idempotency_key:
        raise ValidationError(_("证照目录申请不完整：须有证照名称、持证主体类型、模板文件和幂等键。"))
    existing = CatalogueEntryRequest.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            request = CatalogueEntryRequest.objects.create(
                request_code=f"LCR{uuid.uuid4().hex[:12].upper()}", idempotency_key=idempotency_key, name=name.strip(),
                subject_type=subject_type, requested_by=requested_by[:255], template_name=template_name[:255],
                template_file=template)
    except IntegrityError:                       # a concurrent retry with the same key won
        return CatalogueEntryRequest.objects.get(idempotency_key=idempotency_key)
    return request


def _locked(request: CatalogueEntryRequest) -> CatalogueEntryRequest:
    locked = CatalogueEntryRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != CatalogueEntryRequestStatus.SUBMITTED:
        raise ValidationError(_("该证照目录申请已处理。"))
    return locked


def catalogue_request_confirm(*, actor, request: CatalogueEntryRequest,
                              template: LicenceTemplate) -> CatalogueEntryRequest:
    """Confirm with the catalogue entry (a valid template) that answers the request; matters is told the code."""
    from apps.matters.services.systems import licence_entry_confirmed

    require_permission(actor, "licences.answer_catalogueentryrequest")
    if template is None or not template.is_valid:
        raise ValidationError({"template": _("请选择一个有效的证照模板作为目录。")})
    with transaction.atomic():
        locked = _locked(request)
        locked.status, locked.template = CatalogueEntryRequestStatus.CONFIRMED, template
        locked.answered_by, locked.answered_at = actor, timezone.now()
        locked.save(update_fields=["status", "template", "answered_by", "answered_at"])
        record_transition(obj=locked, from_state=CatalogueEntryRequestStatus.SUBMITTED, to_state=locked.status,
                          actor=actor, action="confirm", comment=template.type_code)
        audit_record(actor=actor, action="update", obj=locked, changes={"template": [None, template.type_code]},
                     detail="confirm")
        licence_entry_confirmed(external_id=locked.request_code, catalogue_code=template.type_code, actor=actor)
    return locked


def catalogue_request_refuse(*, actor, request: CatalogueEntryRequest, reason: str) -> CatalogueEntryRequest:
    from apps.matters.services.systems import licence_entry_confirmed

    require_permission(actor, "licences.answer_catalogueentryrequest")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写不通过的理由。")})
    with transaction.atomic():
        locked = _locked(request)
        locked.status, locked.answer = CatalogueEntryRequestStatus.REFUSED, reason[:255]
        locked.answered_by, locked.answered_at = actor, timezone.now()
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        record_transition(obj=locked, from_state=CatalogueEntryRequestStatus.SUBMITTED, to_state=locked.status,
                          actor=actor, action="refuse", comment=reason)
        licence_entry_confirmed(external_id=locked.request_code, refused_reason=reason, actor=actor)
    return locked


class LicenceCatalogueProvider:
    """What matters calls (apps.matters.licence_catalogue.LicenceCatalogue)."""

    def entry(self, code: str) -> dict | None:
        return catalogue_entry(code)

    def request_entry(self, *, name: str, subject_type: str, template_name: str, template: bytes,
                      requested_by: str, idempotency_key: str) -> str:
        return catalogue_request_file(name=name, subject_type=subject_type, template_name=template_name,
                                      template=template, requested_by=requested_by,
                                      idempotency_key=idempotency_key).request_code


def register_catalogue_provider() -> LicenceCatalogueProvider:
    """Called from LicencesConfig.ready: matters' catalogue links and requests go to this app."""
    from apps.matters.licence_catalogue import register_licence_catalogue

    provider = LicenceCatalogueProvider()
    register_licence_catalogue(provider)
    return provider
