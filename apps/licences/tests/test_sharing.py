"""The sharing platform (LIC-2.3–2.6) and its interfaces (LIC-5.4, 5.5): token, access rights with daily
and total limits, the log of every call, the mapping gate, files, images, verification, types, search."""

import base64
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import AccessDailyCount, SharingInterface, SharingLog
from apps.licences.services.licences import licence_enter, licence_review, licence_seal, licence_submit
from apps.licences.services.management import mapping_create
from apps.licences.services.sharing import (
    access_right_save, sharing_application_save, sharing_interfaces_seed, sharing_record_delete,
)

from .factories import LICENCE_PERMS, demo_pki, grant, licence_data, licence_template, seal_admin, valid_seal

pytestmark = pytest.mark.django_db
SHARE_PERMS = ("add_sharinginterface", "change_sharinginterface", "delete_sharinginterface",
               "add_sharingapplication", "change_sharingapplication", "delete_sharingapplication",
               "add_licenceapigrant", "change_licenceapigrant", "delete_licenceapigrant", "view_sharinglog",
               "add_licenceroute", "change_licenceroute", "delete_licenceroute",
               "change_cataloguerecord", "view_cataloguesyncevent", "add_templatemapping")
TODAY = timezone.localdate()


@pytest.fixture
def shared(orgs):
    admin = seal_admin(orgs["province"], "share_seal_admin")
    pki = demo_pki(admin, orgs["province"])
    dept = orgs["harbin_dept"]
    clerk = grant(StaffFactory(username="share_clerk", organisation=dept), *LICENCE_PERMS)
    seal = valid_seal(admin, dept, pki, "证照专用章")
    seal.grants.create(user=clerk, granted_by=admin)
    template = licence_template(orgs["province"])
    licences = []
    for n, holder in ((1, "91230100MA1B2C3D4E"), (2, "91230100MA1B2C3D4E"), (3, "912301007000000001")):
        licence = licence_enter(actor=clerk, template=template, issuer=dept, data=licence_data(n, holder_code=holder))
        licence_submit(actor=clerk, licences=[licence])
        licence_review(actor=clerk, licence=licence, approve=True)
        licences.append(licence_seal(actor=clerk, licence=licence, seal=seal, certificate=pki["signer"]))
    share_admin = grant(StaffFactory(username="share_admin", organisation=orgs["province"]), *SHARE_PERMS)
    mapping_create(actor=share_admin, template=template, issuer=dept, item_code="I-1", item_name="食品经营许可")
    sharing_interfaces_seed(actor=share_admin, organisation=orgs["province"])
    app = sharing_application_save(actor=share_admin, name="哈尔滨市一网通办", password="s3cret-pass",
                                   valid_until=TODAY + dt.timedelta(days=30), ip_addresses="127.0.0.0/8",
                                   basis="省政务办函〔2026〕1号", organisation=orgs["province"])
    return {"admin": share_admin, "app": app, "licences": licences, "template": template, "clerk": clerk,
            "dept": dept}


def token(client, name="哈尔滨市一网通办", password="s3cret-pass"):
    return client.post("/api/v1/licences/share/token/", {"name": name, "password": password},
                       content_type="application/json")


def grant_right(shared, code, daily=100, total=0, valid_until=None):
    return access_right_save(actor=shared["admin"], interface=SharingInterface.objects.get(code=code),
                             application=shared["app"], valid_until=valid_until or TODAY + dt.timedelta(days=10),
                             daily_limit=daily, total_limit=total)


@pytest.mark.spec("LIC-2.3", "LIC-2.4", "LIC-2.5", "LIC-2.6")
def test_daily_limit_validity_and_log_of_every_call(client, shared):
    licence = shared["licences"][0]
    right = grant_right(shared, "licence-info", daily=2)
    assert token(client, password="wrong").status_code == 401                       # wrong password
    assert token(client, name="未登记应用").status_code == 401                        # unregistered application
    tok = token(client).json()["token"]
    url = f"/api/v1/licences/share/licences/{licence.licence_code}/"
    assert client.get(url).status_code == 401                                          # no token
    for _ in range(2):
        response = client.get(url, HTTP_X_SHARE_TOKEN=tok)
        assert response.status_code == 200 and response.json()["licence_number"] == licence.licence_number
    third = client.get(url, HTTP_X_SHARE_TOKEN=tok)
    assert third.status_code == 429 and third.json()["detail"] == "已达到今日允许访问次数（2 次），请明日再试。"
    assert AccessDailyCount.objects.get(right=right).count == 2
    # no right to another interface
    refused = client.get(f"/api/v1/licences/share/licences/{licence.licence_code}/file/", HTTP_X_SHARE_TOKEN=tok)
    assert refused.status_code == 403 and "无权访问" in refused.json()["detail"]
    # the permission's validity passed (tomorrow's count would be fresh, but the right ended yesterday)
    right.valid_until, right.daily_limit = TODAY - dt.timedelta(days=1), 100
    right.save()
    assert "有效期" in client.get(url, HTTP_X_SHARE_TOKEN=tok).json()["detail"]
    # a disabled interface refuses everyone
    right.valid_until = TODAY
    right.save()
    SharingInterface.objects.filter(code="licence-info").update(is_enabled=False)
    assert "停用" in client.get(url, HTTP_X_SHARE_TOKEN=tok).json()["detail"]
    log = list(SharingLog.objects.order_by("called_at", "pk").values_list("interface_code", "outcome",
                                                                         "application__name"))
    assert log == [("token", "refused", "哈尔滨市一网通办"), ("token", "refused", None),
                   ("token", "ok", "哈尔滨市一网通办"), ("licence-info", "refused", None),
                   ("licence-info", "ok", "哈尔滨市一网通办"), ("licence-info", "ok", "哈尔滨市一网通办"),
                   ("licence-info", "refused", "哈尔滨市一网通办"), ("licence-download", "refused", "哈尔滨市一网通办"),
                   ("licence-info", "refused", "哈尔滨市一网通办"), ("licence-info", "refused", "哈尔滨市一网通办")]


def test_total_limit_ip_range_and_disabled_application(client, shared):
    grant_right(shared, "licence-types", daily=10, total=1)
    tok = token(client).json()["token"]
    assert client.get("/api/v1/licences/share/types/", HTTP_X_SHARE_TOKEN=tok).status_code == 200
    over = client.get("/api/v1/licences/share/types/", HTTP_X_SHARE_TOKEN=tok)
    assert over.status_code == 429 and "允许访问次数（1 次）" in over.json()["detail"]
    assert client.get("/api/v1/licences/share/types/", HTTP_X_SHARE_TOKEN=tok,
                      REMOTE_ADDR="10.1.2.3").json()["detail"] == "来源地址不在接入应用登记的 IP 范围内。"
    sharing_application_save(actor=shared["admin"], application=shared["app"], name=shared["app"].name,
                             valid_until=shared["app"].valid_until, ip_addresses="127.0.0.1", is_enabled=False)
    assert client.get("/api/v1/licences/share/types/", HTTP_X_SHARE_TOKEN=tok).json()["detail"] == "接入应用已停用。"
    assert token(client).status_code == 403


def test_configuration_refuses_bad_input_and_users_without_permission(shared, orgs):
    before = (SharingInterface.objects.count(), AccessDailyCount.objects.count())
    with pytest.raises(ValidationError):
        sharing_application_save(actor=shared["admin"], name="短口令", password="123", valid_until=TODAY)
    with pytest.raises(ValidationError):
        sharing_application_save(actor=shared["admin"], name="坏地址", password="long-enough", valid_until=TODAY,
                                 ip_addresses="999.1.1.1")
    with pytest.raises(ValidationError):
        grant_right(shared, "licence-info", daily=0)
    grant_right(shared, "licence-info")
    with pytest.raises(ValidationError, match="已有此接口"):
        grant_right(shared, "licence-info")
    nobody = StaffFactory(username="share_nobody", organisation=orgs["province"])
    with pytest.raises(PermissionDenied):
        sharing_interfaces_seed(actor=nobody, organisation=orgs["province"])
    other = grant(StaffFactory(username="share_other", organisation=orgs["qiqihar_dept"]
                               if "qiqihar_dept" in orgs else orgs["daoli_dept"]), *SHARE_PERMS)
    with pytest.raises(PermissionDenied):
        sharing_record_delete(actor=other, obj=shared["app"])
    assert (SharingInterface.objects.count(), AccessDailyCount.objects.count()) == before


@pytest.mark.spec("LIC-5.5", "LIC-5.2")
def test_city_interfaces_by_holder_and_identifier(client, shared):
    for code in ("licence-info", "licence-download", "licence-image", "licence-verify", "licence-types",
                 "licence-search"):
        grant_right(shared, code)
    tok = token(client).json()["token"]
    h = {"HTTP_X_SHARE_TOKEN": tok}
    first, second, third = shared["licences"]
    rows = client.get("/api/v1/licences/share/licences/?holder_code=91230100MA1B2C3D4E", **h).json()["licences"]
    assert sorted(r["licence_number"] for r in rows) == sorted([first.licence_number, second.licence_number])
    files = client.get("/api/v1/licences/share/files/?holder_code=912301007000000001", **h).json()["files"]
    assert [f["licence_code"] for f in files] == [third.licence_code]
    from apps.licences.ofd.verify import verify_ofd

    assert verify_ofd(base64.b64decode(files[0]["content"])).verdict == "valid"
    single = client.get(f"/api/v1/licences/share/licences/{first.licence_code}/file/", **h)
    assert single["Content-Type"] == "application/ofd" and verify_ofd(single.content).verdict == "valid"
    images = client.get("/api/v1/licences/share/images/?holder_code=912301007000000001", **h).json()["files"]
    assert Image.open(io.BytesIO(base64.b64decode(images[0]["content"]))).format == "PNG"
    types = client.get("/api/v1/licences/share/types/", **h).json()["types"]
    assert types == [{"type_code": "11100000000013338W001", "name": "食品经营许可证", "licence_type": "许可证",
                      "holder_kind": "legal_person"}]
    found = client.get("/api/v1/licences/share/search/?holder_name=" + second.holder_name, **h).json()["licences"]
    assert [r["licence_code"] for r in found] == [second.licence_code]
    assert client.get("/api/v1/licences/share/search/", **h).status_code == 400
    assert client.get("/api/v1/licences/share/licences/NOPE/", **h).status_code == 404
    assert SharingLog.objects.filter(outcome="failed", licence_code="NOPE").exists()


@pytest.mark.spec("LIC-5.4")
def test_show_licence_image_and_verification(client, shared):
    grant_right(shared, "licence-image")
    grant_right(shared, "licence-verify")
    tok = token(client).json()["token"]
    licence = shared["licences"][0]
    response = client.get(f"/api/v1/licences/share/licences/{licence.licence_code}/image/", HTTP_X_SHARE_TOKEN=tok)
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    template = shared["template"]
    assert image.size == (round(template.width_mm / 25.4 * 120), round(template.height_mm / 25.4 * 120))
    # the seal impression is drawn: the seal area is not blank white
    assert len(image.crop((0, image.height // 2, image.width, image.height)).getcolors(maxcolors=1 << 20)) > 10
    body = {"licence_number": licence.licence_number, "type_code": template.type_code,
            "holder_name": licence.holder_name, "holder_code": "91230100MA1B2C3D4E"}
    ok = client.post("/api/v1/licences/share/verify/", body, content_type="application/json", HTTP_X_SHARE_TOKEN=tok)
    assert ok.json()["result"] == "match" and ok.json()["licence_code"] == licence.licence_code
    wrong = client.post("/api/v1/licences/share/verify/", {**body, "holder_code": "912301007000000001"},
                        content_type="application/json", HTTP_X_SHARE_TOKEN=tok).json()
    assert (wrong["result"], wrong["detail"]) == ("mismatch", "持证主体信息与证照不符。")
    assert "licence_code" not in wrong
    wrong_name = client.post("/api/v1/licences/share/verify/", {**body, "holder_name": "别人"},
                             content_type="application/json", HTTP_X_SHARE_TOKEN=tok).json()
    assert wrong_name["result"] == "mismatch"


def test_every_sharing_interface_refuses_an_unmapped_licence(client, shared):
    from apps.licences.models import TemplateMapping

    for code in ("licence-info", "licence-download", "licence-image", "licence-verify", "licence-search"):
        grant_right(shared, code)
    TemplateMapping.objects.all().delete()
    tok = token(client).json()["token"]
    h = {"HTTP_X_SHARE_TOKEN": tok}
    licence = shared["licences"][0]
    base = f"/api/v1/licences/share/licences/{licence.licence_code}/"
    for url in (base, base + "file/", base + "image/"):
        assert client.get(url, **h).status_code == 404
    assert client.get("/api/v1/licences/share/licences/?holder_code=91230100MA1B2C3D4E", **h).json() == {
        "licences": []}
    assert client.get("/api/v1/licences/share/search/?name=食品", **h).json() == {"licences": []}
    assert client.post("/api/v1/licences/share/verify/", {
        "licence_number": licence.licence_number, "holder_name": licence.holder_name},
        content_type="application/json", **h).json()["result"] == "not_found"


@pytest.mark.spec("LIC-5.3")
def test_national_platform_searches_downloads_reads_and_verifies(client, shared, orgs):
    """The national platform is registered as an application and uses the four national interfaces:
    search, download, information retrieval and verification — each gated and logged like any caller."""
    from apps.licences.ofd.verify import verify_ofd

    national = sharing_application_save(actor=shared["admin"], name="国家政务服务平台电子证照系统",
                                        password="nat-pass-2026", valid_until=TODAY + dt.timedelta(days=365),
                                        ip_addresses="127.0.0.1", basis="国办函〔2026〕", organisation=orgs["province"])
    for code in ("licence-search", "licence-download", "licence-info", "licence-verify"):
        access_right_save(actor=shared["admin"], interface=SharingInterface.objects.get(code=code), application=national,
                          valid_until=TODAY + dt.timedelta(days=30), daily_limit=50, total_limit=0)
    h = {"HTTP_X_SHARE_TOKEN": token(client, national.name, "nat-pass-2026").json()["token"]}
    licence = shared["licences"][2]
    found = client.get("/api/v1/licences/share/search/?holder_name=" + licence.holder_name, **h).json()["licences"]
    assert [r["licence_code"] for r in found] == [licence.licence_code]
    info = client.get(f"/api/v1/licences/share/licences/{licence.licence_code}/", **h).json()
    assert info["licence_number"] == licence.licence_number
    file = client.get(f"/api/v1/licences/share/licences/{licence.licence_code}/file/", **h)
    assert verify_ofd(file.content).verdict == "valid"
    checked = client.post("/api/v1/licences/share/verify/", {
        "licence_number": licence.licence_number, "type_code": shared["template"].type_code,
        "holder_name": licence.holder_name}, content_type="application/json", **h).json()
    assert checked["result"] == "match"
    # an interface it was not granted is refused and logged
    assert client.get("/api/v1/licences/share/types/", **h).status_code == 403
    assert SharingLog.objects.filter(application=national, outcome="ok").count() >= 4
    assert SharingLog.objects.filter(application=national, outcome="refused").exists()
