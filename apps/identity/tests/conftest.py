"""Identity test helpers: roles built from permission names, and the authorisation matrix."""
import pytest
from django.contrib.auth.models import Permission

from apps.core.tests.conftest import sms_simulator  # noqa: F401  (SMS gateway on a real socket)
from apps.identity.models import Role, RoleCode
from apps.identity.tests.factories import RoleFactory

PASSWORD = "Passw0rd!2026"


def permissions(*names: str) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def give(user, *names: str, code: str | None = None) -> Role:
    """Give `user` a role holding exactly the named permissions."""
    role = RoleFactory(code=code or f"r_{user.username}_{len(names)}_{user.roles.count()}",
                       name=code or f"角色{user.username}")
    role.permissions.add(*permissions(*names))
    user.roles.add(role)
    user.__dict__.pop("_perm_cache", None)
    user.__dict__.pop("_group_perm_cache", None)
    user.__dict__.pop("_access_profile", None)
    return role


USER_ADMIN_PERMS = ("identity.view_user", "identity.add_user", "identity.change_user", "identity.authorise_user",
                    "identity.view_role")


@pytest.fixture
def system_admin_role(db):
    return RoleFactory(code=RoleCode.SYSTEM_ADMIN, name="系统管理员")


@pytest.fixture
def harbin_admin(staff):
    """The Harbin bureau's user administrator (may manage Harbin's users)."""
    user = staff["harbin"]
    give(user, *USER_ADMIN_PERMS, code="harbin_user_admin")
    return user


@pytest.fixture
def qiqihar_admin(staff):
    """A user administrator of another city."""
    user = staff["qiqihar"]
    give(user, *USER_ADMIN_PERMS, code="qiqihar_user_admin")
    return user


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client
    return _login


# --- identity-check peers on real sockets -------------------------------------------------

from dataclasses import dataclass as _dataclass

from apps.core.adapters.simulators import SimulatorServer
from apps.identity.adapters.simulators import (
    EnterpriseRegistrySimulator,
    FaceSimulator,
    RealNameRegistrySimulator,
)

# A valid resident ID number (GB 11643 check character) and a valid credit code.
PERSON_ID = "230102199001011230"
AGENT_ID = "230102198512124566"
PERSON_NAME = "张三"
CREDIT_CODE = "91230100MA1B2C3D49"
INSTITUTION_CODE = "12230100MB1234567L"
ENTERPRISE_NAME = "哈尔滨冰城科技有限公司"
REGISTERED_MOBILE = "13912345678"


@_dataclass
class IdentityPeers:
    national: RealNameRegistrySimulator
    police: RealNameRegistrySimulator
    market: EnterpriseRegistrySimulator
    institutions: EnterpriseRegistrySimulator
    face: FaceSimulator

    def person(self, id_number=PERSON_ID, name=PERSON_NAME, valid_to="2035-01-01", *, police=True):
        self.national.register(id_number=id_number, name=name, valid_to=valid_to)
        if police:
            self.police.register(id_number=id_number, name=name, valid_to=valid_to)


@pytest.fixture
def identity_peers(settings):
    """The national real-name service, provincial police, market supervision, the institution
    registry and the public-security face service, each a real HTTP server."""
    peers = IdentityPeers(RealNameRegistrySimulator(), RealNameRegistrySimulator(), EnterpriseRegistrySimulator(),
                          EnterpriseRegistrySimulator(), FaceSimulator())
    servers = [SimulatorServer(p).start() for p in (peers.national, peers.police, peers.market,
                                                     peers.institutions, peers.face)]
    (settings.IDENTITY_NATIONAL_REALNAME_URL, settings.IDENTITY_POLICE_REALNAME_URL,
     settings.IDENTITY_MARKET_SUPERVISION_URL, settings.IDENTITY_INSTITUTION_REGISTRY_URL,
     settings.IDENTITY_FACE_URL) = (s.url for s in servers)
    yield peers
    for server in servers:
        server.stop()


@pytest.fixture
def send_code(sms_simulator, django_capture_on_commit_callbacks):  # noqa: F811
    """Send an identity SMS code through the outbox to the simulated gateway; return the code read
    from the message the gateway received."""
    from apps.identity.services.sms_codes import sms_code_send

    def _send(mobile_number: str, purpose: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            sms_code_send(mobile_number=mobile_number, purpose=purpose)
        return sms_simulator.messages[-1]["content"].split("验证码为 ")[1][:6]
    return _send


# --- OIDC provider settings for tests (the lines docs/identity.md asks for in settings) -------

_RSA_KEY: list[str] = []


def rsa_private_key_pem() -> str:
    if not _RSA_KEY:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _RSA_KEY.append(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()).decode())
    return _RSA_KEY[0]


@pytest.fixture
def oidc_settings(settings):
    """OAUTH2_PROVIDER as settings should hold it: our validator (claims), an RSA key, the issuer."""
    def _apply(issuer: str = "http://testserver/sso/o"):
        settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER,
                                    "OAUTH2_VALIDATOR_CLASS": "apps.identity.sso.validator.IdentityOAuth2Validator",
                                    "OIDC_RSA_PRIVATE_KEY": rsa_private_key_pem(), "OIDC_ISS_ENDPOINT": issuer}
    _apply()
    return _apply


# --- outside identity providers on real sockets (login methods, secondary real name) ----------

from datetime import UTC

from apps.identity.adapters.simulators_thirdparty import (
    AuthCodeSimulator,
    CertificateAuthoritySimulator,
    CityAuthSimulator,
    ExitEntrySimulator,
    NationalPlatformSimulator,
)

THIRD_PARTY_SETTINGS = {
    "alipay": ("IDENTITY_ALIPAY_URL", AuthCodeSimulator),
    "social_security": ("IDENTITY_SOCIAL_SECURITY_URL", AuthCodeSimulator),
    "e_licence": ("IDENTITY_E_LICENCE_URL", AuthCodeSimulator),
    "city": ("IDENTITY_CITY_AUTH_URL", CityAuthSimulator),
    "ca": ("IDENTITY_CA_URL", CertificateAuthoritySimulator),
    "exit_entry": ("IDENTITY_EXIT_ENTRY_URL", ExitEntrySimulator),
    "national_platform": ("IDENTITY_NATIONAL_PLATFORM_URL", NationalPlatformSimulator),
}


class ThirdParties:
    def __init__(self, settings):
        self.servers = {}
        for name, (setting, simulator) in THIRD_PARTY_SETTINGS.items():
            server = SimulatorServer(simulator()).start()
            self.servers[name] = server
            setattr(self, name, server.app)
            setattr(settings, setting, server.url)

    def url(self, name: str) -> str:
        return self.servers[name].url

    def stop(self):
        for server in self.servers.values():
            server.stop()


@pytest.fixture
def third_parties(settings):
    """Alipay, e-social-security card, e-business licence, the city verification API, the CA status
    service, the national exit-entry API and the national platform — each a real HTTP server."""
    parties = ThirdParties(settings)
    yield parties
    parties.stop()


class CertificateAuthority:
    """A test CA issuing EC P-256 certificates whose subject serialNumber names the holder, and the
    'device' that signs the login challenge with the holder's private key."""

    def __init__(self, name: str = "测试数字证书认证中心"):
        from datetime import datetime, timedelta

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        self._x509, self._hashes, self._ec, self._oid, self._ser = x509, hashes, ec, NameOID, serialization
        self._now = datetime.now(UTC)
        self._delta = timedelta
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        self.cert = (x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(self._now - timedelta(days=1)).not_valid_after(self._now + timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                     .sign(self.key, hashes.SHA256()))

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(self._ser.Encoding.PEM).decode()

    def issue(self, *, subject_id: str, name: str, days: int = 365):
        x509, oid = self._x509, self._oid
        key = self._ec.generate_private_key(self._ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(oid.COMMON_NAME, name), x509.NameAttribute(oid.SERIAL_NUMBER,
                                                                                           subject_id)])
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(self._now - self._delta(days=1)).not_valid_after(self._now + self._delta(days=days))
                .sign(self.key, self._hashes.SHA256()))
        return cert, key

    def device_sign(self, key, challenge: str) -> str:
        import base64

        return base64.b64encode(key.sign(challenge.encode(), self._ec.ECDSA(self._hashes.SHA256()))).decode()

    def cert_pem(self, cert) -> str:
        return cert.public_bytes(self._ser.Encoding.PEM).decode()


@pytest.fixture
def certificate_authority(settings, third_parties):
    ca = CertificateAuthority()
    settings.IDENTITY_TRUSTED_CA_CERTIFICATES = [ca.pem]
    return ca


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
