"""E-licence material use at intake (ACC-7.12) over the e-licence library integration (ACC-19.2).

The window enters the applicant's ID number or USCC; for every checklist material linked to the licence
catalogue (matters' LicenceLink, index rule) the applicant's valid, shareable licences are offered through
matters' `licences_for_application` (which reads apps.licences' sharing selector). A chosen licence is
checked again at submission (it must still be one of the applicant's valid licences of that catalogue
entry and its holder must be the applicant) and becomes the material: its OFD file from the library."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class LicenceMaterial:
    licence_code: str
    licence_number: str
    holder_name: str
    file: ContentFile


def applicant_licences(*, item, checklist, id_number: str) -> dict[int, list[dict]]:
    """checklist material pk → the applicant's licences for it ([] where none; {} without ID number or
    when the e-licence library is not connected)."""
    from apps.matters.services.licence_use import licences_for_application

    id_number = (id_number or "").strip().upper()
    if not id_number:
        return {}
    try:
        found = licences_for_application(item=item, applicant={"id_number": id_number, "credit_code": id_number})
    except ValidationError:
        return {}
    by_name = {m.name: m.pk for m in checklist}
    result: dict[int, list[dict]] = {}
    for entry in found:
        if entry["material"] in by_name:
            result.setdefault(by_name[entry["material"]], []).extend(entry["licences"])
    return result


def resolve_licences(*, item, checklist, id_number: str, applicant_name: str,
                     chosen: dict) -> dict[str, LicenceMaterial]:
    """material pk → the licence file to use; refuses a licence that is not the applicant's, no longer valid,
    not for that material, or whose holder is not the applicant (比对)."""
    from apps.licences.sharing_selectors import licence_ofd_bytes, shared_by_code

    wanted = {str(k): str(v).strip() for k, v in (chosen or {}).items() if str(v).strip()}
    if not wanted:
        return {}
    offered = applicant_licences(item=item, checklist=checklist, id_number=id_number)
    result = {}
    for material_pk, code in wanted.items():
        codes = {lic["licence_code"] for lic in offered.get(int(material_pk), [])} if material_pk.isdigit() else set()
        licence = shared_by_code(code) if code in codes else None
        if licence is None:
            raise ValidationError(_("所选电子证照不是该申请人在证照库中的有效证照，不能作为该材料使用。"))
        if licence.holder_name.strip() != (applicant_name or "").strip():
            raise ValidationError(_("电子证照持证主体“%(h)s”与申请人不一致，比对未通过。") % {"h": licence.holder_name})
        result[material_pk] = LicenceMaterial(
            licence_code=licence.licence_code, licence_number=licence.licence_number, holder_name=licence.holder_name,
            file=ContentFile(licence_ofd_bytes(licence), name=f"{licence.licence_code}.ofd"))
    return result
