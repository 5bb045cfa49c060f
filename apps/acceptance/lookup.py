"""Public progress look-ups (ACC-8.2) and the services a digital case code opens (ACC-17.0).

Every look-up needs two facts the applicant holds (a number and the ID number, mobile or waybill that goes
with it) so that a guessed number alone reveals nothing; the pages show states, never personal data."""
from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Case,
    CaseCode,
    CaseCodeComplaint,
    CaseCodeStatus,
    CaseDelivery,
)
from apps.core.crypto import keyed_digest


def _clean(value: str | None) -> str:
    return (value or "").strip()


def case_for_code(code: str) -> Case | None:
    """The case an active digital case code is bound to; None for unknown, revoked or unbound codes."""
    code = _clean(code).upper()
    if not code:
        return None
    found = (CaseCode.objects.select_related("case__item", "case__organisation")
             .filter(code=code, status=CaseCodeStatus.ACTIVE, case__isnull=False).first())
    return found.case if found else None


def case_for_number(case_number: str, id_number: str) -> Case | None:
    """办件进度: the case with this number whose applicant holds this ID number (or USCC)."""
    case_number, id_number = _clean(case_number), _clean(id_number).upper()
    if not case_number or not id_number:
        return None
    return (Case.objects.select_related("item", "organisation")
            .filter(case_number=case_number, applicant_id_number_digest=keyed_digest(id_number)).first())


def complaint_for(number: str, mobile: str) -> CaseCodeComplaint | None:
    """投诉处理进度: the complaint with this number filed from this mobile number."""
    number, mobile = _clean(number).upper(), _clean(mobile)
    if not number or not mobile:
        return None
    return CaseCodeComplaint.objects.filter(number=number, complainant_mobile_digest=keyed_digest(mobile)).first()


def delivery_for(waybill: str, case_number: str) -> CaseDelivery | None:
    """物流进度: the delivery with this waybill number of this case, with its movements."""
    waybill, case_number = _clean(waybill), _clean(case_number)
    if not waybill or not case_number:
        return None
    return (CaseDelivery.objects.select_related("case").prefetch_related("events")
            .filter(waybill_number=waybill, case__case_number=case_number).first())


def code_services(case: Case, code: str) -> list[tuple[str, str]]:
    """(label, path) of what a digital case code serves (ACC-17.0): progress, the results' licences
    (verify and print), online evaluation and complaints."""
    from apps.acceptance.documents import progress_path, review_path

    services = [(_("办理进度查询"), progress_path(case))]
    from apps.acceptance.models import ResultReceipt

    receipt = ResultReceipt.objects.filter(case=case).only("licence_codes").first()
    for licence_code in [c for c in (receipt.licence_codes if receipt else "").split(",") if c]:
        try:
            services.append((_("证照核验与打印 %(c)s") % {"c": licence_code},
                             reverse("licences-public:licence-verify", args=[licence_code])))
        except NoReverseMatch:  # pragma: no cover - licences app not mounted
            pass
    if case.status == "concluded":
        services.append((_("办件评价（好差评）"), review_path(case)))
    services.append((_("办件码投诉举报"), reverse("acceptance-public:code-complaint") + f"?code={code}"))
    return services
