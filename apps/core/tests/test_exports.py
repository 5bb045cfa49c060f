"""Excel export of any filtered list with the same filter; large exports become jobs."""
import io

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from apps.core.audit import AuditAction, AuditLog
from apps.core.exports import ExportColumn, export_run, export_start, register_export
from apps.core.jobs import JobRun, JobStatus
from apps.core.models import Organisation
from apps.core.tests.factories_ops import AuditLogFactory, grant

pytestmark = pytest.mark.django_db
LIST = "/portal/core/audit/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def logs(staff):
    """Per actor: two updates and one delete."""
    made = []
    for key, user in staff.items():
        for action in (AuditAction.UPDATE, AuditAction.UPDATE, AuditAction.DELETE):
            made.append(AuditLogFactory(actor=user, action=action, object_repr=f"{key}-{action}"))
    return made


def test_export_has_exactly_the_filtered_rows_in_the_users_scope(client, staff, logs):
    client.force_login(grant(staff["harbin"], "core.view_auditlog"))
    response = client.get(LIST, {"action": "delete", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(response.content)
    assert rows[0][:4] == ("时间", "操作人", "操作人机构", "操作类型")
    assert sorted(row[1] for row in rows[1:]) == ["staff_daoli_dept", "staff_harbin", "staff_harbin_dept"]
    assert {row[3] for row in rows[1:]} == {"删除"}


def test_invalid_filter_exports_nothing_and_shows_the_error(client, staff, logs):
    client.force_login(grant(staff["harbin"], "core.view_auditlog"))
    response = client.get(LIST, {"at_from": "not-a-date", "export": "xlsx"})
    assert response["Content-Type"].startswith("text/html")
    assert "有效" in response.content.decode() or "valid" in response.content.decode()
    assert not JobRun.objects.exists()


def test_large_export_becomes_a_job_with_progress_and_every_row(client, staff, logs, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_LIMIT = 2
    client.force_login(grant(staff["harbin"], "core.view_auditlog"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(LIST, {"action": "update", "export": "xlsx"})
    job = JobRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/core/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.total == 6 and job.done == job.total
    assert job.params["query"] == "action=update"
    rows = _rows(job.result_file.read())
    assert len(rows) == 1 + 6
    assert sorted({row[1] for row in rows[1:]}) == ["staff_daoli_dept", "staff_harbin", "staff_harbin_dept"]
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=staff["harbin"]).exists()
    page = client.get(response["Location"]).content.decode()
    assert "6 / 6（100%）" in page and "下载结果" in page


def test_task_applies_scope_and_permission_again(staff, logs, django_capture_on_commit_callbacks):
    user = grant(staff["qiqihar"], "core.view_auditlog")
    job = export_start(user=user, key="core.audit", query="action=update")
    user.roles.clear()                                  # permission withdrawn before the task runs
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "权限" in job.error and not job.result_file


def test_progress_is_reported_while_writing(staff, logs, monkeypatch):
    from apps.core.services import jobs as job_services

    seen = []
    original = job_services.job_progress
    monkeypatch.setattr(job_services, "job_progress",
                        lambda job, done, total=None: (seen.append(done), original(job, done, total)))
    root = staff["province"]
    root.is_superuser = True
    root.save()
    many = [AuditLogFactory(actor=root, action=AuditAction.OTHER) for _ in range(120)]
    job = export_start(user=root, key="core.audit", query="action=other")
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.total == len(many) and job.done == job.total and job.status == JobStatus.SUCCEEDED
    assert seen[0] == 0 and 50 in seen and seen[-1] == 120


def test_function_registered_export(staff, orgs):
    register_export("tests.organisations", title="机构", columns=[ExportColumn("机构名称", "name")],
                    queryset_for_user=lambda user: Organisation.objects.restrict(user).order_by("name"),
                    permission="core.view_organisation")
    user = grant(staff["qiqihar"], "core.view_organisation")
    job = export_start(user=user, key="tests.organisations")
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert [row[0] for row in _rows(default_storage.open(job.result_file.name).read())] == [
        "机构名称", "齐齐哈尔市营商环境建设监督局"]


def test_api_starts_an_export_job(client, staff, logs, django_capture_on_commit_callbacks):
    client.force_login(grant(staff["harbin"], "core.view_auditlog"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/core/jobs/exports/", {"export_key": "core.audit", "query": "action=delete"})
    assert response.status_code == 201
    data = client.get(f"/api/v1/core/jobs/{response.json()['id']}/").json()
    assert data["status"] == "succeeded" and data["total"] == 3 and data["download_url"]


@pytest.mark.parametrize("payload,field", [
    ({"export_key": "no.such.list"}, "export_key"),
    ({"export_key": "core.audit", "query": "at_from=yesterday"}, "at_from"),
    ({}, "export_key"),
])
def test_api_refuses_bad_input_with_the_error_shape_and_writes_nothing(client, staff, payload, field):
    client.force_login(grant(staff["harbin"], "core.view_auditlog"))
    response = client.post("/api/v1/core/jobs/exports/", payload)
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "输入有误，请检查后重试。"
    assert isinstance(body["errors"][field], list) and all(isinstance(m, str) for m in body["errors"][field])
    assert not JobRun.objects.exists()


def test_api_refuses_a_list_the_user_may_not_see(client, staff):
    client.force_login(staff["harbin"])                  # no core.view_auditlog
    response = client.post("/api/v1/core/jobs/exports/", {"export_key": "core.audit"})
    assert response.status_code == 403 and response.json()["errors"] == {}
    assert response.json()["message"]
    assert not JobRun.objects.exists()
