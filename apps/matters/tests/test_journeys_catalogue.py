"""★ Chapter journey MAT-2.1 (catalogue list management), through the pages as its users meet them:
a department declares an item, 编办 approves it, the list is generated, the department changes the
item (the 法制办 approves the escalated part) and the versions are compared field by field."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.matters.models import CatalogueItem, ChangeRequest, MatterStatus
from apps.matters.tests.factories import legal_affairs_user
from apps.matters.tests.test_pages import _children_post, _element_post

pytestmark = pytest.mark.django_db


def _sheet(response):
    return [list(row) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]


@pytest.mark.spec("MAT-2.1")
def test_catalogue_list_management_journey(client, people, orgs, regions, national_platform):
    reviewer = legal_affairs_user(regions["230100000000"], "harbin_fzb")
    # 1. the Harbin department declares an item on the declaration page
    client.force_login(people["harbin"])
    declare = {**_element_post(dept=orgs["harbin_dept"].pk), "department": orgs["harbin_dept"].pk,
               **_children_post(), "submit": "1"}
    assert client.post(reverse("matters:catalogue-declare"), declare).status_code == 302
    item = CatalogueItem.objects.get()
    assert item.status == MatterStatus.PENDING_REVIEW and item.basic_code
    # 2. the city 编办 approves it on the item page: published as V1
    client.force_login(people["harbin_establishment"])
    client.post(reverse("matters:catalogue-review", args=[item.pk]), {"decision": "approve", "comment": "同意"})
    item.refresh_from_db()
    assert (item.status, item.version) == (MatterStatus.PUBLISHED, 1)
    # 3. the department generates its catalogue list
    client.force_login(people["harbin"])
    rows = _sheet(client.get(reverse("matters:list-generate", args=["catalogue"])))
    assert [r[1] for r in rows[1:]] == [item.basic_code] and rows[1][-1] == "V1"
    # 4. a change of the materials and the location: previewed with highlights, then sent to the 法制办
    url = reverse("matters:catalogue-change", args=[item.pk])
    change_data = {**_element_post(item, handling_location="新址一楼", faq="问：能否邮寄？答：可以。"),
                   **_children_post()}
    preview = client.post(url, change_data).content.decode()
    assert 'data-changed="handling_location"' in preview and 'data-changed="faq"' in preview
    client.post(url, {**change_data, "confirm": "1", "reason": "地址搬迁，补充问答"})
    change = ChangeRequest.objects.get()
    item.refresh_from_db()
    assert item.version == 1 and item.handling_location != "新址一楼"        # not in force before approval
    client.force_login(reviewer)
    client.post(change.get_absolute_url(), {"decision": "approve", "comment": "同意变更"})
    item.refresh_from_db()
    assert (item.version, item.handling_location) == (2, "新址一楼")
    # 5. the department reads the opinion and compares V1 with V2 field by field
    client.force_login(people["harbin"])
    assert "同意变更" in client.get(change.get_absolute_url()).content.decode()
    compare = client.get(reverse("matters:catalogue-compare", args=[item.pk]), {"a": 1, "b": 2}).content.decode()
    assert 'data-changed="handling_location"' in compare and 'data-changed="faq"' in compare
    assert "道里区政务服务中心2号窗口" in compare and "新址一楼" in compare
    rows = _sheet(client.get(reverse("matters:list-generate", args=["catalogue"])))
    assert rows[1][-1] == "V2"
