"""Digital-certificate login to the seal system (LIC-7.1): a UKey signs the page's challenge."""

import base64
import re

import pytest

from apps.licences.crypto.certs import IssuedCertificate, build_certificate
from apps.licences.crypto.sm import SM2PrivateKey
from apps.licences.models import CertificateKind, KeyStorage
from apps.licences.peers.ukey import UKeySimulator
from apps.licences.services.pki import certificate_import, certificate_revoke

from .factories import demo_pki, seal_admin

pytestmark = pytest.mark.django_db
URL = "/licences/cert-login/"


def challenge(client) -> str:
    page = client.get(URL)
    assert page.status_code == 200
    return re.search(r'data-challenge="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.spec("LIC-7.1")
def test_certificate_login_with_ukey_and_refusals(client, orgs, staff):
    admin = seal_admin(orgs["province"])
    pki = demo_pki(admin, orgs["province"])
    ca = IssuedCertificate(der=pki["ca"].der_bytes, key=SM2PrivateKey.from_pem(pki["ca"].private_key.encode()))
    device = UKeySimulator()
    der = device.certify(lambda key: build_certificate(subject_cn="印章管理员 UKey", organisation="省局", key=key,
                                                       issuer=ca).der)
    user = staff["harbin"]
    cert = certificate_import(actor=admin, data=der, kind=CertificateKind.SIGNER, organisation=orgs["province"],
                              storage=KeyStorage.UKEY, holder=user)

    def attempt(signer, serial=cert.serial, value=None):
        text = challenge(client)
        signature = value if value is not None else base64.b64encode(signer(text.encode())).decode()
        return client.post(URL, {"serial": serial, "signature": signature})

    # another key, garbage, unknown serial: refused, nobody logged in
    assert attempt(SM2PrivateKey.generate().sign).status_code == 400
    assert attempt(device.sign, value="not base64!").status_code == 400
    assert attempt(device.sign, serial="12345").status_code == 400
    assert "_auth_user_id" not in client.session
    # a POST without a fresh challenge (replay of a used one) is refused
    text = challenge(client)
    good = base64.b64encode(device.sign(text.encode())).decode()
    response = client.post(URL, {"serial": cert.serial, "signature": good})
    assert response.status_code == 302 and response.url == "/portal/"
    assert int(client.session["_auth_user_id"]) == user.pk
    client.logout()
    assert client.post(URL, {"serial": cert.serial, "signature": good}).status_code == 400
    # revoked certificate
    certificate_revoke(actor=admin, certificate=cert, reason="UKey 遗失")
    assert attempt(device.sign).status_code == 400 and "_auth_user_id" not in client.session
