"""Business rule controls (IDN-5.3) and API permission management (IDN-5.4) portal pages."""
import pytest

from apps.identity.models import ApiEndpoint, ApiGrant, BusinessControl, ClientSystem
from apps.identity.tests.conftest import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def controls_admin(staff):
    admin = staff["province"]
    give(admin, "identity.view_businesscontrol", "identity.change_businesscontrol", "identity.view_apiendpoint",
         "identity.change_apiendpoint")
    return admin


@pytest.mark.parametrize("url", ["/portal/identity/business-controls/", "/portal/identity/apis/",
                                 "/portal/identity/apis/grants/"])
def test_authorisation_matrix(client, url, staff, citizen, controls_admin):
    assert client.get(url).status_code == 302                      # anonymous → login
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)
    client.force_login(staff["qiqihar"])                            # staff without the permission
    assert client.get(url).status_code == 403
    client.force_login(controls_admin)
    assert client.get(url).status_code == 200


@pytest.mark.spec("IDN-5.3")
def test_business_control_switches_a_business_off_and_on(client, controls_admin, staff, regions):
    BusinessControl.objects.get_or_create(code="city_login", defaults={"name": "地市快捷登录"})
    client.force_login(controls_admin)
    page = client.get("/portal/identity/business-controls/?name=地市").content.decode()
    assert "地市快捷登录" in page and "电子营业执照登录" not in page                    # filtered
    bad = client.post("/portal/identity/business-controls/new/", {"code": "bad code!", "name": ""})
    assert bad.status_code == 400 and not BusinessControl.objects.filter(name="").exists()
    created = client.post("/portal/identity/business-controls/new/", {"code": "demo_business", "name": "演示业务",
                                                                      "is_enabled": "on"})
    assert created.status_code == 302 and BusinessControl.objects.filter(code="demo_business").exists()
    control = BusinessControl.objects.get(code="city_login")
    client.post(f"/portal/identity/business-controls/{control.pk}/disable/")
    public = client.__class__()
    off = public.get("/sso/login/city/")
    assert off.status_code == 403 and "业务已暂停办理" in off.content.decode()
    client.post(f"/portal/identity/business-controls/{control.pk}/enable/")
    assert public.get("/sso/login/city/").status_code == 200
    # someone without the change permission cannot switch it
    viewer = staff["harbin"]
    give(viewer, "identity.view_businesscontrol")
    client.force_login(viewer)
    assert client.post(f"/portal/identity/business-controls/{control.pk}/disable/").status_code == 403
    assert BusinessControl.objects.get(pk=control.pk).is_enabled


@pytest.mark.spec("IDN-5.4")
def test_api_metadata_and_grants_per_application(client, api_client, controls_admin, identity_peers):
    endpoint, _ = ApiEndpoint.objects.get_or_create(code="face-compare", defaults={"name": "人脸识别比对接口",
                                                                                   "path": "/"})
    app = ClientSystem.objects.create(code="grant-demo", name="授权演示系统", owner="某局", kind="department",
                                      ticket_secret="grant-secret")
    client.force_login(controls_admin)
    created = client.post("/portal/identity/apis/new/", {"code": "demo-api", "name": "演示接口",
                                                         "path": "/api/demo/", "is_enabled": "on"})
    assert created.status_code == 302
    demo = ApiEndpoint.objects.get(code="demo-api")
    client.post(f"/portal/identity/apis/{demo.pk}/edit/", {"code": "demo-api", "name": "演示接口（改）",
                                                            "path": "/api/demo/v2/", "is_enabled": "on"})
    assert ApiEndpoint.objects.get(pk=demo.pk).path == "/api/demo/v2/"
    assert "演示接口（改）" in client.get("/portal/identity/apis/?code=demo").content.decode()
    client.post(f"/portal/identity/apis/{demo.pk}/delete/")
    assert not ApiEndpoint.objects.filter(pk=demo.pk).exists()

    call = {"name": "张三", "id_number": "230102199001011230", "image_base64": "x"}
    headers = {"HTTP_X_APP_ID": "grant-demo", "HTTP_X_APP_SECRET": "grant-secret"}
    assert api_client.post("/api/v1/identity/face/compare/", call, format="json", **headers).status_code == 403
    client.post("/portal/identity/apis/grants/", {"client": app.pk, "endpoint": endpoint.pk})
    listing = client.get(f"/portal/identity/apis/grants/?client={app.pk}").content.decode()
    assert "人脸识别比对接口" in listing.split('data-testid="grant-table"')[1].split("</table>")[0]
    assert api_client.post("/api/v1/identity/face/compare/", call, format="json", **headers).status_code == 200
    again = client.post("/portal/identity/apis/grants/", {"client": app.pk, "endpoint": endpoint.pk})
    assert again.status_code == 302 and ApiGrant.objects.filter(client=app).count() == 1
    grant = ApiGrant.objects.get(client=app)
    client.post("/portal/identity/apis/grants/", {"client": app.pk, "revoke": grant.pk})
    assert api_client.post("/api/v1/identity/face/compare/", call, format="json", **headers).status_code == 403
    listing = client.get(f"/portal/identity/apis/grants/?client={app.pk}").content.decode()
    assert "尚未授权任何接口" in listing
