"""STORE-2.e recommended matters, STORE-2.h online proofs column, STORE-2.b province-wide list and
STORE-2.a cross-province zone with login recognition by partner sites."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.stores.models import PartnerProvinceSite, ProofListEntry, ProofStatus, RecommendedMatter, Zone
from apps.stores.services.zones import proof_entry_save, recommended_matter_save, zone_matter_save
from apps.stores.tests.conftest import staff_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def matters(publish):
    return {"food": publish("食品经营许可", "daoli"), "health": publish("公共场所卫生许可", "harbin"),
            "drug": publish("药品经营许可", "harbin")}


@pytest.mark.spec("STORE-2.e")
def test_a_33_digit_code_auto_fills_the_matter_and_a_malformed_code_is_rejected(client, matters, portal_admin):
    code33 = matters["food"].implementation_code + "01"
    assert len(code33) == 33
    client.force_login(portal_admin)
    body = client.get("/api/v1/stores/matter-lookup/", {"code": code33}).json()
    assert body["name"] == "食品经营许可" and body["implementing_body"] == "道里区市场监督管理局"
    for bad in (code33[:32], code33 + "1", "230100" * 5 + "abc", ""):
        response = client.get("/api/v1/stores/matter-lookup/", {"code": bad})
        assert response.status_code == 400 and "matter_code" in response.json()["errors"]
    unknown = "9" * 31 + "01"
    assert "没有已发布" in client.get("/api/v1/stores/matter-lookup/", {"code": unknown}).json()["errors"]["matter_code"][0]
    # the back-office form: a bad code or window writes nothing
    today = timezone.localdate()
    response = client.post(reverse("stores:recommendation-add"), {"matter_code": code33[:30], "order": 1,
                                                                  "valid_from": today, "valid_to": today})
    assert response.status_code == 400 and "33 位" in response.content.decode()
    response = client.post(reverse("stores:recommendation-add"), {"matter_code": code33, "order": 1,
                                                                  "valid_from": today, "valid_to": today - timedelta(days=1)})
    assert response.status_code == 400 and not RecommendedMatter.objects.exists()
    response = client.post(reverse("stores:recommendation-add"), {"matter_code": code33, "order": 1,
                                                                  "valid_from": today, "valid_to": today})
    saved = RecommendedMatter.objects.get()
    assert response.status_code == 302 and saved.name == "食品经营许可" and saved.department_name == "道里区市场监督管理局"
    # without the permission: refused
    clerk = staff_with("clerk2", portal_admin.organisation)
    client.force_login(clerk)
    assert client.get("/api/v1/stores/matter-lookup/", {"code": code33}).status_code == 403


@pytest.mark.spec("STORE-2.e")
def test_recommendations_follow_the_order_and_the_validity_window(client, matters, portal_admin):
    today = timezone.localdate()
    recommended_matter_save(actor=portal_admin, matter_code=matters["drug"].implementation_code + "01", order=2,
                            valid_from=today - timedelta(days=3), valid_to=today + timedelta(days=3))
    recommended_matter_save(actor=portal_admin, matter_code=matters["health"].implementation_code + "01", order=1,
                            valid_from=today, valid_to=today)
    recommended_matter_save(actor=portal_admin, matter_code=matters["food"].implementation_code + "01", order=0,
                            valid_from=today + timedelta(days=1), valid_to=today + timedelta(days=9))   # not yet
    recommended_matter_save(actor=portal_admin, matter_code=matters["food"].implementation_code, order=0,
                            valid_from=date(2020, 1, 1), valid_to=today - timedelta(days=1))             # over
    names = [r["name"] for r in client.get("/api/v1/stores/recommendations/").json()]
    assert names == ["公共场所卫生许可", "药品经营许可"]
    html = client.get(reverse("stores-public:index")).content.decode()
    block = html.split('data-testid="recommended"')[1].split("</ol>")[0]
    assert block.index("公共场所卫生许可") < block.index("药品经营许可") and "食品经营许可" not in block
    home = client.get(reverse("public:home")).content.decode()                # the portal home page
    block = home.split('data-testid="home-recommended"')[1].split("</ol>")[0]
    assert block.index("公共场所卫生许可") < block.index("药品经营许可") and "食品经营许可" not in block


@pytest.mark.spec("STORE-2.h")
def test_online_proofs_column_lists_retained_and_voided_separately(client, orgs, portal_admin):
    proof_entry_save(actor=portal_admin, data={"name": "无犯罪记录证明", "status": ProofStatus.RETAINED,
                                               "department": orgs["harbin_dept"], "basis": "《公安机关办理犯罪记录查询工作规定》"})
    proof_entry_save(actor=portal_admin, data={"name": "亲属关系证明", "status": ProofStatus.VOIDED,
                                               "department": orgs["harbin_dept"], "notes": "改为申请人书面承诺",
                                               "decided_on": date(2025, 6, 1)})
    with pytest.raises(ValidationError):
        proof_entry_save(actor=portal_admin, data={"name": "", "status": "other", "department": None})
    assert ProofListEntry.objects.count() == 2
    html = client.get(reverse("stores-public:proofs")).content.decode()
    retained = html.split('data-testid="retained"')[1].split("</table>")[0]
    voided = html.split('data-testid="voided"')[1].split("</table>")[0]
    assert "无犯罪记录证明" in retained and "亲属关系证明" not in retained
    assert "亲属关系证明" in voided and "改为申请人书面承诺" in voided and "无犯罪记录证明" not in voided
    rows = client.get("/api/v1/stores/proofs/", {"status": "voided"}).json()["results"]
    assert [r["name"] for r in rows] == ["亲属关系证明"]


@pytest.fixture
def zone_lists(orgs):
    supplier = staff_with("zone_supplier", orgs["province"], "stores.manage_zonematter")
    for name, classification, connected in (("社保卡申领", "社会保障", True), ("失业登记", "社会保障", False),
                                            ("营业执照变更", "市场主体", True)):
        zone_matter_save(actor=supplier, data={"zone": Zone.PROVINCE_WIDE, "name": name, "classification": classification,
                                               "attribute_flags": ["全省通办", "网上可办"] if connected else ["全省通办"],
                                               "is_identity_connected": connected, "supplying_department": orgs["harbin_dept"],
                                               "handling_url": f"https://zwfw.hlj.gov.cn/{name}" if connected else ""})
    zone_matter_save(actor=supplier, data={"zone": Zone.CROSS_PROVINCE, "name": "异地就医备案", "classification": "医疗保障",
                                           "partner_province": "吉林省", "is_identity_connected": True,
                                           "handling_url": "https://zwfw.hlj.gov.cn/ydjy",
                                           "supplying_department": orgs["harbin_dept"]})
    with pytest.raises(ValidationError, match="办理页面"):
        zone_matter_save(actor=supplier, data={"zone": Zone.PROVINCE_WIDE, "name": "x", "classification": "y",
                                               "is_identity_connected": True, "supplying_department": orgs["harbin_dept"]})
    return supplier


@pytest.mark.spec("STORE-2.b")
def test_province_wide_list_filters_by_classification_and_only_connected_matters_jump(client, zone_lists):
    html = client.get(reverse("stores-public:zone", args=["province_wide"])).content.decode()
    assert "社保卡申领" in html and "营业执照变更" in html and "异地就医备案" not in html
    row = html.split('data-matter="社保卡申领"')[1].split("</tr>")[0]
    assert 'href="https://zwfw.hlj.gov.cn/社保卡申领"' in row and "data-jump" in row and "网上可办" in row
    row = html.split('data-matter="失业登记"')[1].split("</tr>")[0]
    assert "data-no-jump" in row and "href=" not in row
    html = client.get(reverse("stores-public:zone", args=["province_wide"]), {"classification": "市场主体"}).content.decode()
    assert "营业执照变更" in html and "社保卡申领" not in html


@pytest.fixture
def partners(db):
    sites = [("jilin", "吉林省政务服务网", "https://zwfw.jl.gov.cn/"), ("liaoning", "辽宁政务服务网", "https://www.lnzwfw.gov.cn/"),
             ("neimenggu", "内蒙古政务服务网", "https://zwfw.nmg.gov.cn/"), ("hainan", "海南政务服务网", "https://wssp.hainan.gov.cn/"),
             ("national-kstb", "全国跨省通办专区", "https://gjzwfw.www.gov.cn/kstb/")]
    made = []
    for order, (code, name, url) in enumerate(sites):
        made.append(PartnerProvinceSite.objects.create(code=code, name=name, home_url=url, order=order,
                                                       is_national_zone=code.startswith("national")))
    return made


@pytest.mark.spec("STORE-2.a")
def test_cross_province_zone_lists_partners_and_a_jump_needs_login(client, zone_lists, partners, resident):
    html = client.get(reverse("stores-public:zone", args=["cross_province"])).content.decode()
    for code in ("jilin", "liaoning", "neimenggu", "hainan", "national-kstb"):
        assert f'data-partner="{code}"' in html
    assert "异地就医备案" in html and "吉林省" in html
    response = client.get(reverse("stores-public:partner-go", args=["jilin"]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(resident)
    response = client.get(reverse("stores-public:partner-go", args=["jilin"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("sso:ticket-issue"))
    assert "app_id=jilin" in response["Location"]
    assert client.get(reverse("stores-public:partner-go", args=["nowhere"])).status_code == 404


def _workbook(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["事项名称", "事项编码", "分类", "事项库属性标识", "已接入统一身份认证", "办理页面", "通办省份"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.spec("STORE-2.b", "STORE-2.c")
def test_a_department_imports_its_list_and_a_bad_row_imports_nothing(client, orgs, matters):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.stores.models import ZoneMatter

    supplier = staff_with("importer", orgs["harbin_dept"], "stores.manage_zonematter")
    client.force_login(supplier)
    url = reverse("stores:zone-import")
    bad = _workbook([["高龄津贴申领", "", "优待服务", "", "是", "https://zwfw.hlj.gov.cn/gl", ""],
                     ["老年人优待证", "", "", "", "否", "", ""],                                     # no classification
                     ["异地就医", "X" * 31, "医疗", "", "否", "", ""]])                              # unknown code
    response = client.post(url, {"zone": "elderly", "supplying_department": orgs["harbin_dept"].pk,
                                 "file": SimpleUploadedFile("list.xlsx", bad)})
    page = response.content.decode()
    assert response.status_code == 400 and "第3行" in page and "第4行" in page
    assert not ZoneMatter.objects.exists()
    good = _workbook([["高龄津贴申领", "", "优待服务", "全省通办、网上可办", "是", "https://zwfw.hlj.gov.cn/gl", ""],
                      ["食品经营许可", matters["food"].implementation_code + "01", "市场主体", "", "否", "", ""]])
    response = client.post(url, {"zone": "province_wide", "supplying_department": orgs["harbin_dept"].pk,
                                 "file": SimpleUploadedFile("list.xlsx", good)})
    assert response.status_code == 302
    rows = {m.name: m for m in ZoneMatter.objects.all()}
    assert rows["高龄津贴申领"].attribute_flags == ["全省通办", "网上可办"] and rows["高龄津贴申领"].can_jump
    assert rows["食品经营许可"].implementation_item == matters["food"]
    # another city's department cannot import for Harbin's department
    client.force_login(staff_with("qq_importer", orgs["qiqihar"], "stores.manage_zonematter"))
    response = client.post(url, {"zone": "elderly", "supplying_department": orgs["harbin_dept"].pk,
                                 "file": SimpleUploadedFile("list.xlsx", good)})
    assert response.status_code == 400 and ZoneMatter.objects.count() == 2
