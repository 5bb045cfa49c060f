"""Registration and login through the unified identity system as a citizen meets them on the acceptance
front end (ACC-1.1) and the user-centre integration (ACC-19.1): an unregistered citizen is sent to the
unified login, registers after the provincial identity check (real HTTP simulators of the registries),
books on PC and from the APP with the same account, finds the pages filled from the user centre, applies
online and reads back their case history through the API."""
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.acceptance.models import Appointment, Case
from apps.acceptance.tests import factories as f
from apps.identity.models import User
from apps.identity.tests.conftest import PERSON_ID, PERSON_NAME, identity_peers  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
STEP1 = {"id_type": "resident_id", "name": PERSON_NAME, "id_number": PERSON_ID, "valid_from": "2015-01-01",
         "valid_to": "2035-01-01"}
ACCOUNT = {"username": "zhangsan_acc", "mobile_number": "13800001111", "password": "Hlj#Reg2026x",
           "password_confirm": "Hlj#Reg2026x", "home_region": "230102000000", "action": "register"}


def _weekday():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.mark.spec("ACC-1.1", "ACC-19.1")
def test_citizen_registers_through_unified_identity_then_books_on_pc_and_app_and_queries_cases(
        client, identity_peers, regions, orgs, hall):  # noqa: F811
    food = f.bookable(hall)
    morning, afternoon = f.slot(food, _weekday()), f.slot(food, _weekday(), start=time(14), end=time(15))
    book_url = reverse("acceptance-public:book", args=[morning.pk])
    # not logged in: the booking page sends the citizen to the unified login
    response = client.get(book_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("public:login"))
    assert "next=" in response["Location"]
    # registration must pass the provincial identity check first: refused, nothing written
    assert "核验未通过" in client.post("/sso/register/person/", STEP1).content.decode()
    assert not User.objects.filter(username="zhangsan_acc").exists()
    identity_peers.person()
    assert client.post("/sso/register/person/", STEP1)["Location"] == "/sso/register/person/account/"
    assert client.post("/sso/register/person/account/", ACCOUNT)["Location"] == "/sso/account/"
    user = User.objects.get(username="zhangsan_acc")

    # PC: the booking form is filled from the user centre; the booking is the account's
    page = client.get(book_url).content.decode()
    assert PERSON_NAME in page and PERSON_ID in page and "13800001111" in page
    response = client.post(book_url, {"booker_name": PERSON_NAME, "mobile_number": "13800001111",
                                      "id_number": PERSON_ID})
    assert response.status_code == 302
    pc = Appointment.objects.get(user=user)
    assert pc.channel == "pc"

    # APP: the same account logs in with its password and books through the API
    app = APIClient()
    assert app.post("/api/v1/identity/mobile/login/", {"username": "zhangsan_acc", "password": "wrong"},
                    format="json").status_code == 400
    token = app.post("/api/v1/identity/mobile/login/", {"username": "zhangsan_acc", "password": "Hlj#Reg2026x"},
                     format="json").json()["token"]
    assert APIClient().post("/api/v1/acceptance/appointments/", {"slot": afternoon.pk},
                            format="json").status_code in (401, 403)
    app.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    booked = app.post("/api/v1/acceptance/appointments/", {"slot": afternoon.pk, "booker_name": PERSON_NAME,
                                                           "mobile_number": "13800001111", "id_number": PERSON_ID,
                                                           "channel": "app"}, format="json")
    assert booked.status_code == 201, booked.content
    listing = app.get("/api/v1/acceptance/appointments/").json()
    mine = {a["appointment_number"] for a in (listing["results"] if isinstance(listing, dict) else listing)}
    assert mine == set(Appointment.objects.filter(user=user).values_list("appointment_number", flat=True))
    assert set(Appointment.objects.filter(user=user).values_list("channel", flat=True)) == {"pc", "app"}

    # online application: the applicant block comes from the user centre; the case history is queryable
    item = f.matter(orgs["harbin_dept"])
    apply_url = reverse("acceptance-public:apply", args=[item.pk])
    page = client.get(apply_url).content.decode()
    assert f'value="{PERSON_NAME}"' in page and f'value="{PERSON_ID}"' in page
    assert client.post(apply_url, {"applicant_name": PERSON_NAME, "applicant_id_number": "123",
                                   "applicant_mobile": "13800001111"}).status_code == 200
    assert not Case.objects.exists()                                         # bad ID number: nothing written
    assert client.post(apply_url, {"applicant_name": PERSON_NAME, "applicant_id_number": PERSON_ID,
                                   "applicant_mobile": "13800001111"}).status_code == 302
    history = app.get("/api/v1/acceptance/cases/").json()
    assert [c["case_number"] for c in history] == [Case.objects.get(applicant=user).case_number]
    other = APIClient()
    other.force_authenticate(f.clerk(orgs["qiqihar"], "qq_clerk"))
    assert other.get("/api/v1/acceptance/cases/").json() == []               # only one's own history
