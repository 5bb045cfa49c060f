"""Window services (MAP-1.7.x) and their routing (MAP-6.2 – 6.6), through the page and the services,
with the halls' own systems and the SMS gateway as simulators over real HTTP."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.acceptance.models import Appointment, Consultation
from apps.acceptance.tests import factories as af
from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import OutboxMessage
from apps.servicemap import services
from apps.servicemap.adapters.hall_systems import HallSystemSimulator
from apps.servicemap.models import HallConnection, PushStatus, RequestTarget, WindowBooking, WindowConsultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall_booking_system(window_setup):
    simulator = HallSystemSimulator("/bookings")
    with SimulatorServer(simulator) as server:
        HallConnection.objects.update_or_create(hall=window_setup["hall"], defaults={
            "booking_system_url": f"{server.url}/bookings", "booking_system_name": "市民大厦预约系统"})
        yield simulator


@pytest.fixture
def hall_consultation_system(window_setup):
    simulator = HallSystemSimulator("/consultations")
    with SimulatorServer(simulator) as server:
        HallConnection.objects.update_or_create(hall=window_setup["hall"], defaults={
            "consultation_system_url": f"{server.url}/consultations"})
        yield simulator


def booking_input(setup, code, **extra):
    data = {"window": setup["window"], "matter": setup["matter"], "booker_name": "张晓明",
            "mobile_number": "13900001111", "id_number": af.id_number(7), "code": code, **extra}
    return services.BookingInput(**data)


@pytest.mark.spec("MAP-1.7.1", "MAP-6.4", "MAP-6.4.2", "MAP-6.6")
def test_booking_at_a_hall_without_its_own_system_is_an_appointment_of_the_platform(
        applicant, window_setup, send_code, sms_simulator):
    code = send_code("13900001111", "booking", applicant)
    assert "验证码" in sms_simulator.messages[-1]["content"]          # the gateway (simulator) received it
    booking = services.booking_submit(actor=applicant, data=booking_input(window_setup, code,
                                                                          slot=window_setup["slot"]))
    assert booking.target == RequestTarget.PLATFORM and booking.status == PushStatus.PUSHED
    appointment = Appointment.objects.get(pk=booking.appointment_id)
    assert appointment.user == applicant and appointment.slot == window_setup["slot"]
    assert booking.handling_location == "1F A区1号窗口" and booking.date == window_setup["slot"].date
    window_setup["slot"].refresh_from_db()
    assert window_setup["slot"].booked_count == 1


@pytest.mark.spec("MAP-1.7.1", "MAP-6.4", "MAP-6.4.1")
def test_booking_at_a_hall_with_its_own_system_is_pushed_there(
        applicant, window_setup, send_code, hall_booking_system, django_capture_on_commit_callbacks):
    code = send_code("13900001111", "booking", applicant)
    day = timezone.localdate() + timedelta(days=2)
    from datetime import time

    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_submit(actor=applicant, data=booking_input(
            window_setup, code, date=day, period_start=time(9), period_end=time(10)))
    booking.refresh_from_db()
    assert booking.target == RequestTarget.HALL_SYSTEM and booking.status == PushStatus.PUSHED
    record = hall_booking_system.records[booking.external_reference]
    assert record["date"] == day.isoformat() and record["period_start"] == "09:00"
    assert record["handling_location"] == "1F A区1号窗口" and record["item_name"] == "居民身份证申领"
    assert "13900001111" not in str(record)                      # the mobile leaves masked
    assert not Appointment.objects.exists()


@pytest.mark.spec("MAP-6.4.1")
def test_a_hall_system_outage_is_retried_not_lost(applicant, window_setup, send_code, hall_booking_system,
                                                   django_capture_on_commit_callbacks, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 0
    hall_booking_system.inject_failures(1, 503)
    code = send_code("13900001111", "booking", applicant)
    from datetime import time

    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_submit(actor=applicant, data=booking_input(
            window_setup, code, date=timezone.localdate() + timedelta(days=1), period_start=time(9),
            period_end=time(10)))
    booking.refresh_from_db()
    message = OutboxMessage.objects.get(idempotency_key=f"servicemap:booking:{booking.number}")
    assert hall_booking_system.requests >= 1
    if booking.status != PushStatus.PUSHED:             # the retry not yet run: run it as the sweep would
        from apps.core.outbox import deliver

        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        deliver(message.pk)
        booking.refresh_from_db()
    assert booking.status == PushStatus.PUSHED and len(hall_booking_system.records) == 1


@pytest.mark.spec("MAP-1.7.1", "MAP-6.6")
def test_bad_booking_input_writes_nothing_and_keeps_the_code(applicant, window_setup, send_code):
    code = send_code("13900001111", "booking", applicant)
    with pytest.raises(ValidationError) as no_slot:
        services.booking_submit(actor=applicant, data=booking_input(window_setup, code))
    assert "slot" in no_slot.value.message_dict
    other = af.matter(window_setup["hall"].organisation, "未入驻事项")
    with pytest.raises(ValidationError) as wrong_matter:
        services.booking_submit(actor=applicant, data=booking_input(window_setup, code, matter=other,
                                                                    slot=window_setup["slot"]))
    assert "matter" in wrong_matter.value.message_dict
    with pytest.raises(ValidationError) as wrong_code:
        services.booking_submit(actor=applicant, data=booking_input(window_setup, "000000" if code != "000000"
                                                                    else "111111", slot=window_setup["slot"]))
    assert wrong_code.value.message_dict["code"] == ["短信验证码错误。"]
    assert not WindowBooking.objects.exists() and not Appointment.objects.exists()
    # the right code still works once, and only once
    services.booking_submit(actor=applicant, data=booking_input(window_setup, code, slot=window_setup["slot"]))
    with pytest.raises(ValidationError):
        services.booking_submit(actor=applicant, data=booking_input(window_setup, code, slot=window_setup["slot"]))


@pytest.mark.spec("MAP-6.2", "MAP-1.7")
def test_window_services_need_sso_login_once_and_prefill_name_and_phone(client, applicant, window_setup):
    window = window_setup["window"]
    anonymous = client.get(f"/map/windows/{window.pk}/").content.decode()
    assert "需要先通过统一身份认证登录" in anonymous and "提交预约" not in anonymous
    post = client.post(f"/map/windows/{window.pk}/book/", {"matter": window_setup["matter"].pk})
    assert post.status_code == 302 and "login" in post["Location"]
    with pytest.raises(PermissionDenied):
        services.consultation_submit(actor=None, window=window, matter=window_setup["matter"], title="t",
                                     question="q", consultant_name="", mobile_number="13900001111", code="1")
    client.force_login(applicant)
    page = client.get(f"/map/windows/{window.pk}/")
    assert page.context["booking_form"].initial["booker_name"] == "张晓明"
    assert page.context["consultation_form"].initial["mobile_number"] == "13900001111"
    html = page.content.decode()
    assert "提交预约" in html and "提交咨询" in html and "提交评价" in html


@pytest.mark.spec("MAP-1.7.1", "MAP-6.6")
def test_booking_through_the_window_page(client, applicant, window_setup, send_code):
    client.force_login(applicant)
    window, slot = window_setup["window"], window_setup["slot"]
    code = send_code("13900001111", "booking", applicant)
    bad = client.post(f"/map/windows/{window.pk}/book/", {"matter": window_setup["matter"].pk, "slot": slot.pk,
                                                          "booker_name": "", "mobile_number": "123", "code": code})
    assert bad.status_code == 400
    assert "booker_name" in bad.context["booking_form"].errors
    assert not WindowBooking.objects.exists()
    ok = client.post(f"/map/windows/{window.pk}/book/", {
        "matter": window_setup["matter"].pk, "slot": slot.pk, "booker_name": "张晓明", "mobile_number": "13900001111",
        "id_number": af.id_number(7), "code": code}, follow=True)
    assert "预约已提交" in ok.content.decode()
    assert WindowBooking.objects.get().appointment.booker_name == "张晓明"


@pytest.mark.spec("MAP-1.7.2", "MAP-6.5", "MAP-6.5.2", "MAP-6.6")
def test_consultation_without_a_hall_system_goes_to_the_platform_registry(
        client, applicant, window_setup, send_code):
    client.force_login(applicant)
    window = window_setup["window"]
    code = send_code("13900001111", "consultation", applicant)
    response = client.post(f"/map/windows/{window.pk}/consult/", {
        "matter": window_setup["matter"].pk, "title": "身份证补办", "question": "丢失后补办需要带什么材料？",
        "mobile_number": "13900001111", "code": code}, follow=True)
    assert "咨询已提交" in response.content.decode()
    row = WindowConsultation.objects.get()
    assert row.target == RequestTarget.PLATFORM and row.status == PushStatus.PUSHED
    registered = Consultation.objects.get(pk=row.consultation_id)
    assert registered.business == "身份证补办" and registered.item == window_setup["matter"]
    assert registered.status == "pending" and registered.channel == "online"
    # MAP-1.6: the window page counts it
    assert client.get(f"/map/windows/{window.pk}/").context["consultation_count"] == 1


@pytest.mark.spec("MAP-1.7.2", "MAP-6.5", "MAP-6.5.1")
def test_consultation_at_a_hall_with_its_own_system_delivers_title_item_and_question(
        applicant, window_setup, send_code, hall_consultation_system, django_capture_on_commit_callbacks):
    code = send_code("13900001111", "consultation", applicant)
    with django_capture_on_commit_callbacks(execute=True):
        row = services.consultation_submit(actor=applicant, window=window_setup["window"],
                                           matter=window_setup["matter"], title="身份证补办",
                                           question="需要什么材料？", consultant_name="", mobile_number="13900001111",
                                           code=code)
    row.refresh_from_db()
    assert row.status == PushStatus.PUSHED and row.target == RequestTarget.HALL_SYSTEM
    record = hall_consultation_system.records[row.external_reference]
    assert (record["title"], record["item_name"], record["question"]) == ("身份证补办", "居民身份证申领", "需要什么材料？")
    assert record["consultant_name"] == "张晓明" and not Consultation.objects.exists()


@pytest.mark.spec("MAP-1.7.2")
def test_consultation_refusals_write_nothing(applicant, window_setup, send_code):
    code = send_code("13900001111", "consultation", applicant)
    with pytest.raises(ValidationError) as empty:
        services.consultation_submit(actor=applicant, window=window_setup["window"], matter=window_setup["matter"],
                                     title="", question=" ", consultant_name="", mobile_number="1390000",
                                     code=code)
    assert {"title", "question", "mobile_number"} <= set(empty.value.message_dict)
    window_setup["window"].supports_consultation = False
    window_setup["window"].save()
    with pytest.raises(ValidationError):
        services.consultation_submit(actor=applicant, window=window_setup["window"], matter=window_setup["matter"],
                                     title="t", question="q", consultant_name="", mobile_number="13900001111",
                                     code=code)
    assert not WindowConsultation.objects.exists() and not Consultation.objects.exists()


@pytest.fixture
def concluded(window_setup, applicant, orgs):
    clerk = af.clerk(orgs["harbin_dept"], "map_clerk")
    case = af.concluded_case(window_setup["matter"], clerk, n=7)
    case.applicant = applicant
    case.save(update_fields=["applicant"])
    return case


@pytest.mark.spec("MAP-1.7.3", "MAP-6.3", "MAP-6.6")
def test_evaluating_a_window_needs_sso_the_application_number_and_a_code_and_lands_in_reviews(
        client, applicant, window_setup, send_code, concluded):
    from apps.reviews.models import Evaluation

    client.force_login(applicant)
    window = window_setup["window"]
    code = send_code("13900001111", "evaluation", applicant)
    wrong = client.post(f"/map/windows/{window.pk}/evaluate/", {
        "application_number": "NOPE-1", "target": "window", "level": 1, "code": code})
    assert wrong.status_code == 400 and "未找到您名下的该事项申请编号" in wrong.content.decode()
    ok = client.post(f"/map/windows/{window.pk}/evaluate/", {
        "application_number": concluded.case_number, "target": "window", "level": 2, "comment": "办事很快",
        "code": code}, follow=True)
    assert "评价已提交" in ok.content.decode()
    evaluation = Evaluation.objects.get()
    assert evaluation.window == window and evaluation.case == concluded and evaluation.evaluator == applicant
    assert evaluation.object_kind == "window" and evaluation.level == 2
    # the window page then shows the evaluation it reads back from 好差评
    page = client.get(f"/map/windows/{window.pk}/")
    assert page.context["evaluation"]["total"] == 1 and page.context["evaluation"]["rate"] == 100.0


@pytest.mark.spec("MAP-1.7.3", "MAP-6.3")
def test_staff_evaluation_and_the_one_per_case_rule_of_reviews(applicant, window_setup, send_code, concluded):
    from apps.reviews.models import Evaluation

    code = send_code("13900001111", "evaluation", applicant)
    services.evaluation_submit(actor=applicant, window=window_setup["window"],
                               application_number=concluded.case_number, level=1, code=code,
                               staff=window_setup["staff"])
    assert Evaluation.objects.get().staff == window_setup["staff"]
    from django.core.cache import cache

    cache.clear()
    from apps.servicemap.models import VerificationCode

    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    again = send_code("13900001111", "evaluation", applicant)
    with pytest.raises(ValidationError):
        services.evaluation_submit(actor=applicant, window=window_setup["window"],
                                   application_number=concluded.case_number, level=5, code=again,
                                   tags=["态度差"])
    assert Evaluation.objects.count() == 1


@pytest.mark.spec("MAP-6.6")
def test_codes_are_refused_for_bad_numbers_and_too_soon(applicant, window_setup, send_code, sms_simulator):
    with pytest.raises(ValidationError) as bad:
        services.code_send(mobile_number="12345", purpose="booking")
    assert "mobile_number" in bad.value.message_dict
    send_code("13900001111", "booking", applicant)
    with pytest.raises(ValidationError) as soon:
        services.code_send(mobile_number="13900001111", purpose="booking")
    assert "秒后再试" in soon.value.message_dict["mobile_number"][0]
    assert len(sms_simulator.messages) == 1
