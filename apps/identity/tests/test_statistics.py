"""Statistics (IDN-5.1 registered users by region and real-name levels; IDN-13.8 staff per
department, the number linking to exactly those staff)."""
import re

import pytest

from apps.identity.models import UserKind
from apps.identity.tests.conftest import give
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.spec("IDN-13.8")
def test_staff_per_department_and_drill_down(client, staff, orgs):
    StaffFactory(username="extra_staff", organisation=orgs["harbin_dept"])
    admin = staff["province"]
    give(admin, "identity.view_user", code="stats_viewer")
    client.force_login(admin)
    page = client.get("/portal/identity/statistics/").content.decode()
    link = re.search(r'<td>哈尔滨市市场监督管理局</td><td><a href="([^"]+)">(\d+)</a>', page)
    assert link and link.group(2) == "2"
    listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "extra_staff" in listing and "staff_harbin_dept" in listing and "staff_daoli_dept" not in listing


@pytest.mark.spec("IDN-5.1")
def test_registered_by_region_and_levels(client, staff, regions):
    for n, region in enumerate(["230102000000", "230103000000", "230202000000"]):
        UserFactory(username=f"p{n}", kind=UserKind.NATURAL_PERSON, home_region=regions[region], real_name_level=2)
    UserFactory(username="firm", kind=UserKind.LEGAL_PERSON, home_region=regions["230100000000"], real_name_level=1)
    admin = staff["province"]
    give(admin, "identity.view_user", code="stats_viewer")
    client.force_login(admin)
    page = client.get("/portal/identity/statistics/").content.decode()
    assert re.search(r"<td>哈尔滨市</td><td>2</td><td>1</td><td>3</td>", page)
    assert re.search(r"<td>齐齐哈尔市</td><td>1</td><td>0</td><td>1</td>", page)
    assert re.search(r"<td>二级（实名核验）</td><td>3</td>", page)
    assert re.search(r"<td>一级（基本实名）</td><td>1</td>", page)
    logins = page.split('data-testid="logins"')[1].split("</table>")[0]
    assert re.search(r"<td>\d{4}-\d\d-\d\d</td><td>1</td>", logins)   # the one login above
    client.force_login(staff["harbin"])   # no permission
    assert client.get("/portal/identity/statistics/").status_code == 403
