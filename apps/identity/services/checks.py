"""The identity-check chain of registration (IDN-1.8): person checks and enterprise checks."""
from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.outbox import PeerPermanentError, PeerTemporaryError
from apps.identity.adapters import verification
from apps.identity.adapters.verification import (
    CheckResult,
    EnterpriseQuery,
    PersonQuery,
)

logger = logging.getLogger(__name__)


def _ask(verifier, query) -> CheckResult:
    try:
        return verifier.verify(query)
    except (PeerTemporaryError, PeerPermanentError) as exc:
        logger.warning("%s unavailable: %s", verifier.label, exc)
        raise ValidationError(_("%(peer)s暂时无法访问，请稍后再试。") % {"peer": verifier.label}) from exc


def person_check(*, id_type: str, name: str, id_number: str, valid_from: date | None,
                 valid_to: date | None) -> None:
    """National real-name check, then provincial police; a mismatch at either stops (nothing written)."""
    query = PersonQuery(id_type=id_type, name=name, id_number=id_number, valid_from=valid_from, valid_to=valid_to)
    for verifier in (verification.national_real_name(), verification.police_real_name()):
        result = _ask(verifier, query)
        if not result.matched:
            raise ValidationError(_("%(peer)s核验未通过：%(message)s") % {"peer": verifier.label,
                                                                      "message": result.message or _("信息不一致")})


def enterprise_check(*, enterprise_type: str, name: str, credit_code: str, legal_representative: str) -> dict:
    """Check the enterprise at the registry for its type; returns the registry's record
    (with `registered_mobile`)."""
    verifier = verification.enterprise_registry_for(enterprise_type)
    result = _ask(verifier, EnterpriseQuery(enterprise_type=enterprise_type, name=name, credit_code=credit_code,
                                            legal_representative=legal_representative))
    if not result.matched:
        raise ValidationError(_("%(peer)s核验未通过：%(message)s") % {"peer": verifier.label,
                                                                  "message": result.message or _("信息不一致")})
    return result.record
