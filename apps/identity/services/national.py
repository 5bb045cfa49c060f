"""The national government-service platform (国家政务服务平台): national-account login (IDN-1.3.5),
trust passing both ways in the same browser (IDN-1.3.6), the level-three redirect to the national
upgrade page (IDN-4.1) and implicit login after third-party methods (IDN-4.2).

Protocol (decision 0204): an OAuth-style authorisation-code exchange in both directions.
* national → province: we send the browser to the national `login` page (or, silently, to
  `authorize`); it comes back to `/sso/national/callback/?code=…`; we exchange the code at the
  national `POST /verify` for the national user and log them in.
* province → national: the national platform sends the browser to `/sso/national/trust/`; a
  logged-in user gets a one-time trust code (an SsoTicket of kind `national`) that the national
  platform exchanges at `POST /sso/api/national/token` with its client identifier and secret.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.identity.adapters import thirdparty
from apps.identity.adapters.thirdparty import NationalCodeQuery
from apps.identity.adapters.verification import peer_url
from apps.identity.models import (
    ClientSystem,
    ExternalProvider,
    IdType,
    RealNameLevel,
    RegistrationChannel,
    SsoTicketKind,
    User,
    UserKind,
)
from apps.identity.services.checks import _ask
from apps.identity.services.signin import identity_link, linked_user
from apps.identity.sso import tickets
from apps.identity.sso.claims import user_claims

STATE_SESSION_KEY = "identity_national_state"
CHECKED_SESSION_KEY = "identity_national_checked"


def national_client_code() -> str:
    return getattr(settings, "IDENTITY_NATIONAL_CLIENT_CODE", "national-platform")


def national_login_url(*, session, redirect_uri: str, next_url: str, silent: bool = False) -> str:
    """Where to send the browser: the national login page, or its silent check (trust passing)."""
    state = secrets.token_urlsafe(16)
    session[STATE_SESSION_KEY] = {"state": state, "next": next_url, "silent": silent}
    params = {"client_id": national_client_code(), "redirect_uri": redirect_uri, "state": state}
    if silent:
        return thirdparty.national_url("authorize", prompt="none", **params)
    return thirdparty.national_url("login", **params)


def national_callback_state(*, session, state: str) -> dict:
    expected = session.pop(STATE_SESSION_KEY, None) or {}
    if not state or not secrets.compare_digest(str(expected.get("state", "")), state):
        raise PermissionDenied(_("登录请求已失效，请重新登录。"))
    return expected


def _national_account(record: dict) -> User:
    """The provincial account of a national user: linked before, matched by ID number / credit code
    (then linked), or created from the national record (mutual identity trust, 身份互信)."""
    national_id = str(record.get("national_id") or "")
    if not national_id:
        raise ValidationError(_("国家政务服务平台未返回用户标识。"))
    user = linked_user(provider=ExternalProvider.NATIONAL, external_id=national_id)
    if user is not None:
        return user
    kind = UserKind.LEGAL_PERSON if record.get("kind") == UserKind.LEGAL_PERSON else UserKind.NATURAL_PERSON
    with transaction.atomic():
        if kind == UserKind.LEGAL_PERSON:
            user = User.objects.filter(kind=kind, credit_code=record.get("credit_code") or "-", is_active=True).first()
        else:
            user = User.objects.with_id_number(str(record.get("id_number") or "-").upper()).filter(
                kind=kind, is_active=True).first()
        if user is None:
            user = _create_from_national(record, kind, national_id)
        identity_link(user=user, provider=ExternalProvider.NATIONAL, external_id=national_id)
    return user


def _create_from_national(record: dict, kind: str, national_id: str) -> User:
    level = min(int(record.get("auth_level") or 1), int(RealNameLevel.STRONG))
    user = User(username=f"gj_{national_id}"[:150], kind=kind, full_name=str(record.get("name", ""))[:64],
                id_type=record.get("id_type") or IdType.RESIDENT_ID,
                id_number=str(record.get("id_number") or "").upper(), credit_code=record.get("credit_code") or "",
                real_name_level=level, registration_channel=RegistrationChannel.PC)
    user.set_unusable_password()
    user.save()
    audit_record(actor=user, action="create", obj=user, detail="国家政务服务平台账号首次登录，自动开户",
                 changes={"kind": kind, "real_name_level": level})
    return user


def national_login_complete(*, code: str, redirect_uri: str) -> User:
    """Exchange the national platform's code for its user; the provincial account to log in."""
    verifier = thirdparty.national_platform()
    result = _ask(verifier, NationalCodeQuery(code=code or "", client_id=national_client_code(),
                                              redirect_uri=redirect_uri))
    if not result.matched:
        raise ValidationError(_("国家政务服务平台登录未通过：%(message)s") % {"message": result.message})
    return _national_account(result.record)


# --- province → national (the national platform asks us) ------------------------------------


def national_redirect_allowed(url: str) -> bool:
    base = peer_url("IDENTITY_NATIONAL_PLATFORM_URL")
    return bool(url) and (url == base or url.startswith(base + "/"))


def national_client() -> ClientSystem:
    client = ClientSystem.objects.filter(code=national_client_code(), is_enabled=True).first()
    if client is None:
        raise PermissionDenied(_("未登记国家政务服务平台对接应用。"))
    return client


def national_trust_issue(*, user: User, login_method: str, session_key: str = "") -> str:
    """A one-time code passing this login to the national platform (IDN-1.3.6, 4.2)."""
    ticket = tickets.ticket_issue(client=national_client(), user=user, kind=SsoTicketKind.NATIONAL_TRUST,
                                  session_key=session_key)
    type(ticket).objects.filter(pk=ticket.pk).update(login_method=login_method)
    return ticket.ticket


def national_trust_exchange(*, client_id: str, client_secret: str, code: str) -> dict:
    """The national platform trades the trust code for the user (claims, level, login method)."""
    client = tickets.client_authenticate(code=client_id, secret=client_secret)
    if client.code != national_client_code():
        raise PermissionDenied(_("该应用无权获取信任传递信息。"))
    found = tickets._use(ticket=code, kind=SsoTicketKind.NATIONAL_TRUST, client=client)
    audit_record(actor=found.user, action="other", obj=found.user,
                 detail=f"信任传递至国家政务服务平台（{found.login_method or 'password'}）")
    return {**user_claims(found.user, client), "auth_method": found.login_method or "password"}
