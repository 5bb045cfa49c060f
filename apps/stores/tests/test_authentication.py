"""STORE-2.1.3 per-service authentication level: a service flagged for higher authentication refuses online
handling until the user completes one of its methods — SMS (apps.identity's codes, SMS gateway simulator)
or face / e-business-licence / e-social-security-card (verification peer simulator over real HTTP);
STORE-2.1.4: a service of a connected system is reached through the provincial ticket."""
import pytest
from django.urls import reverse

from apps.core.adapters.simulators import SimulatorServer
from apps.core.tests.conftest import sms_simulator  # noqa: F401
from apps.stores.adapters.verification import VerificationSimulator
from apps.stores.models import StoreAuthentication, StoreLevel
from apps.stores.services.stores import store_open, store_publish, store_service_save, store_template_create
from apps.stores.tests.conftest import staff_with
from apps.stores.tests.test_stores import SERVICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def verification(settings):
    simulator = VerificationSimulator()
    with SimulatorServer(simulator) as server:
        settings.STORES_VERIFICATION_URL = server.url
        yield simulator


@pytest.fixture
def secured(regions, orgs):
    admin = staff_with("sec_admin", orgs["province"], "stores.manage_flagshipstore", "stores.maintain_store_content")
    store_template_create(actor=admin, level=StoreLevel.CITY, city=regions["230100000000"])
    store = store_publish(actor=admin, store=store_open(actor=admin, level=StoreLevel.CITY, organisation=orgs["harbin"],
                                                        region=regions["230100000000"], slug="harbin", name="哈尔滨"))
    service = store_service_save(actor=admin, store=store, data={**SERVICE, "title": "公积金提取",
                                                                 "auth_methods": ["sms", "face"]})
    return store, service


@pytest.mark.spec("STORE-2.1.3")
def test_sms_step_up_unlocks_the_service(client, secured, resident, sms_simulator,  # noqa: F811
                                         django_capture_on_commit_callbacks):
    store, service = secured
    handle = reverse("stores-public:handle", args=[store.slug, service.pk])
    assert "/login/" in client.get(handle)["Location"]                       # anonymous: log in first
    client.force_login(resident)
    response = client.get(handle)
    assert response.status_code == 302 and response["Location"].endswith("/authenticate/")
    page = reverse("stores-public:authenticate", args=[store.slug, service.pk])
    assert "短信验证" in client.get(page).content.decode()
    assert client.post(page, {"action": "sms_verify", "code": "123456"}).status_code == 400   # no code sent yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"action": "sms_send"})
    code = "".join(ch for ch in sms_simulator.messages[-1]["content"] if ch.isdigit())[:6]
    assert sms_simulator.messages[-1]["mobile"] == "13800001111"
    wrong = "000000" if code != "000000" else "111111"
    assert client.post(page, {"action": "sms_verify", "code": wrong}).status_code == 400
    assert not StoreAuthentication.objects.exists()
    assert client.post(page, {"action": "sms_verify", "code": code}).status_code == 302
    assert client.get(handle)["Location"] == SERVICE["handling_url"]


@pytest.mark.spec("STORE-2.1.3")
def test_face_recognition_evidence_is_checked_by_the_peer(client, secured, resident, verification):
    store, service = secured
    resident.id_number = "230102194803150025"
    resident.save()
    client.force_login(resident)
    page = reverse("stores-public:authenticate", args=[store.slug, service.pk])
    assert client.post(page, {"action": "face", "evidence": "FACE-forged"}).status_code == 400
    other = verification.issue("face", "230102199001010011")                       # someone else's face scan
    assert client.post(page, {"action": "face", "evidence": other}).status_code == 400
    assert client.post(page, {"action": "business_licence", "evidence": "x"}).status_code == 400   # not offered here
    assert not StoreAuthentication.objects.exists()
    token = verification.issue("face", resident.id_number)
    assert client.post(page, {"action": "face", "evidence": token}).status_code == 302
    assert StoreAuthentication.objects.get().method == "face" and verification.requests == 3
    assert client.get(reverse("stores-public:handle", args=[store.slug, service.pk]))["Location"] == SERVICE["handling_url"]


@pytest.mark.spec("STORE-2.1.4")
def test_a_connected_systems_service_goes_through_the_provincial_ticket(client, secured, resident, orgs):
    store, service = secured
    admin = staff_with("sec_admin2", orgs["province"], "stores.maintain_store_content")
    service = store_service_save(actor=admin, store=store, service=service,
                                 data={**SERVICE, "title": "公积金提取", "client_system_code": "gjj", "auth_methods": []})
    client.force_login(resident)
    location = client.get(reverse("stores-public:handle", args=[store.slug, service.pk]))["Location"]
    assert location.startswith(reverse("sso:ticket-issue")) and "app_id=gjj" in location
    assert "redirect_uri=https%3A%2F%2Fzwfw.hlj.gov.cn%2Fkaiban" in location
