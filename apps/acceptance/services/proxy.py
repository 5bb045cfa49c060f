"""Authorised proxy handling on the acceptance side (授权代办, ACC-0.8; matters decision 0103).

matters starts a proxy handling (`ProxyHandling`, number) and sends the agent to the application form
with `?proxy=<number>`. Here the number is checked again when the form opens and when it is submitted:
it must be the agent's own, for this item, and its grant must still be in force (an elderly principal's
active, unexpired `ProxyAuthorisation`, or identity's agent authorisation of a legal person covering
applications). The case is then the principal's (applicant = principal, applicant data from their
account, not typed by the agent) and records the agent and the proxy number."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REFUSED = _("代办编号无效，或委托已撤销、过期，不能代为申报。")


def proxy_for_apply(*, number: str, agent, item):
    """The agent's proxy handling `number` for `item`, with its grant still in force; refused otherwise."""
    from apps.matters.models import ProxyBasis, ProxyHandling, ProxyStatus

    number = (number or "").strip()
    if not number or agent is None or not agent.is_authenticated:
        raise PermissionDenied(REFUSED)
    handling = (ProxyHandling.objects.select_related("principal", "authorisation")
                .filter(number=number, agent=agent, item=item).first())
    if handling is None:
        raise PermissionDenied(REFUSED)
    if handling.basis == ProxyBasis.ELDERLY:
        grant = handling.authorisation
        if grant is None or grant.status != ProxyStatus.ACTIVE or not grant.valid_until \
                or grant.valid_until <= timezone.now():
            raise PermissionDenied(REFUSED)
    else:
        from apps.identity.services.agents import agent_act_check

        try:
            agent_act_check(agent=agent, legal_person_id=handling.principal_id, scope="apply")
        except PermissionDenied:
            raise PermissionDenied(REFUSED) from None
    return handling


def principal_applicant(handling) -> dict:
    """The applicant block of the case, from the principal's account."""
    principal = handling.principal
    legal = handling.basis != "elderly"
    return {"applicant_name": principal.full_name or principal.username,
            "applicant_id_number": (principal.credit_code if legal else principal.id_number) or "",
            "applicant_mobile": principal.mobile_number or "",
            "applicant_kind": "legal_person" if legal else "natural_person"}
