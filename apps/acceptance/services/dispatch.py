"""Dispatch centre: client systems with tokens, routes, matter routes, outbound messages (ACC-11.x – 13.x).

Messages to department systems go through the kernel outbox (peer family "acc_route:<route id>");
the wire format is docs/acceptance-exchange.md. Inbound messages are in `services.exchange`.
"""
from __future__ import annotations

import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Case, ClientStatus, ClientSystem, Direction, DispatchStatus, ExchangeMessage, MatterRoute, Route, RouteStatus,
)
from apps.core.adapters.http import post_json, request
from apps.core.crypto import keyed_digest
from apps.core.outbox import PeerPermanentError, PeerTemporaryError, enqueue
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.workflow import record_transition

PEER_PREFIX = "acc_route:"
EXCHANGE_VERSION = "1.0"
REGISTER, REVIEW = "acceptance.add_clientsystem", "acceptance.change_clientsystem"
ROUTE_EDIT, ROUTE_REVIEW, MATTER_ROUTE = "acceptance.add_route", "acceptance.change_route", "acceptance.add_matterroute"


def _require(actor, permission: str, obj=None) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if obj is not None and not can_see(actor, obj):
        raise PermissionDenied(_("该记录不在您的数据范围内。"))


def _state(obj, to: str, *, actor, action: str, comment: str = "", fields=()) -> None:
    previous = obj.status
    obj.status = to
    obj.save(update_fields=["status", *fields])
    record_transition(obj=obj, from_state=previous, to_state=to, actor=actor, action=action, comment=comment)
    audit_record(actor=actor, action="update", obj=obj, detail=f"{action}: {previous} → {to}")


# --- client systems (应用接入管理) -------------------------------------------------------------------------

@transaction.atomic
def client_register(*, actor, name: str, system_type: str, organisation, address: str, description: str = "",
                    ) -> ClientSystem:
    """应用注册 (ACC-11.1): the integrating party submits its system for review."""
    if not name.strip() or not address.strip():
        raise ValidationError(_("请填写应用名称和系统地址。"))
    _require(actor, REGISTER, organisation)
    client = ClientSystem(name=name.strip(), system_type=system_type, organisation=organisation,
                          region_id=organisation.region_id, address=address.strip(), description=description,
                          registered_by=actor)
    client.full_clean()
    client.save()
    record_transition(obj=client, from_state="", to_state=client.status, actor=actor, action="register")
    audit_record(actor=actor, action="create", obj=client)
    return client


@transaction.atomic
def client_review(*, actor, client: ClientSystem, approve: bool, reason: str = "") -> str | None:
    """应用审核 (ACC-11.2, 11.5): approval issues the token (returned once, stored as a keyed digest)."""
    client = ClientSystem.objects.select_for_update().get(pk=client.pk)
    _require(actor, REVIEW, client)
    if client.status not in (ClientStatus.PENDING,):
        raise ValidationError(_("应用当前状态为“%(s)s”，不能审核。") % {"s": client.get_status_display()})
    if not approve:
        if not reason.strip():
            raise ValidationError(_("驳回须填写原因。"))
        client.rejection_reason = reason.strip()
        _state(client, ClientStatus.REJECTED, actor=actor, action="reject", comment=reason,
               fields=["rejection_reason"])
        return None
    token = secrets.token_urlsafe(32)
    client.token_digest, client.token_issued_at, client.rejection_reason = keyed_digest(token), timezone.now(), ""
    _state(client, ClientStatus.APPROVED, actor=actor, action="approve",
           fields=["token_digest", "token_issued_at", "rejection_reason"])
    return token


@transaction.atomic
def client_resubmit(*, actor, client: ClientSystem, address: str, description: str = "") -> ClientSystem:
    """A rejected application is edited and submitted again (ACC-11.2)."""
    client = ClientSystem.objects.select_for_update().get(pk=client.pk)
    _require(actor, REGISTER, client)
    if client.status != ClientStatus.REJECTED:
        raise ValidationError(_("只有被驳回的应用可以重新提交。"))
    client.address, client.description = address.strip(), description
    client.full_clean()
    _state(client, ClientStatus.PENDING, actor=actor, action="resubmit", fields=["address", "description"])
    return client


@transaction.atomic
def client_change(*, actor, client: ClientSystem, address: str | None = None, system_type: str | None = None,
                  region=None) -> ClientSystem:
    """应用变更 (ACC-11.3): address, system type, region of an approved application."""
    client = ClientSystem.objects.select_for_update().get(pk=client.pk)
    _require(actor, REVIEW, client)
    if client.status != ClientStatus.APPROVED:
        raise ValidationError(_("只有审核通过的应用可以变更。"))
    before = {"address": client.address, "system_type": client.system_type, "region": client.region_id}
    client.address = address.strip() if address else client.address
    client.system_type = system_type or client.system_type
    client.region = region or client.region
    client.full_clean()
    client.save(update_fields=["address", "system_type", "region"])
    audit_record(actor=actor, action="update", obj=client, changes={"before": before})
    return client


@transaction.atomic
def client_end(*, actor, client: ClientSystem, cancel: bool, reason: str = "") -> ClientSystem:
    """应用注销/禁用 (ACC-11.4): the token stops working at once."""
    client = ClientSystem.objects.select_for_update().get(pk=client.pk)
    _require(actor, REVIEW, client)
    if client.status in (ClientStatus.CANCELLED,):
        raise ValidationError(_("应用已注销。"))
    to = ClientStatus.CANCELLED if cancel else ClientStatus.DISABLED
    if cancel:
        client.token_digest = ""
    _state(client, to, actor=actor, action="cancel" if cancel else "disable", comment=reason,
           fields=["token_digest"])
    return client


def client_for_token(token: str) -> ClientSystem | None:
    """令牌服务 (ACC-11.5, 14.2): the approved client owning the token, or None."""
    if not token:
        return None
    client = ClientSystem.objects.filter(token_digest=keyed_digest(token)).first()
    return client if client and client.can_be_served else None


# --- routes (路由管理) -------------------------------------------------------------------------------------

@transaction.atomic
def route_create(*, actor, client: ClientSystem, name: str, address: str, network_type: str, description: str,
                 creator_name: str, creator_contact: str) -> Route:
    """路由创建 (ACC-12.1) for an approved client system."""
    if not all(v.strip() for v in (name, address, creator_name, creator_contact)):
        raise ValidationError(_("请填写路由名称、地址、创建人和联系方式。"))
    _require(actor, ROUTE_EDIT, client)
    client = ClientSystem.objects.get(pk=client.pk)
    if client.status != ClientStatus.APPROVED:
        raise ValidationError(_("应用未审核通过，不能创建路由。"))
    route = Route(client=client, name=name.strip(), number=f"R{uuid.uuid4().hex[:10].upper()}",
                  address=address.strip(), network_type=network_type, description=description,
                  creator_name=creator_name.strip(), creator_contact=creator_contact.strip())
    route.full_clean()
    route.save()
    record_transition(obj=route, from_state="", to_state=route.status, actor=actor, action="create")
    return route


_ROUTE_STEPS = {  # action: (permission, from, to)
    "submit": (ROUTE_EDIT, RouteStatus.CREATED, RouteStatus.PENDING_REVIEW),
    "approve": (ROUTE_REVIEW, RouteStatus.PENDING_REVIEW, RouteStatus.PENDING_PUBLISH),
    "reject": (ROUTE_REVIEW, RouteStatus.PENDING_REVIEW, RouteStatus.CREATED),
    "publish": (ROUTE_REVIEW, RouteStatus.PENDING_PUBLISH, RouteStatus.PUBLISHED),
}


@transaction.atomic
def route_step(*, actor, route: Route, action: str, comment: str = "") -> Route:
    """Route lifecycle (ACC-12.2, 12.4): created → pending review → reviewed (pending publish) → published."""
    if action not in _ROUTE_STEPS:
        raise ValidationError(_("未知的路由操作。"))
    permission, source, target = _ROUTE_STEPS[action]
    route = Route.objects.select_for_update().select_related("client").get(pk=route.pk)
    _require(actor, permission, route)
    if route.status != source:
        raise ValidationError(_("路由当前状态为“%(s)s”，不能执行该操作。") % {"s": route.get_status_display()})
    if action == "submit":
        route.submitted_at = timezone.now()
    _state(route, target, actor=actor, action=action, comment=comment, fields=["submitted_at"])
    return route


@transaction.atomic
def route_revoke(*, actor, route: Route) -> Route:
    """路由注销 (ACC-12.5): final; the route leaves the lists and its matter routes end."""
    route = Route.objects.select_for_update().get(pk=route.pk)
    _require(actor, ROUTE_EDIT, route)
    if route.status == RouteStatus.REVOKED:
        raise ValidationError(_("路由已注销，注销不可撤回。"))
    MatterRoute.objects.filter(route=route, is_active=True).update(is_active=False, cancelled_at=timezone.now())
    _state(route, RouteStatus.REVOKED, actor=actor, action="revoke")
    return route


def route_test(*, actor, route: Route) -> bool:
    """路由测试 (ACC-12.3): GET <address>/health; records reachable or unreachable."""
    _require(actor, ROUTE_REVIEW, route)
    try:
        request("GET", f"{route.address.rstrip('/')}/health", timeout=3)
        ok = True
    except (PeerTemporaryError, PeerPermanentError):
        ok = False
    Route.objects.filter(pk=route.pk).update(last_test_ok=ok, last_test_at=timezone.now())
    return ok


@transaction.atomic
def matter_route_set(*, actor, item, route: Route | None) -> MatterRoute | None:
    """事项路由配置 (ACC-13.3): bind an item to a published route, change it, or cancel it (route=None)."""
    _require(actor, MATTER_ROUTE, item)
    if route is not None and not item_in_use(item):
        raise ValidationError(_("事项已在事项库注销或暂停，不能配置路由。"))
    if route is not None:
        route = Route.objects.select_related("client").filter(pk=route.pk).first()
        if route is None or route.status != RouteStatus.PUBLISHED or not route.client.can_be_served:
            raise ValidationError(_("路由不存在或未发布，不能配置。"))
    now = timezone.now()
    MatterRoute.objects.select_for_update().filter(item=item, is_active=True).update(is_active=False,
                                                                                     cancelled_at=now)
    if route is None:
        audit_record(actor=actor, action="update", obj=item, detail="事项路由注销")
        return None
    binding = MatterRoute.objects.create(item=item, route=route)
    audit_record(actor=actor, action="create", obj=binding)
    return binding


def item_in_use(item) -> bool:
    """ACC-13.1 / 13.2: the dispatch centre reads items straight from the item library (apps.matters), so
    additions and changes are live; an item cancelled or suspended there (or whose catalogue item is)
    is no longer dispatched."""
    from apps.matters.models.enums import MatterStatus

    item = type(item).objects.select_related("catalogue_item").get(pk=item.pk)
    catalogue = item.catalogue_item
    withdrawn = (MatterStatus.SUSPENDED, MatterStatus.CANCELLED)
    return item.status == MatterStatus.PUBLISHED and (catalogue is None or catalogue.status not in withdrawn)


def active_route(item) -> Route | None:
    if not item_in_use(item):
        return None
    binding = MatterRoute.objects.select_related("route__client").filter(
        item=item, is_active=True, route__status=RouteStatus.PUBLISHED).first()
    return binding.route if binding and binding.route.client.can_be_served else None


# --- outbound messages ---------------------------------------------------------------------------------------

def envelope(case: Case, kind: str, body: dict, message_id: str) -> dict:
    """The unified acceptance exchange envelope (docs/acceptance-exchange.md §2)."""
    code = getattr(case, "case_code", None)
    return {"version": EXCHANGE_VERSION, "message_id": message_id, "kind": kind, "case_number": case.case_number,
            "case_code": code.code if code else "", "item_code": case.item.implementation_code,
            "sent_at": timezone.now().isoformat(), "body": body}


def send_to_department(case: Case, kind: str, body: dict, *, key: str) -> ExchangeMessage:
    """Queue one message to the case's route (inside the caller's transaction), logged both in the
    exchange log and the outbox; the same key never sends twice."""
    route = Route.objects.select_related("client").get(pk=case.route_id)
    message_id = f"{case.case_number}:{key}"
    payload = envelope(case, kind, body, message_id)
    enqueue(peer=f"{PEER_PREFIX}{route.pk}", kind=kind, payload=payload, idempotency_key=message_id,
            region=case.region)
    message, _created = ExchangeMessage.objects.get_or_create(
        client=route.client, direction=Direction.OUTBOUND, message_id=message_id,
        defaults={"case": case, "kind": kind, "payload": payload})
    return message


def declaration_body(case: Case) -> dict:
    """接收业务申报信息 (ACC-14.3) + materials (14.4): applicant, form, acceptance and business information."""
    return {
        "applicant": {"kind": case.applicant_kind, "name": case.applicant_name,
                      "id_number": case.applicant_id_number, "mobile": case.applicant_mobile},
        "form": case.form_data,
        "acceptance": {"accepted_at": case.accepted_at.isoformat() if case.accepted_at else None,
                       "accepted_by": case.accepted_by.get_username() if case.accepted_by_id else "",
                       "hall": case.hall.name if case.hall_id else "", "channel": case.channel,
                       "due_date": case.due_date.isoformat() if case.due_date else None},
        "business": {"item_name": case.item.name, "item_code": case.item.implementation_code,
                     "region_code": case.region_id, "organisation": case.organisation.name,
                     "is_immediate": case.item.is_immediate},
        "materials": [{"name": m.name, "required": m.is_required, "medium": m.medium, "copies": m.copies,
                       "file": m.file.name if m.file else ""} for m in case.materials.all()],
    }


def dispatch_accepted(case: Case) -> None:
    """分发 (ACC-7.4): called by case_accept inside its transaction; no route → recorded as such."""
    route = active_route(case.item)
    if route is None:
        case.dispatch_status = DispatchStatus.NO_ROUTE
        case.save(update_fields=["dispatch_status"])
        return
    case.route, case.dispatch_status = route, DispatchStatus.PENDING
    case.save(update_fields=["route", "dispatch_status"])
    send_to_department(case, "case.accepted", declaration_body(case), key="accepted")


def send_route_message(message) -> None:
    """Outbox sender of the "acc_route:" family: POST the envelope to <route address>/exchange."""
    route = Route.objects.select_related("client").filter(pk=int(message.peer[len(PEER_PREFIX):])).first()
    if route is None or route.status == RouteStatus.REVOKED or not route.client.can_be_served:
        raise PeerPermanentError("route revoked or client not in service")
    response = post_json(f"{route.address.rstrip('/')}/exchange", message.payload,
                         idempotency_key=message.idempotency_key)
    if message.kind == "case.accepted":
        try:
            signed = bool(response.json().get("signed"))
        except ValueError:
            signed = False
        Case.objects.filter(case_number=message.payload["case_number"], dispatch_status=DispatchStatus.PENDING).update(
            dispatch_status=DispatchStatus.SIGNED_FOR if signed else DispatchStatus.DISPATCHED)
