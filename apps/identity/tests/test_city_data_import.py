"""IDN-11.1 / 11.2: loading a city's administrative divisions and departments — Excel upload and the
city platform over real HTTP, checked in a background job, previewed, confirmed or cancelled; bad rows
refused with the reason and never written; a city loads only its own subtree; audited."""
import io

import openpyxl
import pytest
from django.urls import reverse

from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import AuditLog, JobRun, Organisation, Region
from apps.core.tests.factories import next_credit_code
from apps.identity.adapters.city_platform import CityPlatformSimulator
from apps.identity.models import CityDataImport
from apps.identity.services.city_data_rows import ORGANISATION_COLUMNS, REGION_COLUMNS
from apps.identity.tests.conftest import give

LIST = reverse("identity:city-data-import-list")


def workbook(headers, rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO(book_bytes(book))
    out.name = "data.xlsx"
    return out


def book_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def importer(staff):
    user = staff["harbin"]                                    # the Harbin bureau (region-wide, city level)
    give(user, "identity.import_city_data", code="harbin_importer")
    return user


@pytest.fixture
def city_platform(settings):
    simulator = CityPlatformSimulator()
    with SimulatorServer(simulator) as server:
        settings.IDENTITY_CITY_PLATFORM_URL = server.url
        yield simulator


def detail_rows(response) -> dict[str, tuple[str, str]]:
    """key → (action, reason) of the first row with that key."""
    found: dict[str, tuple[str, str]] = {}
    for row in response.context["rows"]:
        found.setdefault(row["key"], (row["action"], row["reason"]))
    return found


@pytest.mark.spec("IDN-11.1")
def test_city_loads_its_regions_from_excel_with_preview_and_confirmation(
        client, importer, regions, django_capture_on_commit_callbacks):
    upload = workbook(REGION_COLUMNS, [
        ["230102001000", "道里区兆麟街道", "乡镇街道", "正常"],          # new
        ["230103000000", "南岗区（更名）", "市辖区", "正常"],            # changed
        ["230105000000", "香坊区", "市辖区", ""],                        # new, parent of the next row
        ["230105001000", "香坊区香坊街道", "乡镇街道", ""],              # new, parent in this batch
        ["2301xx", "坏代码", "", ""],                                   # bad region code
        ["230202001000", "龙沙区街道", "乡镇街道", ""],                  # another city
        ["230104001000", "无上级街道", "乡镇街道", ""],                  # parent missing
        ["230102001000", "重复行", "乡镇街道", ""],                      # duplicate
    ])
    client.force_login(importer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"city": "230100000000", "kind": "regions", "source": "excel", "file": upload})
    batch = CityDataImport.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert JobRun.objects.get(pk=batch.job_id).status == "succeeded" and batch.job.total == 8
    assert not Region.objects.filter(code__in=["230102001000", "230105000000"]).exists()   # nothing yet
    page = client.get(batch.get_absolute_url())
    rows = detail_rows(page)
    assert rows["230102001000"][0] == "new" and rows["230103000000"][0] == "changed"
    assert rows["230105000000"][0] == "new" and rows["230105001000"][0] == "new"
    assert "12 位数字" in rows["2301xx"][1]
    assert "不属于哈尔滨市" in rows["230202001000"][1]
    assert "上级区划 230104000000 不存在" in rows["230104001000"][1]
    html = page.content.decode()
    assert "与第 2 行重复" in html and 'data-stat="refused">4<' in html and "确认导入" in html
    # the per-row report is the job's result file
    report = openpyxl.load_workbook(io.BytesIO(batch.job.result_file.read())).active
    assert [c.value for c in report[1]][:3] == ["行号", "处理结果", "原因"] and report.max_row == 9
    # confirm: valid rows written, refused ones not, audited
    client.post(batch.get_absolute_url(), {"decision": "confirm"})
    assert Region.objects.get(code="230105001000").parent_id == "230105000000"
    assert Region.objects.get(code="230103000000").name == "南岗区（更名）"
    assert not Region.objects.filter(code__in=["230202001000", "230104001000"]).exists()
    assert Region.objects.get(code="230102001000").name == "道里区兆麟街道"
    batch.refresh_from_db()
    assert batch.status == "confirmed" and batch.decided_by == importer
    assert AuditLog.objects.filter(detail="区划数据导入", actor=importer).count() == 4
    # a confirmed batch cannot be confirmed or cancelled again
    again = client.post(batch.get_absolute_url(), {"decision": "cancel"}, follow=True)
    assert "不能再确认或取消" in again.content.decode()


@pytest.mark.spec("IDN-11.2")
def test_city_pulls_its_departments_from_the_city_platform_over_http(
        client, importer, orgs, regions, city_platform, django_capture_on_commit_callbacks):
    new_bureau, new_child, bad_parent = next_credit_code("230100"), next_credit_code("230100"), next_credit_code()
    city_platform.put(city="230100000000", kind="organisations", rows=[
        {"credit_code": new_bureau, "name": "哈尔滨市数据局", "short_name": "市数据局", "region": "230100000000",
         "parent": orgs["harbin"].credit_code, "kind": "部门"},
        {"credit_code": new_child, "name": "道里区数据中心", "region": "230102000000", "parent": new_bureau},
        {"credit_code": orgs["harbin_dept"].credit_code, "name": "哈尔滨市市场监管局", "region": "230100000000"},
        {"credit_code": "91230100ABCDEFGH12", "name": "坏代码单位", "region": "230100000000"},
        {"credit_code": next_credit_code("230100"), "name": "无上级单位", "region": "230100000000",
         "parent": bad_parent},
        {"credit_code": orgs["qiqihar"].credit_code, "name": "抢占齐市代码", "region": "230100000000"},
        {"credit_code": next_credit_code("230200"), "name": "齐市单位", "region": "230202000000"},
        {"credit_code": new_bureau, "name": "重复", "region": "230100000000"},
    ])
    client.force_login(importer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, {"city": "230100000000", "kind": "organisations", "source": "city_platform"})
    assert city_platform.queries == [{"city": "230100000000", "kind": "organisations"}]
    batch = CityDataImport.objects.get()
    rows = [(r["action"], r["reason"]) for r in batch.rows]
    assert [a for a, _ in rows] == ["new", "new", "changed", "refused", "refused", "refused", "refused", "refused"]
    assert "统一社会信用代码 91230100ABCDEFGH12 无效" in rows[3][1]
    assert f"上级机构 {bad_parent} 不存在" in rows[4][1]
    assert "已被其他地市的机构" in rows[5][1] and "不属于哈尔滨市" in rows[6][1] and "与第 2 行重复" in rows[7][1]
    assert not Organisation.objects.filter(credit_code=new_bureau).exists()
    client.post(batch.get_absolute_url(), {"decision": "confirm"})
    bureau = Organisation.objects.get(credit_code=new_bureau)
    child = Organisation.objects.get(credit_code=new_child)
    assert bureau.parent == orgs["harbin"] and child.parent == bureau and child.tree_path.startswith(bureau.tree_path)
    assert Organisation.objects.get(pk=orgs["harbin_dept"].pk).name == "哈尔滨市市场监管局"
    assert Organisation.objects.get(pk=orgs["qiqihar"].pk).name == "齐齐哈尔市营商环境建设监督局"
    assert Organisation.objects.filter(name__in=["坏代码单位", "无上级单位", "齐市单位"]).count() == 0


def test_cancelling_a_batch_writes_nothing(client, importer, regions, django_capture_on_commit_callbacks):
    client.force_login(importer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, {"city": "230100000000", "kind": "regions", "source": "excel",
                           "file": workbook(REGION_COLUMNS, [["230102002000", "新街道", "乡镇街道", ""]])})
    batch = CityDataImport.objects.get()
    client.post(batch.get_absolute_url(), {"decision": "cancel"})
    batch.refresh_from_db()
    assert batch.status == "cancelled" and not Region.objects.filter(code="230102002000").exists()
    refused = client.post(batch.get_absolute_url(), {"decision": "confirm"}, follow=True)
    assert "不能再确认或取消" in refused.content.decode() and not Region.objects.filter(code="230102002000").exists()


def test_a_bad_file_or_missing_columns_is_refused_with_nothing_written(client, importer, regions):
    client.force_login(importer)
    junk = io.BytesIO(b"not an excel file")
    junk.name = "x.xlsx"
    response = client.post(LIST, {"city": "230100000000", "kind": "regions", "source": "excel", "file": junk})
    assert response.status_code == 400 and "无法读取文件" in response.content.decode()
    missing = client.post(LIST, {"city": "230100000000", "kind": "organisations", "source": "excel",
                                 "file": workbook(["机构名称"], [["某单位"]])})
    assert missing.status_code == 400 and "缺少列：统一社会信用代码" in missing.content.decode()
    assert not CityDataImport.objects.exists()


def test_city_platform_down_is_a_clear_message(client, importer, regions, city_platform):
    city_platform.inject_failures(1, 503)
    client.force_login(importer)
    response = client.post(LIST, {"city": "230100000000", "kind": "regions", "source": "city_platform"})
    assert response.status_code == 400 and "地市平台接口调用失败" in response.content.decode()
    assert not CityDataImport.objects.exists()


@pytest.mark.parametrize("who,expected", [
    ("anonymous", 302), ("citizen", 403), ("no_permission", 403), ("other_city", 403), ("permitted", 302)])
def test_only_the_citys_importer_may_load_its_data(client, who, expected, staff, citizen, regions, request):
    actors = {"citizen": citizen, "no_permission": staff["harbin_dept"]}
    if who == "other_city":
        actors[who] = staff["qiqihar"]
        give(staff["qiqihar"], "identity.import_city_data", code="qqhr_importer")
    elif who == "permitted":
        actors[who] = request.getfixturevalue("importer")
    if who in actors:
        client.force_login(actors[who])
    response = client.post(LIST, {"city": "230100000000", "kind": "regions", "source": "excel",
                                  "file": workbook(REGION_COLUMNS, [["230102003000", "某街道", "乡镇街道", ""]])})
    assert response.status_code == expected
    assert CityDataImport.objects.exists() is (who == "permitted")


def test_another_citys_batches_are_invisible(client, importer, staff, regions, django_capture_on_commit_callbacks):
    client.force_login(importer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, {"city": "230100000000", "kind": "regions", "source": "excel",
                           "file": workbook(REGION_COLUMNS, [["230102004000", "某街道", "乡镇街道", ""]])})
    batch = CityDataImport.objects.get()
    give(staff["qiqihar"], "identity.import_city_data", code="qqhr_importer")
    client.force_login(staff["qiqihar"])
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(batch.get_absolute_url(), {"decision": "confirm"}).status_code == 404
    assert "230102004000" not in client.get(LIST).content.decode()
    assert not Region.objects.filter(code="230102004000").exists()
    assert ORGANISATION_COLUMNS[0] == "统一社会信用代码"
