"""Authorised proxy handling (授权代办, MAT-2.1.6 (7)); decision 0103.

* The implementing department flags an implementation item for proxy handling (`proxy_handling_set`).
* An elderly citizen (60 or older by the ID number) grants an agent: the agent names the citizen, the
  citizen's own mobile receives a code by SMS (any phone will do), the citizen reads it out to the
  agent, who types it in (`proxy_grant_request` → `proxy_grant_confirm`). Either side may revoke.
* Legal persons keep identity's agent authorisation (经办人, scope 申报办件 or 全部): that grant is read
  through identity's selectors and `agent_act_check`, never duplicated here.
* The agent finds the proxy items and starts one for a principal (`proxy_handling_start`): a numbered
  代办记录 in the agent's history, an SMS notice to an elderly principal, and the hand-over to the
  acceptance application form (`?proxy=<number>`)."""
from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.crypto import keyed_digest
from apps.matters.models import (
    PROXY_MIN_AGE, ImplementationItem, MatterStatus, ProxyAuthorisation, ProxyBasis, ProxyHandling, ProxyStatus,
)
from apps.matters.public_cache import bump_public_generation
from apps.matters.services.public_guides import guide_document_refresh
from apps.matters.services.kernel import (
    audit_record, record_transition, require_in_scope, require_permission,
)

CODE_VALID_MINUTES = 10
MAX_CODE_ATTEMPTS = 5
GRANT_VALID_DAYS = 365
NATURAL, LEGAL = "natural_person", "legal_person"


def proxy_handling_set(*, item: ImplementationItem, enabled: bool, note: str, actor) -> ImplementationItem:
    """The implementing department opens (or closes) a published item to authorised proxy handling."""
    require_permission(actor, "matters.change_implementationitem")
    require_in_scope(actor, item)
    if enabled and item.status != MatterStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的实施清单事项可以设为授权代办事项。"))
    note = (note or "").strip()
    if len(note) > 255:
        raise ValidationError({"proxy_handling_note": _("代办须知不能超过 255 个字。")})
    with transaction.atomic():
        locked = ImplementationItem.objects.select_for_update().get(pk=item.pk)
        before = {"proxy_handling": locked.proxy_handling, "proxy_handling_note": locked.proxy_handling_note}
        locked.proxy_handling, locked.proxy_handling_note = bool(enabled), note
        locked.save(update_fields=["proxy_handling", "proxy_handling_note", "updated_at"])
        changes = {k: [v, getattr(locked, k)] for k, v in before.items() if v != getattr(locked, k)}
        if changes:
            audit_record(actor=actor, action="update", obj=locked, changes=changes)
            bump_public_generation()
            guide_document_refresh(locked.pk)
    item.proxy_handling, item.proxy_handling_note = locked.proxy_handling, locked.proxy_handling_note
    return locked


def birth_date_of(id_number: str) -> date | None:
    """The birth date in an 18-digit resident ID number (positions 7–14), or None."""
    digits = (id_number or "").strip()
    if len(digits) != 18 or not digits[6:14].isdigit():
        return None
    try:
        return date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _require_natural(actor) -> None:
    if actor is None or not actor.is_authenticated or getattr(actor, "kind", "") != NATURAL:
        raise PermissionDenied(_("授权代办须由实名注册的自然人办理。"))


def proxy_grant_request(*, principal_name: str, principal_id_number: str, actor) -> ProxyAuthorisation:
    """The agent (`actor`) names an elderly citizen; a confirmation code goes to the citizen's mobile."""
    from apps.core.services.sms import sms_send
    from apps.identity.models import User

    _require_natural(actor)
    name, id_number = (principal_name or "").strip(), (principal_id_number or "").strip().upper()
    principal = User.objects.with_id_number(id_number).filter(kind=NATURAL, is_active=True).first() \
        if id_number else None
    if principal is None or principal.full_name != name:
        raise ValidationError({"principal_id_number": _("未找到姓名与证件号码一致的已注册自然人。")})
    if principal.pk == actor.pk:
        raise ValidationError({"principal_id_number": _("不能委托本人代办。")})
    birth = birth_date_of(principal.id_number)
    if birth is None or age_on(birth, timezone.localdate()) < PROXY_MIN_AGE:
        raise ValidationError({"principal_id_number": _("授权代办面向 %(n)s 周岁及以上的老年人。") % {"n": PROXY_MIN_AGE}})
    if not principal.mobile_number:
        raise ValidationError({"principal_id_number": _("委托人未登记手机号码，请到政务服务大厅办理委托。")})
    code = f"{secrets.randbelow(10 ** 6):06d}"
    try:
        with transaction.atomic():
            grant = ProxyAuthorisation.objects.create(principal=principal, agent=actor, code_digest=keyed_digest(code),
                                                      code_sent_at=timezone.now())
            sms_send(mobile_number=principal.mobile_number, recipient=principal, purpose="matters_proxy_code",
                     content=_("%(agent)s申请为您代办政务服务事项。如您同意，请将验证码{secret}告诉对方（%(m)s分钟内有效）；"
                               "如不同意，请勿告知。") % {"agent": actor.full_name or actor.username,
                                                       "m": CODE_VALID_MINUTES},
                     secret=code, idempotency_key=f"matters:proxy:{grant.pk}:code")
            record_transition(obj=grant, from_state="", to_state=ProxyStatus.PENDING, actor=actor, action="request")
            audit_record(actor=actor, action="create", obj=grant, detail="授权代办委托申请")
    except IntegrityError:
        raise ValidationError({"principal_id_number": _("已存在与该委托人的待确认或有效委托。")}) from None
    return grant


def proxy_grant_confirm(*, authorisation: ProxyAuthorisation, code: str, actor) -> ProxyAuthorisation:
    """The agent types the code the principal read out; right code within the time → active for a year."""
    if authorisation.agent_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("无权处理该委托。"))
    with transaction.atomic():
        locked = ProxyAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        if locked.status != ProxyStatus.PENDING:
            raise ValidationError(_("该委托当前状态为“%(s)s”，不能确认。") % {"s": locked.get_status_display()})
        expired = timezone.now() - locked.code_sent_at > timedelta(minutes=CODE_VALID_MINUTES)
        if expired or locked.attempts >= MAX_CODE_ATTEMPTS:
            raise ValidationError(_("验证码已失效，请撤销后重新申请。"))
        if keyed_digest((code or "").strip()) != locked.code_digest:
            ProxyAuthorisation.objects.filter(pk=locked.pk).update(attempts=locked.attempts + 1)
            wrong = ValidationError({"code": _("验证码不正确。")})
        else:
            wrong = None
            now = timezone.now()
            locked.status, locked.decided_at = ProxyStatus.ACTIVE, now
            locked.valid_until, locked.code_digest = now + timedelta(days=GRANT_VALID_DAYS), ""
            locked.save(update_fields=["status", "decided_at", "valid_until", "code_digest"])
            record_transition(obj=locked, from_state=ProxyStatus.PENDING, to_state=ProxyStatus.ACTIVE, actor=actor,
                              action="confirm", comment=_("委托人已告知短信验证码"))
            audit_record(actor=actor, action="update", obj=locked, detail="授权代办委托生效")
    if wrong is not None:                     # the failed attempt is counted (committed) before refusing
        raise wrong
    return locked


def proxy_grant_revoke(*, authorisation: ProxyAuthorisation, actor) -> ProxyAuthorisation:
    if getattr(actor, "pk", None) not in (authorisation.agent_id, authorisation.principal_id):
        raise PermissionDenied(_("无权处理该委托。"))
    with transaction.atomic():
        locked = ProxyAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        if locked.status == ProxyStatus.REVOKED:
            raise ValidationError(_("该委托已撤销。"))
        before = locked.status
        locked.status, locked.decided_at, locked.code_digest = ProxyStatus.REVOKED, timezone.now(), ""
        locked.save(update_fields=["status", "decided_at", "code_digest"])
        record_transition(obj=locked, from_state=before, to_state=ProxyStatus.REVOKED, actor=actor, action="revoke")
        audit_record(actor=actor, action="update", obj=locked, detail="授权代办委托撤销")
    return locked


def _principal_for(*, agent, principal_id: int) -> tuple:
    """(principal, basis, matters grant or None) — an active elderly grant, else identity's agent
    authorisation of a legal person covering applications; refused otherwise."""
    grant = (ProxyAuthorisation.objects.filter(agent=agent, principal_id=principal_id, status=ProxyStatus.ACTIVE,
                                               valid_until__gt=timezone.now()).select_related("principal").first())
    if grant is not None:
        return grant.principal, ProxyBasis.ELDERLY, grant
    from apps.identity.services.agents import agent_act_check

    try:
        authorisation = agent_act_check(agent=agent, legal_person_id=principal_id, scope="apply")
    except PermissionDenied:
        raise PermissionDenied(_("您没有该委托人的有效代办授权（可能已撤销或过期）。")) from None
    return authorisation.legal_person, ProxyBasis.LEGAL_PERSON, None


def _next_number() -> str:
    return f"DB{timezone.localdate():%Y%m%d}{secrets.token_hex(4).upper()}"


def proxy_handling_start(*, item: ImplementationItem, principal_id: int, actor) -> ProxyHandling:
    """The agent starts a proxy item for a principal they hold a grant of."""
    _require_natural(actor)
    if item.status != MatterStatus.PUBLISHED or not item.proxy_handling:
        raise ValidationError(_("该事项未开通授权代办。"))
    principal, basis, grant = _principal_for(agent=actor, principal_id=principal_id)
    from apps.core.services.sms import sms_send

    with transaction.atomic():
        handling = ProxyHandling.objects.create(number=_next_number(), item=item, principal=principal, agent=actor,
                                                basis=basis, authorisation=grant)
        record_transition(obj=handling, from_state="", to_state="started", actor=actor, action="start",
                          comment=f"{item.name}（{principal.full_name}）")
        audit_record(actor=actor, action="create", obj=handling, detail="发起授权代办")
        if basis == ProxyBasis.ELDERLY and principal.mobile_number:
            sms_send(mobile_number=principal.mobile_number, recipient=principal, purpose="matters_proxy_notice",
                     content=_("%(agent)s已为您代办“%(item)s”，代办编号%(n)s。如有疑问请拨打12345。") % {
                         "agent": actor.full_name or actor.username, "item": item.name, "n": handling.number},
                     idempotency_key=f"matters:proxy-handling:{handling.number}")
    return handling
