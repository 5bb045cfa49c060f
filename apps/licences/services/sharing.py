"""The sharing platform's gate (LIC-2.3–2.6, 5.5 1): configured interfaces, connected applications with
hashed passwords and short-lived signed tokens, access rights with validity, total and daily limits counted
under a row lock, and a log line for every call, allowed or refused."""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    AccessDailyCount, LicenceApiGrant, LicenceRoute, SharingApplication, SharingInterface, SharingLog, SharingOutcome,
)
from .kernel import audit_record, require_in_scope, require_permission

TOKEN_SALT = "licences.sharing.token"
TOKEN_MAX_AGE = 2 * 3600
# The interfaces this system exposes (LIC-2.4 seeds, LIC-5.2/5.3/5.4/5.5): code → (name, address).
BUILTIN_INTERFACES = {
    "licence-info": ("证照信息获取", "/api/v1/licences/share/licences/"),
    "licence-download": ("证照文件下载", "/api/v1/licences/share/licences/{code}/file/"),
    "licence-image": ("证照图片下载（亮证）", "/api/v1/licences/share/licences/{code}/image/"),
    "licence-verify": ("证照信息核验", "/api/v1/licences/share/verify/"),
    "licence-types": ("证照类型列表", "/api/v1/licences/share/types/"),
    "licence-search": ("证照检索", "/api/v1/licences/share/search/"),
    "licence-proxy": ("全省证照接口代理", "/api/v1/licences/share/proxy/{route}/"),
    "licence-generate": ("证照生成接口（省直部门业务系统）", "/api/v1/licences/share/generate/"),
}


class SharingRefused(Exception):
    """A call the gate refuses; ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message, self.status = message, status


# --- configuration (admin pages) ---------------------------------------------------------------------

def _save(obj, *, actor, fields: list[str]):
    obj.full_clean()
    created = obj.pk is None
    obj.save()
    audit_record(actor=actor, action="create" if created else "update", obj=obj,
                 changes={f: [None, str(getattr(obj, f))] for f in fields})
    return obj


@transaction.atomic
def sharing_interface_save(*, actor, code: str, name: str, address: str, is_enabled: bool = True,
                           description: str = "", organisation=None, interface: SharingInterface | None = None):
    """Add or modify an exposed interface (LIC-2.4)."""
    require_permission(actor, "licences.change_sharinginterface" if interface else "licences.add_sharinginterface")
    if interface is not None:
        require_in_scope(actor, interface)
    obj = interface or SharingInterface(organisation=organisation or actor.organisation)
    obj.code, obj.name, obj.address = code.strip(), name.strip(), address.strip()
    obj.is_enabled, obj.description = bool(is_enabled), description.strip()
    return _save(obj, actor=actor, fields=["code", "name", "address", "is_enabled"])


@transaction.atomic
def sharing_interfaces_seed(*, actor, organisation) -> int:
    """Create the built-in interfaces that are missing (an administrator's one-click setup)."""
    require_permission(actor, "licences.add_sharinginterface")
    existing = set(SharingInterface.objects.values_list("code", flat=True))
    made = 0
    for code, (name, address) in BUILTIN_INTERFACES.items():
        if code not in existing:
            sharing_interface_save(actor=actor, code=code, name=name, address=address, organisation=organisation)
            made += 1
    return made


def _check_ips(text: str) -> str:
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    try:
        for p in parts:
            ipaddress.ip_network(p, strict=False)
    except ValueError as exc:
        raise ValidationError({"ip_addresses": _("IP 地址格式不正确：%(v)s") % {"v": text}}) from exc
    return ",".join(parts)


@transaction.atomic
def sharing_application_save(*, actor, name: str, valid_until: dt.date, organisation=None, password: str = "",
                             ip_addresses: str = "", is_enabled: bool = True, basis: str = "",
                             proxy_address: str = "", application: SharingApplication | None = None):
    """Register or modify a connected application (LIC-2.5); the password is required when registering."""
    require_permission(actor, "licences.change_sharingapplication" if application
                       else "licences.add_sharingapplication")
    if application is not None:
        require_in_scope(actor, application)
    if application is None and len(password or "") < 8:
        raise ValidationError({"password": _("接入系统口令至少 8 位。")})
    if valid_until is None:
        raise ValidationError({"valid_until": _("请填写有效期。")})
    obj = application or SharingApplication(organisation=organisation or actor.organisation)
    obj.name, obj.ip_addresses, obj.is_enabled = name.strip(), _check_ips(ip_addresses), bool(is_enabled)
    obj.valid_until, obj.basis, obj.proxy_address = valid_until, basis.strip(), proxy_address.strip()
    if password:
        obj.password_hash = make_password(password)
    return _save(obj, actor=actor, fields=["name", "ip_addresses", "is_enabled", "valid_until"])


@transaction.atomic
def access_right_save(*, actor, interface: SharingInterface, application: SharingApplication, valid_until: dt.date,
                      daily_limit: int, total_limit: int = 0, right: LicenceApiGrant | None = None) -> LicenceApiGrant:
    """Grant (or modify) an application's right to an interface (LIC-2.3)."""
    require_permission(actor, "licences.change_licenceapigrant" if right else "licences.add_licenceapigrant")
    require_in_scope(actor, application)
    if daily_limit is None or int(daily_limit) < 1:
        raise ValidationError({"daily_limit": _("每日允许访问次数至少为 1。")})
    if right is None and LicenceApiGrant.objects.filter(interface=interface, application=application).exists():
        raise ValidationError(_("该应用已有此接口的访问权，请修改原记录。"))
    obj = right or LicenceApiGrant(interface=interface, application=application)
    obj.valid_until, obj.daily_limit, obj.total_limit = valid_until, int(daily_limit), int(total_limit or 0)
    return _save(obj, actor=actor, fields=["valid_until", "daily_limit", "total_limit"])


@transaction.atomic
def sharing_record_delete(*, actor, obj) -> None:
    """Delete an interface, application, right or route (each through its own permission)."""
    require_permission(actor, f"licences.delete_{type(obj).__name__.lower()}")
    require_in_scope(actor, obj)
    audit_record(actor=actor, action="delete", obj=obj, changes={"name": [str(obj), None]})
    obj.delete()


@transaction.atomic
def interface_route_save(*, actor, code: str, name: str, entry_address: str, data_source, access_address: str,
                         access_account: str = "", access_token: str = "", organisation=None, is_enabled=True,
                         route: LicenceRoute | None = None) -> LicenceRoute:
    """Register or modify a city's / department's licence system interface (LIC-2.2)."""
    require_permission(actor, "licences.change_licenceroute" if route else "licences.add_licenceroute")
    if route is not None:
        require_in_scope(actor, route)
    obj = route or LicenceRoute(organisation=organisation or actor.organisation)
    obj.code, obj.name, obj.entry_address = code.strip(), name.strip(), entry_address.strip()
    obj.data_source, obj.access_address = data_source, access_address.strip()
    obj.access_account, obj.is_enabled = access_account.strip(), bool(is_enabled)
    if access_token:
        obj.access_token = access_token
    if data_source is None:
        raise ValidationError({"data_source": _("请选择数据来源单位。")})
    return _save(obj, actor=actor, fields=["code", "name", "entry_address", "access_address"])


# --- the gate (API) -------------------------------------------------------------------------------------

def _log(*, application, interface_code: str, ip: str | None, outcome: str, detail: str = "", licence_code=""):
    SharingLog.objects.create(application=application, interface_code=interface_code[:48], ip_address=ip,
                              outcome=outcome, detail=detail[:255], licence_code=licence_code[:80])


def _ip_allowed(application: SharingApplication, ip: str | None) -> bool:
    if not application.ip_addresses:
        return True
    try:
        addr = ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    return any(addr in ipaddress.ip_network(p, strict=False) for p in application.ip_addresses.split(","))


def _usable(application: SharingApplication, ip: str | None) -> None:
    if not application.is_enabled:
        raise SharingRefused(_("接入应用已停用。"))
    if application.valid_until < timezone.localdate():
        raise SharingRefused(_("接入应用已过有效期。"))
    if not _ip_allowed(application, ip):
        raise SharingRefused(_("来源地址不在接入应用登记的 IP 范围内。"))


def application_token_issue(*, name: str, password: str, ip: str | None) -> tuple[str, int]:
    """Token issuance (LIC-5.5 1): name + password → a signed token valid for two hours."""
    application = SharingApplication.objects.filter(name=(name or "").strip()).first()
    try:
        if application is None or not check_password(password or "", application.password_hash):
            raise SharingRefused(_("接入系统名称或口令不正确。"), status=401)
        _usable(application, ip)
    except SharingRefused as exc:
        _log(application=application, interface_code="token", ip=ip, outcome=SharingOutcome.REFUSED,
             detail=exc.message)
        raise
    _log(application=application, interface_code="token", ip=ip, outcome=SharingOutcome.OK)
    return signing.dumps({"app": application.pk}, salt=TOKEN_SALT), TOKEN_MAX_AGE


def _application_for(token: str) -> SharingApplication:
    try:
        pk = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)["app"]
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise SharingRefused(_("令牌无效或已过期，请重新获取。"), status=401) from exc
    application = SharingApplication.objects.filter(pk=pk).first()
    if application is None:
        raise SharingRefused(_("令牌无效或已过期，请重新获取。"), status=401)
    return application


def _count(application: SharingApplication, interface_code: str) -> LicenceApiGrant:
    interface = SharingInterface.objects.filter(code=interface_code, is_enabled=True).first()
    if interface is None:
        raise SharingRefused(_("接口未配置或已停用。"))
    right = LicenceApiGrant.objects.select_for_update().filter(interface=interface, application=application).first()
    if right is None:
        raise SharingRefused(_("该应用无权访问接口“%(i)s”。") % {"i": interface.name})
    today = timezone.localdate()
    if right.valid_until < today:
        raise SharingRefused(_("访问权已过有效期（%(d)s）。") % {"d": right.valid_until})
    if right.total_limit and right.used_total >= right.total_limit:
        raise SharingRefused(_("已达到允许访问次数（%(n)s 次）。") % {"n": right.total_limit}, status=429)
    try:
        with transaction.atomic():
            daily, _created = AccessDailyCount.objects.get_or_create(right=right, day=today)
    except IntegrityError:
        daily = AccessDailyCount.objects.get(right=right, day=today)
    if daily.count >= right.daily_limit:
        raise SharingRefused(_("已达到今日允许访问次数（%(n)s 次），请明日再试。") % {"n": right.daily_limit},
                             status=429)
    AccessDailyCount.objects.filter(pk=daily.pk).update(count=F("count") + 1)
    LicenceApiGrant.objects.filter(pk=right.pk).update(used_total=F("used_total") + 1)
    return right


def sharing_admit(*, token: str, interface_code: str, ip: str | None, licence_code: str = "") -> SharingApplication:
    """Admit one call of ``interface_code`` or raise SharingRefused; either way one SharingLog row is written.
    The right row is locked while the call is counted, so parallel calls cannot pass the daily limit."""
    application = None
    try:
        application = _application_for(token)
        _usable(application, ip)
        with transaction.atomic():
            _count(application, interface_code)
    except SharingRefused as exc:
        _log(application=application, interface_code=interface_code, ip=ip, outcome=SharingOutcome.REFUSED,
             detail=exc.message, licence_code=licence_code)
        raise
    _log(application=application, interface_code=interface_code, ip=ip, outcome=SharingOutcome.OK,
         licence_code=licence_code)
    return application


def sharing_log_failure(*, application, interface_code: str, ip: str | None, detail: str, licence_code="") -> None:
    """An admitted call that then failed (not found, peer down): logged too."""
    _log(application=application, interface_code=interface_code, ip=ip, outcome=SharingOutcome.FAILED,
         detail=detail, licence_code=licence_code)
