"""Portal lists, filters, export, detail, done lookup and the authorisation matrix (pages and API)."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.models import StateTransition
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.supervision.models import Complaint, ComplaintStatus
from apps.supervision.services.complaints import complaint_import
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tests.factories import file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints(people, orgs):
    """Harbin: one assigned to the department, one pending suggestion; Qiqihar: one pending."""
    assigned = file_complaint(title="窗口推诿扯皮", content="多次往返")
    complaint_step(complaint=assigned, action="accept", actor=people["harbin"])
    complaint_step(complaint=assigned, action="assign", actor=people["harbin"], department=orgs["harbin_dept"])
    suggestion = file_complaint(title="建议延长办公时间", content="周末开放", kind="suggestion")
    qiqihar = file_complaint(region="230200000000", title="齐市窗口推诿", content="外地")
    return {"assigned": Complaint.objects.get(pk=assigned.pk), "suggestion": suggestion, "qiqihar": qiqihar}


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return {c.pk for c in response.context["object_list"]}


@pytest.mark.spec("PORTAL-1.5")
def test_data_scope_province_city_department(client, people, complaints):
    url = reverse("supervision:provincial-list")
    every = {c.pk for c in complaints.values()}
    client.force_login(people["province"])
    assert listed(client, url) == every
    client.force_login(people["harbin"])
    assert listed(client, url) == {complaints["assigned"].pk, complaints["suggestion"].pk}
    client.force_login(people["dept"])
    assert listed(client, url) == {complaints["assigned"].pk}
    client.force_login(people["qiqihar"])
    assert listed(client, url) == {complaints["qiqihar"].pk}
    assert client.get(reverse("supervision:complaint-detail", args=[complaints["assigned"].pk])).status_code == 404


@pytest.mark.spec("PORTAL-1.5")
def test_filters_alone_and_combined(client, people, orgs, complaints):
    client.force_login(people["province"])
    url = reverse("supervision:provincial-list")
    a, s, q = complaints["assigned"].pk, complaints["suggestion"].pk, complaints["qiqihar"].pk
    today = timezone.localdate().isoformat()
    assert listed(client, url, department=orgs["harbin_dept"].pk) == {a}
    assert listed(client, url, kind="suggestion") == {s}
    assert listed(client, url, case_number=complaints["qiqihar"].case_number) == {q}
    assert listed(client, url, status=ComplaintStatus.PENDING) == {s, q}
    assert listed(client, url, text="推诿") == {a, q}
    assert listed(client, url, text="周末") == {s}                              # content, not only title
    assert listed(client, url, submitted_from=today, submitted_to=today) == {a, s, q}
    assert listed(client, url, submitted_from="2000-01-01", submitted_to="2000-01-02") == set()
    assert listed(client, url, text="推诿", status=ComplaintStatus.PENDING) == {q}
    assert listed(client, url, text="推诿", status=ComplaintStatus.PENDING, region="230100000000") == set()
    assert listed(client, url, kind="complaint", department=orgs["harbin_dept"].pk, submitted_from=today) == {a}
    assert listed(client, url, done="true") == set()


@pytest.mark.spec("PORTAL-1.5")
def test_detail_shows_the_twelve_fields_and_the_flow(client, people, complaints):
    client.force_login(people["harbin"])
    complaint = complaints["assigned"]
    response = client.get(reverse("supervision:complaint-detail", args=[complaint.pk]))
    page = response.content.decode()
    for text in ["窗口推诿扯皮", "多次往返", "张三", "138****8000", "zs@example.com", "投诉", "哈尔滨市市场监督管理局",
                 "哈尔滨市", complaint.case_number, timezone.localtime(complaint.submitted_at).strftime("%Y-%m-%d"),
                 "11230000MB0000001X", "食品经营许可", "办件流程", "指派"]:
        assert text in page, text
    assert "13800138000" not in page                                          # mobile masked


@pytest.mark.spec("PORTAL-7.2", "PORTAL-1.1", "PORTAL-1.2")
def test_export_has_exactly_the_filtered_rows(client, people, complaints):
    client.force_login(people["province"])
    response = client.get(reverse("supervision:complaint-list"), {"text": "推诿", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("办件编号", "标题", "投诉来源")
    assert sorted(r[0] for r in rows[1:]) == sorted([complaints["assigned"].case_number,
                                                     complaints["qiqihar"].case_number])
    assert all("****" in r[8] for r in rows[1:])                                # masked mobile
    client.force_login(people["dept"])                                         # scope applies to exports too
    sheet = load_workbook(io.BytesIO(client.get(reverse("supervision:complaint-list"),
                                                {"export": "xlsx"}).content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [complaints["assigned"].case_number]
    for name in ("national-list", "govcn-list"):
        assert client.get(reverse(f"supervision:{name}"), {"export": "xlsx"}).status_code == 200


def test_list_query_count_does_not_grow(client, people):
    client.force_login(people["province"])
    for _ in range(3):
        file_complaint()
    url = reverse("supervision:provincial-list")
    client.get(url)                     # roles and permissions are remembered from here on
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        file_complaint()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.spec("PORTAL-1.3")
def test_done_cases_found_by_case_number_and_query_code(client, people, orgs):
    complaint, _ = complaint_import(source="national_platform", external_id="N-9",
                                    data={"title": "已办件", "content": "c", "region_code": "230100000000",
                                          "query_code": "ABCD1234"})
    for action, who, extra in [("accept", "province", {}), ("transfer", "province", {"department": orgs["harbin_dept"]}),
                               ("receive", "dept", {}), ("enter_result", "dept", {"comment": "ok"}),
                               ("review", "province", {}), ("submit", "harbin", {})]:
        complaint = complaint_step(complaint=complaint, action=action, actor=people[who], **extra)
    open_one = file_complaint()
    url = reverse("supervision:done-lookup")
    client.force_login(people["harbin"])
    assert [c.pk for c in client.get(url, {"case_number": complaint.case_number}).context["results"]] == [complaint.pk]
    assert [c.pk for c in client.get(url, {"query_code": "abcd1234"}).context["results"]] == [complaint.pk]
    assert client.get(url, {"case_number": complaint.case_number, "query_code": "WRONG"}).context["results"] == []
    assert client.get(url, {"case_number": open_one.case_number}).context["results"] == []   # not done
    assert "请输入办件编号或查询码" in client.get(url, {"case_number": ""}).content.decode()
    client.force_login(people["qiqihar"])
    assert client.get(url, {"case_number": complaint.case_number}).context["results"] == []  # other city


def test_authorisation_matrix_for_a_step(client, people, orgs, complaints):
    complaint = complaints["suggestion"]
    url = reverse("supervision:complaint-step", args=[complaint.pk, "accept"])
    before = StateTransition.objects.count()
    assert client.post(url).status_code == 302 and "login" in client.post(url)["Location"]     # anonymous
    client.force_login(UserFactory(kind=UserKind.NATURAL_PERSON))
    assert client.post(url).status_code == 403                                                 # citizen
    client.force_login(people["qiqihar"])
    assert client.post(url).status_code == 404                                                 # other region
    client.force_login(people["idle"])
    assert client.post(url).status_code == 403                                                 # no permission
    client.force_login(people["dept"])
    assert client.post(url).status_code == 404                                                 # not its case
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.PENDING and StateTransition.objects.count() == before
    client.force_login(people["harbin"])
    assert client.post(url).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACCEPTED


@pytest.mark.spec("PORTAL-1.4")
def test_portal_assign_then_department_reply_through_pages(client, people, orgs, complaints):
    complaint = complaints["suggestion"]
    client.force_login(people["harbin"])
    client.post(reverse("supervision:complaint-step", args=[complaint.pk, "accept"]))
    response = client.post(reverse("supervision:complaint-step", args=[complaint.pk, "assign"]),
                           {"department": orgs["harbin_dept"].pk})
    assert response.status_code == 302
    client.force_login(people["dept"])
    page = client.get(reverse("supervision:complaint-detail", args=[complaint.pk])).content.decode()
    assert "回复" in page
    client.post(reverse("supervision:complaint-step", args=[complaint.pk, "reply"]), {"comment": ""})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ASSIGNED                       # empty reply refused
    client.post(reverse("supervision:complaint-step", args=[complaint.pk, "reply"]), {"comment": "将延长周六办公"})
    client.force_login(people["harbin"])
    client.post(reverse("supervision:complaint-step", args=[complaint.pk, "close"]))
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CONCLUDED
    assert complaint.pk in listed(client, reverse("supervision:provincial-list"), done="true")


@pytest.mark.spec("PORTAL-1.4")
def test_citizen_files_on_the_public_site_and_looks_it_up(client, regions):
    citizen = UserFactory(kind=UserKind.NATURAL_PERSON)
    url = reverse("supervision-public:file")
    assert client.get(url).status_code == 302                                  # login first
    client.force_login(citizen)
    data = {"kind": "complaint", "title": "审批太慢", "content": "三个月未办结", "complainant_name": "赵六",
            "complainant_mobile": "1380013", "region_code": "230100000000"}
    response = client.post(url, data)
    assert response.status_code == 200 and not Complaint.objects.exists()      # bad mobile: nothing written
    response = client.post(url, {**data, "complainant_mobile": "13800138001"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.source == "provincial" and complaint.complainant == citizen and complaint.case_number.startswith("SJ")
    assert complaint.case_number in client.get(reverse("supervision-public:mine")).content.decode()
    client.logout()
    found = client.get(reverse("supervision-public:lookup"),
                       {"case_number": complaint.case_number, "query_code": complaint.query_code})
    assert found.context["complaint"] == complaint
    wrong = client.get(reverse("supervision-public:lookup"), {"case_number": complaint.case_number,
                                                              "query_code": "XXXX"})
    assert wrong.context["complaint"] is None


@pytest.mark.spec("PORTAL-1.4")
def test_api_file_list_and_step(client, people, orgs, regions):
    citizen = UserFactory(kind=UserKind.NATURAL_PERSON)
    url = reverse("supervision-complaint-list")
    payload = {"kind": "suggestion", "title": "建议增加自助机", "content": "大厅排队久", "complainant_name": "钱七",
               "complainant_mobile": "13800138002", "region_code": "230100000000"}
    assert client.post(url, payload, content_type="application/json").status_code in (401, 403)
    client.force_login(citizen)
    bad = client.post(url, {**payload, "region_code": "999999999999"}, content_type="application/json")
    assert bad.status_code == 400 and not Complaint.objects.exists()
    created = client.post(url, payload, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert [c["case_number"] for c in client.get(url).json()["results"]] == [body["case_number"]]
    step_url = reverse("supervision-complaint-step", args=[body["id"], "accept"])
    assert client.post(step_url, {}, content_type="application/json").status_code == 403   # citizen
    client.force_login(people["dept"])
    assert client.get(url).json()["results"] == []
    assert client.post(step_url, {}, content_type="application/json").status_code == 404
    client.force_login(people["harbin"])
    assert client.post(step_url, {}, content_type="application/json").json()["status"] == "accepted"
    assign = client.post(reverse("supervision-complaint-step", args=[body["id"], "assign"]), {},
                         content_type="application/json")
    assert assign.status_code == 400
    lookup = client.post(reverse("supervision-complaint-lookup"),
                         {"case_number": body["case_number"], "query_code": body["query_code"]},
                         content_type="application/json")
    assert lookup.status_code == 200 and lookup.json()["status"] == "accepted"


@pytest.mark.spec("PORTAL-10.1")
def test_scheduled_push_sends_provincial_complaint_figures(people, orgs, complaints, sms_simulator,
                                                           django_capture_on_commit_callbacks):
    from datetime import time

    from apps.core.services.sms import sms_schedule_create, sms_schedule_run
    from apps.core.tests.factories import grant

    admin = grant(people["province"], "core.add_smsschedule", "core.change_smsschedule", "core.view_smsschedule",
                  role_code="sms-admin")
    schedule = sms_schedule_create(name="全省投诉日报", times=[time(8, 30), time(17, 0)],
                                   digest_kind="supervision.provincial_complaints",
                                   recipients=[people["harbin"], people["qiqihar"]], by=admin)
    sms_simulator.reset()
    with django_capture_on_commit_callbacks(execute=True):
        assert sms_schedule_run(schedule_id=schedule.pk, time_of_day="17:00") == 2
    assert sorted(m["mobile"] for m in sms_simulator.messages) == ["13900000012", "13900000014"]
    text = sms_simulator.messages[0]["content"]
    assert "【省级投诉】" in text and "今日新增3件" in text and "待受理2件" in text and "办理中3件" in text


def test_public_filing_refuses_staff(people, regions):
    with pytest.raises(ValidationError):
        file_complaint(citizen=people["harbin"])
