"""★ IDN-14 APIs for integrated systems: staff users for the matters system (14.1), delivery
addresses shared by website and app (14.2), national hash values (14.4) — each behind client
authentication and an API grant (5.4)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import AuditLog
from apps.identity.models import ApiEndpoint, ClientSystem, DeliveryAddress, UserKind
from apps.identity.services.apis import api_grant
from apps.identity.tests.conftest import CREDIT_CODE, PERSON_ID, give
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADERS = {"HTTP_X_APP_ID": "matters-system", "HTTP_X_APP_SECRET": "matters-secret"}


@pytest.fixture
def matters_system(staff):
    client = ClientSystem.objects.create(code="matters-system", name="政务服务事项系统", owner="省营商环境局",
                                         kind="staff", ticket_secret="matters-secret")
    admin = staff["province"]
    give(admin, "identity.change_apiendpoint")
    for code in ("staff-users", "hash-person", "hash-legal"):
        ApiEndpoint.objects.get_or_create(code=code, defaults={"name": code, "path": "/"})
    return client, admin


def grant(client, admin, code):
    return api_grant(client=client, endpoint=ApiEndpoint.objects.get(code=code), actor=admin)


@pytest.mark.spec("IDN-14.1")
def test_staff_users_api_filters_by_platform_id_and_organisation_credit_code(api_client, matters_system, orgs):
    client, admin = matters_system
    url = "/api/v1/identity/staff-users/"
    harbin = orgs["harbin"]
    for n in range(4):
        StaffFactory(username=f"hrb_clerk{n}", organisation=harbin)
    StaffFactory(username="qqhr_clerk", organisation=orgs["qiqihar"])
    UserFactory(username="not_staff", kind=UserKind.NATURAL_PERSON)
    assert api_client.get(url, {"credit_code": harbin.credit_code}).status_code in (401, 403)
    assert api_client.get(url, {"credit_code": harbin.credit_code}, **HEADERS).status_code == 403   # no grant
    grant(client, admin, "staff-users")
    assert api_client.get(url, **HEADERS).status_code == 400
    with CaptureQueriesContext(connection) as queries:
        rows = api_client.get(url, {"credit_code": harbin.credit_code.lower()}, **HEADERS).json()
    assert {r["platform_id"] for r in rows} >= {f"hrb_clerk{n}" for n in range(4)}
    assert all(r["organisation_credit_code"] == harbin.credit_code for r in rows)
    assert len(queries) <= 4                                          # no N+1 over the staff
    one = api_client.get(url, {"platform_id": "qqhr_clerk"}, **HEADERS).json()
    assert [r["organisation_name"] for r in one] == [orgs["qiqihar"].name]
    assert api_client.get(url, {"platform_id": "not_staff"}, **HEADERS).json() == []


@pytest.mark.spec("IDN-14.4")
def test_national_hash_values(api_client, matters_system, third_parties):
    client, admin = matters_system
    assert api_client.get("/api/v1/identity/hash/person/", {"id_number": PERSON_ID}, **HEADERS).status_code == 403
    grant(client, admin, "hash-person")
    grant(client, admin, "hash-legal")
    person = api_client.get("/api/v1/identity/hash/person/", {"id_number": PERSON_ID}, **HEADERS).json()
    legal = api_client.get("/api/v1/identity/hash/legal/", {"credit_code": CREDIT_CODE}, **HEADERS).json()
    from cryptography.hazmat.primitives import hashes
    expected = hashes.Hash(hashes.SM3())
    expected.update(f"national-hash-salt|person|{PERSON_ID}".encode())
    assert person == {"kind": "person", "hash": expected.finalize().hex()}
    assert legal["kind"] == "legal" and len(legal["hash"]) == 64 and legal["hash"] != person["hash"]
    bad = api_client.get("/api/v1/identity/hash/person/", {"id_number": "123"}, **HEADERS)
    assert bad.status_code == 400
    third_parties.national_platform.inject_failures(0)
    third_parties.servers["national_platform"].stop()
    assert api_client.get("/api/v1/identity/hash/legal/", {"credit_code": CREDIT_CODE},
                          **HEADERS).status_code == 503


@pytest.mark.spec("IDN-14.2")
def test_delivery_addresses_shared_by_website_and_app(client, api_client, regions):
    owner = UserFactory(username="addr_owner", kind=UserKind.NATURAL_PERSON)
    api_client.force_authenticate(owner)
    url = "/api/v1/identity/addresses/"
    body = {"recipient": "张三", "mobile_number": "13600004444", "region": "230102000000", "detail": "中央大街1号"}
    bad = api_client.post(url, {**body, "mobile_number": "12"}, format="json")
    assert bad.status_code == 400 and not DeliveryAddress.objects.exists()
    first = api_client.post(url, body, format="json").json()
    assert first["is_default"] is True                                        # the first one is the default
    second = api_client.post(url, {**body, "detail": "红军街2号", "is_default": True}, format="json").json()
    rows = api_client.get(url).json()
    assert [r["id"] for r in rows if r["is_default"]] == [second["id"]]
    changed = api_client.put(f"{url}{first['id']}/", {**body, "detail": "中央大街100号"}, format="json").json()
    assert changed["detail"] == "中央大街100号"
    assert api_client.get(f"{url}{first['id']}/").json()["region_name"] == "道里区"
    assert api_client.post(f"{url}{first['id']}/default/", {"is_default": True}, format="json").json()["is_default"]
    assert DeliveryAddress.objects.filter(is_default=True).get().pk == first["id"]
    # the website shows the same book, masked; its own form adds to it
    client.force_login(owner)
    page = client.get("/sso/account/addresses/").content.decode()
    assert "中央大街100号" in page and "红军街2号" in page and "136****4444" in page
    client.post("/sso/account/addresses/", {**body, "detail": "网站新增3号", "region": "230103000000"})
    assert any(r["detail"] == "网站新增3号" for r in api_client.get(url).json())
    client.post(f"/sso/account/addresses/{second['id']}/delete/")
    assert api_client.get(f"{url}{second['id']}/").status_code == 404
    # nobody else sees or changes them
    stranger = UserFactory(username="addr_stranger", kind=UserKind.NATURAL_PERSON)
    api_client.force_authenticate(stranger)
    assert api_client.get(url).json() == []
    assert api_client.delete(f"{url}{first['id']}/").status_code == 404
    assert DeliveryAddress.objects.filter(pk=first["id"]).exists()
    api_client.force_authenticate(None)
    assert api_client.get(url).status_code in (401, 403)
    assert AuditLog.objects.filter(action="delete", object_id=str(second["id"])).exists()
