"""MAT-5.2.1 comparison with other regions in China: the problem-analysis page asks the national item
library (real HTTP simulator) for the same catalogue items in other provinces and flags where ours is
worse than their average, naming the best province."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import OrganisationKind
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.services.national_comparison import national_comparison
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(regions):
    office = OrganisationFactory(name="黑龙江省营商环境建设监督局", region=regions["230000000000"],
                                 kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU)
    return grant(StaffFactory(username="yingshang", organisation=office), "view_optimisationproposal",
                 "view_implementationitem")


@pytest.fixture
def item(published_item, people, orgs):
    """Daoli's food licence: committed 10 days, 2 materials, online with no delivery → 1 visit."""
    claimed = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                   implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=claimed)
    matter_review(actor=people["harbin_establishment"], item=claimed, approve=True)
    claimed.refresh_from_db()
    return claimed


def _provinces(code: str) -> list[dict]:
    return [{"basic_code": code, "province": "浙江省", "committed_limit_working_days": 3, "material_count": 1,
             "visits": 0},
            {"basic_code": code, "province": "广东省", "committed_limit_working_days": 5, "material_count": 3,
             "visits": 0},
            {"basic_code": "999999999", "province": "江苏省", "committed_limit_working_days": 1, "material_count": 1,
             "visits": 0}]


@pytest.mark.spec("MAT-5.2.1")
def test_page_compares_with_other_provinces_and_flags_where_we_are_worse(client, bureau, item, national_library,
                                                                         regions):
    national_library.publish(_provinces(item.basic_code))
    client.force_login(bureau)
    page = reverse("matters:optimisation")
    assert "从全国事项库获取比对数据" in client.get(page).content.decode() and national_library.queries == 0
    html = client.get(page, {"national": "1"}).content.decode()
    assert national_library.queries == 1
    assert f'data-national="{item.basic_code}" data-worse="committed_limit_working_days,visits"' in html
    assert "10.0 / 4.0 / 3.0（浙江省）" in html          # committed: ours / national average / best
    assert "时限长于全国平均" in html and "跑动多于全国平均" in html and "材料多于全国平均" not in html
    assert "999999999" not in html                        # codes we do not run are not compared
    # one grouped query each for items and materials, whatever the number of items
    with CaptureQueriesContext(connection) as queries:
        result = national_comparison(user=bureau, region=regions["230000000000"])
    assert len(queries) <= 3 and [r.basic_code for r in result["rows"]] == [item.basic_code]


@pytest.mark.spec("MAT-5.2.1")
def test_library_down_is_a_message_not_an_error(client, bureau, item, national_library):
    national_library.inject_failures(1, status=503)
    client.force_login(bureau)
    html = client.get(reverse("matters:optimisation"), {"national": "1"}).content.decode()
    assert "全国事项库暂时无法访问" in html and national_library.queries == 1


def test_comparison_is_refused_without_permission(client, people, national_library):
    client.force_login(people["qiqihar"])
    assert client.get(reverse("matters:optimisation"), {"national": "1"}).status_code == 403
    assert national_library.queries == 0
