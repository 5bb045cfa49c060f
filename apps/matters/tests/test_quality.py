"""Quality detection (MAT-5.1, 5.1.1, 5.1.2): the scheduled scan catches each listed defect."""
import pytest
from django.conf import settings
from django.urls import reverse

from apps.identity.tests.factories import StaffFactory
from apps.matters.models import MatterType, QualityIssue, QualityRule, QualityScan
from apps.matters.services.declaration import catalogue_item_declare
from apps.matters.tasks import quality_scan
from apps.matters.tests.factories import children, element_data, grant, materials

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(people, orgs):
    """A clean item and four defective ones, as drafts of the Harbin department."""
    def declare(**overrides):
        kids = overrides.pop("children", children())
        return catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], submit=False,
                                      data=element_data(**{"service_targets": "自然人、法人", "result_name": "许可证", **overrides}),
                                      children=kids)
    return {
        "clean": declare(name="食品经营许可"),
        "empty": declare(name="食品生产许可", handling_hours=""),
        "public": declare(name="公共场所卫生许可", matter_type=MatterType.PUBLIC_SERVICE),
        "phones": declare(name="特种设备使用登记", consultation_phone="0451-12345", supervision_phone="0451-12345"),
        "other": declare(name="医师执业注册", children={**children(), "materials": materials("申请表", "其他材料")}),
        "target": declare(name="企业设立登记", service_targets="自然人"),
    }


@pytest.mark.spec("MAT-5.1", "MAT-5.1.1")
def test_scheduled_scan_flags_each_defect_and_nothing_else(library):
    assert settings.CELERY_BEAT_SCHEDULE["matters-quality-scan"]["task"] == "matters.quality_scan"
    scan = QualityScan.objects.get(pk=quality_scan.apply().get())
    found = {(i.item_name, i.rule.code) for i in QualityIssue.objects.filter(scan=scan).select_related("rule")}
    assert found == {
        ("食品生产许可", "required-elements"), ("公共场所卫生许可", "licensing-as-public-service"),
        ("特种设备使用登记", "same-phones"), ("医师执业注册", "catch-all-materials"),
        ("企业设立登记", "counterpart-nature"),
    }
    assert scan.items_scanned == 6 and scan.issues_found == 5
    issue = QualityIssue.objects.get(rule__code="required-elements")
    assert issue.message == "必填要素“办理时间”为空" and issue.department.name == "哈尔滨市市场监督管理局"


def test_rules_are_configurable(library):
    quality_scan.apply()                                   # creates the default rules
    QualityRule.objects.filter(code="same-phones").update(is_enabled=False)
    rule = QualityRule.objects.get(code="catch-all-materials")
    rule.params = {"names": ["申请书"]}
    rule.save()
    scan = QualityScan.objects.get(pk=quality_scan.apply().get())
    assert not scan.issues.filter(rule__code="same-phones").exists()
    assert set(scan.issues.filter(rule=rule).values_list("item_name", flat=True)) == {
        "食品经营许可", "食品生产许可", "公共场所卫生许可", "特种设备使用登记", "企业设立登记"}


@pytest.mark.spec("MAT-5.1.2")
def test_report_groups_by_level_and_rule_within_scope(library, client, people, orgs):
    admin = grant(StaffFactory(username="quality_admin", organisation=orgs["harbin"]),
                  "view_qualityissue", "run_qualityscan")
    client.force_login(admin)
    assert client.post(reverse("matters:quality-report")).status_code == 302      # eager: runs now
    html = client.get(reverse("matters:quality-report")).content.decode()
    for name in ("必填要素为空", "许可审批类事项误填为公共服务", "咨询电话与监督电话相同", "存在兜底性材料", "行政相对人性质与实际不符"):
        assert f'data-rule="{name}"' in html
    assert "市（地）" in html and "<strong data-total>5</strong>" in html
    client.force_login(grant(people["qiqihar"], "view_qualityissue"))
    html = client.get(reverse("matters:quality-report")).content.decode()
    assert "<strong data-total>0</strong>" in html                                # other region: none of it
    assert client.post(reverse("matters:quality-report")).status_code == 403     # may not start a scan


def test_report_refuses_anonymous_and_citizens(client, citizen):
    url = reverse("matters:quality-report")
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)
