"""What a licence catalogue link does once made (MAT-4.1): at application, the licences the applicant
already holds are referenced by the link's index rule; when approval completes, the result is filed into
the e-licence library as a draft. Both go through apps.licences' public services (read: its sharing
selector, which keeps the licences sharing gate; write: `licence_enter(draft=True)`), imported lazily so
matters still starts without the licences app (then both answer with a clear message)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.matters.models import LicenceLink, LinkTarget
from apps.matters.services.kernel import audit_record

APPLICANT_KEYS = ("id_number", "credit_code", "project_code")


def _licences_app():
    try:
        from apps.licences import sharing_selectors
        from apps.licences.services import licences
    except ImportError as exc:  # pragma: no cover - depends on the deployment
        raise ValidationError(_("电子证照库尚未接入。")) from exc
    return sharing_selectors, licences


def licences_for_application(*, item, applicant: dict) -> list[dict]:
    """For every application material linked to the catalogue, the applicant's valid licences of that
    catalogue entry, found by the link's index rule (MAT-4.1 (2), 4.1.2). A rule that combines several
    keys needs all of them and finds the licences held under any of them."""
    sharing, _licences = _licences_app()
    found = []
    links = (LicenceLink.objects.filter(implementation_item=item, target=LinkTarget.MATERIAL)
             .select_related("material").order_by("pk"))
    for link in links:
        values = [str(applicant.get(key) or "").strip() for key in link.index_rule]
        licences = []
        if values and all(values):
            for value in dict.fromkeys(values):
                licences += [{"licence_code": lic.licence_code, "name": lic.name, "licence_number": lic.licence_number,
                              "holder_name": lic.holder_name, "issuer": lic.issuer.name}
                             for lic in sharing.shared_by_holder(value).filter(template__type_code=link.catalogue_code)]
        found.append({"material": link.material.name, "catalogue_code": link.catalogue_code,
                      "catalogue_name": link.catalogue_name, "index_rule": list(link.index_rule),
                      "licences": licences})
    return found


def licence_result_file(*, actor, item, holder_name: str, holder_code: str, case_number: str, issuer=None) -> list:
    """The approval of a case of `item` completed: file its result into the e-licence library, one draft
    per result link, with the holder and the case number (MAT-4.1 (1)); licence staff complete, review
    and seal it there. Nothing is filed when any link's catalogue entry is gone (all or nothing)."""
    from apps.licences.models import LicenceTemplate

    _sharing, licences = _licences_app()
    links = list(LicenceLink.objects.filter(implementation_item=item, target=LinkTarget.RESULT).order_by("pk"))
    if not links:
        raise ValidationError(_("该事项的审批结果未关联电子证照目录，不能自动归集。"))
    if not holder_name.strip() or not holder_code.strip():
        raise ValidationError(_("自动归集须有持证主体名称和代码。"))
    filed = []
    with transaction.atomic():
        for link in links:
            template = (LicenceTemplate.objects.filter(type_code=link.catalogue_code, is_valid=True)
                        .order_by("pk").first())
            if template is None:
                raise ValidationError(_("电子证照目录 %(c)s 已失效，不能自动归集。") % {"c": link.catalogue_code})
            filed.append(licences.licence_enter(
                actor=actor, template=template, issuer=issuer or item.implementing_body, draft=True,
                source="interface", data={"name": item.result_name or link.catalogue_name,
                                          "holder_name": holder_name.strip(), "holder_code": holder_code.strip(),
                                          "licence_number": case_number}))
        audit_record(actor=actor, action="update", obj=item,
                     changes={"licences_filed": [None, [lic.licence_code for lic in filed]]})
    return filed
