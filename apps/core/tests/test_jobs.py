"""Jobs with progress: a job record long tasks update, that a page and the API poll."""
import pytest
from django.core.exceptions import ValidationError

from apps.core.jobs import JobRun, JobStatus, job_create, job_fail, job_progress, job_start, job_succeed
from apps.identity.models import RoleCode
from apps.identity.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/core/jobs/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_lifecycle_through_the_service(staff):
    job = job_create(kind="test.batch", title="批量任务", user=staff["harbin"], total=3, params={"a": 1})
    assert (job.status, job.done, job.organisation) == (JobStatus.QUEUED, 0, staff["harbin"].organisation)
    job_start(job)
    job_progress(job, 2)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.RUNNING, 2, 3, 66)
    job_progress(job, 4, total=8)
    job_succeed(job, filename="结果.xlsx", content=b"payload")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.done == 8 and job.percent == 100 and job.finished_at
    assert job.result_file.read() == b"payload" and job.result_name == "结果.xlsx"


def test_failure_is_recorded_with_its_reason(staff):
    job = job_start(job_create(kind="test.batch", title="批量任务", user=staff["harbin"]))
    job_fail(job, "对端超时")
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "对端超时") and job.finished_at


@pytest.mark.parametrize("kwargs,field", [
    ({"kind": "", "title": "x"}, "kind"), ({"kind": "k", "title": "  "}, "title"),
    ({"kind": "k", "title": "x", "total": -1}, "total"),
])
def test_bad_input_is_refused_and_nothing_written(staff, kwargs, field):
    with pytest.raises(ValidationError) as excinfo:
        job_create(user=staff["harbin"], **kwargs)
    assert field in excinfo.value.message_dict
    assert not JobRun.objects.exists()


def test_api_shows_progress_to_the_owner_only(client, staff):
    job = job_create(kind="test.batch", title="批量任务", user=staff["harbin"], total=10)
    job_start(job)
    job_progress(job, 5)
    client.force_login(staff["harbin"])
    data = client.get(f"{API}{job.pk}/").json()
    assert (data["status"], data["done"], data["total"], data["percent"]) == ("running", 5, 10, 50)
    assert data["status_display"] == "进行中" and data["download_url"] is None
    assert [row["id"] for row in client.get(API).json()["results"]] == [job.pk]
    client.force_login(staff["harbin_dept"])              # same city, not the owner
    assert client.get(f"{API}{job.pk}/").status_code == 404
    assert client.get(API).json()["count"] == 0


def test_result_download_is_for_the_owner_and_admins(client, staff):
    job = job_create(kind="test.batch", title="批量任务", user=staff["daoli_dept"])
    job_succeed(job, filename="结果.xlsx", content=b"xlsx-bytes")
    client.force_login(staff["daoli_dept"])
    data = client.get(f"{API}{job.pk}/").json()
    assert data["download_url"] == f"{API}{job.pk}/download/"
    assert b"".join(client.get(data["download_url"]).streaming_content) == b"xlsx-bytes"
    assert client.get(f"/portal/core/jobs/{job.pk}/download/").status_code == 200
    client.force_login(staff["harbin"])                    # the city bureau is no admin of this job
    assert client.get(f"/portal/core/jobs/{job.pk}/download/").status_code == 404
    assert client.get(f"{API}{job.pk}/download/").status_code == 404
    admin = staff["province"]
    admin.roles.add(RoleFactory(code=RoleCode.SYSTEM_ADMIN))
    client.force_login(admin)
    assert client.get(f"/portal/core/jobs/{job.pk}/download/").status_code == 200


def test_page_shows_the_current_state_without_javascript(client, staff):
    job = job_create(kind="test.batch", title="批量导入", user=staff["harbin"], total=4)
    job_start(job)
    job_progress(job, 1)
    client.force_login(staff["harbin"])
    html = client.get(f"/portal/core/jobs/{job.pk}/").content.decode()
    assert "批量导入" in html and "1 / 4（25%）" in html and 'style="width: 25%"' in html
    assert f'data-url="{API}{job.pk}/"' in html and "js/progress.js" in html
    assert "下载结果" in html and "hidden" in html.split("data-progress-result", 1)[1][:20]
    job_succeed(job, filename="r.xlsx", content=b"x")
    html = client.get(f"/portal/core/jobs/{job.pk}/").content.decode()
    assert "已完成" in html and f"/portal/core/jobs/{job.pk}/download/" in html


def test_my_jobs_lists_only_mine(client, staff, django_assert_max_num_queries):
    for index in range(5):
        job_create(kind="test.batch", title=f"我的任务{index}", user=staff["harbin"])
    job_create(kind="test.batch", title="别人的任务", user=staff["qiqihar"])
    client.force_login(staff["harbin"])
    with django_assert_max_num_queries(10):
        html = client.get("/portal/core/jobs/").content.decode()
    assert html.count("我的任务") >= 5 and "别人的任务" not in html
    assert client.get("/portal/core/jobs/999999/").status_code == 404


def test_public_users_have_no_portal_job_pages(client, citizen):
    job = job_create(kind="test.batch", title="x", user=citizen)
    client.force_login(citizen)
    assert client.get(f"/portal/core/jobs/{job.pk}/").status_code == 403
    assert client.get(f"{API}{job.pk}/").json()["id"] == job.pk       # the API serves the owner
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"{API}{job.pk}/").status_code == 404


def test_progress_is_one_cheap_update(staff, django_assert_num_queries):
    job = job_create(kind="test.batch", title="x", user=staff["harbin"], total=100)
    with django_assert_num_queries(1):
        job_progress(job, 50)
