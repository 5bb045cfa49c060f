"""Public verification page and API, seal status publication (no login, rate-limited, logged)."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.licences.models import VerificationLog
from apps.licences.services.seals import seal_transition

from .factories import demo_pki, seal_admin, valid_seal
from .test_seal_lifecycle import sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed(orgs):
    admin = seal_admin(orgs["province"])
    pki = demo_pki(admin, orgs["province"])
    seal = valid_seal(admin, orgs["harbin_dept"], pki)
    return admin, seal, sign(admin, seal, pki).data


def upload(data, name="licence.ofd"):
    return SimpleUploadedFile(name, data, content_type="application/ofd")


@pytest.mark.spec("LIC-8.6", "LIC-9.3")
def test_public_page_verifies_and_a_changed_byte_invalidates(client, signed):
    _, _, data = signed
    response = client.post("/licences/verify/", {"document": upload(data)})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-verdict="valid"' in html
    assert 'data-step="maker_signature" data-status="ok"' in html
    tampered = bytearray(data)
    # flip a byte inside the stored (uncompressed or compressed) page data: the ZIP or a digest must fail
    tampered[len(tampered) // 3] ^= 0xFF
    response = client.post("/licences/verify/", {"document": upload(bytes(tampered))})
    assert 'data-verdict="fail"' in response.content.decode()
    assert VerificationLog.objects.count() == 2
    assert list(VerificationLog.objects.order_by("verified_at").values_list("verdict", flat=True)) == ["valid", "fail"]


def test_corpus_file_verified_on_page_is_untrusted_but_checked(client, corpus, signed):
    response = client.post("/licences/verify/", {"document": upload((corpus / "signed/v4signed.ofd").read_bytes())})
    html = response.content.decode()
    assert 'data-step="references" data-status="ok"' in html
    assert 'data-step="trust" data-status="fail"' in html  # not issued under our roots


def test_api_verify_and_rate_limit(client, signed):
    _, _, data = signed
    response = client.post("/api/v1/licences/verify/", {"document": upload(data)})
    body = response.json()
    assert response.status_code == 200 and body["verdict"] == "valid"
    assert body["signatures"][0]["failed_steps"] == []
    for _ in range(30):
        client.post("/api/v1/licences/verify/", {"document": upload(b"x")})
    assert client.post("/api/v1/licences/verify/", {"document": upload(data)}).status_code == 429
    assert client.post("/licences/verify/", {"document": upload(data)}).status_code == 429


@pytest.mark.spec("LIC-8.1")
def test_seal_status_published_for_each_state(client, signed):
    admin, seal, _ = signed
    assert client.get(f"/api/v1/licences/seals/{seal.es_id}/").json()["status"] == "valid"
    seal_transition(actor=admin, seal=seal, action="freeze", comment="核查")
    page = client.get(f"/licences/seals/{seal.es_id}/").content.decode()
    assert 'data-status="frozen"' in page and seal.name in page
    assert client.get("/api/v1/licences/seals/99999999/").status_code == 404
