"""Multi-level catalogue management (MAT-2.1.2): upper-catalogue sync over HTTP and drill-down."""
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.outbox import PeerTemporaryError
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import CatalogueItem, MatterNotification, MatterVersion
from apps.matters.selectors_dynamics import catalogue_drilldown
from apps.matters.services.catalogue_sync import catalogue_sync_upper
from apps.matters.services.declaration import catalogue_item_claim
from apps.matters.tests.factories import department_user, grant

pytestmark = pytest.mark.django_db

ROWS = [
    {"basic_code": "000117051000", "name": "食品生产许可", "matter_type": "01", "legal_basis": "《食品安全法》第35条",
     "exercise_levels": ["2", "3"]},
    {"basic_code": "000117052000", "name": "食品经营许可", "matter_type": "01", "legal_basis": "《食品安全法》第35条",
     "exercise_levels": ["3", "4"]},
    {"basic_code": "BAD", "name": "", "matter_type": "99", "exercise_levels": ["9"]},
]


@pytest.fixture
def province_dept(regions):
    return OrganisationFactory(name="黑龙江省市场监督管理局", region=regions["230000000000"])


@pytest.fixture
def syncer(province_dept):
    return grant(department_user(province_dept, "province_scjg"), "sync_catalogueitem")


@pytest.mark.spec("MAT-2.1.2")
def test_upper_catalogue_sync_creates_then_versions_and_reports_bad_rows(national_platform, syncer, province_dept,
                                                                         people, orgs, client):
    national_platform.publish_catalogue([{**row, "department": province_dept.credit_code} for row in ROWS])
    national_platform.publish_catalogue([{**ROWS[0], "basic_code": "000117053000", "department": "other"}])
    with pytest.raises(PermissionDenied):
        catalogue_sync_upper(actor=people["harbin"], department=province_dept)
    client.force_login(syncer)
    response = client.post(reverse("matters:catalogue-tree"), follow=True)
    text = response.content.decode()
    assert "新增 2 项" in text and "BAD：" in text
    assert set(CatalogueItem.objects.values_list("basic_code", flat=True)) == {"000117051000", "000117052000"}
    item = CatalogueItem.objects.get(basic_code="000117052000")
    assert item.is_national and item.status == "published" and item.exercise_levels == ["3", "4"]
    claimed = catalogue_item_claim(actor=people["daoli"], catalogue_item=item, implementing_body=orgs["daoli_dept"])
    national_platform.publish_catalogue([{**ROWS[1], "legal_basis": "《食品安全法》（2021修正）第35条",
                                          "department": province_dept.credit_code}])
    result = catalogue_sync_upper(actor=syncer, department=province_dept)
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 1)
    item.refresh_from_db()
    assert item.version == 2 and item.legal_basis.startswith("《食品安全法》（2021修正）")
    old = MatterVersion.objects.get(catalogue_item=item, number=1)
    assert old.snapshot["legal_basis"] == "《食品安全法》第35条"                # never overwritten
    assert MatterNotification.objects.filter(recipient=claimed.implementing_body, kind="changed").exists()
    national_platform.inject_failures(1, 503)
    with pytest.raises(PeerTemporaryError):
        catalogue_sync_upper(actor=syncer, department=province_dept)


@pytest.mark.spec("MAT-2.1.2")
def test_drill_down_from_province_to_a_department_list(published_item, people, regions, orgs, client):
    bureau = StaffFactory(username="sheng_yingshang", organisation=OrganisationFactory(
        name="省营商局", region=regions["230000000000"], kind="business_environment_bureau"))
    grant(bureau, "view_catalogueitem")
    with CaptureQueriesContext(connection) as queries:
        top = catalogue_drilldown(user=bureau, region=regions["230000000000"])
    assert len(queries) <= 6                      # constant: permissions, children, counts, departments, path
    counts = {row["region"].name: row["n"] for row in top["children"]}
    assert counts["哈尔滨市"] == 1 and counts.get("齐齐哈尔市", 0) == 0
    city = catalogue_drilldown(user=bureau, region=regions["230100000000"], department_id=orgs["harbin_dept"].pk)
    assert [d["department__name"] for d in city["departments"]] == ["哈尔滨市市场监督管理局"]
    assert [i.name for i in city["items"]] == [published_item.name]
    client.force_login(bureau)
    page = client.get(reverse("matters:catalogue-tree"), {"region": "230100000000",
                                                          "department": orgs["harbin_dept"].pk}).content.decode()
    assert f'data-item="{published_item.name}"' in page and 'data-department="哈尔滨市市场监督管理局"' in page
    # Qiqihar staff see no Harbin department rows (scope)
    qiqihar = catalogue_drilldown(user=people["qiqihar"], region=regions["230100000000"])
    assert qiqihar["departments"] == []
    client.force_login(StaffFactory(username="noperm"))
    assert client.get(reverse("matters:catalogue-tree")).status_code == 403
