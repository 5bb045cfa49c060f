"""Identity-check peers of registration (IDN-1.8): real-name registries and enterprise registries.

    national_real_name().verify(PersonQuery(...))      -> CheckResult
    police_real_name().verify(PersonQuery(...))        -> CheckResult
    enterprise_registry_for(enterprise_type).verify(EnterpriseQuery(...)) -> CheckResult

Every peer speaks one JSON call, `POST <base>/verify`, answering
{"result": "match" | "mismatch", "message": "...", "record": {...}}. The base URLs come from
settings (IDENTITY_*_URL); tests point them at simulators on real sockets.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Protocol

from django.conf import settings

from apps.core.adapters.http import post_json

DEFAULT_URLS = {
    "IDENTITY_NATIONAL_REALNAME_URL": "http://127.0.0.1:8611",
    "IDENTITY_POLICE_REALNAME_URL": "http://127.0.0.1:8612",
    "IDENTITY_MARKET_SUPERVISION_URL": "http://127.0.0.1:8613",
    "IDENTITY_INSTITUTION_REGISTRY_URL": "http://127.0.0.1:8614",
    "IDENTITY_FACE_URL": "http://127.0.0.1:8615",
    "IDENTITY_ALIPAY_URL": "http://127.0.0.1:8616",
    "IDENTITY_E_LICENCE_URL": "http://127.0.0.1:8617",
    "IDENTITY_NATIONAL_PLATFORM_URL": "http://127.0.0.1:8618",
    "IDENTITY_CITY_AUTH_URL": "http://127.0.0.1:8619",
    "IDENTITY_CA_URL": "http://127.0.0.1:8620",
    "IDENTITY_EXIT_ENTRY_URL": "http://127.0.0.1:8621",
    "IDENTITY_SOCIAL_SECURITY_URL": "http://127.0.0.1:8622",
}


def peer_url(setting: str) -> str:
    return getattr(settings, setting, DEFAULT_URLS[setting]).rstrip("/")


@dataclass(frozen=True)
class PersonQuery:
    id_type: str
    name: str
    id_number: str
    valid_from: date | None = None
    valid_to: date | None = None

    def payload(self) -> dict:
        data = asdict(self)
        data["valid_from"] = self.valid_from.isoformat() if self.valid_from else None
        data["valid_to"] = self.valid_to.isoformat() if self.valid_to else None
        return data


@dataclass(frozen=True)
class EnterpriseQuery:
    enterprise_type: str
    name: str
    credit_code: str
    legal_representative: str

    def payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FaceQuery:
    name: str
    id_number: str
    image_base64: str

    def payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CheckResult:
    matched: bool
    message: str = ""
    record: dict = field(default_factory=dict)
    status: str = ""        # the peer's raw result: match, mismatch, pending…


class PersonVerifier(Protocol):
    label: str

    def verify(self, query: PersonQuery) -> CheckResult: ...


class EnterpriseVerifier(Protocol):
    label: str

    def verify(self, query: EnterpriseQuery) -> CheckResult: ...


class FaceVerifier(Protocol):
    label: str

    def verify(self, query: FaceQuery) -> CheckResult: ...


class HttpVerifier:
    """One registry reached over HTTP; raises PeerTemporaryError / PeerPermanentError on failure."""

    def __init__(self, *, setting: str, label: str):
        self.setting, self.label = setting, label
        # its name in interface monitoring (PORTAL-7.13): IDENTITY_POLICE_REALNAME_URL → identity.police_realname
        self.interface = setting.removesuffix("_URL").lower().replace("_", ".", 1)

    def verify(self, query) -> CheckResult:
        response = post_json(f"{peer_url(self.setting)}/verify", query.payload(),
                             idempotency_key=uuid.uuid4().hex, interface=self.interface)
        body = response.json()
        return CheckResult(matched=body.get("result") == "match", message=str(body.get("message", "")),
                           record=body.get("record") or {}, status=str(body.get("result", "")))


def national_real_name() -> PersonVerifier:
    return HttpVerifier(setting="IDENTITY_NATIONAL_REALNAME_URL", label="国家实名核验接口")


def police_real_name() -> PersonVerifier:
    return HttpVerifier(setting="IDENTITY_POLICE_REALNAME_URL", label="省公安接口")


def public_security_face() -> FaceVerifier:
    return HttpVerifier(setting="IDENTITY_FACE_URL", label="公安人脸识别认证接口")


# Which registry checks which kind of legal person (IDN-1.8.2: "different APIs by enterprise type").
ENTERPRISE_REGISTRIES = {
    "enterprise": ("IDENTITY_MARKET_SUPERVISION_URL", "市场监督管理局企业核验接口"),
    "individual_business": ("IDENTITY_MARKET_SUPERVISION_URL", "市场监督管理局个体工商户核验接口"),
    "public_institution": ("IDENTITY_INSTITUTION_REGISTRY_URL", "事业单位登记管理核验接口"),
    "social_organisation": ("IDENTITY_INSTITUTION_REGISTRY_URL", "社会组织登记管理核验接口"),
}


def enterprise_registry_for(enterprise_type: str) -> EnterpriseVerifier:
    setting, label = ENTERPRISE_REGISTRIES[enterprise_type]
    return HttpVerifier(setting=setting, label=label)
