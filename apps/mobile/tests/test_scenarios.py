"""Application scenario library (APP-2.6): types, scenarios, detection, review, publish, recommend, address."""
import pytest
from django.urls import reverse

from apps.mobile.models import AppScenario, ScenarioType
from apps.mobile.services import scenarios as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(client, units, app_site):
    client.force_login(units["harbin"])
    social = ScenarioType.objects.get(name="社会保障")
    response = client.post(reverse("mobile:scenarios"), {"scenario_type": social.pk, "name": "社保卡挂失",
                                                         "url": app_site.url + "/card", "description": "在线挂失"})
    assert response.status_code == 302
    return AppScenario.objects.get(name="社保卡挂失")


@pytest.mark.spec("APP-2.6")
def test_admin_maintains_scenario_types(client, units):
    client.force_login(units["admin"])
    client.post(reverse("mobile:scenarios"), {"type_name": "教育服务"})
    assert ScenarioType.objects.filter(name="教育服务").exists()
    client.post(reverse("mobile:scenarios"), {"type_name": "教育服务"})
    assert ScenarioType.objects.filter(name="教育服务").count() == 1
    client.post(reverse("mobile:scenarios"), {"delete_type": ScenarioType.objects.get(name="教育服务").pk})
    assert not ScenarioType.objects.filter(name="教育服务").exists()
    for theme in ("社会保障", "税务", "行驶驾驶", "医疗健康", "人才就业", "住房公积金"):
        assert theme in client.get(reverse("mobile:scenarios")).content.decode()


@pytest.mark.spec("APP-2.6")
def test_scenario_detect_review_publish_recommend_and_copy_address(client, units, scenario, app_site):
    client.force_login(units["admin"])
    url = reverse("mobile:scenario-detail", args=[scenario.pk])
    client.post(url, {"action": "approve"})
    scenario.refresh_from_db()
    assert scenario.status == "draft"                                    # not without detection
    app_site.control(viewport=False)
    client.post(url, {"action": "detect"})
    scenario.refresh_from_db()
    assert scenario.security_ok is True and scenario.compatibility_ok is False
    app_site.control(viewport=True)
    client.post(url, {"action": "detect"})
    client.post(url, {"action": "reject", "reason": ""})
    assert AppScenario.objects.get(pk=scenario.pk).status == "draft"
    client.post(url, {"action": "approve"})
    client.post(url, {"action": "publish"})
    client.post(url, {"action": "recommend"})
    scenario.refresh_from_db()
    assert (scenario.status, scenario.is_published, scenario.is_recommended) == ("approved", True, True)
    page = client.get(url).content.decode()
    assert 'data-copy="scenario-url"' in page and app_site.url + "/card" in page and "兼容性检测" in page
    client.force_login(units["qiqihar"])                                  # published: visible to other units
    assert "社保卡挂失" in client.get(reverse("mobile:scenarios")).content.decode()


@pytest.mark.spec("APP-2.6")
def test_only_the_owning_unit_modifies_or_deletes_and_modification_needs_new_review(client, units, scenario):
    svc.scenario_detect(actor=units["admin"], scenario=scenario)
    svc.scenario_review(actor=units["admin"], scenario=scenario, approve=True)
    svc.scenario_publish(actor=units["admin"], scenario=scenario)
    client.force_login(units["qiqihar"])
    url = reverse("mobile:scenario-detail", args=[scenario.pk])
    client.post(url, {"action": "delete"})
    assert AppScenario.objects.filter(pk=scenario.pk).exists()
    client.force_login(units["harbin"])
    client.post(url, {"action": "update", "scenario_type": scenario.scenario_type_id, "name": "社保卡挂失与补办",
                      "url": scenario.url, "description": ""})
    scenario.refresh_from_db()
    assert scenario.name == "社保卡挂失与补办" and scenario.status == "draft" and not scenario.is_published
    client.post(url, {"action": "delete"})
    assert not AppScenario.objects.filter(pk=scenario.pk).exists()


@pytest.mark.spec("APP-2.6")
def test_bad_scenario_input_writes_nothing(client, units):
    client.force_login(units["harbin"])
    response = client.post(reverse("mobile:scenarios"), {"name": "", "url": "nope"})
    assert response.status_code == 400 and not AppScenario.objects.exists()
