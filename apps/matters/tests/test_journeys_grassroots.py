"""★ Chapter journey MAT-2 (grassroots item standardisation): a sub-district office (乡镇街) and a
community (村社区) take the published catalogue item into their implementation lists on the pages, the
district 编办 approves them, each generates its published list, and the lists are published — the
public guide search finds the township's and the village's items by their region."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import Region
from apps.core.tests.factories import OrganisationFactory
from apps.matters.models import ImplementationItem, MatterStatus
from apps.matters.tests.factories import department_user, establishment_user

pytestmark = pytest.mark.django_db


def _sheet(response):
    return [list(row) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]


@pytest.mark.spec("MAT-2")
def test_grassroots_lists_journey(client, published_item, regions):
    township = Region.objects.create(code="230102001000", name="新阳路街道")
    village = Region.objects.create(code="230102001001", name="新阳社区")
    offices = {
        "township": department_user(OrganisationFactory(name="新阳路街道便民服务中心", region=township), "xy_street"),
        "village": department_user(OrganisationFactory(name="新阳社区便民服务站", region=village), "xy_community"),
    }
    reviewer = establishment_user(regions["230102000000"], "daoli_bianban")
    items = {}
    for key, clerk in offices.items():
        client.force_login(clerk)
        # catalogue list: the published catalogue item above them is visible and claimed from its page
        assert published_item.name in client.get(reverse("matters:catalogue-list")).content.decode()
        assert client.post(reverse("matters:catalogue-claim", args=[published_item.pk])).status_code == 302
        item = ImplementationItem.objects.get(implementing_body=clerk.organisation)
        assert item.region_id == clerk.organisation.region_id and item.status == MatterStatus.DRAFT
        # implementation list: submitted from the item page, approved by the district 编办
        client.post(reverse("matters:implementation-submit", args=[item.pk]))
        client.force_login(reviewer)
        client.post(reverse("matters:implementation-review", args=[item.pk]), {"decision": "approve", "comment": "同意"})
        item.refresh_from_db()
        assert (item.status, item.version) == (MatterStatus.PUBLISHED, 1)
        items[key] = item
        # list publishing: the office generates its own published implementation list
        client.force_login(clerk)
        rows = _sheet(client.get(reverse("matters:list-generate", args=["implementation"])))
        assert [r[2] for r in rows[1:]] == [item.implementation_code]
    # published lists are on the public side, found by township / village region
    client.logout()
    codes = lambda region: {r["implementation_code"] for r in  # noqa: E731
                            client.get("/api/v1/matters/", {"region": region}).json()["results"]}
    assert codes(village.code) == {items["village"].implementation_code}
    assert codes(township.code) == codes("230102000000") == {i.implementation_code for i in items.values()}
