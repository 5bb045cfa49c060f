"""Agents (经办人, IDN-8.x): a legal person authorises a natural person; the person accepts or
rejects; the legal person revokes; acting on behalf is checked against scope and expiry."""
from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.workflow import record_transition
from apps.identity.models import (
    AgentAuthorisation,
    AgentScope,
    AgentStatus,
    User,
    UserKind,
)


def agent_authorise(*, legal_person: User, agent_id_number: str, agent_name: str, scopes: list[str],
                    valid_until: datetime, actor: User, remarks: str = "") -> AgentAuthorisation:
    if actor.pk != legal_person.pk or legal_person.kind != UserKind.LEGAL_PERSON:
        raise PermissionDenied(_("只有法人本人可以授权经办人。"))
    errors = {}
    agent = User.objects.with_id_number((agent_id_number or "").strip().upper()).filter(
        kind=UserKind.NATURAL_PERSON, is_active=True).first()
    if agent is None or agent.full_name != (agent_name or "").strip():
        errors["agent_id_number"] = _("未找到姓名与证件号码一致的已注册自然人。")
    if not scopes or any(s not in AgentScope.values for s in scopes):
        errors["scopes"] = _("请选择授权范围。")
    if not valid_until or valid_until <= timezone.now():
        errors["valid_until"] = _("授权有效期须晚于当前时间。")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            authorisation = AgentAuthorisation.objects.create(legal_person=legal_person, agent=agent,
                                                              scopes=sorted(set(scopes)), valid_until=valid_until,
                                                              remarks=remarks[:200])
            record_transition(obj=authorisation, from_state="", to_state=AgentStatus.PENDING, actor=actor,
                              action="authorise")
            audit_record(actor=actor, action="create", obj=authorisation, detail="授权经办人")
    except IntegrityError:
        raise ValidationError({"agent_id_number": _("已存在对该自然人的待接收或有效授权。")}) from None
    return authorisation


def _decide(authorisation: AgentAuthorisation, *, actor: User, allowed_from: tuple, to: str, action: str,
            owner_field: str) -> AgentAuthorisation:
    if getattr(authorisation, f"{owner_field}_id") != actor.pk:
        raise PermissionDenied(_("无权处理该授权。"))
    with transaction.atomic():
        locked = AgentAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        if locked.status not in allowed_from:
            raise ValidationError(_("该授权当前状态为“%(s)s”，不能执行此操作。") % {"s": locked.get_status_display()})
        before = locked.status
        locked.status, locked.decided_at = to, timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        record_transition(obj=locked, from_state=before, to_state=to, actor=actor, action=action)
        audit_record(actor=actor, action="update", obj=locked, detail=action)
    return locked


def agent_accept(*, authorisation: AgentAuthorisation, actor: User) -> AgentAuthorisation:
    if authorisation.valid_until <= timezone.now():
        raise ValidationError(_("该授权已过期。"))
    return _decide(authorisation, actor=actor, allowed_from=(AgentStatus.PENDING,), to=AgentStatus.ACTIVE,
                   action="accept", owner_field="agent")


def agent_reject(*, authorisation: AgentAuthorisation, actor: User) -> AgentAuthorisation:
    return _decide(authorisation, actor=actor, allowed_from=(AgentStatus.PENDING,), to=AgentStatus.REJECTED,
                   action="reject", owner_field="agent")


def agent_revoke(*, authorisation: AgentAuthorisation, actor: User) -> AgentAuthorisation:
    return _decide(authorisation, actor=actor, allowed_from=(AgentStatus.PENDING, AgentStatus.ACTIVE),
                   to=AgentStatus.REVOKED, action="revoke", owner_field="legal_person")


def agent_act_check(*, agent: User, legal_person_id: int, scope: str | None = None) -> AgentAuthorisation:
    """The active authorisation letting `agent` act for the legal person (in `scope`, when given)."""
    authorisation = AgentAuthorisation.objects.active_now().filter(agent=agent, legal_person_id=legal_person_id) \
        .select_related("legal_person").first()
    if authorisation is None:
        raise PermissionDenied(_("您没有该法人的有效经办授权（可能已撤销或过期）。"))
    if scope and AgentScope.ALL not in authorisation.scopes and scope not in authorisation.scopes:
        raise PermissionDenied(_("该操作超出法人授权的范围。"))
    return authorisation
