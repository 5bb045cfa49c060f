"""Outside identity providers of the login methods and secondary real-name checks.

Each is reached over HTTP with one JSON call, `POST <base>/verify` (kernel `post_json`), answering
{"result": "match" | "mismatch" | "pending", "message": "...", "record": {...}}:

    alipay()            auth_code → Alipay user (IDN-1.3.3 quick login, IDN-7.1 secondary real name)
    social_security()   auth_code → card holder (电子社保卡, IDN-4.2 login, IDN-7.5)
    e_licence()         the PC QR token → the enterprise that scanned and authorised it (IDN-1.3.2)
    city_auth()         city code + account + password → the city's account record (IDN-1.3.7)
    certificate_authority()  certificate serial + issuer → status good / revoked (IDN-1.3.8)
    exit_entry()        user type, document type, number (+ face image) → holder (IDN-7.2, 7.3)
    national_platform() the national platform's SSO: code → national user (IDN-1.3.5, 1.3.6);
                        its browser-facing pages are reached by redirect (`national_url`).
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from apps.core.adapters.http import post_json
from apps.identity.adapters.verification import HttpVerifier, peer_url


@dataclass(frozen=True)
class AuthCodeQuery:
    """A one-time code the user's confirmation in the provider's app produced (or a QR token)."""

    auth_code: str
    scope: str = "auth_user"

    def payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CityAccountQuery:
    city_code: str
    username: str
    password: str

    def payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CertificateStatusQuery:
    serial_number: str
    issuer: str

    def payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ExitEntryQuery:
    user_type: str            # 出入境用户类型: citizen / hk_macau / taiwan / foreigner
    document_type: str        # passport, hk_macau_permit, …
    document_number: str
    name: str
    image_base64: str = ""    # IDN-7.3: face image compared with the document photo

    def payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class NationalCodeQuery:
    code: str
    client_id: str
    redirect_uri: str

    def payload(self) -> dict:
        return asdict(self)


def alipay() -> HttpVerifier:
    return HttpVerifier(setting="IDENTITY_ALIPAY_URL", label="支付宝开放平台")


def social_security() -> HttpVerifier:
    return HttpVerifier(setting="IDENTITY_SOCIAL_SECURITY_URL", label="电子社保卡服务平台")


def e_licence() -> HttpVerifier:
    return HttpVerifier(setting="IDENTITY_E_LICENCE_URL", label="电子营业执照系统")


def city_auth() -> HttpVerifier:
    return HttpVerifier(setting="IDENTITY_CITY_AUTH_URL", label="地市认证核验接口")


def certificate_authority() -> HttpVerifier:
    return HttpVerifier(setting="IDENTITY_CA_URL", label="数字证书认证中心")


def exit_entry() -> HttpVerifier:
    return HttpVerifier(setting="IDENTITY_EXIT_ENTRY_URL", label="国家出入境证件接口")


def national_platform() -> HttpVerifier:
    return HttpVerifier(setting="IDENTITY_NATIONAL_PLATFORM_URL", label="国家政务服务平台")


def national_hash(*, kind: str, identifier: str) -> str:
    """IDN-14.4: the national platform's hash value of a person (ID number) or legal person (credit
    code). Raises PeerTemporaryError / PeerPermanentError when the platform fails."""
    response = post_json(f"{peer_url('IDENTITY_NATIONAL_PLATFORM_URL')}/hash",
                         {"kind": kind, "identifier": identifier}, idempotency_key=uuid.uuid4().hex)
    return str(response.json()["hash"])


def national_url(page: str, **params) -> str:
    """A browser-facing page of the national platform: login, authorize, level-upgrade, portal."""
    query = f"?{urlencode(params)}" if params else ""
    return f"{peer_url('IDENTITY_NATIONAL_PLATFORM_URL')}/{page}{query}"
