"""Pages of suspension, delegation, batches, statistics, list generation and notifications."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.identity.tests.factories import StaffFactory
from apps.matters.models import Delegation, MatterNotification, MatterStatus, SuspensionRequest
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(orgs):
    return grant(StaffFactory(username="harbin_bureau", organisation=orgs["harbin"]), "add_delegationbatch",
                 "view_delegationbatch", "view_delegation", "view_catalogueitem", "view_implementationitem")


def _sheet(response):
    return [list(row) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]


@pytest.mark.spec("MAT-2.1.8", "MAT-2.4.1", "MAT-2.4.3")
def test_delegate_page_offers_lower_levels_only_and_batch_is_published(client, published_item, people, bureau):
    client.force_login(people["harbin"])
    url = reverse("matters:catalogue-delegate", args=[published_item.pk])
    html = client.get(url).content.decode()
    assert 'value="4"' in html and 'name="to_levels" value="3"' not in html and 'value="2"' not in html
    refused = client.post(url, {"to_levels": ["2"]})
    assert refused.status_code == 400 and "只能下放到本级以下的层级" in refused.content.decode()
    assert not Delegation.objects.exists()
    assert client.post(url, {"to_levels": ["4"], "note": "下放"}).status_code == 302
    client.force_login(bureau)
    response = client.post(reverse("matters:batch-aggregate"))
    batch_url = response["Location"]
    assert "待发布" in client.get(batch_url).content.decode()
    client.post(batch_url, {"title": "2026年11月份第一批事项下放公告"})
    page = client.get(reverse("matters:delegation-tracking")).content.decode()
    assert "年第1次下放" in page and "哈尔滨市市场监督管理局" in page


@pytest.mark.spec("MAT-2.1.7")
def test_suspension_through_pages(client, published_item, people):
    client.force_login(people["harbin"])
    client.post(reverse("matters:catalogue-suspend", args=[published_item.pk]), {"reason": "法规修订"})
    suspension = SuspensionRequest.objects.get()
    client.force_login(people["qiqihar"])
    assert client.post(reverse("matters:suspension-review", args=[suspension.pk]),
                       {"decision": "approve"}).status_code == 403   # no review permission
    client.force_login(people["harbin_establishment"])
    from apps.matters.selectors_dynamics import dynamic_inbox_items

    assert [i.category for i in dynamic_inbox_items(user=people["harbin_establishment"])] == ["事项暂停审核"]
    client.post(reverse("matters:suspension-review", args=[suspension.pk]), {"decision": "approve", "comment": "同意"})
    published_item.refresh_from_db()
    assert published_item.status == MatterStatus.SUSPENDED


@pytest.mark.spec("MAT-2.1.9", "MAT-2.2.12")
def test_statistics_by_department_and_type_with_export(client, published_item, people, orgs, django_assert_max_num_queries):
    for key, body in (("harbin", orgs["harbin_dept"]), ("daoli", orgs["daoli_dept"])):
        item = catalogue_item_claim(actor=people[key], catalogue_item=published_item, implementing_body=body)
        matter_submit(actor=people[key], item=item)
        matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    client.force_login(people["harbin"])
    url = reverse("matters:statistics")
    with django_assert_max_num_queries(12):
        html = client.get(url, {"kind": "implementation", "by": "department"}).content.decode()
    assert "哈尔滨市市场监督管理局" in html and "道里区市场监督管理局" in html
    rows = _sheet(client.get(url, {"kind": "implementation", "by": "matter_type", "export": "xlsx"}))
    assert rows[0][:3] == ["事项类型", "合计", "在用"] and rows[1] == ["行政许可", 2, 2, 0, 0]
    client.force_login(people["daoli"])                           # scope: Daoli sees only its own
    rows = _sheet(client.get(url, {"kind": "implementation", "by": "department", "export": "xlsx"}))
    assert rows[1:] == [["道里区市场监督管理局", 1, 1, 0, 0]]
    client.force_login(people["qiqihar"])
    assert _sheet(client.get(url, {"kind": "implementation", "export": "xlsx"}))[1:] == []


@pytest.mark.spec("MAT-2.1.10", "MAT-2.2.13")
def test_generated_lists_hold_the_published_items_in_scope(client, published_item, people, orgs):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])
    client.force_login(people["harbin"])
    rows = _sheet(client.get(reverse("matters:list-generate", args=["catalogue"])))
    assert rows[1][1] == published_item.basic_code and rows[1][3] == "食品经营许可"
    assert "营业执照" in rows[1][10]
    assert len(_sheet(client.get(reverse("matters:list-generate", args=["implementation"])))) == 1   # draft: not listed
    matter_submit(actor=people["daoli"], item=item)
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    client.force_login(people["daoli"])
    rows = _sheet(client.get(reverse("matters:list-generate", args=["implementation"])))
    assert rows[1][2] == item.implementation_code and rows[1][5] == "道里区市场监督管理局"
    assert client.get(reverse("matters:list-generate", args=["nothing"])).status_code == 404


@pytest.mark.spec("MAT-2.5")
def test_notifications_page_and_inbox(client, published_item, people, orgs):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=item)
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    client.force_login(people["harbin"])
    client.post(reverse("matters:catalogue-cancel", args=[published_item.pk]), {"reason": "取消"})
    client.force_login(people["daoli"])
    assert "已注销" in client.get(reverse("matters:notifications")).content.decode()
    from apps.matters.selectors_dynamics import dynamic_inbox_items

    assert [i.category for i in dynamic_inbox_items(user=people["daoli"])] == ["事项联动告知"]
    notice = MatterNotification.objects.get()
    client.post(reverse("matters:notifications"), {"pk": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at and dynamic_inbox_items(user=people["daoli"]) == []
    client.force_login(people["qiqihar"])                           # not the recipient
    assert client.post(reverse("matters:notifications"), {"pk": notice.pk}).status_code == 404


def test_dynamic_pages_refuse_anonymous_and_citizens(client, citizen, published_item):
    urls = [reverse("matters:delegation-tracking"), reverse("matters:statistics"), reverse("matters:notifications"),
            reverse("matters:catalogue-delegate", args=[published_item.pk])]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(citizen)
    for url in urls:
        assert client.get(url).status_code in (302, 403)
