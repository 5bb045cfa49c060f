"""Authorised proxy handling as an agent meets it on the acceptance form (ACC-0.8, matters decision 0103):
matters hands the agent to `/acceptance/apply/<item>/?proxy=<number>`; the form is filled from the elderly
principal's account, the case is the principal's and names the agent; a revoked grant, someone else's
number or another item's number is refused with nothing written."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.acceptance.models import Case
from apps.acceptance.tests import factories as f
from apps.core.validators import id_number_check_character
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ELDER_ID = "23010219480315002" + id_number_check_character("23010219480315002")


@pytest.fixture
def proxy(orgs):
    from apps.matters.models import ProxyAuthorisation, ProxyStatus
    from apps.matters.services.proxy import proxy_handling_start

    item = f.matter(orgs["harbin_dept"])
    item.proxy_handling = True
    item.save(update_fields=["proxy_handling"])
    elder = UserFactory(username="elder", kind=UserKind.NATURAL_PERSON, full_name="王桂兰", id_number=ELDER_ID,
                        mobile_number="13800000060")
    relative = UserFactory(username="relative", kind=UserKind.NATURAL_PERSON, full_name="王小明",
                           id_number=f.id_number(7), mobile_number="13900000001")
    grant = ProxyAuthorisation.objects.create(principal=elder, agent=relative, status=ProxyStatus.ACTIVE,
                                              valid_until=timezone.now() + timedelta(days=365))
    handling = proxy_handling_start(item=item, principal_id=elder.pk, actor=relative)
    return {"item": item, "elder": elder, "relative": relative, "grant": grant, "handling": handling}


@pytest.mark.spec("ACC-0.8")
def test_agent_applies_for_the_elderly_principal_through_the_proxy_number(client, proxy, orgs):
    item, elder, relative, handling = proxy["item"], proxy["elder"], proxy["relative"], proxy["handling"]
    url = reverse("acceptance-public:apply", args=[item.pk])
    client.force_login(relative)
    page = client.get(url, {"proxy": handling.number}).content.decode()
    assert 'data-testid="proxy-banner"' in page and handling.number in page
    assert 'value="王桂兰"' in page and f'value="{ELDER_ID}"' in page and "readonly" in page
    # the agent cannot swap the applicant: the principal's account data are used whatever is posted
    response = client.post(url, {"proxy": handling.number, "applicant_name": "王小明",
                                 "applicant_id_number": f.id_number(7), "applicant_mobile": "13900000001"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.applicant == elder and case.applicant_name == "王桂兰" and case.applicant_id_number == ELDER_ID
    assert case.proxy_agent == relative and case.proxy_number == handling.number
    assert case.applicant_mobile == "13800000060"
    # the elderly principal finds the case in their own history; the agent follows it on the progress page
    elder_api = APIClient()
    elder_api.force_authenticate(elder)
    assert [c["case_number"] for c in elder_api.get("/api/v1/acceptance/cases/").json()] == [case.case_number]
    assert case.case_number in client.get(response["Location"]).content.decode()

    # refused, nothing written: another account using the number, the number on another item, a revoked grant
    stranger = UserFactory(username="stranger", kind=UserKind.NATURAL_PERSON, full_name="赵六",
                           id_number=f.id_number(8))
    client.force_login(stranger)
    page = client.get(url, {"proxy": handling.number}).content.decode()
    assert 'data-testid="proxy-error"' in page and "王桂兰" not in page
    client.post(url, {"proxy": handling.number, "applicant_name": "赵六", "applicant_id_number": f.id_number(8)})
    client.force_login(relative)
    other_item = f.matter(orgs["harbin_dept"], "公共场所卫生许可")
    client.post(reverse("acceptance-public:apply", args=[other_item.pk]),
                {"proxy": handling.number, "applicant_name": "王桂兰", "applicant_id_number": ELDER_ID})
    proxy["grant"].status = "revoked"
    proxy["grant"].save(update_fields=["status"])
    refused = client.post(url, {"proxy": handling.number, "applicant_name": "王桂兰",
                                "applicant_id_number": ELDER_ID}).content.decode()
    assert "委托已撤销" in refused
    assert Case.objects.count() == 1
    # anonymous: to the login page
    client.logout()
    assert client.get(url, {"proxy": handling.number}).status_code == 302
