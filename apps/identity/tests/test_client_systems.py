"""对接应用管理 (IDN-13.5): list, screen, add, modify, reset secrets, delete — with the
authorisation matrix; a new secret works for the ticket mode at once."""
import pytest

from apps.identity.models import ClientSystem
from apps.identity.tests.conftest import give

pytestmark = pytest.mark.django_db

CLIENT_PERMS = ("identity.view_clientsystem", "identity.add_clientsystem", "identity.change_clientsystem",
                "identity.delete_clientsystem")


@pytest.fixture
def client_admin(staff):
    user = staff["province"]
    give(user, *CLIENT_PERMS, code="client_admin")
    return user


def form(**extra):
    return {"code": "harbin-new-system", "name": "哈尔滨市新业务系统", "owner": "哈尔滨市数据局", "kind": "city",
            "service_url": "https://new.example.cn/", "redirect_uris": "https://new.example.cn/cb",
            "allowed_claims": ["name", "real_name_level"], "min_real_name_level": "2", "is_enabled": "on", **extra}


@pytest.mark.spec("IDN-13.5")
def test_manage_client_systems(client, client_admin):
    client.force_login(client_admin)
    page = client.get("/portal/identity/clients/", {"kind": "department"}).content.decode()
    assert "国家税务总局黑龙江省电子税务局" in page and "哈尔滨市统一政务业务办理系统" not in page
    assert "哈尔滨市统一政务业务办理系统" in client.get("/portal/identity/clients/", {"name": "哈尔滨"}).content.decode()
    response = client.post("/portal/identity/clients/new/", form())
    system = ClientSystem.objects.get(code="harbin-new-system")
    assert response.status_code == 302 and system.application.redirect_uris == "https://new.example.cn/cb"
    assert system.min_real_name_level == 2 and system.allowed_claims == ["name", "real_name_level"]
    duplicate = client.post("/portal/identity/clients/new/", form())
    assert duplicate.status_code == 400 and ClientSystem.objects.filter(code="harbin-new-system").count() == 1
    client.post(f"/portal/identity/clients/{system.pk}/edit/", form(name="哈尔滨市新业务系统（二期）",
                                                                    min_real_name_level="3"))
    system.refresh_from_db()
    assert system.name == "哈尔滨市新业务系统（二期）" and system.min_real_name_level == 3
    secrets_page = client.post(f"/portal/identity/clients/{system.pk}/reset/").content.decode()
    system.refresh_from_db()
    assert system.ticket_secret and system.ticket_secret in secrets_page
    client.post(f"/portal/identity/clients/{system.pk}/delete/")
    assert not ClientSystem.objects.filter(code="harbin-new-system").exists()


def test_client_pages_authorisation_matrix(client, staff, citizen, client_admin):
    system = ClientSystem.objects.get(code="harbin-unified")
    for user, expected in ((None, 302), (citizen, 403), (staff["harbin"], 403)):
        if user:
            client.force_login(user)
        assert client.get("/portal/identity/clients/").status_code in (expected, 302)
        response = client.post(f"/portal/identity/clients/{system.pk}/reset/")
        assert response.status_code in (302, 403)
        system.refresh_from_db()
        assert system.ticket_secret == ""
        client.logout()
    give(staff["harbin"], "identity.view_clientsystem", code="viewer")
    client.force_login(staff["harbin"])
    assert client.get("/portal/identity/clients/").status_code == 200
    assert client.post("/portal/identity/clients/new/", form()).status_code == 403
    assert not ClientSystem.objects.filter(code="harbin-new-system").exists()
