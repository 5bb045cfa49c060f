"""SSO endpoints under /sso/: OIDC authorize (level check), CAS 2.0/3.0, ticket mode, user info.

Thin: each view parses, calls apps.identity.sso.tickets, and renders the protocol's answer.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse
from xml.sax.saxutils import escape

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import AuthorizationView

from apps.identity.models import ClientSystem, SsoTicketKind
from apps.identity.sso import tickets, userinfo_cache
from apps.identity.sso.cache import client_system_for
from apps.identity.sso.claims import user_claims

ACTING_FOR_SESSION_KEY = "identity_acting_for"


def _with_params(url: str, **params) -> str:
    parts = urlparse(url)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return urlunparse(parts._replace(query=urlencode(query)))


def login_url_for(client: ClientSystem | None, next_url: str) -> str:
    name = "portal:login" if client is not None and client.for_staff else "public:login"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def upgrade_url(next_url: str, level: int) -> str:
    return f"{reverse('sso:level-upgrade')}?{urlencode({'next': next_url, 'level': level})}"


def acting_for(request):
    """The legal person a natural person currently acts for (session), if still authorised."""
    from apps.identity.services.agents import agent_act_check

    legal_person_id = request.session.get(ACTING_FOR_SESSION_KEY)
    if not legal_person_id or not request.user.is_authenticated:
        return None
    try:
        return agent_act_check(agent=request.user, legal_person_id=legal_person_id).legal_person
    except PermissionDenied:
        request.session.pop(ACTING_FOR_SESSION_KEY, None)
        return None


class _Refusal(Exception):
    def __init__(self, response):
        self.response = response


def _enter(request, client: ClientSystem | None):
    """Log-in / kind / level gate shared by every protocol; raises _Refusal with the response."""
    if client is None:
        raise _Refusal(render(request, "identity/sso_error.html", {"message": "未登记的应用或服务地址。"}, status=400))
    if not request.user.is_authenticated:
        raise _Refusal(redirect(login_url_for(client, request.get_full_path())))
    reason = tickets.client_may_serve(client, request.user)
    if reason:
        raise _Refusal(render(request, "identity/sso_error.html", {"message": reason}, status=403))
    if tickets.needs_level_upgrade(client, request.user):
        raise _Refusal(redirect(upgrade_url(request.get_full_path(), client.min_real_name_level)))


class OidcAuthorizationView(AuthorizationView):
    """django-oauth-toolkit's authorize endpoint behind our gate (kind and real-name level, IDN-4.1)."""

    def get(self, request, *args, **kwargs):
        client = ClientSystem.objects.filter(client_id=request.GET.get("client_id", ""), is_enabled=True).first()
        if client is not None and request.user.is_authenticated:
            try:
                _enter(request, client)
            except _Refusal as refusal:
                return refusal.response
        return super().get(request, *args, **kwargs)


class CasLoginView(View):
    """GET /sso/cas/login?service=… → redirect to service?ticket=ST-… (or to the login page)."""

    def get(self, request):
        service = request.GET.get("service", "")
        client = tickets.client_for_service(service)
        try:
            _enter(request, client)
        except _Refusal as refusal:
            return refusal.response
        ticket = tickets.ticket_issue(client=client, user=request.user, kind=SsoTicketKind.CAS, service=service,
                                      session_key=request.session.session_key or "",
                                      acting_for=acting_for(request))
        return redirect(_with_params(service, ticket=ticket.ticket))


def _cas_xml(body: str) -> HttpResponse:
    xml = f"<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>{body}</cas:serviceResponse>"
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


def _cas_attributes(claims: dict) -> str:
    parts = []
    for key, value in claims.items():
        if key in ("sub", "preferred_username") or isinstance(value, list):
            continue
        if isinstance(value, dict):   # acting_for → acting_for_name, acting_for_credit_code
            parts.extend(f"<cas:{key}_{sub}>{escape(str(v))}</cas:{key}_{sub}>" for sub, v in value.items())
            continue
        parts.append(f"<cas:{key}>{escape(str(value))}</cas:{key}>")
    return "".join(parts)


class CasServiceValidateView(View):
    """CAS 2.0 /serviceValidate and CAS 3.0 /p3/serviceValidate (attributes included)."""

    def get(self, request):
        service, ticket = request.GET.get("service", ""), request.GET.get("ticket", "")
        if not service or not ticket:
            return _cas_xml("<cas:authenticationFailure code='INVALID_REQUEST'>service 与 ticket 必填"
                            "</cas:authenticationFailure>")
        try:
            found = tickets.cas_service_validate(service=service, ticket=ticket)
        except ValidationError as exc:
            return _cas_xml(f"<cas:authenticationFailure code='{exc.code or 'INVALID_TICKET'}'>"
                            f"{escape(exc.messages[0])}</cas:authenticationFailure>")
        claims = user_claims(found.user, found.client, acting_for=found.acting_for)
        return _cas_xml(f"<cas:authenticationSuccess><cas:user>{escape(found.user.username)}</cas:user>"
                        f"<cas:attributes>{_cas_attributes(claims)}</cas:attributes></cas:authenticationSuccess>")


class CasLogoutView(View):
    def get(self, request):
        logout(request)
        service = request.GET.get("service", "")
        if service and tickets.client_for_service(service):
            return redirect(service)
        return redirect("public:home")


class TicketIssueView(View):
    """Ticket mode, step 1: GET /sso/ticket/?app_id=…&redirect_uri=… → redirect_uri?ticket=TK-…"""

    def get(self, request):
        client = ClientSystem.objects.filter(code=request.GET.get("app_id", ""), is_enabled=True).first()
        redirect_uri = request.GET.get("redirect_uri", "")
        if client is not None and not client.accepts_service(redirect_uri):
            return render(request, "identity/sso_error.html", {"message": "回调地址未登记。"}, status=400)
        try:
            _enter(request, client)
        except _Refusal as refusal:
            return refusal.response
        ticket = tickets.ticket_issue(client=client, user=request.user, kind=SsoTicketKind.APP,
                                      service=redirect_uri, session_key=request.session.session_key or "",
                                      acting_for=acting_for(request))
        return redirect(_with_params(redirect_uri, ticket=ticket.ticket))


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@method_decorator(csrf_exempt, name="dispatch")
class TicketTokenView(View):
    """Ticket mode, step 2 (server to server): POST app_id, app_secret, ticket → access token."""

    def post(self, request):
        try:
            token, _found = tickets.ticket_token(code=request.POST.get("app_id", ""),
                                                 secret=request.POST.get("app_secret", ""),
                                                 ticket=request.POST.get("ticket", ""))
        except PermissionDenied as exc:
            return _error(str(exc), 401)
        except ValidationError as exc:
            return _error(exc.messages[0], 400)
        return JsonResponse({"access_token": token.token, "token_type": "Bearer",
                             "expires_in": int((token.expires - token.created).total_seconds())})


class TicketUserInfoView(View):
    """Ticket mode, step 3: GET with Authorization: Bearer <token> → user information (answered from
    the shared cache while current, decision 0209)."""

    def get(self, request):
        header = request.headers.get("Authorization", "")
        bearer = header[7:] if header.startswith("Bearer ") else ""
        found = userinfo_cache.lookup("ticket", userinfo_cache.checksum(bearer)) if bearer else None
        if found is not None and found.body is not None:
            return HttpResponse(found.body, content_type="application/json")
        token = tickets.token_user(bearer=bearer)
        if token is None:
            return _error("访问令牌无效或已过期。", 401)
        claims = user_claims(token.user, client_system_for(token.application.client_id))
        body = json.dumps(claims, cls=DjangoJSONEncoder).encode()
        if found is not None:
            userinfo_cache.store(found, user_id=token.user_id, organisation_id=token.user.organisation_id,
                                 valid_until=userinfo_cache.claims_valid_until(token=token, claims=claims), body=body)
        return HttpResponse(body, content_type="application/json")


@method_decorator(csrf_exempt, name="dispatch")
class MultiTicketView(View):
    """IDN-14.5: POST app_id + encrypted → a new ticket for the same user."""

    def post(self, request):
        try:
            ticket = tickets.ticket_multi_issue(app_id=request.POST.get("app_id", ""),
                                                encrypted=request.POST.get("encrypted", ""))
        except PermissionDenied as exc:
            return _error(str(exc), 401)
        except ValidationError as exc:
            return _error(exc.messages[0], 400)
        return JsonResponse({"ticket": ticket.ticket, "expires_at": ticket.expires_at.isoformat()})
