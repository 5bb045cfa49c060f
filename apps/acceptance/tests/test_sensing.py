"""Intelligent sensing at the window (ACC-7.10) as window staff meet it: the ID number typed or read by the
card reader fills the applicant block from the unified identity user centre, else from the applicant's
latest case in the clerk's scope; other regions' cases and malformed numbers fill nothing."""
import pytest
from django.urls import reverse

from apps.acceptance.models import Case
from apps.acceptance.tests import factories as f
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.spec("ACC-7.10")
def test_applicant_is_sensed_from_the_user_centre_or_history_within_scope(client, orgs):
    clerk = f.clerk(orgs["harbin_dept"])
    item = f.matter(orgs["harbin_dept"])
    UserFactory(username="liuyang", kind=UserKind.NATURAL_PERSON, full_name="刘洋", id_number=f.id_number(5),
                mobile_number="13700000005")
    earlier = f.concluded_case(item, clerk, n=6)
    f.concluded_case(f.matter(orgs["qiqihar"]), f.clerk(orgs["qiqihar"], "qq_clerk"), n=7)
    url = reverse("acceptance:case-intake")
    client.force_login(clerk)

    page = client.get(url, {"item": item.pk, "applicant": f.id_number(5)}).content.decode()
    assert 'data-testid="sensed"' in page and "统一身份认证用户中心" in page
    assert 'value="刘洋"' in page and 'value="13700000005"' in page
    page = client.get(url, {"item": item.pk, "applicant": f.id_number(6)}).content.decode()
    assert f"历史办件 {earlier.case_number}" in page and 'value="张三6"' in page
    for unknown in (f.id_number(7), "123", ""):                     # other region's case, malformed, empty
        page = client.get(url, {"item": item.pk, "applicant": unknown}).content.decode()
        assert 'data-testid="sensed"' not in page and "张三7" not in page

    # the sensed data go into the case as the clerk submits them
    response = client.post(url, {"item": item.pk, "applicant_name": "刘洋", "applicant_id_number": f.id_number(5),
                                 "applicant_mobile": "13700000005"})
    assert response.status_code == 302
    case = Case.objects.get(applicant_name="刘洋")
    assert case.applicant_id_number == f.id_number(5) and case.applicant_mobile == "13700000005"
    # only window staff: citizens are refused
    client.force_login(UserFactory(username="citizen_s", kind=UserKind.NATURAL_PERSON))
    assert client.get(url, {"item": item.pk, "applicant": f.id_number(5)}).status_code == 403
