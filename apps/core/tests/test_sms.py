"""SMS (PORTAL-10.1 scheduled batch pushes, PORTAL-10.2 hand-off reminders) through the real simulator."""
from datetime import time

import pytest
import requests
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from apps.core.crypto import keyed_digest
from apps.core.models import OutboxMessage, OutboxStatus, SmsMessage, SmsSchedule
from apps.core.services.sms import (
    parse_times, sms_schedule_create, sms_schedule_delete, sms_schedule_update,
)
from apps.core.sms import sms_notify_handoff, sms_send
from apps.core.tasks import sms_schedule_run
from apps.core.tests.factories_flow import staff_with
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

SCHEDULE_PERMS = ("core.view_smsschedule", "core.add_smsschedule", "core.change_smsschedule",
                  "core.delete_smsschedule")


@pytest.fixture
def sms_admin(orgs):
    return staff_with(*SCHEDULE_PERMS, "core.view_smsmessage", organisation=orgs["province"])


@pytest.fixture
def duty_staff(orgs):
    return [StaffFactory(organisation=orgs["harbin"], mobile_number="13900000001", full_name="值班员甲"),
            StaffFactory(organisation=orgs["qiqihar"], mobile_number="13900000002", full_name="值班员乙")]


def test_malformed_mobile_number_is_refused_and_nothing_written():
    for bad in ("1380013800", "23800138000", "1380013800a", ""):
        with pytest.raises(ValidationError, match="手机号码格式不正确"):
            sms_send(mobile_number=bad, content="你好", purpose="test", idempotency_key=f"bad-{bad}")
    assert not SmsMessage.objects.exists() and not OutboxMessage.objects.exists()


def test_number_is_encrypted_at_rest_and_found_by_digest(sms_simulator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms = sms_send(mobile_number="13800138000", content="你好", purpose="test", idempotency_key="enc-1")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile_number FROM core_smsmessage WHERE id = %s", [sms.pk])
        stored = cursor.fetchone()[0]
    assert "13800138000" not in stored and stored.startswith("sm4")
    assert SmsMessage.objects.get(mobile_number_digest=keyed_digest("13800138000")).masked_mobile_number == "138****8000"
    assert OutboxMessage.objects.get().payload == {"sms_message_id": sms.pk}        # no number in the outbox


def test_a_one_time_secret_is_never_readable_in_the_sms_log(sms_simulator, django_capture_on_commit_callbacks):
    from django.db import connection

    text = "【黑龙江政务服务】您的登录验证码为{secret}，5分钟内有效。"
    with pytest.raises(ValidationError):                      # a secret needs its place in the text
        sms_send(mobile_number="13800138000", content="验证码已发送", secret="482913", purpose="test",
                 idempotency_key="secret-bad")
    assert not SmsMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        sms = sms_send(mobile_number="13800138000", content=text, secret="482913", purpose="test",
                       idempotency_key="secret-1")

    def stored():
        with connection.cursor() as cursor:
            cursor.execute("SELECT content, secret FROM core_smsmessage WHERE id = %s", [sms.pk])
            return cursor.fetchone()

    content, secret = stored()                                 # waiting for the gateway: encrypted apart
    assert "482913" not in content and "482913" not in secret and secret.startswith("sm4")
    for callback in pending:
        callback()
    assert sms_simulator.messages[-1]["content"] == "【黑龙江政务服务】您的登录验证码为482913，5分钟内有效。"
    assert stored() == (text, "")                              # delivered: the secret is gone


def test_same_key_sends_one_sms(sms_simulator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sms_send(mobile_number="13800138000", content="你好", purpose="test", idempotency_key="dup")
        second = sms_send(mobile_number="13800138000", content="你好", purpose="test", idempotency_key="dup")
    assert first.pk == second.pk and SmsMessage.objects.count() == 1 and len(sms_simulator.messages) == 1


@pytest.mark.spec("PORTAL-10.2")
def test_handoff_reminder_reaches_the_staff_members_phone(sms_simulator, duty_staff,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms = sms_notify_handoff(recipient=duty_staff[0], subject="投诉件 TS2026000123",
                                 url="/portal/supervision/complaints/123/", idempotency_key="complaint:123:transfer")
    assert SmsMessage.objects.get(pk=sms.pk).status == OutboxStatus.DELIVERED
    [received] = sms_simulator.messages
    assert received["mobile"] == "13900000001"
    assert received["content"].startswith("您有一件新的待办：投诉件 TS2026000123，请及时登录工作门户受理")
    nobody = StaffFactory()
    assert sms_notify_handoff(recipient=nobody, subject="x", url="/", idempotency_key="none") is None


@pytest.mark.spec("PORTAL-10.1")
def test_schedule_with_two_times_creates_two_beat_entries_and_a_run_sends_one_sms_each(
        sms_simulator, sms_admin, duty_staff, django_capture_on_commit_callbacks):
    schedule = sms_schedule_create(name="投诉日报", times=[time(8, 30), time(17, 0)],
                                   digest_kind="platform_daily_summary", recipients=duty_staff, by=sms_admin)
    tasks = PeriodicTask.objects.filter(task="core.sms_schedule_run").select_related("crontab")
    assert sorted((t.crontab.hour, t.crontab.minute) for t in tasks) == [("17", "0"), ("8", "30")]
    assert all(t.enabled and t.queue == "sms" and str(t.crontab.timezone) == "Asia/Shanghai" for t in tasks)

    with django_capture_on_commit_callbacks(execute=True):
        assert sms_schedule_run(schedule.pk, "08:30") == 2
    with django_capture_on_commit_callbacks(execute=True):
        sms_schedule_run(schedule.pk, "08:30")                     # beat fired twice: no double send
    assert sorted(m["mobile"] for m in sms_simulator.messages) == ["13900000001", "13900000002"]
    assert "待投递外发消息" in sms_simulator.messages[0]["content"]
    with django_capture_on_commit_callbacks(execute=True):
        sms_schedule_run(schedule.pk, "17:00")                     # the other time of day sends again
    assert len(sms_simulator.messages) == 4


@pytest.mark.spec("PORTAL-10.1")
def test_editing_and_disabling_a_schedule_updates_its_beat_entries(sms_admin, duty_staff):
    schedule = sms_schedule_create(name="日报", times=[time(8, 0), time(12, 0)],
                                   digest_kind="platform_daily_summary", recipients=duty_staff, by=sms_admin)
    sms_schedule_update(schedule=schedule, name="日报", times=[time(12, 0), time(18, 0)], enabled=False,
                        digest_kind="platform_daily_summary", recipients=duty_staff[:1], by=sms_admin)
    tasks = PeriodicTask.objects.filter(task="core.sms_schedule_run")
    assert sorted(t.name for t in tasks) == [f"sms-schedule-{schedule.pk}-1200", f"sms-schedule-{schedule.pk}-1800"]
    assert not any(t.enabled for t in tasks)
    assert sms_schedule_run(schedule.pk, "12:00") == 0            # disabled: nothing sent
    sms_schedule_delete(schedule=schedule, by=sms_admin)
    assert not PeriodicTask.objects.filter(task="core.sms_schedule_run").exists()
    assert CrontabSchedule.objects.exists()                        # shared crontabs may stay


def test_bad_schedule_input_is_refused_and_nothing_written(sms_admin, duty_staff, citizen, staff):
    for text in ("8:30, 08:30", "25:00", "早上", ""):
        with pytest.raises(ValidationError):
            parse_times(text)
    with pytest.raises(ValidationError) as excinfo:
        sms_schedule_create(name="", times=[time(8)], digest_kind="nope", recipients=[citizen], by=sms_admin)
    assert set(excinfo.value.message_dict) == {"name", "digest_kind", "recipients"}
    with pytest.raises(PermissionDenied):
        sms_schedule_create(name="x", times=[time(8)], digest_kind="platform_daily_summary",
                            recipients=duty_staff, by=staff["harbin"])
    assert not SmsSchedule.objects.exists() and not PeriodicTask.objects.filter(task="core.sms_schedule_run").exists()


def test_schedule_pages_create_and_refuse_duplicate_times(client, sms_admin, duty_staff):
    client.force_login(sms_admin)
    url = reverse("core:sms-schedule-create")
    data = {"name": "投诉日报", "times": "08:30, 8:30", "digest_kind": "platform_daily_summary",
            "recipients": [u.pk for u in duty_staff], "enabled": "on"}
    bad = client.post(url, data)
    assert bad.status_code == 200 and "推送时间重复" in bad.content.decode()
    assert not SmsSchedule.objects.exists()
    ok = client.post(url, {**data, "times": "08:30，17:00"})
    assert ok.status_code == 302
    schedule = SmsSchedule.objects.get()
    assert schedule.times_display == "08:30、17:00" and schedule.organisation == sms_admin.organisation
    page = client.get(reverse("core:sms-schedule-list")).content.decode()
    assert "投诉日报" in page and "08:30、17:00" in page


def test_schedules_are_scoped_to_the_organisation(client, sms_admin, duty_staff, orgs):
    schedule = sms_schedule_create(name="省级日报", times=[time(9)], digest_kind="platform_daily_summary",
                                   recipients=duty_staff, by=sms_admin)
    city_admin = staff_with(*SCHEDULE_PERMS, organisation=orgs["qiqihar"])
    client.force_login(city_admin)
    assert client.get(reverse("core:sms-schedule-edit", args=[schedule.pk])).status_code == 404
    assert client.get(reverse("core:sms-schedule-list")).context["object_list"].count() == 0
    assert client.get("/api/v1/core/sms/schedules/").json()["count"] == 0


def test_sms_log_shows_masked_numbers_only_and_is_scoped(client, sms_simulator, sms_admin, duty_staff, orgs,
                                                         django_capture_on_commit_callbacks,
                                                         django_assert_max_num_queries):
    with django_capture_on_commit_callbacks(execute=True):
        for n, person in enumerate(duty_staff * 3):
            sms_send(mobile_number=person.mobile_number, content=f"第{n}条", purpose="test",
                     idempotency_key=f"log-{n}", recipient=person)
    client.force_login(sms_admin)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("core:sms-list"))
    html = page.content.decode()
    assert "139****0001" in html and "13900000001" not in html and page.context["object_list"].count() == 6
    api = client.get("/api/v1/core/sms/messages/").json()
    assert {m["mobile_number"] for m in api["results"]} == {"139****0001", "139****0002"}
    harbin_viewer = staff_with("core.view_smsmessage", organisation=orgs["harbin"])
    client.force_login(harbin_viewer)
    assert client.get(reverse("core:sms-list")).context["object_list"].count() == 3     # Harbin's recipient only
    assert client.get(reverse("core:sms-list"), {"mobile_number": "13900000002"}).context["object_list"].count() == 0


def test_simulator_control_endpoint_and_inspection(sms_simulator):
    assert requests.get(f"{sms_simulator.url}/health", timeout=5).json() == {"ok": True}
    requests.post(f"{sms_simulator.url}/control", json={"fail_next": 1, "status": 503}, timeout=5)
    headers = {"Idempotency-Key": "k"}
    body = {"mobile": "13800138000", "content": "x"}
    assert requests.post(f"{sms_simulator.url}/messages", json=body, headers=headers, timeout=5).status_code == 503
    assert requests.post(f"{sms_simulator.url}/messages", json=body, headers=headers, timeout=5).status_code == 200
    assert requests.post(f"{sms_simulator.url}/messages", json=body, timeout=5).status_code == 400   # no key
    listing = requests.get(f"{sms_simulator.url}/messages", timeout=5).json()
    assert listing["requests"] == 3 and len(listing["messages"]) == 1
