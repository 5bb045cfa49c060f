"""Business statistics (ACC-15.x) on a known data set built through the services and the exchange API:
figures, scope, the page with its charts and the Excel export."""
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from apps.acceptance import case_stats
from apps.acceptance.models import CaseChannel, CaseCode, DispatchStatus
from apps.acceptance.services import dispatch as ds
from apps.acceptance.services.cases import case_accept, case_register
from apps.acceptance.tests import factories as f
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _push(token, case, kind, body):
    response = APIClient().post("/api/v1/acceptance/exchange/", {
        "message_id": uuid.uuid4().hex, "kind": kind, "case_number": case.case_number, "body": body},
        format="json", HTTP_X_CLIENT_TOKEN=token)
    assert response.status_code in (200, 201), response.content


def _case(item, actor, n, accept=True, **extra):
    case = case_register(item=item, applicant_name=f"申请人{n}", applicant_id_number=f.id_number(n),
                         applicant_mobile=f"139{n:08d}", actor=actor, **extra)
    return case_accept(case=case, actor=actor) if accept else case


@pytest.fixture
def dataset(orgs):
    """Harbin market regulation (routed to its department system): c1 signed for, step and conclusion back;
    c2 pending; c3 dispatched, department accepted it. Daoli: c4 accepted without route and without case
    code; c5 applied online, not yet accepted. Qiqihar: c6 (outside a Harbin user's scope)."""
    admin = f.dispatch_admin(orgs["harbin_dept"])
    routed = f.matter(orgs["harbin_dept"], "食品经营许可")
    routed.theme = "市场监管"
    routed.save(update_fields=["theme"])
    _client, route, token = f.connected_route(admin, orgs["harbin_dept"], "http://127.0.0.1:9/", name="市场监管系统")
    ds.matter_route_set(actor=admin, item=routed, route=route)
    c1, c2, c3 = (_case(routed, admin, n) for n in (1, 2, 3))
    _push(token, c1, "dispatch.signed", {})
    _push(token, c1, "acceptance.status", {"accepted": True})
    _push(token, c1, "case.concluded", {"result": "approved"})
    type(c3).objects.filter(pk=c3.pk).update(dispatch_status=DispatchStatus.DISPATCHED)   # the outbox delivered it
    _push(token, c3, "acceptance.status", {"accepted": True})
    daoli_clerk = f.dispatch_admin(orgs["daoli_dept"], "daoli_clerk")
    local = f.matter(orgs["daoli_dept"], "社会保障卡申领")
    local.theme = "社会保障"
    local.save(update_fields=["theme"])
    c4 = _case(local, daoli_clerk, 4)
    CaseCode.objects.filter(case=c4).update(case=None)
    _case(local, None, 5, accept=False, channel=CaseChannel.APP, status="pending_pre_review")
    qiqihar = f.dispatch_admin(orgs["qiqihar"], "qiqihar_clerk")
    _case(f.matter(orgs["qiqihar"], "道路运输经营许可"), qiqihar, 6)
    return {"routed": routed, "local": local}


@pytest.fixture
def harbin_viewer(orgs):
    return f.grant(StaffFactory(username="harbin_viewer", organisation=orgs["harbin"]), "view_case")


def _by_name(rows):
    return {row["name"]: row for row in rows}


@pytest.mark.spec("ACC-15.5")
def test_dispatch_statistics_count_success_pending_and_unsigned(dataset, harbin_viewer):
    today = timezone.localdate()
    rows = _by_name(case_stats.dispatch_statistics(user=harbin_viewer, first=today, last=today, by="department"))
    assert set(rows) == {"哈尔滨市市场监督管理局", "道里区市场监督管理局"}            # Qiqihar out of scope
    harbin = rows["哈尔滨市市场监督管理局"]
    assert (harbin["accepted"], harbin["dispatched"], harbin["pending"], harbin["unsigned"], harbin["signed"],
            harbin["failed"]) == (3, 2, 1, 1, 1, 0)
    assert harbin["dispatch_rate"] == 66.7
    assert rows["道里区市场监督管理局"]["failed"] == 1                                 # no route configured
    by_theme = _by_name(case_stats.dispatch_statistics(user=harbin_viewer, first=today, last=today, by="theme"))
    assert by_theme["市场监管"]["accepted"] == 3 and by_theme["社会保障"]["accepted"] == 1
    trend = case_stats.dispatch_trend(user=harbin_viewer, first=today, last=today)
    assert trend == [{"bucket": f"{today:%Y-%m-%d}", "accepted": 4, "dispatched": 2, "pending": 1}]


@pytest.mark.spec("ACC-15.2")
def test_integration_statistics_show_which_department_data_came_back(dataset, harbin_viewer):
    today = timezone.localdate()
    rows = case_stats.integration_statistics(user=harbin_viewer, first=today, last=today, by="department")
    assert rows == [{"name": "哈尔滨市市场监督管理局", "routed": 3, "with_process": 2, "process_rate": 66.7,
                     "concluded": 1, "with_result": 1, "result_rate": 100.0}]


@pytest.mark.spec("ACC-15.3")
def test_application_statistics_by_region_and_time(dataset, harbin_viewer, orgs):
    today = timezone.localdate()
    rows = _by_name(case_stats.application_statistics(user=harbin_viewer, first=today, last=today, by="region"))
    assert {k: (v["total"], v["online"], v["window"]) for k, v in rows.items()} == {
        "哈尔滨市": (3, 0, 3), "道里区": (2, 1, 1)}
    assert case_stats.application_trend(user=harbin_viewer, first=today, last=today, unit="month") == [
        {"bucket": f"{today:%Y-%m}", "online": 1, "window": 4}]
    province = f.grant(StaffFactory(username="province_viewer", organisation=orgs["province"]), "view_case")
    assert "齐齐哈尔市" in _by_name(case_stats.application_statistics(user=province, first=today, last=today))


@pytest.mark.spec("ACC-15.4")
def test_completeness_is_a_region_tree_with_missing_elements(dataset, harbin_viewer):
    today = timezone.localdate()
    rows = case_stats.completeness_statistics(user=harbin_viewer, first=today, last=today, by="region")
    assert [(r["name"], r["depth"], r["cases"], r["complete"], r["no_code"]) for r in rows] == [
        ("哈尔滨市", 1, 3, 3, 0), ("道里区", 2, 1, 0, 1)]


@pytest.mark.spec("ACC-15.1", "ACC-15.3", "ACC-15.4")
def test_statistics_page_charts_tables_export_and_authorisation(client, dataset, harbin_viewer, citizen, staff):
    url = reverse("acceptance:case-statistics")
    assert client.get(url).status_code == 302                                           # anonymous → login
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(staff["harbin"])                                                 # staff without permission
    assert client.get(url).status_code == 403
    client.force_login(harbin_viewer)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "acc-case-stats" in html and "echarts.min.js" in html and "齐齐哈尔" not in html
    summary = page.context["summary"]
    assert (summary["submitted"], summary["online"], summary["accepted"], summary["dispatched"]) == (5, 1, 4, 2)
    assert summary["complete_rate"] == 75.0
    export = client.get(url, {"export": "completeness", "by": "region"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["区划", "受理办件", "数据完整"]
    assert [row[0].strip() for row in values[1:]] == ["哈尔滨市", "道里区"] and values[2][1:3] == [1, 0]
    assert client.get(url, {"export": "nonsense"}).status_code == 404
