"""STORE-2.g: the service guide page of a matter whose implementation item a department linked to 权责清单
entries (apps.matters MAT-7.8 links) shows a clickable 权责清单 button that opens the linked entries; a guide
without a link shows no button."""
import pytest
from django.urls import reverse

from apps.matters.services.powers import power_entry_save, power_link_set
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(publish, people, orgs):
    item = publish("食品经营许可", "daoli")
    other = publish("公共场所卫生许可", "daoli")
    clerk = grant(people["daoli"], "view_powerlistentry", "add_powerlistentry", "change_powerlistentry")
    entry = power_entry_save(actor=clerk, department=orgs["daoli_dept"], data={
        "code": "QZ-XK-001", "name": "食品经营许可", "power_type": "licensing",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条", "responsibilities": "受理、审查、决定、送达",
        "accountability": "对符合条件的申请不予受理的"})
    power_link_set(actor=clerk, entry=entry, items=[item])
    return {"item": item, "other": other, "entry": entry, "clerk": clerk}


@pytest.mark.spec("STORE-2.g")
def test_guide_with_a_linked_entry_shows_the_button_and_its_content(client, linked):
    html = client.get(reverse("matters-public:guide-detail", args=[linked["item"].pk])).content.decode()
    assert 'data-testid="power-list"' in html and "权责清单（1）" in html
    assert 'data-power-entry="QZ-XK-001"' in html and "受理、审查、决定、送达" in html and "对符合条件的申请不予受理的" in html
    assert "行政许可" in html
    page = client.get(reverse("stores-public:power-list", args=[linked["item"].pk])).content.decode()
    assert 'data-power-entry="QZ-XK-001"' in page and "《中华人民共和国食品安全法》第三十五条" in page


@pytest.mark.spec("STORE-2.g")
def test_guide_without_a_link_has_no_button_and_unlinking_removes_it(client, linked):
    html = client.get(reverse("matters-public:guide-detail", args=[linked["other"].pk])).content.decode()
    assert 'data-testid="power-list"' not in html
    power_link_set(actor=linked["clerk"], entry=linked["entry"], items=[])
    html = client.get(reverse("matters-public:guide-detail", args=[linked["item"].pk])).content.decode()
    assert 'data-testid="power-list"' not in html
    page = client.get(reverse("stores-public:power-list", args=[linked["item"].pk])).content.decode()
    assert "该事项暂未关联权责清单" in page


@pytest.mark.spec("STORE-2.g")
def test_power_list_page_of_an_unpublished_guide_is_404(client, linked):
    assert client.get(reverse("stores-public:power-list", args=[999999])).status_code == 404


@pytest.mark.spec("STORE-2.g")
def test_the_button_costs_one_query(client, linked, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(reverse("matters-public:guide-detail", args=[linked["item"].pk])).status_code == 200
