"""PORTAL-7.10 front-end processor database status: a real connection check (psycopg2, SELECT 1) of each
processor, normal / failed with the error, an alert on the page and one SMS to its maintainers per incident."""
import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.audit import AuditLog
from apps.core.models import FrontEndProcessor, MonitoringIncident, ProcessorStatus, SmsMessage
from apps.core.services.datasources import data_source_code_create
from apps.core.services.monitoring import (frontend_processor_create, frontend_processor_update,
                                           interface_maintainer_create)
from apps.core.services.monitoring_checks import processor_check
from apps.core.tasks import monitoring_processors_check
from apps.core.tests.factories import grant

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def manager(staff):
    return grant(staff["province"], "core.view_monitoring", "core.manage_monitoring")


@pytest.fixture
def data_source(regions):
    return data_source_code_create(code="HLJ-2301", name="哈尔滨市", region=regions["230100000000"])


def this_database(**overrides) -> dict:
    """Connection settings of the test database itself: a reachable front-end processor."""
    connection.ensure_connection()
    info = connection.connection.info           # where the test connection really went (socket dir or host)
    data = {"name": "哈尔滨市前置机", "data_source_code": "HLJ-2301", "host": info.host, "port": info.port,
            "database": info.dbname, "username": info.user,
            "password": connection.settings_dict["PASSWORD"] or "unused", "connect_timeout_seconds": 2,
            "is_enabled": True}
    data.update(overrides)
    return data


def alerts() -> list[SmsMessage]:
    return list(SmsMessage.objects.filter(purpose="monitoring_alert").order_by("pk"))


@pytest.mark.spec("PORTAL-7.10")
def test_reachable_and_unreachable_processors_are_checked_for_real(manager, data_source, client,
                                                                  django_capture_on_commit_callbacks):
    good = frontend_processor_create(data=this_database(), actor=manager)
    bad = frontend_processor_create(data=this_database(name="齐齐哈尔市前置机", host="127.0.0.1", port=closed_port()),
                                    actor=manager)
    keeper = interface_maintainer_create(data={"name": "赵运维", "mobile_number": "13512345678"}, processors=[bad],
                                     actor=manager)
    with django_capture_on_commit_callbacks(execute=False):
        assert monitoring_processors_check() == {"normal": 1, "failed": 1}      # the beat task, run as a function
        monitoring_processors_check()                                         # next run: same incident
    good.refresh_from_db(), bad.refresh_from_db()
    assert good.status == ProcessorStatus.NORMAL and good.last_success_at and not good.last_error
    assert bad.status == ProcessorStatus.FAILED and bad.last_success_at is None
    assert "refused" in bad.last_error.lower() or "connect" in bad.last_error.lower()
    sent = alerts()
    assert [s.mobile_number for s in sent] == [keeper.mobile_number]
    assert "齐齐哈尔市前置机" in sent[0].content and "数据库连接失败" in sent[0].content

    client.force_login(manager)
    page = client.get(reverse("core:monitoring-processors")).content.decode()
    assert 'data-testid="monitoring-alerts"' in page and "前置机 齐齐哈尔市前置机" in page
    assert "连接失败" in page and "连接正常" in page

    # repaired: the next check closes the incident; a new failure afterwards is a new incident and a new SMS
    real_port = this_database()["port"]
    frontend_processor_update(processor=bad, data=this_database(name="齐齐哈尔市前置机", port=real_port), actor=manager)
    with django_capture_on_commit_callbacks(execute=False):
        processor_check(FrontEndProcessor.objects.get(pk=bad.pk))
    assert FrontEndProcessor.objects.get(pk=bad.pk).status == ProcessorStatus.NORMAL
    assert not MonitoringIncident.objects.filter(closed_at__isnull=True).exists()
    assert 'data-testid="monitoring-alerts"' not in client.get(reverse("core:monitoring-processors")).content.decode()
    frontend_processor_update(processor=bad, data=this_database(name="齐齐哈尔市前置机", host="127.0.0.1",
                                                                port=closed_port()), actor=manager)
    with django_capture_on_commit_callbacks(execute=False):
        processor_check(FrontEndProcessor.objects.get(pk=bad.pk))
    assert len(alerts()) == 2


@pytest.mark.spec("PORTAL-7.10")
def test_check_now_button_and_wrong_password_is_a_failure(manager, data_source, client):
    processor = frontend_processor_create(data=this_database(password="wrong-password", username="nobody_here"),
                                          actor=manager)
    client.force_login(manager)
    response = client.post(reverse("core:monitoring-processor-check", args=[processor.pk]), follow=True)
    page = response.content.decode()
    assert "数据库连接失败" in page
    assert FrontEndProcessor.objects.get(pk=processor.pk).status == ProcessorStatus.FAILED


@pytest.mark.spec("PORTAL-7.10")
@pytest.mark.parametrize("overrides, field, message", [
    ({"data_source_code": "NO-SUCH"}, "data_source_code", "未知的数据来源代码：NO-SUCH"),
    ({"name": ""}, "name", "请填写前置机名称"),
    ({"port": "70000"}, "port", "端口须为 1–65535 的整数"),
    ({"password": ""}, "password", "请填写密码"),
])
def test_bad_processor_input_is_refused_and_nothing_written(manager, data_source, client, overrides, field, message):
    client.force_login(manager)
    response = client.post(reverse("core:monitoring-processor-create"), {**this_database(is_enabled="on"),
                                                                         **overrides})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not FrontEndProcessor.objects.exists()
    assert not AuditLog.objects.filter(action="create", content_type__model="frontendprocessor").exists()


@pytest.mark.spec("PORTAL-7.10")
def test_password_is_encrypted_never_shown_and_kept_when_left_blank(manager, data_source, client):
    client.force_login(manager)
    response = client.post(reverse("core:monitoring-processor-create"),
                           {**this_database(password="S3cret-pw!", is_enabled="on")})
    assert response.status_code == 302
    processor = FrontEndProcessor.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM core_frontendprocessor WHERE id = %s", [processor.pk])
        assert "S3cret-pw!" not in cursor.fetchone()[0]
    edit = client.get(reverse("core:monitoring-processor-edit", args=[processor.pk])).content.decode()
    assert "S3cret-pw!" not in edit
    client.post(reverse("core:monitoring-processor-edit", args=[processor.pk]),
                {**this_database(password="", remarks="改备注", is_enabled="on")})
    processor.refresh_from_db()
    assert processor.password == "S3cret-pw!" and processor.remarks == "改备注"
    created = AuditLog.objects.get(action="create", content_type__model="frontendprocessor")
    assert "S3cret-pw!" not in str(created.changes)


@pytest.mark.spec("PORTAL-7.10")
def test_permissions_and_query_count(manager, data_source, staff, client):
    viewer = grant(staff["harbin"], "core.view_monitoring")
    client.force_login(viewer)
    url = reverse("core:monitoring-processors")
    assert client.get(url).status_code == 200
    assert client.post(reverse("core:monitoring-processor-create"), this_database()).status_code == 403
    assert not FrontEndProcessor.objects.exists()
    client.force_login(staff["qiqihar"])
    assert client.get(url).status_code == 403

    client.force_login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    frontend_processor_create(data=this_database(name="p0"), actor=manager)
    queries()
    few = queries()
    for n in range(1, 12):
        frontend_processor_create(data=this_database(name=f"p{n}"), actor=manager)
    assert queries() == few


@pytest.mark.spec("PORTAL-7.10")
def test_beat_entries_come_from_the_data_migration(db):
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    import_module("apps.core.migrations.0007_monitoring_beat").create(apps, None)   # idempotent
    entries = dict(PeriodicTask.objects.filter(task__startswith="core.monitoring_").values_list("task", "queue"))
    assert entries == {"core.monitoring_interfaces_check": "monitoring",
                       "core.monitoring_processors_check": "monitoring",
                       "core.monitoring_scheduled_tasks_check": "monitoring"}
