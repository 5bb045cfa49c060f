"""PORTAL-7.11 report auto-statistics job monitoring: each beat-scheduled task's last run and result, failures
and overdue runs flagged with an alert on the page; the latest kernel job of each kind."""
import time
from datetime import timedelta

import pytest
from celery import shared_task
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.core.models import JobRun, JobStatus, MonitoringIncident, ScheduledTaskRun
from apps.core.tasks import monitoring_scheduled_tasks_check
from apps.core.tests.factories import grant

from .workers import queued_tasks, running_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
NAME = "统计: 按日统计办件数"
STATE = {"fail": False}


@shared_task(name="tests.monitoring.daily_case_statistics", ignore_result=True)
def daily_case_statistics():
    """Stands in for a statistics roll-up: fails while STATE says its source table is broken."""
    if STATE["fail"]:
        raise RuntimeError("统计源表不存在")
    return 42


@pytest.fixture
def manager(staff):
    return grant(staff["province"], "core.view_monitoring")


@pytest.fixture
def entry(db):
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    return PeriodicTask.objects.create(name=NAME, task=daily_case_statistics.name, interval=every_minute)


def run_as_beat(entry: PeriodicTask, *, fail: bool) -> None:
    """What beat does: mark the entry run and send the task with django-celery-beat's header."""
    STATE["fail"] = fail
    PeriodicTask.objects.filter(pk=entry.pk).update(last_run_at=timezone.now())
    daily_case_statistics.apply(headers={"periodic_task_name": entry.name})


def row(page: str, name: str) -> str:
    start = page.index(f'data-task="{name}"')
    return page[start:page.index("</tr>", start)]


@pytest.mark.spec("PORTAL-7.11")
def test_a_failed_statistics_run_raises_a_visible_alert_until_it_succeeds_again(entry, manager, client):
    run_as_beat(entry, fail=True)
    record = ScheduledTaskRun.objects.get(periodic_task_name=NAME)
    assert (record.last_status, record.run_count, record.failure_count) == ("failure", 1, 1)
    assert "统计源表不存在" in record.last_error
    assert monitoring_scheduled_tasks_check() >= 1
    monitoring_scheduled_tasks_check()
    assert MonitoringIncident.objects.filter(target_key=f"task:{NAME}", closed_at__isnull=True).count() == 1

    client.force_login(manager)
    page = client.get(reverse("core:monitoring-tasks"), {"q": "统计"}).content.decode()
    assert 'data-testid="monitoring-alerts"' in page and f"定时任务 {NAME}" in page
    assert "失败" in row(page, NAME) and "统计源表不存在" in row(page, NAME)

    run_as_beat(entry, fail=False)
    record.refresh_from_db()
    assert (record.last_status, record.run_count, record.failure_count) == ("success", 2, 1)
    monitoring_scheduled_tasks_check()
    assert not MonitoringIncident.objects.filter(target_key=f"task:{NAME}", closed_at__isnull=True).exists()
    page = client.get(reverse("core:monitoring-tasks"), {"q": "统计"}).content.decode()
    assert 'data-testid="monitoring-alerts"' not in page and "成功" in row(page, NAME)


@pytest.mark.spec("PORTAL-7.11")
def test_a_run_that_did_not_happen_in_time_is_flagged_overdue(entry, manager, client, settings):
    settings.MONITORING_TASK_OVERDUE_GRACE_SECONDS = 300
    PeriodicTask.objects.filter(pk=entry.pk).update(last_run_at=timezone.now() - timedelta(minutes=3))
    monitoring_scheduled_tasks_check()
    assert not MonitoringIncident.objects.filter(target_key=f"task:{NAME}").exists()     # 2 min late: in grace
    PeriodicTask.objects.filter(pk=entry.pk).update(last_run_at=timezone.now() - timedelta(hours=1))
    monitoring_scheduled_tasks_check()
    incident = MonitoringIncident.objects.get(target_key=f"task:{NAME}", closed_at__isnull=True)
    assert "未运行" in incident.summary
    client.force_login(manager)
    page = client.get(reverse("core:monitoring-tasks"), {"q": "统计"}).content.decode()
    assert "逾期未运行" in row(page, NAME)


@pytest.mark.spec("PORTAL-7.11")
def test_latest_job_of_each_kind_shows_failures(manager, client):
    JobRun.objects.create(kind="reports.monthly", title="月报汇总 10月", status=JobStatus.SUCCEEDED)
    JobRun.objects.create(kind="reports.monthly", title="月报汇总 11月", status=JobStatus.FAILED, error="汇总口径缺失")
    client.force_login(manager)
    page = client.get(reverse("core:monitoring-tasks")).content.decode()
    assert "月报汇总 11月" in page and "汇总口径缺失" in page and "月报汇总 10月" not in page


@pytest.mark.spec("PORTAL-7.11")
def test_page_is_permission_gated_and_query_count_does_not_grow(entry, manager, staff, client):
    client.force_login(staff["harbin"])
    assert client.get(reverse("core:monitoring-tasks")).status_code == 403
    client.force_login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:monitoring-tasks")).status_code == 200
        return len(captured)

    run_as_beat(entry, fail=False)
    queries()
    few = queries()
    every, _ = IntervalSchedule.objects.get_or_create(every=300, period="seconds")
    for n in range(15):
        task = PeriodicTask.objects.create(name=f"统计: 报表{n:02d}", task=daily_case_statistics.name, interval=every)
        run_as_beat(task, fail=n % 2 == 0)
    assert queries() == few


@pytest.mark.worker
@pytest.mark.spec("PORTAL-7.11")
def test_a_real_worker_records_the_outcome_of_a_beat_entry(transactional_db, queued_tasks):  # noqa: F811
    from apps.core.tasks import monitoring_scheduled_tasks_check as task

    with running_worker("monitoring") as worker:
        task.apply_async(queue="monitoring", headers={"periodic_task_name": "core: 统计程序状态监控"})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and worker.alive():
            if ScheduledTaskRun.objects.filter(periodic_task_name="core: 统计程序状态监控").exists():
                break
            time.sleep(0.2)
        record = ScheduledTaskRun.objects.filter(periodic_task_name="core: 统计程序状态监控").first()
        assert record is not None, f"no outcome recorded; worker log:\n{worker.log()}"
        assert record.task == "core.monitoring_scheduled_tasks_check" and record.last_status == "success"
