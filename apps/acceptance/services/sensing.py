"""Intelligent sensing at the window (智能感知, ACC-7.10): the clerk enters or reads (an ID card reader types
the number into the field) the applicant's ID number or USCC, and the applicant block is filled from the
unified identity user centre (customer data) or, failing that, from the applicant's latest case inside the
clerk's scope (historical cases). Material sensing is the e-licence offer (7.12) and historical
materials (7.13) on the same page."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.acceptance.models import Case
from apps.core.crypto import keyed_digest
from apps.core.scope import restrict
from apps.core.validators import validate_credit_code, validate_id_number


def _kind(number: str) -> str | None:
    for validator, kind in ((validate_id_number, "natural_person"), (validate_credit_code, "legal_person")):
        try:
            validator(number)
        except ValidationError:
            continue
        return kind
    return None


def sense_applicant(*, user, id_number: str) -> dict | None:
    """The applicant fields for a valid ID number or USCC, with their `source`; None when nothing is known."""
    from apps.identity.models import User

    number = (id_number or "").strip().upper()
    kind = _kind(number)
    if kind is None:
        return None
    account = (User.objects.filter(id_number_digest=keyed_digest(number)) if kind == "natural_person"
               else User.objects.filter(credit_code=number)).filter(is_active=True).first()
    if account is not None and account.full_name:
        return {"applicant_name": account.full_name, "applicant_id_number": number,
                "applicant_mobile": account.mobile_number or "", "applicant_kind": kind,
                "source": _("统一身份认证用户中心")}
    case = (restrict(Case.objects.filter(applicant_id_number_digest=keyed_digest(number)), user)
            .order_by("-submitted_at", "-pk").first())
    if case is not None:
        return {"applicant_name": case.applicant_name, "applicant_id_number": number,
                "applicant_mobile": case.applicant_mobile or "", "applicant_kind": case.applicant_kind,
                "source": _("历史办件 %(n)s") % {"n": case.case_number}}
    return None
