"""The API the 全省事 App uses (MAP-4.1, 4.2): same data as the web map, writes need a signed-in user."""
from __future__ import annotations

import pytest

from apps.acceptance.models import Window

pytestmark = pytest.mark.django_db


@pytest.mark.spec("MAP-4.1", "MAP-4.2")
def test_app_reads_the_same_halls_and_windows_as_the_web_map(client, halls, window_setup):
    hall = window_setup["hall"]
    detail = client.get(f"/api/v1/servicemap/halls/{hall.pk}/").json()
    assert detail["hall"]["name"] == hall.name and detail["matter_count"] == 1 and detail["staff_count"] == 1
    window = client.get(f"/api/v1/servicemap/windows/{window_setup['window'].pk}/").json()
    assert window["matters"][0]["guide_url"] == f"/matters/{window_setup['matter'].pk}/"
    assert window["open_slots"][0]["remaining"] == 20 and window["queue_waiting"] == 0
    Window.objects.filter(pk=window_setup["window"].pk).update(name="改名后的窗口")
    assert client.get(f"/api/v1/servicemap/windows/{window_setup['window'].pk}/").json()["window"]["name"] == \
        "改名后的窗口"
    assert client.get("/api/v1/servicemap/halls/999999/").status_code == 404


@pytest.mark.spec("MAP-4.1", "MAP-6.2")
def test_app_writes_need_login_and_bad_input_gets_field_errors(client, applicant, window_setup):
    url = f"/api/v1/servicemap/windows/{window_setup['window'].pk}/bookings/"
    assert client.post(url, {}, content_type="application/json").status_code in (401, 403)
    assert client.post("/api/v1/servicemap/codes/", {"mobile_number": "13900001111", "purpose": "booking"},
                       content_type="application/json").status_code in (401, 403)
    client.force_login(applicant)
    bad = client.post(url, {"matter": window_setup["matter"].pk}, content_type="application/json")
    assert bad.status_code == 400 and {"booker_name", "mobile_number", "code"} <= set(bad.json()["errors"])
    from apps.acceptance.tests import factories as af

    wrong = client.post(url, {"matter": window_setup["matter"].pk, "booker_name": "张晓明", "id_number": af.id_number(7),
                              "mobile_number": "13900001111", "code": "123456", "slot": window_setup["slot"].pk},
                        content_type="application/json")
    assert wrong.status_code == 400 and "code" in wrong.json()["errors"]


@pytest.mark.spec("MAP-4.1", "MAP-1.7.1", "MAP-1.7.2")
def test_app_books_and_consults_through_the_api(client, applicant, window_setup, send_code, sms_simulator):
    client.force_login(applicant)
    sent = client.post("/api/v1/servicemap/codes/", {"mobile_number": "13900001111", "purpose": "booking"},
                       content_type="application/json")
    assert sent.status_code == 202
    from apps.servicemap.models import VerificationCode

    VerificationCode.objects.all().delete()           # use a code we can read from the gateway instead
    code = send_code("13900001111", "booking", applicant)
    booked = client.post(f"/api/v1/servicemap/windows/{window_setup['window'].pk}/bookings/", {
        "matter": window_setup["matter"].pk, "booker_name": "张晓明", "mobile_number": "13900001111",
        "id_number": "", "code": code, "slot": window_setup["slot"].pk}, content_type="application/json")
    assert booked.status_code == 400 and "id_number" in booked.json()["errors"]   # the engine checks ID numbers
    from apps.acceptance.tests import factories as af

    booked = client.post(f"/api/v1/servicemap/windows/{window_setup['window'].pk}/bookings/", {
        "matter": window_setup["matter"].pk, "booker_name": "张晓明", "mobile_number": "13900001111",
        "id_number": af.id_number(7), "code": code, "slot": window_setup["slot"].pk}, content_type="application/json")
    assert booked.status_code == 201 and booked.json()["target"] == "platform"     # the refused try kept the code
    code = send_code("13900001111", "consultation", applicant)
    asked = client.post(f"/api/v1/servicemap/windows/{window_setup['window'].pk}/consultations/", {
        "matter": window_setup["matter"].pk, "title": "补办", "question": "要带什么？", "mobile_number": "13900001111",
        "code": code}, content_type="application/json")
    assert asked.status_code == 201 and asked.json()["status"] == "pushed"
