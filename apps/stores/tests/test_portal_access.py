"""Back-office pages of the stores: the authorised administrator reaches each page from the menu; a citizen
gets 403, an anonymous visitor the login page, staff without the permission 403 — and nothing is written."""
import pytest
from django.urls import reverse

from apps.stores.models import KeywordAssociation
from apps.stores.tests.conftest import staff_with

pytestmark = pytest.mark.django_db

PAGES = ["stores:store-list", "stores:store-open", "stores:review-list", "stores:keyword-list", "stores:keyword-add",
         "stores:recommendation-list", "stores:recommendation-add", "stores:zone-list", "stores:zone-add",
         "stores:proof-list", "stores:proof-add"]


@pytest.mark.spec("STORE-5.1", "STORE-5.2", "STORE-2.e", "STORE-2.f", "STORE-2.h")
def test_back_office_pages_by_role(client, portal_admin, resident, orgs):
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/portal/login/" in response["Location"], name
    client.force_login(resident)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    client.force_login(staff_with("plain_staff", orgs["harbin_dept"]))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.post(reverse("stores:keyword-add"), {"keyword": "k", "associated_words": "w"}).status_code == 403
    assert not KeywordAssociation.objects.exists()
    client.force_login(portal_admin)
    home = client.get("/portal/").content.decode()
    assert "政务服务旗舰店" in home and reverse("stores:store-list") in home
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.spec("STORE-2.c", "STORE-2.b")
def test_unknown_zone_is_404_in_the_api(client):
    assert client.get("/api/v1/stores/zones/nowhere/").status_code == 404


@pytest.mark.spec("STORE-2.h", "STORE-2.b")
def test_lists_filter_and_export_the_same_rows(client, portal_admin, orgs):
    import io

    from openpyxl import load_workbook

    from apps.stores.models import ProofStatus, Zone
    from apps.stores.services.zones import proof_entry_save, zone_matter_save

    for name, status in (("无犯罪记录证明", ProofStatus.RETAINED), ("亲属关系证明", ProofStatus.VOIDED),
                         ("无房证明", ProofStatus.VOIDED)):
        proof_entry_save(actor=portal_admin, data={"name": name, "status": status, "department": orgs["harbin_dept"]})
    zone_matter_save(actor=portal_admin, data={"zone": Zone.ELDERLY, "name": "高龄津贴申领", "classification": "优待",
                                               "supplying_department": orgs["harbin_dept"]})
    zone_matter_save(actor=portal_admin, data={"zone": Zone.PROVINCE_WIDE, "name": "社保卡申领", "classification": "社保",
                                               "supplying_department": orgs["harbin_dept"]})
    client.force_login(portal_admin)
    html = client.get(reverse("stores:proof-list"), {"status": "voided"}).content.decode()
    assert "亲属关系证明" in html and "无房证明" in html and "无犯罪记录证明" not in html
    response = client.get(reverse("stores:proof-list"), {"status": "voided", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "亲属关系证明" in names and "无房证明" in names and "无犯罪记录证明" not in names
    response = client.get(reverse("stores:zone-list"), {"zone": "elderly", "export": "xlsx"})
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for c in row]
    assert "高龄津贴申领" in cells and "社保卡申领" not in cells
    html = client.get(reverse("stores:store-list"), {"level": "bogus"}).content.decode()
    assert 'data-testid="filters"' in html


@pytest.mark.spec("STORE-5.2", "STORE-2.h")
def test_back_office_lists_have_flat_query_counts(client, portal_admin, orgs, django_assert_max_num_queries):
    from apps.stores.models import Zone
    from apps.stores.services.zones import proof_entry_save, zone_matter_save

    for n in range(12):
        zone_matter_save(actor=portal_admin, data={"zone": Zone.ELDERLY, "name": f"事项{n}", "classification": "优待",
                                                   "supplying_department": orgs["harbin_dept"]})
        proof_entry_save(actor=portal_admin, data={"name": f"证明{n}", "status": "retained",
                                                   "department": orgs["harbin_dept"]})
    client.force_login(portal_admin)
    for name in ("stores:zone-list", "stores:proof-list", "stores:review-list", "stores:keyword-list",
                 "stores:recommendation-list"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200, name
