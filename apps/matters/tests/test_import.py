"""Catalogue import from Excel as a job: progress, per-row error report, all-or-nothing."""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.core.jobs import JobRun, JobStatus
from apps.matters.models import CatalogueItem, MatterStatus
from apps.matters.services.importing import COLUMNS

pytestmark = pytest.mark.django_db

GOOD = ["食品经营许可", "行政许可", "《食品安全法》第三十五条", "否", 20, 10, "政务服务中心", "0451-1", "0451-2",
        "申请书；营业执照"]


def _file(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("catalogue.xlsx", buffer.getvalue())


def test_import_creates_every_row_as_draft_with_codes(client, people, orgs):
    client.force_login(people["harbin"])
    response = client.post(reverse("matters:catalogue-import"), {
        "department": orgs["harbin_dept"].pk,
        "file": _file(GOOD, ["户口迁移", "07", "《户口登记条例》", "是", None, None, "", "", "", "户口簿"])})
    job = JobRun.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.SUCCEEDED and job.done == job.total == 4
    items = CatalogueItem.objects.order_by("name")
    assert [i.name for i in items] == ["户口迁移", "食品经营许可"]
    assert all(i.status == MatterStatus.DRAFT and i.basic_code for i in items)
    assert [m.name for m in items.get(name="食品经营许可").materials.all()] == ["申请书", "营业执照"]
    report = load_workbook(BytesIO(job.result_file.read())).active
    assert [c.value for c in report[2]][1] == "食品经营许可"


def test_one_bad_row_means_nothing_imported_and_a_per_row_report(client, people, orgs):
    client.force_login(people["harbin"])
    client.post(reverse("matters:catalogue-import"), {"department": orgs["harbin_dept"].pk, "file": _file(
        GOOD, ["", "行政许可", "", "否", 20, 30, "", "", "", ""], ["特种设备使用登记", "未知类型", "", "否", "十", 5, "", "", "", ""])})
    job = JobRun.objects.get()
    assert job.status == JobStatus.FAILED and not CatalogueItem.objects.exists()
    assert "第3行：事项名称不能为空" in job.error and "不得超过法定办结时限" in job.error
    assert "第4行：" in job.error and "事项类型“未知类型”无效" in job.error and "法定办结时限应为整数" in job.error
    assert "第2行" not in job.error


def test_import_refuses_outsiders_and_bad_files(client, citizen, people, orgs):
    url = reverse("matters:catalogue-import")
    assert client.get(url).status_code == 302
    client.force_login(people["daoli"])
    response = client.post(url, {"department": orgs["harbin_dept"].pk, "file": _file(GOOD)})   # not its department
    assert response.status_code == 400 and not JobRun.objects.exists()
    client.force_login(people["harbin"])
    assert client.get(url, {"template": 1})["Content-Type"].startswith("application/vnd.openxml")
